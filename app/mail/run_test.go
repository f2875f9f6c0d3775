package mail_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"accountportal/app/mail"
	"accountportal/app/mail/mailtest"
	"accountportal/models"
	"accountportal/models/modelstest"
)

func TestWorkersShareTheOutbox(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		const total, workers = 200, 4
		s := modelstest.Open(t, d, time.Now)
		rcv := mailtest.NewReceiver(t)
		msgs := make([]mail.Message, total)
		for i := range msgs {
			msgs[i] = simple(i)
		}
		enqueue(t, s, time.Now(), msgs...)

		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for i := range workers {
			w := mail.NewWorker(s, senderTo(t, rcv), from, time.Now, nil,
				mail.WorkerOptions{ID: fmt.Sprintf("w%d", i), Batch: 7, Poll: 10 * time.Millisecond})
			wg.Go(func() { w.Run(ctx) })
		}
		rcv.WaitFor(total, 60*time.Second)
		waitPending(t, s, 0, 10*time.Second)
		cancel()
		wg.Wait()

		got := rcv.Messages()
		seen := map[string]int{}
		for _, m := range got {
			seen[m.Subject]++
		}
		if len(got) != total || len(seen) != total {
			t.Fatalf("received %d messages with %d distinct subjects, want %d of each", len(got), len(seen), total)
		}
		owners := map[string]int{}
		for _, r := range outbox(t, s) {
			owners[r.LeaseOwner]++
			if r.SentAt == nil || r.Attempts != 1 {
				t.Fatalf("row after delivery: %+v", r)
			}
		}
		t.Logf("messages per worker: %v", owners)
	})
}

// waitPending polls until the outbox has want unsent messages.
func waitPending(t *testing.T, s *models.Store, want int64, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		n, err := s.Outbox.Pending(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d messages pending after %s, want %d", n, timeout, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestWakeSendsWithoutWaitingForPoll(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		s := modelstest.Open(t, d, time.Now)
		rcv := mailtest.NewReceiver(t)
		w := mail.NewWorker(s, senderTo(t, rcv), from, time.Now, nil, mail.WorkerOptions{Poll: time.Hour})
		// The first message is there before Run starts, so its first pass
		// sends it; once it is recorded the worker is parked on its
		// hour-long poll.
		enqueue(t, s, time.Now(), simple(1))
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() {
			defer close(done)
			w.Run(ctx)
		}()
		t.Cleanup(func() {
			cancel()
			<-done
		})
		rcv.WaitFor(1, 10*time.Second)
		waitPending(t, s, 0, 5*time.Second)

		enqueue(t, s, time.Now(), simple(2))
		w.Wake()
		w.Wake() // a second wake while one is pending must not block
		got := rcv.WaitFor(2, 10*time.Second)
		if got[1].Subject != "Message 2" {
			t.Fatalf("second message %q, want Message 2", got[1].Subject)
		}
	})
}

func TestRunStopsWhenContextEnds(t *testing.T) {
	s := modelstest.Open(t, models.SQLite, time.Now)
	w := mail.NewWorker(s, nil, from, time.Now, nil, mail.WorkerOptions{Poll: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.Run(ctx)
	}()
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
}
