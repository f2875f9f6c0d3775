package models_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"accountportal/models"
	"accountportal/models/modelstest"
)

func TestThrottleCountsAndLocks(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		lim := models.ThrottleLimit{Window: 10 * time.Minute, Max: 3, Lock: 15 * time.Minute}
		take := func(at time.Time) *models.Throttle {
			t.Helper()
			th, err := s.Throttles.Take(ctx, "k", at, lim)
			if err != nil {
				t.Fatal(err)
			}
			return th
		}
		if th := take(t0); th.Count != 1 || th.LockedUntil != nil || !th.WindowStart.Equal(t0) {
			t.Fatalf("first attempt: %+v", th)
		}
		take(t0.Add(time.Minute))
		th := take(t0.Add(2 * time.Minute))
		if th.Count != 3 || th.LockedUntil == nil || !th.LockedUntil.Equal(t0.Add(17*time.Minute)) {
			t.Fatalf("third attempt should lock: %+v", th)
		}
		// While locked nothing is counted, even in a new window.
		if th := take(t0.Add(11 * time.Minute)); th != nil {
			t.Fatalf("attempt while locked was counted: %+v", th)
		}
		if n, err := s.Throttles.DeleteStale(ctx, t0.Add(12*time.Minute)); err != nil || n != 0 {
			t.Fatalf("locked row purged: %d %v", n, err)
		}
		// The lock's end starts a new window.
		if th := take(t0.Add(17 * time.Minute)); th == nil || th.Count != 1 || th.LockedUntil != nil {
			t.Fatalf("after the lock: %+v", th)
		}
		if n, err := s.Throttles.DeleteStale(ctx, t0.Add(28*time.Minute)); err != nil || n != 1 {
			t.Fatalf("stale row kept: %d %v", n, err)
		}
		take(t0)
		if err := s.Throttles.Clear(ctx, "k"); err != nil {
			t.Fatal(err)
		}
		if rows, err := s.Throttles.ByKeys(ctx, []string{"k"}); err != nil || len(rows) != 0 {
			t.Fatalf("cleared throttle: %+v %v", rows, err)
		}
	})
}

// A refund takes back an attempt that turned out right, lock included, but
// only in the window it was counted in.
func TestThrottleRefund(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		lim := models.ThrottleLimit{Window: 10 * time.Minute, Max: 2, Lock: 15 * time.Minute}
		first, err := s.Throttles.Take(ctx, "k", t0.Add(300*time.Millisecond), lim)
		if err != nil {
			t.Fatal(err)
		}
		second, err := s.Throttles.Take(ctx, "k", t0.Add(time.Second), lim)
		if err != nil || second.LockedUntil == nil {
			t.Fatalf("second attempt: %+v %v", second, err)
		}
		if err := s.Throttles.Refund(ctx, "k", second.WindowStart, lim); err != nil {
			t.Fatal(err)
		}
		rows, err := s.Throttles.ByKeys(ctx, []string{"k"})
		if err != nil || len(rows) != 1 || rows[0].Count != 1 || rows[0].LockedUntil != nil {
			t.Fatalf("after the refund: %+v %v", rows, err)
		}
		// The window ran out and a new one began: an old attempt's refund
		// must not take back a new one.
		later, err := s.Throttles.Take(ctx, "k", t0.Add(11*time.Minute), lim)
		if err != nil || later.Count != 1 {
			t.Fatalf("new window: %+v %v", later, err)
		}
		if err := s.Throttles.Refund(ctx, "k", first.WindowStart, lim); err != nil {
			t.Fatal(err)
		}
		if rows, _ := s.Throttles.ByKeys(ctx, []string{"k"}); rows[0].Count != 1 {
			t.Fatalf("a stale refund changed the new window: %+v", rows)
		}
	})
}

// Parallel attempts (as from many replicas) each get their own number, and
// no more than the limit get one.
func TestThrottleParallelTakes(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		lim := models.ThrottleLimit{Window: time.Hour, Max: 5, Lock: time.Minute}
		const n = 50
		counts := make(chan int, n)
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				th, err := s.Throttles.Take(ctx, "parallel", t0, lim)
				if err != nil {
					t.Error(err)
				}
				if th != nil {
					counts <- th.Count
				}
			})
		}
		wg.Wait()
		close(counts)
		seen := map[int]bool{}
		for c := range counts {
			if seen[c] || c < 1 || c > lim.Max {
				t.Fatalf("count %d given twice or out of range (%v)", c, seen)
			}
			seen[c] = true
		}
		if len(seen) != lim.Max {
			t.Fatalf("%d of %d parallel attempts counted, want %d", len(seen), n, lim.Max)
		}
	})
}

// Attempts and clears racing (wrong passwords while the owner signs in)
// never fail: there is no moment between a read and a write for a clear to
// fall into.
func TestThrottleTakeRacesClear(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		lim := models.ThrottleLimit{Window: time.Hour, Max: 1 << 20, Lock: time.Minute}
		var failures atomic.Int64
		report := func(err error) {
			if err != nil && failures.Add(1) <= 3 {
				t.Error(err)
			}
		}
		var wg sync.WaitGroup
		for range 20 {
			wg.Go(func() {
				for range 25 {
					th, err := s.Throttles.Take(ctx, "raced", t0, lim)
					report(err)
					if err == nil && th == nil {
						t.Error("an unlocked key refused an attempt")
					}
				}
			})
		}
		for range 5 {
			wg.Go(func() {
				for range 25 {
					report(s.Throttles.Clear(ctx, "raced"))
				}
			})
		}
		wg.Wait()
		if n := failures.Load(); n > 0 {
			t.Fatalf("%d of 625 operations failed", n)
		}
	})
}
