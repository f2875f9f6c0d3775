package models

import (
	"bytes"
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
)

func TestUnreachable(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	cases := []struct {
		err  error
		want bool
	}{
		{nil, false},
		{refused, true},
		{fmt.Errorf("load session: %w", refused), true},
		{&pgconn.ConnectError{}, true},
		{driver.ErrBadConn, true},
		{io.ErrUnexpectedEOF, true},
		{fmt.Errorf("read: %w", syscall.ECONNRESET), true},
		{&pgconn.PgError{Code: "57P01"}, true}, // terminating connection: administrator command
		{&pgconn.PgError{Code: "08006"}, true}, // connection failure
		{&pgconn.PgError{Code: "53300"}, true}, // too many connections
		{&pgconn.PgError{Code: "23505"}, false},
		{fmt.Errorf("%w: %w", ErrConflict, &pgconn.PgError{Code: "23505"}), false},
		{ErrNotFound, false},
		{gorm.ErrRecordNotFound, false},
		{context.Canceled, false},
		{context.DeadlineExceeded, false},
		{errors.New("something else"), false},
	}
	for _, c := range cases {
		if got := Unreachable(c.err); got != c.want {
			t.Errorf("Unreachable(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}

// An outage is logged when it starts, at most every `every` while it lasts,
// and when it ends, with the number of failed calls; not once per call.
func TestOutageLogsOnce(t *testing.T) {
	var buf bytes.Buffer
	o := newOutage(slog.New(slog.NewTextHandler(&buf, nil)))
	ctx := context.Background()
	down := &pgconn.ConnectError{}
	for range 500 {
		o.note(ctx, down)
		o.note(ctx, context.Canceled) // says nothing either way
	}
	if n := strings.Count(buf.String(), "\n"); n != 1 || !strings.Contains(buf.String(), "level=ERROR") {
		t.Fatalf("500 failures logged %d lines:\n%s", n, buf.String())
	}
	o.every = time.Nanosecond
	time.Sleep(time.Millisecond)
	o.note(ctx, down)
	if !strings.Contains(buf.String(), "database still unreachable") || !strings.Contains(buf.String(), "failed_calls=501") {
		t.Fatalf("no summary:\n%s", buf.String())
	}
	o.note(ctx, nil)
	o.note(ctx, nil)
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 3 || !strings.Contains(lines[2], "database answers again") || !strings.Contains(lines[2], "failed_calls=501") {
		t.Fatalf("after the database answered:\n%s", buf.String())
	}
	// The next outage starts its own count.
	o.note(ctx, down)
	if strings.Count(buf.String(), "database unreachable") != 2 {
		t.Fatalf("second outage:\n%s", buf.String())
	}
}
