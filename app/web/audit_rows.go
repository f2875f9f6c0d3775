package web

import (
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/app/profile"
	"accountportal/models"
	"accountportal/views/viewmodel"
)

// userAgentShown is how much of a user agent a raw entry shows: enough to
// tell browsers apart, never the whole fingerprint (the CSV has it).
const userAgentShown = 60

// auditRows words events for the audit log, a user's recent activity and
// the provider's log, with dates as seen at now.
func auditRows(events []models.AuditEvent, now time.Time) []viewmodel.AuditRow {
	rows := make([]viewmodel.AuditRow, 0, len(events))
	for _, e := range events {
		rows = append(rows, auditRow(e, now))
	}
	return rows
}

// auditRow is one event as a sentence, when and from where, its details
// and the raw entry, whose user agent is shortened: the page never shows
// the whole fingerprint (the CSV has it).
func auditRow(e models.AuditEvent, now time.Time) viewmodel.AuditRow {
	d := audit.Describe(e, identity.PermissionLabel)
	r := viewmodel.AuditRow{Sentence: d.Sentence, At: viewmodel.At(e.At, now), Origin: eventOrigin(e)}
	e.UserAgent = shortUserAgent(e.UserAgent)
	r.Raw, r.JobURL = audit.RawEntry(e), jobURL(e)
	for _, x := range d.Details {
		r.Details = append(r.Details, viewmodel.AuditDetail{Label: x.Label, Value: x.Value, Before: x.Before,
			After: x.After, Change: x.Change})
	}
	return r
}

// eventOrigin says where an event came from: its IP address and the browser
// its user agent names, in a few words.
func eventOrigin(e models.AuditEvent) string {
	var device string
	if e.UserAgent != "" {
		device = profile.Device(e.UserAgent)
	}
	switch {
	case e.IP != "" && device != "":
		return "from " + e.IP + " (" + device + ")"
	case e.IP != "":
		return "from " + e.IP
	}
	return device
}

// jobURL opens the bulk action a bulk.* event belongs to, or is "".
func jobURL(e models.AuditEvent) string {
	if !strings.HasPrefix(e.Action, "bulk.") {
		return ""
	}
	var d struct {
		JobID int64 `json:"job_id"`
	}
	if json.Unmarshal([]byte(e.Details), &d) != nil || d.JobID <= 0 {
		return ""
	}
	return "/admin/users/jobs/" + itoa(d.JobID)
}

// shortUserAgent cuts a user agent to userAgentShown characters, the last
// an ellipsis when it cut anything.
func shortUserAgent(s string) string {
	if utf8.RuneCountInString(s) <= userAgentShown {
		return s
	}
	return string([]rune(s)[:userAgentShown-1]) + "…"
}
