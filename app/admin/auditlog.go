package admin

import (
	"context"

	"accountportal/app/apperr"
	"accountportal/app/identity"
	"accountportal/app/support"
	"accountportal/models"
)

// ErrNoAuditView refuses the audit log to those without its privilege.
var ErrNoAuditView = apperr.New(apperr.Forbidden, "You need the “View the audit log” privilege.")

// DefaultAuditPageSize is the page size when none (or an unknown one) is asked for.
const DefaultAuditPageSize = 50

// AuditPageSizes returns the page sizes the audit log offers.
func AuditPageSizes() []int { return []int{25, 50, 100} }

// AuditPage is one page of the audit log, newest first.
type AuditPage struct {
	Events []models.AuditEvent
	// Next is where the page of older events starts, Prev the page of
	// newer ones; zero when there is no such page.
	Next, Prev AuditCursor
	// Actions are the account's distinct actions, for the filter.
	Actions []string
	Size    int
}

// AuditLog returns one page of the actor's account's audit log. It returns
// ErrNoAuditView unless the actor holds "View the audit log". When the
// filter is not valid (AuditFilter.Check) it returns an *AuditFilterError
// together with a page that has the actions and the size but no events,
// so the form can be shown again.
func (s *Audit) AuditLog(ctx context.Context, actor *identity.Principal, f AuditFilter) (*AuditPage, error) {
	if !actor.Can(identity.PermAuditView) {
		return nil, ErrNoAuditView
	}
	actions, err := s.auditActions(ctx, actor.Account.ID, f.View)
	if err != nil {
		return nil, err
	}
	page := &AuditPage{Actions: actions, Size: auditPageSize(f.Size)}
	if err := f.Check(); err != nil {
		return page, err
	}
	before, after := f.Cursor.bounds()
	// One event more than the page shows tells whether another page
	// follows, without counting.
	events, err := s.store.Audit.Page(ctx, storeFilter(actor.Account.ID, f), before, after, page.Size+1)
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
func (s *Audit) auditActions(ctx context.Context, accountID int64, view AuditView) ([]string, error) {
	if view != AuditViewSupport {
		return s.store.Audit.Actions(ctx, accountID)
	}
	var out []string
	for _, o := range support.Outcomes() {
		out = append(out, o.Action())
	}
	return out, nil
}

// auditCursors returns the cursors of the newer and older pages around events,
// which were found before or after an event (or from the newest when both
// are 0); more says the query found events beyond them. A cursor from a
// page means events exist on the side the page was left from.
func auditCursors(events []models.AuditEvent, before, after int64, more bool) (prev, next AuditCursor) {
	if len(events) == 0 {
		// Past either end (or a cursor typed by hand): offer the way back.
		switch {
		case before > 0:
			return AuditCursor{AuditNewer, before - 1}, AuditCursor{}
		case after > 0:
			return AuditCursor{}, AuditCursor{AuditOlder, after + 1}
		}
		return AuditCursor{}, AuditCursor{}
	}
	newest := AuditCursor{AuditNewer, events[0].ID}
	oldest := AuditCursor{AuditOlder, events[len(events)-1].ID}
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

// auditPageSize is n when the audit log offers it, else the default, so a
// query cannot ask for a huge page.
func auditPageSize(n int) int {
	for _, size := range AuditPageSizes() {
		if n == size {
			return n
		}
	}
	return DefaultAuditPageSize
}
