package web

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"accountportal/app/admin"
	apages "accountportal/views/pages/admin"
)

// auditViewSupport is the view parameter of the support desk's
// verifications.
const auditViewSupport = "support"

// auditDateLayout is how the filter's dates are written: the value format
// of an HTML date input. Dates are days in UTC.
const auditDateLayout = "2006-01-02"

// auditForm is the audit log's filter and position exactly as they came in
// the query string; the form and the links show the filter as typed.
type auditForm struct {
	Actor, Target, Action string
	From, To              string
	Before, After         string
	Size                  string
	View                  string
}

// readAuditForm reads the filter and position with get (a query string's).
func readAuditForm(get func(string) string) auditForm {
	return auditForm{Actor: get(apages.AuditActor), Target: get(apages.AuditTarget), Action: get(apages.AuditAction),
		From: get(apages.AuditFrom), To: get(apages.AuditTo), Before: get(apages.AuditBefore), After: get(apages.AuditAfter),
		Size: get(apages.AuditSize), View: get(apages.AuditView)}
}

// support reports whether the form asks for the support desk's view.
func (q auditForm) support() bool { return q.View == auditViewSupport }

// filter reads the typed filter, with the messages of the fields it cannot
// read (dates that are not dates). An unreadable date is left open, so the
// service still checks the rest of the filter and lists the choices for
// the form shown again.
func (q auditForm) filter() (admin.AuditFilter, map[string]string) {
	f := admin.AuditFilter{Actor: strings.TrimSpace(q.Actor), Target: strings.TrimSpace(q.Target),
		Action: strings.TrimSpace(q.Action), Cursor: parseAuditCursor(q.Before, q.After), Size: parseAuditSize(q.Size)}
	if q.support() {
		f.View = admin.AuditViewSupport
	}
	fields := map[string]string{}
	var ok bool
	if f.From, ok = parseAuditDay(q.From); !ok {
		fields[apages.AuditFrom] = auditFromMessage
	}
	if f.To, ok = parseAuditDay(q.To); !ok {
		fields[apages.AuditTo] = auditToMessage
	}
	return f, fields
}

// Messages of the filter's fields.
const (
	auditFromMessage = "Enter the start date as a real date, like 2026-11-23."
	auditToMessage   = "Enter the end date as a real date, like 2026-11-23."
)

// auditProblems says where and how the form shows each problem the admin
// service finds in a filter.
var auditProblems = map[admin.AuditProblem]struct{ field, message string }{
	admin.AuditActorTooLong:    {apages.AuditActor, "Enter at most " + strconv.Itoa(admin.MaxAuditText) + " characters."},
	admin.AuditTargetTooLong:   {apages.AuditTarget, "Enter at most " + strconv.Itoa(admin.MaxAuditText) + " characters."},
	admin.AuditFromOutOfRange:  {apages.AuditFrom, auditFromMessage},
	admin.AuditToOutOfRange:    {apages.AuditTo, auditToMessage},
	admin.AuditEndsBeforeStart: {apages.AuditTo, "The end date must be the same as or after the start date."},
}

// addAuditProblems adds the messages of an *admin.AuditFilterError in err
// to fields, and reports whether err was one.
func addAuditProblems(err error, fields map[string]string) bool {
	var bad *admin.AuditFilterError
	if !errors.As(err, &bad) {
		return false
	}
	for _, p := range bad.Problems {
		if where, ok := auditProblems[p]; ok {
			fields[where.field] = where.message
		}
	}
	return true
}

// parseAuditDay reads a day in UTC; "" is the zero time. 0001-01-01 is
// refused: it is the zero time, which the filter reads as no date, and no
// audit event is that old.
func parseAuditDay(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, true
	}
	d, err := time.Parse(auditDateLayout, s)
	if err != nil || d.IsZero() {
		return time.Time{}, false
	}
	return d, true
}

// parseAuditCursor reads the position: before an event, else after one. A
// malformed one is ignored: it can only come from an edited address, and
// the first page is the useful answer to it.
func parseAuditCursor(before, after string) admin.AuditCursor {
	if id := parseEventID(before); id > 0 {
		return admin.AuditCursor{Direction: admin.AuditOlder, ID: id}
	}
	if id := parseEventID(after); id > 0 {
		return admin.AuditCursor{Direction: admin.AuditNewer, ID: id}
	}
	return admin.AuditCursor{}
}

// parseEventID reads an event id, or 0.
func parseEventID(s string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

// parseAuditSize reads the page size, or 0 (the service's default).
func parseAuditSize(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0
	}
	return n
}

// auditCursorParam is the query-string name and value of a cursor from an
// admin.AuditPage.
func auditCursorParam(c admin.AuditCursor) (key, value string) {
	key = apages.AuditAfter
	if c.Direction == admin.AuditOlder {
		key = apages.AuditBefore
	}
	return key, strconv.FormatInt(c.ID, 10)
}
