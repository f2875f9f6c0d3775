package mail_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"accountportal/app/mail"
	"accountportal/models"
	"accountportal/models/modelstest"
)

func TestRetryDelay(t *testing.T) {
	tests := []struct {
		attempts int
		want     time.Duration
	}{
		{0, 30 * time.Second},
		{1, 30 * time.Second},
		{2, time.Minute},
		{3, 2 * time.Minute},
		{7, 32 * time.Minute},
		{8, time.Hour},
		{9, time.Hour},
		{1 << 40, time.Hour},
	}
	for _, tt := range tests {
		if got := mail.RetryDelay(tt.attempts); got != tt.want {
			t.Errorf("RetryDelay(%d) = %s, want %s", tt.attempts, got, tt.want)
		}
	}
}

func TestErrorText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"short", "550 mailbox unavailable", "550 mailbox unavailable"},
		{"NUL removed", "bad\x00byte", "badbyte"},
		{"invalid UTF-8 replaced", "bad \xff byte", "bad \uFFFD byte"},
		{"cut at a character", strings.Repeat("é", 400), strings.Repeat("é", 248) + "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mail.ErrorText(errors.New(tt.in))
			if got != tt.want || len(got) > 500 || !utf8.ValidString(got) {
				t.Fatalf("ErrorText = %q (%d bytes), want %q", got, len(got), tt.want)
			}
		})
	}
}

// senderFunc adapts a function to mail.Sender.
type senderFunc func(ctx context.Context, from string, m mail.Message) error

func (f senderFunc) Send(ctx context.Context, from string, m mail.Message) error {
	return f(ctx, from, m)
}

// A server's reply is stored whatever it holds: PostgreSQL refuses text
// that is not UTF-8 or holds NUL, so the worker must clean it first.
func TestWorkerStoresAnyError(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		clk := newClock()
		s := modelstest.Open(t, d, clk.Now)
		enqueue(t, s, t0, simple(1))
		nasty := "451 \xff\x00" + strings.Repeat("ü", 1000)
		fail := senderFunc(func(context.Context, string, mail.Message) error { return errors.New(nasty) })
		w := mail.NewWorker(s, fail, from, clk.Now, nil, mail.WorkerOptions{})
		runOnce(t, w, 0, 1)
		r := outbox(t, s)[0]
		if !strings.HasPrefix(r.LastError, "451 \uFFFDüü") || len(r.LastError) > 500 || !utf8.ValidString(r.LastError) {
			t.Fatalf("last_error %q (%d bytes)", r.LastError, len(r.LastError))
		}
	})
}

// A worker stopped in the middle of a batch hands the unsent rest back,
// due at once, instead of leaving it leased for the full lease time.
func TestWorkerReleasesBatchWhenStopped(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		clk := newClock()
		s := modelstest.Open(t, d, clk.Now)
		enqueue(t, s, t0, simple(1), simple(2), simple(3))
		ctx, cancel := context.WithCancel(context.Background())
		var sent []string
		stopAfterFirst := senderFunc(func(_ context.Context, _ string, m mail.Message) error {
			sent = append(sent, m.Subject)
			cancel()
			return nil
		})
		w := mail.NewWorker(s, stopAfterFirst, from, clk.Now, nil, mail.WorkerOptions{ID: "w1"})
		n, failed, err := w.RunOnce(ctx)
		if n != 1 || failed != 0 || err != nil || len(sent) != 1 {
			t.Fatalf("RunOnce = %d sent, %d failed, %v (sender called %d times); want 1, 0, nil, 1", n, failed, err, len(sent))
		}
		for _, r := range outbox(t, s)[1:] {
			if r.SentAt != nil || !r.NextAttemptAt.Equal(t0) || r.LastError != "" {
				t.Fatalf("unsent row after stop: %+v, want due at once without an error", r)
			}
		}
		other := mail.NewWorker(s, nil, from, clk.Now, nil, mail.WorkerOptions{ID: "w2"})
		runOnce(t, other, 2, 0)
	})
}
