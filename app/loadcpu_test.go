package app_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// cpuUse is CPU time used so far by the portal, by PostgreSQL's processes
// and by this test process, which is the load generator. On a machine where
// all three share the cores, it shows where the cores went.
type cpuUse struct {
	at                          time.Time
	portal, postgres, generator time.Duration
}

func (lb *loadPortal) cpu() cpuUse {
	u := cpuUse{at: time.Now(), portal: processCPU(strconv.Itoa(lb.cmd.Process.Pid)), generator: processCPU("self")}
	stats, _ := filepath.Glob("/proc/[0-9]*/comm")
	for _, f := range stats {
		if comm, err := os.ReadFile(f); err == nil && strings.TrimSpace(string(comm)) == "postgres" {
			u.postgres += processCPU(filepath.Base(filepath.Dir(f)))
		}
	}
	return u
}

// cores describes the CPU used between before and u as cores busy.
func (u cpuUse) cores(before cpuUse) string {
	wall := u.at.Sub(before.at).Seconds()
	c := func(a, b time.Duration) float64 { return (a - b).Seconds() / wall }
	return fmt.Sprintf("portal %.2f, PostgreSQL %.2f, load generator %.2f cores", c(u.portal, before.portal),
		c(u.postgres, before.postgres), c(u.generator, before.generator))
}

// processCPU reads user plus system time of a process from /proc (clock
// ticks of 10 ms on Linux); a process that is gone counts zero.
func processCPU(pid string) time.Duration {
	raw, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return 0
	}
	// The command name may hold spaces; the fields after it do not.
	fields := strings.Fields(string(raw[strings.LastIndexByte(string(raw), ')')+1:]))
	if len(fields) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}
