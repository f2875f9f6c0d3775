package admin

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"accountportal/app/apperr"
	"accountportal/app/identity"
	"accountportal/app/support"
	"accountportal/models"
)

// ErrNoAuditView refuses the audit log to those without its privilege.
var ErrNoAuditView = apperr.New(apperr.Forbidden, "You need the “View the audit log” privilege.")

// Fields of the audit log's filter, as named in the query string; field
// messages are keyed by them.
const (
	FieldAuditActor  = "actor"
	FieldAuditTarget = "target"
	FieldAuditAction = "action"
	FieldAuditFrom   = "from"
	FieldAuditTo     = "to"
	FieldAuditSize   = "size"
	FieldAuditView   = "view"
)

// AuditViewSupport narrows the audit log to the support desk's
// verifications of the account's people.
const AuditViewSupport = "support"

// AuditDateLayout is how the filter's dates are written: the value format
// of an HTML date input. Dates are days in UTC.
const AuditDateLayout = "2006-01-02"

// DefaultAuditPageSize is the page size when none (or an unknown one) is asked for.
const DefaultAuditPageSize = 50

// maxAuditText bounds the name filters: longer text matches nothing
// useful and only costs the database work.
const maxAuditText = 100

// AuditPageSizes returns the page sizes the audit log offers.
func AuditPageSizes() []int { return []int{25, 50, 100} }

// AuditQuery is the audit log's filter and position exactly as they came
// in the query string, not yet checked.
type AuditQuery struct {
	Actor, Target, Action string
	// From and To are days (AuditDateLayout); To includes its whole day.
	From, To string
	// Before and After are cursors from AuditPage.Next and AuditPage.Prev.
	Before, After string
	Size          string
	// View is AuditViewSupport for the support desk's verifications only.
	View string
}

// AuditPage is one page of the audit log, newest first.
type AuditPage struct {
	Events []models.AuditEvent
	// Next is the cursor (AuditQuery.Before) of the page of older events,
	// Prev (AuditQuery.After) of the page of newer ones; "" when there is
	// no such page.
	Next, Prev string
	// Actions are the account's distinct actions, for the filter.
	Actions []string
	Size    int
}

// AuditLog returns one page of the actor's account's audit log. It returns
// ErrNoAuditView unless the actor holds "View the audit log". When the
// filter is invalid it returns an apperr.Invalid error with messages keyed
// by the Field constants together with a page that has the actions and the
// size but no events, so the form can be shown again.
func (s *Audit) AuditLog(ctx context.Context, actor *identity.Principal, q AuditQuery) (*AuditPage, error) {
	if !actor.Can(identity.PermAuditView) {
		return nil, ErrNoAuditView
	}
	actions, err := s.auditActions(ctx, actor.Account.ID, q.View)
	if err != nil {
		return nil, err
	}
	page := &AuditPage{Actions: actions, Size: auditPageSize(q.Size)}
	f, err := auditFilter(actor.Account.ID, q)
	if err != nil {
		return page, err
	}
	before, after := parseCursor(q.Before), parseCursor(q.After)
	if before > 0 {
		after = 0
	}
	// One event more than the page shows tells whether another page
	// follows, without counting.
	events, err := s.store.AuditPage(ctx, f, before, after, page.Size+1)
	if err != nil {
		return nil, err
	}
	more := len(events) > page.Size
	switch {
	case more && after > 0:
		events = events[1:]
	case more:
		events = events[:page.Size]
	}
	page.Events = events
	page.Prev, page.Next = auditCursors(events, before, after, more)
	return page, nil
}

// auditActions are the choices of the action filter: the support desk's
// outcomes in its view, else the actions the account's log holds.
func (s *Audit) auditActions(ctx context.Context, accountID int64, view string) ([]string, error) {
	if view != AuditViewSupport {
		return s.store.AuditActions(ctx, accountID)
	}
	var out []string
	for _, o := range support.Outcomes() {
		out = append(out, o.Action())
	}
	return out, nil
}

// auditCursors returns the cursors of the newer and older pages around events,
// which were found before or after a cursor (or from the newest when both
// are 0); more says the query found events beyond them. A cursor from a
// page means events exist on the side the page was left from.
func auditCursors(events []models.AuditEvent, before, after int64, more bool) (prev, next string) {
	if len(events) == 0 {
		// Past either end (or a cursor typed by hand): offer the way back.
		switch {
		case before > 0:
			return cursorOf(before - 1), ""
		case after > 0:
			return "", cursorOf(after + 1)
		}
		return "", ""
	}
	newest, oldest := cursorOf(events[0].ID), cursorOf(events[len(events)-1].ID)
	if after > 0 {
		next = oldest
		if more {
			prev = newest
		}
		return prev, next
	}
	if more {
		next = oldest
	}
	if before > 0 {
		prev = newest
	}
	return prev, next
}

// auditFilter checks q and turns it into the Store's filter for account.
// It returns an apperr.Invalid error with messages keyed by field.
func auditFilter(accountID int64, q AuditQuery) (models.AuditFilter, error) {
	f := models.AuditFilter{AccountID: accountID, Actor: strings.TrimSpace(q.Actor),
		Target: strings.TrimSpace(q.Target), Action: strings.TrimSpace(q.Action)}
	if q.View == AuditViewSupport {
		f.ActionPrefix = models.SupportEventPrefix
	}
	errs := map[string]string{}
	if utf8.RuneCountInString(f.Actor) > maxAuditText {
		errs[FieldAuditActor] = "Enter at most " + strconv.Itoa(maxAuditText) + " characters."
	}
	if utf8.RuneCountInString(f.Target) > maxAuditText {
		errs[FieldAuditTarget] = "Enter at most " + strconv.Itoa(maxAuditText) + " characters."
	}
	from, okFrom := parseAuditDay(q.From)
	if !okFrom {
		errs[FieldAuditFrom] = "Enter the start date as a real date, like 2026-11-23."
	}
	to, okTo := parseAuditDay(q.To)
	if !okTo {
		errs[FieldAuditTo] = "Enter the end date as a real date, like 2026-11-23."
	}
	if okFrom && okTo && !from.IsZero() && !to.IsZero() && to.Before(from) {
		errs[FieldAuditTo] = "The end date must be the same as or after the start date."
	}
	f.From = from
	if !to.IsZero() {
		// The end date includes its whole day.
		f.To = to.AddDate(0, 0, 1)
	}
	return f, apperr.Fields(errs)
}

// parseAuditDay reads a day in UTC; "" is the zero time. Years outside
// 1970-9998 are refused: they are typing mistakes, and the day after
// 9999-12-31 would not compare as a date in SQLite's text form.
func parseAuditDay(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, true
	}
	d, err := time.Parse(AuditDateLayout, s)
	if err != nil || d.Year() < 1970 || d.Year() > 9998 {
		return time.Time{}, false
	}
	return d, true
}

// parseCursor reads an event id from the query string. A malformed one is
// ignored: it can only come from an edited address, and the first page is
// the useful answer to it.
func parseCursor(s string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

// auditPageSize reads the page size, falling back to the default for anything
// not offered, so a query cannot ask for a huge page.
func auditPageSize(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	for _, size := range AuditPageSizes() {
		if err == nil && n == size {
			return n
		}
	}
	return DefaultAuditPageSize
}

// cursorOf writes an event id as a cursor.
func cursorOf(id int64) string { return strconv.FormatInt(id, 10) }
