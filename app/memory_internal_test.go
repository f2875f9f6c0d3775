package app

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime/debug"
	"sync/atomic"
	"testing"
	"time"

	"accountportal/config"
)

func TestMemoryLimitLeavesRoomForTheHashes(t *testing.T) {
	cases := []struct {
		slots int
		kib   uint32
		want  int64
	}{
		{2, 19456, 140 << 20},
		{1, 19456, 102 << 20},
		{16, 19456, (64 + 2*16*19) << 20},
		{4, 65536, (64 + 2*4*64) << 20},
	}
	for _, c := range cases {
		cfg := &config.Config{HashConcurrency: c.slots, Argon2: config.Argon2{MemoryKiB: c.kib}}
		if got := memoryLimitFor(cfg); got != c.want {
			t.Errorf("%d slots of %d KiB: limit %d MiB, want %d MiB", c.slots, c.kib, got>>20, c.want>>20)
		}
	}
}

// What the environment sets wins; the defaults fill only what it left
// unset.
func TestMemoryDefaultsYieldToTheEnvironment(t *testing.T) {
	oldLimit, oldGC := debug.SetMemoryLimit(-1), debug.SetGCPercent(-1)
	debug.SetGCPercent(oldGC)
	t.Cleanup(func() { debug.SetMemoryLimit(oldLimit); debug.SetGCPercent(oldGC) })
	cfg := &config.Config{HashConcurrency: 2, Argon2: config.Argon2{MemoryKiB: 19456}}

	debug.SetMemoryLimit(1 << 30)
	debug.SetGCPercent(100)
	limit, gc := applyMemoryDefaults(func(k string) string { return map[string]string{"GOMEMLIMIT": "1GiB", "GOGC": "100"}[k] }, cfg)
	if limit != 1<<30 || gc != 100 {
		t.Fatalf("with both set: limit %d, GOGC %d; want the environment's", limit, gc)
	}
	limit, gc = applyMemoryDefaults(func(string) string { return "" }, cfg)
	if limit != 140<<20 || gc != defaultGCPercent {
		t.Fatalf("with neither set: limit %d MiB, GOGC %d", limit>>20, gc)
	}
}

// Memory goes back to the system once after a burst, when a whole tick
// passes without a request and none is in flight: never during a burst,
// never twice for one quiet spell, never while little is held.
func TestMemoryIsReleasedOnceWhenABurstEnds(t *testing.T) {
	var releases atomic.Int64
	var held atomic.Uint64
	held.Store(100 << 20)
	a := &activity{retained: held.Load, release: func() { releases.Add(1) }}
	hold, entered := make(chan struct{}), make(chan struct{}, 1)
	h := a.wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		select {
		case entered <- struct{}{}:
		default:
		}
		<-hold
	}))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const tick = 20 * time.Millisecond
	go a.releaseWhenIdle(ctx, tick)

	time.Sleep(5 * tick)
	if n := releases.Load(); n != 0 {
		t.Fatalf("released %d times before any request", n)
	}
	// A request that stays in flight over several ticks: no release.
	go h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	<-entered
	time.Sleep(5 * tick)
	if n := releases.Load(); n != 0 {
		t.Fatalf("released %d times with a request in flight", n)
	}
	close(hold)
	waitFor(t, func() bool { return releases.Load() == 1 })
	time.Sleep(5 * tick)
	if n := releases.Load(); n != 1 {
		t.Fatalf("released %d times for one quiet spell", n)
	}
	// A burst that leaves little behind: nothing to hand back.
	held.Store(8 << 20)
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	time.Sleep(5 * tick)
	if n := releases.Load(); n != 1 {
		t.Fatalf("released with only 8 MiB held: %d", n)
	}
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatal("timed out")
}
