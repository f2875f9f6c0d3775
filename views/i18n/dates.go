package i18n

import (
	"context"
	"strconv"
	"time"
)

// The names of months and weekdays and the order a date is written in are
// the language's, from the catalogs' [date] tables, so a translator edits
// them with the rest; the clock is written 15:04 in all four languages.

var monthIDs = [12]string{"date.month.jan", "date.month.feb", "date.month.mar", "date.month.apr",
	"date.month.may", "date.month.jun", "date.month.jul", "date.month.aug", "date.month.sep",
	"date.month.oct", "date.month.nov", "date.month.dec"}

var monIDs = [12]string{"date.mon.jan", "date.mon.feb", "date.mon.mar", "date.mon.apr",
	"date.mon.may", "date.mon.jun", "date.mon.jul", "date.mon.aug", "date.mon.sep",
	"date.mon.oct", "date.mon.nov", "date.mon.dec"}

var weekdayIDs = [7]string{"date.weekday.sun", "date.weekday.mon", "date.weekday.tue", "date.weekday.wed",
	"date.weekday.thu", "date.weekday.fri", "date.weekday.sat"}

// dateParts are the values a date's patterns may use.
func dateParts(ctx context.Context, t time.Time) map[string]any {
	zone, _ := t.Zone()
	return map[string]any{
		"Day": strconv.Itoa(t.Day()), "Mon": T(ctx, monIDs[t.Month()-1]),
		"Month": T(ctx, monthIDs[t.Month()-1]), "Year": strconv.Itoa(t.Year()),
		"Weekday": T(ctx, weekdayIDs[t.Weekday()]), "Clock": t.Format("15:04"),
		"Seconds": t.Format("15:04:05"), "Zone": zone,
	}
}

// ShortDate is t as a table cell shows it, in t's own zone: day, short
// month and clock ("3 Dec, 07:51"), with the year when it is not now's
// ("3 Dec 2025, 07:51").
func ShortDate(ctx context.Context, t, now time.Time) string {
	if t.Year() != now.Year() {
		return T(ctx, "date.short_year", dateParts(ctx, t))
	}
	return T(ctx, "date.short", dateParts(ctx, t))
}

// FullDate is t in full, weekday, seconds and zone included ("Monday 2
// January 2006 at 15:04:05 CET").
func FullDate(ctx context.Context, t time.Time) string {
	return T(ctx, "date.full", dateParts(ctx, t))
}

// Day is t's date alone ("2 January 2006").
func Day(ctx context.Context, t time.Time) string {
	return T(ctx, "date.day", dateParts(ctx, t))
}
