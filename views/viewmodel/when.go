package viewmodel

import "time"

// When is a moment as tables show it: short in the cell, in full as the
// title a pointer or screen reader can reach, and machine-readable.
type When struct {
	Short string
	Full  string
	ISO   string
	// at and now are kept for the view, which writes the moment in the
	// reader's time zone and language.
	at, now time.Time
}

// At describes t for a page rendered at now: "3 Dec, 07:51" within now's
// year, "3 Dec 2025, 07:51" before it, in UTC; the full form names the
// zone. The zero time is empty.
func At(t, now time.Time) When {
	if t.IsZero() {
		return When{}
	}
	return describe(t.UTC(), now.UTC())
}

func describe(t, now time.Time) When {
	short := "2 Jan, 15:04"
	if t.Year() != now.Year() {
		short = "2 Jan 2006, 15:04"
	}
	return When{Short: t.Format(short), Full: t.Format("Monday 2 January 2006 at 15:04:05 MST"),
		ISO: t.Format(time.RFC3339), at: t, now: now}
}

// Moment is the moment w shows and the time its page was rendered, for a
// view that writes it in the reader's language.
func (w When) Moment() (at, now time.Time) { return w.at, w.now }

// AtPtr is At for a time that may be missing.
func AtPtr(t *time.Time, now time.Time) When {
	if t == nil {
		return When{}
	}
	return At(*t, now)
}
