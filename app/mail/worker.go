package mail

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"accountportal/models"
)

// Worker defaults, used for zero WorkerOptions fields.
const (
	DefaultBatch = 20
	DefaultLease = 10 * time.Minute
	DefaultPoll  = 2 * time.Second
)

// bookkeepingTimeout bounds the database writes after a send. They run
// even when the worker is stopping, so that a message that went out is
// recorded as sent rather than sent again after its lease.
const bookkeepingTimeout = 10 * time.Second

// WorkerOptions tune a Worker; zero fields take the defaults.
type WorkerOptions struct {
	// Batch is how many messages one RunOnce leases (default 20).
	Batch int
	// Lease is how long leased messages stay invisible to other workers
	// (default 10 minutes). It must exceed the time a batch takes to send.
	Lease time.Duration
	// Poll is how long Run waits when the outbox has nothing due
	// (default 2 seconds).
	Poll time.Duration
	// ID names this worker as the lease owner; it must differ between
	// workers (default: random hex).
	ID string
}

// Worker delivers the outbox. Any number of workers, in one process or in
// many replicas, may run over one database: leases keep them from sending
// a message twice.
type Worker struct {
	store  *models.Store
	sender Sender
	from   string
	now    func() time.Time
	log    *slog.Logger
	batch  int
	lease  time.Duration
	poll   time.Duration
	id     string
	wake   chan struct{}
	sent   atomic.Uint64
	failed atomic.Uint64
}

// Counts returns how many sends this worker made and how many failed.
func (w *Worker) Counts() (sent, failed uint64) { return w.sent.Load(), w.failed.Load() }

// NewWorker returns a worker that sends the outbox of store through sender
// from the address from. A nil sender puts the worker in mailbox mode (for
// development without SMTP): it marks messages sent without sending them,
// and they stay in the outbox for the dev mailbox page. now is the clock
// (nil means time.Now); log receives failed sends (nil discards).
func NewWorker(store *models.Store, sender Sender, from string, now func() time.Time, log *slog.Logger, opts WorkerOptions) *Worker {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	w := &Worker{
		store: store, sender: sender, from: from, now: now, log: log,
		batch: opts.Batch, lease: opts.Lease, poll: opts.Poll, id: opts.ID,
		wake: make(chan struct{}, 1),
	}
	w.applyDefaults()
	return w
}

func (w *Worker) applyDefaults() {
	if w.batch <= 0 {
		w.batch = DefaultBatch
	}
	if w.lease <= 0 {
		w.lease = DefaultLease
	}
	if w.poll <= 0 {
		w.poll = DefaultPoll
	}
	if w.id == "" {
		b := make([]byte, 8)
		_, _ = rand.Read(b) // crypto/rand.Read never fails since Go 1.24
		w.id = hex.EncodeToString(b)
	}
}

// ID returns the name the worker leases messages under.
func (w *Worker) ID() string { return w.id }

// Wake asks a running worker to look at the outbox now rather than at its
// next poll. It never blocks; wakes while one is pending merge into it.
func (w *Worker) Wake() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run delivers the outbox until ctx is done. After a full batch it goes
// straight on to the next; otherwise it waits for Poll or a Wake. Database
// errors are logged and retried at the next poll.
func (w *Worker) Run(ctx context.Context) {
	w.log.Info("mail worker started", "worker", w.id, "mailbox_mode", w.sender == nil)
	for {
		sent, failed, err := w.RunOnce(ctx)
		if ctx.Err() != nil {
			return
		}
		// An unreachable database is logged once by the Store, not per poll.
		if err != nil && !models.Unreachable(err) {
			w.log.Error("mail worker", "worker", w.id, "error", err)
		}
		if err == nil && sent+failed >= w.batch {
			continue
		}
		if !w.wait(ctx) {
			return
		}
	}
}

// wait returns after Poll or a Wake, or false when ctx is done.
func (w *Worker) wait(ctx context.Context) bool {
	t := time.NewTimer(w.poll)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-w.wake:
	case <-t.C:
	}
	return true
}

// RunOnce leases one batch of due messages and delivers each, outside any
// transaction. It returns how many were sent and how many failed (those are
// rescheduled with RetryDelay; the worker never gives up on a message). It
// returns an error when leasing or recording an outcome fails in the
// database. When ctx ends mid-batch, the unsent rest is handed back to the
// outbox, due at once, for another worker.
func (w *Worker) RunOnce(ctx context.Context) (sent, failed int, err error) {
	now := w.now()
	batch, err := w.store.Outbox.Lease(ctx, w.id, now, now.Add(w.lease), w.batch)
	if err != nil {
		return 0, 0, fmt.Errorf("lease mail: %w", err)
	}
	var errs []error
	for i, m := range batch {
		if ctx.Err() != nil {
			errs = append(errs, w.release(ctx, batch[i:]))
			break
		}
		ok, err := w.deliver(ctx, m)
		switch {
		case err != nil:
			errs = append(errs, err)
		case ok:
			sent++
		default:
			failed++
		}
	}
	return sent, failed, errors.Join(errs...)
}

// deliver sends one leased message and records the outcome. It reports
// whether the message went out (failed sends are not errors), or an error
// when the database refused the record.
func (w *Worker) deliver(ctx context.Context, m models.OutboxMessage) (bool, error) {
	var sendErr error
	if w.sender != nil {
		sendErr = w.sender.Send(ctx, w.from, Message{To: m.ToAddr, Subject: m.Subject, Text: m.TextBody, HTML: m.HTMLBody})
	}
	bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), bookkeepingTimeout)
	defer cancel()
	if sendErr == nil {
		w.sent.Add(1)
		return true, w.leaseLostOK(m.ID, w.store.Outbox.MarkSent(bctx, m.ID, w.id, w.now()))
	}
	if ctx.Err() != nil {
		// Stopping cut the send short: not the server's fault, so no backoff.
		return false, w.release(ctx, []models.OutboxMessage{m})
	}
	w.failed.Add(1)
	retryAt := w.now().Add(RetryDelay(m.Attempts))
	reason := errorText(sendErr)
	w.log.Warn("mail send failed", "worker", w.id, "message_id", m.ID, "attempts", m.Attempts,
		"retry_at", retryAt, "error", reason)
	return false, w.leaseLostOK(m.ID, w.store.Outbox.MarkFailed(bctx, m.ID, w.id, reason, retryAt))
}

// release makes leased messages due now again, keeping their last error.
func (w *Worker) release(ctx context.Context, ms []models.OutboxMessage) error {
	bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), bookkeepingTimeout)
	defer cancel()
	var errs []error
	now := w.now()
	for _, m := range ms {
		errs = append(errs, w.leaseLostOK(m.ID, w.store.Outbox.MarkFailed(bctx, m.ID, w.id, m.LastError, now)))
	}
	return errors.Join(errs...)
}

// leaseLostOK turns ErrNotFound from a Mark call into a warning: the lease
// ran out and another worker took the message, which is that worker's to
// record now. Sending outlasting the lease can duplicate a message, so it
// is worth a log line.
func (w *Worker) leaseLostOK(id int64, err error) error {
	if errors.Is(err, models.ErrNotFound) {
		w.log.Warn("mail lease lost before the outcome was recorded; raise the lease",
			"worker", w.id, "message_id", id)
		return nil
	}
	if err != nil {
		return fmt.Errorf("record mail %d: %w", id, err)
	}
	return nil
}
