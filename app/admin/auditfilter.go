package admin

import (
	"time"
	"unicode/utf8"

	"accountportal/models"
)

// AuditView narrows the audit log to a kind of event.
type AuditView int

// Views of the audit log.
const (
	// AuditViewAll is every event of the account.
	AuditViewAll AuditView = iota
	// AuditViewSupport is the support desk's verifications of the
	// account's people.
	AuditViewSupport
)

// AuditDirection says on which side of its event a cursor's page lies.
type AuditDirection int

// Directions of a cursor.
const (
	// AuditNewest is no cursor: the page of the newest events.
	AuditNewest AuditDirection = iota
	// AuditOlder is the page of the events older than the cursor's event.
	AuditOlder
	// AuditNewer is the page of the events newer than the cursor's event.
	AuditNewer
)

// AuditCursor is a position in the audit log, as AuditPage.Next and Prev
// give it. The zero value is the newest page.
type AuditCursor struct {
	Direction AuditDirection
	// ID is the event the page lies beside. An ID of 0 or less is the
	// newest page, whatever the direction.
	ID int64
}

// IsZero reports whether c is no position: the newest page, or no such
// page in AuditPage.
func (c AuditCursor) IsZero() bool { return c.Direction == AuditNewest }

// bounds returns the event ids the page lies before or after, 0 for
// none; a cursor beside no real event is the newest page.
func (c AuditCursor) bounds() (before, after int64) {
	switch {
	case c.ID <= 0:
		return 0, 0
	case c.Direction == AuditOlder:
		return c.ID, 0
	case c.Direction == AuditNewer:
		return 0, c.ID
	}
	return 0, 0
}

// AuditFilter is which events of the audit log to show, and where a page
// starts. Check says what is wrong with its meaning.
type AuditFilter struct {
	// Actor and Target match part of a name, and Action one action
	// exactly; "" matches everything.
	Actor, Target, Action string
	// From and To are days in UTC (their time of day does not count); To
	// includes its whole day. The zero time leaves that end open.
	From, To time.Time
	View     AuditView
	// Cursor is where the page starts, and Size how many events it shows
	// (anything not in AuditPageSizes is DefaultAuditPageSize). The CSV
	// export ignores both.
	Cursor AuditCursor
	Size   int
}

// MaxAuditText bounds the name filters, in characters: longer text matches
// nothing useful and only costs the database work.
const MaxAuditText = 100

// Years an audit filter's days may fall in. Others are typing mistakes,
// and the day after 9999-12-31 would not compare as a date in SQLite's
// text form.
const (
	firstAuditYear = 1970
	lastAuditYear  = 9998
)

// AuditProblem is one thing wrong with an audit filter's meaning.
type AuditProblem int

// Problems of an audit filter.
const (
	// AuditActorTooLong and AuditTargetTooLong are names longer than
	// MaxAuditText.
	AuditActorTooLong AuditProblem = iota + 1
	AuditTargetTooLong
	// AuditFromOutOfRange and AuditToOutOfRange are days outside the
	// years 1970 to 9998.
	AuditFromOutOfRange
	AuditToOutOfRange
	// AuditEndsBeforeStart is a To day before the From day.
	AuditEndsBeforeStart
)

// AuditFilterError lists what is wrong with an audit filter, so a form
// can say it beside each field.
type AuditFilterError struct {
	Problems []AuditProblem
}

func (e *AuditFilterError) Error() string { return "admin: the audit filter is not valid" }

// Check returns an *AuditFilterError listing every problem of f, or nil.
func (f AuditFilter) Check() error {
	var problems []AuditProblem
	if utf8.RuneCountInString(f.Actor) > MaxAuditText {
		problems = append(problems, AuditActorTooLong)
	}
	if utf8.RuneCountInString(f.Target) > MaxAuditText {
		problems = append(problems, AuditTargetTooLong)
	}
	fromOK, toOK := auditYearOK(f.From), auditYearOK(f.To)
	if !fromOK {
		problems = append(problems, AuditFromOutOfRange)
	}
	if !toOK {
		problems = append(problems, AuditToOutOfRange)
	}
	if fromOK && toOK && !f.From.IsZero() && !f.To.IsZero() && auditDay(f.To).Before(auditDay(f.From)) {
		problems = append(problems, AuditEndsBeforeStart)
	}
	if len(problems) == 0 {
		return nil
	}
	return &AuditFilterError{Problems: problems}
}

// auditYearOK reports whether t is no day (zero) or a day in the years
// an audit filter allows.
func auditYearOK(t time.Time) bool {
	y := t.UTC().Year()
	return t.IsZero() || (y >= firstAuditYear && y <= lastAuditYear)
}

// auditDay is the start of t's day in UTC.
func auditDay(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// storeFilter turns a checked filter into the Store's filter for account.
func storeFilter(accountID int64, f AuditFilter) models.AuditFilter {
	out := models.AuditFilter{AccountID: accountID, Actor: f.Actor, Target: f.Target, Action: f.Action}
	if f.View == AuditViewSupport {
		out.ActionPrefix = models.SupportEventPrefix
	}
	if !f.From.IsZero() {
		out.From = auditDay(f.From)
	}
	if !f.To.IsZero() {
		// The end date includes its whole day.
		out.To = auditDay(f.To).AddDate(0, 0, 1)
	}
	return out
}
