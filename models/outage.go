package models

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
)

// Unreachable reports whether err says the database could not be reached
// at all (refused, reset or closed connections, a failed or timed-out
// connect, a server shutting down or starting up, no connection slot left)
// rather than that it refused a statement. It is the one place that knows
// how the drivers say so; callers answer 503 and leave the logging to the
// Store, which logs an outage once.
func Unreachable(err error) bool {
	if err == nil {
		return false
	}
	var connect *pgconn.ConnectError
	var pgErr *pgconn.PgError
	var netErr *net.OpError
	switch {
	case errors.As(err, &connect), errors.As(err, &netErr),
		errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone), errors.Is(err, pgconn.ErrConnClosed),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return true
	case errors.As(err, &pgErr):
		return unavailableState(pgErr.Code)
	}
	// pgx returns a socket that closed mid-reply as a bare io.EOF or
	// io.ErrUnexpectedEOF (or wrapped by pgconn, which keeps it).
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// unavailableState reports whether a PostgreSQL error code says the
// server cannot serve this connection: class 08 (connection exception),
// shutting down or starting up (57P01-57P03), or too many connections.
func unavailableState(code string) bool {
	return strings.HasPrefix(code, "08") || code == "57P01" || code == "57P02" || code == "57P03" || code == "53300"
}

// outageSummaryEvery is how often a continuing outage is logged again.
const outageSummaryEvery = 30 * time.Second

// outage turns a database outage into a few log lines instead of one per
// failed call: an error at the first failure, a summary every
// outageSummaryEvery while it lasts, and a warning when the database
// answers again, each with how many calls failed. It reads the wall clock:
// tests move the portal's clock, not the outage's.
type outage struct {
	log   *slog.Logger
	every time.Duration
	down  atomic.Bool

	mu       sync.Mutex
	since    time.Time
	reported time.Time
	failures int64
}

func newOutage(log *slog.Logger) *outage {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &outage{log: log, every: outageSummaryEvery}
}

// note tells the outage the result of one call to the database. Only a
// success (or "no such row") proves the database answers again: other
// errors, such as a cancelled request, say nothing either way.
func (o *outage) note(ctx context.Context, err error) {
	switch {
	case Unreachable(err):
		o.failed(ctx, err)
	case (err == nil || errors.Is(err, gorm.ErrRecordNotFound)) && o.down.Load():
		o.answered(ctx)
	}
}

func (o *outage) failed(ctx context.Context, err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	now := time.Now()
	o.failures++
	if !o.down.Load() {
		o.down.Store(true)
		o.since, o.reported, o.failures = now, now, 1
		o.log.ErrorContext(ctx, "database unreachable; answering 503 until it answers again", "err", err)
		return
	}
	if now.Sub(o.reported) >= o.every {
		o.reported = now
		o.log.ErrorContext(ctx, "database still unreachable", "for", now.Sub(o.since).Round(time.Second),
			"failed_calls", o.failures, "err", err)
	}
}

func (o *outage) answered(ctx context.Context) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if !o.down.Load() {
		return
	}
	o.down.Store(false)
	o.log.WarnContext(ctx, "database answers again", "after", time.Since(o.since).Round(time.Millisecond),
		"failed_calls", o.failures)
}
