package app_test

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/securecookie"
)

// floorServer is tools/floor: Echo, templ and one pgx primary-key read
// behind a signed cookie, the least a signed-in page can cost with these
// libraries. The load test compares the portal's pages with it.
type floorServer struct {
	base, cookie string
	cmd          *exec.Cmd
}

// startFloor builds and starts the floor on the portal's database, signed
// in as the user with userID.
func startFloor(t *testing.T, dbURL string, userID int64) *floorServer {
	bin := goBuild(t, "./tools/floor", "floor")
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	value, err := securecookie.New(key, nil).Encode("floor", userID)
	if err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	f := &floorServer{base: "http://" + addr, cookie: "floor=" + value, cmd: exec.Command(bin)}
	f.cmd.Env = append(os.Environ(), "FLOOR_LISTEN="+addr, "FLOOR_DATABASE_URL="+dbURL, "FLOOR_KEY="+hex.EncodeToString(key))
	log := &syncBuffer{}
	f.cmd.Stdout, f.cmd.Stderr = log, log
	if err := f.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.cmd.Process.Signal(syscall.SIGTERM); _ = f.cmd.Wait() })
	if !waitFor(f.base+"/healthz", time.Now().Add(30*time.Second)) {
		t.Fatalf("the floor did not start:\n%s", log.String())
	}
	return f
}

func waitFor(url string, deadline time.Time) bool {
	for ; time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if res, err := http.Get(url); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return true
			}
		}
	}
	return false
}

// wrkResult is what one closed-loop wrk run saw.
type wrkResult struct {
	perSecond float64
	bad       int // answers that were not 2xx or 3xx, and socket errors
}

var (
	wrkRate   = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	wrkNon2xx = regexp.MustCompile(`Non-2xx or 3xx responses:\s+(\d+)`)
	wrkErrors = regexp.MustCompile(`Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
)

// maxThroughput drives url as fast as connections clients allow (wrk, two
// threads) for d and returns the rate answered. wrk rather than vegeta: at
// ten thousand requests a second a Go load generator would take a core the
// servers measured need, and the floor would suffer more than the portal.
func maxThroughput(t *testing.T, url, cookie string, connections int, d time.Duration) wrkResult {
	out, err := exec.Command("wrk", "-t2", "-c"+strconv.Itoa(connections), "-d"+strconv.Itoa(int(d.Seconds()))+"s",
		"-H", "Cookie: "+cookie, url).CombinedOutput()
	if err != nil {
		t.Fatalf("wrk (make bench installs it): %v\n%s", err, out)
	}
	m := wrkRate.FindSubmatch(out)
	if m == nil {
		t.Fatalf("wrk printed no rate:\n%s", out)
	}
	r := wrkResult{}
	r.perSecond, _ = strconv.ParseFloat(string(m[1]), 64)
	if m := wrkNon2xx.FindSubmatch(out); m != nil {
		r.bad, _ = strconv.Atoi(string(m[1]))
	}
	if m := wrkErrors.FindSubmatch(out); m != nil {
		for _, n := range m[1:] {
			v, _ := strconv.Atoi(string(n))
			r.bad += v
		}
	}
	return r
}

// spread is one figure over interleaved runs.
type spread []float64

func (s spread) median() float64 {
	c := append([]float64(nil), s...)
	sort.Float64s(c)
	return c[len(c)/2]
}

func (s spread) String() string {
	c := append([]float64(nil), s...)
	sort.Float64s(c)
	return fmt.Sprintf("%.2f (%.2f–%.2f)", s.median(), c[0], c[len(c)-1])
}

// goalRow is one line of the printed table: a figure, its goal, and
// whether this run met it.
type goalRow struct{ what, figure, goal, met string }

func metOrNot(ok bool) string {
	if ok {
		return "met"
	}
	return "**not met**"
}

func printRows(rows []goalRow) {
	fmt.Printf("\n| what | measured | goal | |\n|---|---|---|---|\n")
	for _, r := range rows {
		fmt.Printf("| %s | %s | %s | %s |\n", r.what, r.figure, r.goal, r.met)
	}
	fmt.Println()
}

func joinRates(rs []float64) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = fmt.Sprintf("%.0f", r)
	}
	return strings.Join(parts, ", ")
}

// profilePage, when LOAD_PROFILE_DIR names a directory, drives path for
// ten seconds and meanwhile saves the portal's CPU profile of eight of them
// there as profile-<name>.pb.gz, for `go tool pprof`.
func (lb *loadPortal) profilePage(t *testing.T, name, path string) {
	lb.profileWhile(t, name, func() { maxThroughput(t, lb.base+path, lb.cookies, 16, 10*time.Second) })
}

// profileWhile runs load, which must last ten seconds or more, and saves
// the portal's CPU profile of eight seconds of it as profile-<name>.pb.gz
// in LOAD_PROFILE_DIR; without that directory it only runs load.
func (lb *loadPortal) profileWhile(t *testing.T, name string, load func()) {
	dir := os.Getenv("LOAD_PROFILE_DIR")
	if dir == "" {
		load()
		return
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		load()
	}()
	time.Sleep(time.Second)
	res, err := http.Get(lb.metrics + "/debug/pprof/profile?seconds=8")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	f, err := os.Create(filepath.Join(dir, "profile-"+name+".pb.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := io.Copy(f, res.Body); err != nil {
		t.Fatal(err)
	}
	<-done
}

// newAttackTransport is the load generator's connection pool, which the
// caller closes when a run ends: clients that have gone away, so that
// what the portal holds afterwards is its own.
func newAttackTransport() *http.Transport {
	return &http.Transport{MaxIdleConnsPerHost: 10000, MaxConnsPerHost: 0, IdleConnTimeout: 30 * time.Second,
		DialContext: (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext}
}
