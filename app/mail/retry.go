package mail

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Retry schedule bounds: the first retry comes quickly (most failures are
// a blip), later ones back off so that a long outage costs little.
const (
	FirstRetryDelay = 30 * time.Second
	MaxRetryDelay   = time.Hour
)

// maxErrorBytes bounds the last_error kept for a message: enough for an
// SMTP reply, not enough for a server to fill the table.
const maxErrorBytes = 500

// RetryDelay returns how long to wait after a failed attempt, given the
// number of attempts made so far (1 after the first): 30 s, 1 min, 2 min,
// and so on, doubling up to one hour.
func RetryDelay(attempts int) time.Duration {
	d := FirstRetryDelay
	// The loop, not a shift, so that huge attempt counts cannot overflow.
	for i := 1; i < attempts && d < MaxRetryDelay; i++ {
		d *= 2
	}
	return min(d, MaxRetryDelay)
}

// errorText makes err storable: valid UTF-8 without NUL bytes (PostgreSQL
// text refuses both) and at most maxErrorBytes long, cut at a character
// boundary.
func errorText(err error) string {
	s := strings.ToValidUTF8(err.Error(), "\uFFFD")
	s = strings.ReplaceAll(s, "\x00", "")
	if len(s) <= maxErrorBytes {
		return s
	}
	const ellipsis = "…"
	cut := maxErrorBytes - len(ellipsis)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + ellipsis
}
