package app

import (
	"context"
	"net/http"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
	"time"

	"accountportal/config"
)

// Memory defaults for a process that the environment did not tune with Go's
// own GOMEMLIMIT and GOGC. The soft limit leaves room for twice the
// argon2id memory of the hashes that may run at once (those in flight and
// the garbage of those just finished) over baseMemory for everything else:
// a tighter limit had the collector running without pause under sign-in
// load (0.15 × the hashing rate instead of 0.8, docs/performance.md). With
// that ceiling in place, collecting only after the heap has grown
// defaultGCPercent % over what survived costs far less CPU on page loads,
// whose garbage is short-lived, than Go's default of 100.
const (
	baseMemory       = 64 << 20
	defaultGCPercent = 400
)

// memoryLimitFor is the default soft limit: 140 MiB with two hash slots of
// 19 MiB.
func memoryLimitFor(cfg *config.Config) int64 {
	return baseMemory + 2*int64(cfg.HashConcurrency)*int64(cfg.Argon2.MemoryKiB)<<10
}

// applyMemoryDefaults sets the defaults above where getenv has no value for
// GOMEMLIMIT or GOGC (Go's runtime has already applied any that are set),
// and returns what is in force.
func applyMemoryDefaults(getenv func(string) string, cfg *config.Config) (limit int64, gcPercent int) {
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimitFor(cfg))
	}
	if getenv("GOGC") == "" {
		debug.SetGCPercent(defaultGCPercent)
	}
	s := []metrics.Sample{{Name: "/gc/gomemlimit:bytes"}, {Name: "/gc/gogc:percent"}}
	metrics.Read(s)
	return int64(s[0].Value.Uint64()), int(s[1].Value.Uint64())
}

// activity counts the HTTP requests a process has served and is serving,
// so that it can tell when a burst has ended.
type activity struct {
	inFlight, total atomic.Int64
	// retained and release are the runtime's, replaced in tests.
	retained func() uint64
	release  func()
}

func newActivity() *activity {
	return &activity{retained: retainedMemory, release: debug.FreeOSMemory}
}

func (a *activity) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.inFlight.Add(1)
		a.total.Add(1)
		defer a.inFlight.Add(-1)
		h.ServeHTTP(w, r)
	})
}

// releaseAbove is how much memory the runtime may keep from the system
// while idle before an idle moment hands it back.
const releaseAbove = 32 << 20

// releaseWhenIdle hands the memory a burst left behind back to the
// system once no request has arrived for a whole tick: the runtime would
// otherwise keep it until its next collection, which an idle process may
// not run for minutes. A steady load never triggers it (requests arrive in
// every tick), and it runs at most once per quiet spell.
func (a *activity) releaseWhenIdle(ctx context.Context, tick time.Duration) {
	t := time.NewTicker(tick)
	defer t.Stop()
	last, released := a.total.Load(), true
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if n := a.total.Load(); n != last {
			last, released = n, false
			continue
		}
		if !released && a.inFlight.Load() == 0 {
			if a.retained() > releaseAbove {
				a.release()
			}
			released = true
		}
	}
}

// retainedMemory is what the Go runtime holds from the system, less what
// it has already returned.
func retainedMemory() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64() - s[1].Value.Uint64()
}
