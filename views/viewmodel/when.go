package viewmodel

import "time"

// When is a moment as tables show it: short in the cell, in full as the
// title a pointer or screen reader can reach, and machine-readable.
type When struct {
	Short string
	Full  string
	ISO   string
}

// At describes t for a page rendered at now: "3 Dec, 07:51" within now's
// year, "3 Dec 2025, 07:51" before it. Times are UTC, as the portal keeps
// no time zone per user; the full form says so. The zero time is empty.
func At(t, now time.Time) When {
	if t.IsZero() {
		return When{}
	}
	t = t.UTC()
	short := "2 Jan, 15:04"
	if t.Year() != now.UTC().Year() {
		short = "2 Jan 2006, 15:04"
	}
	return When{Short: t.Format(short), Full: t.Format("Monday 2 January 2006 at 15:04:05 UTC"), ISO: t.Format(time.RFC3339)}
}

// AtPtr is At for a time that may be missing.
func AtPtr(t *time.Time, now time.Time) When {
	if t == nil {
		return When{}
	}
	return At(*t, now)
}
