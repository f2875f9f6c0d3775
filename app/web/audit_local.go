package web

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/models"
	"accountportal/views/i18n"
	"accountportal/views/viewmodel"
)

// localAuditRows are auditRows in the reader's language: each event's
// sentence, origin and details. English keeps audit.Describe's words.
func localAuditRows(c echo.Context, events []models.AuditEvent, now time.Time) []viewmodel.AuditRow {
	rows := auditRows(events, now)
	if i18n.Lang(c.Request().Context()) == i18n.Default {
		return rows
	}
	for i, e := range events {
		if s := localAuditSentence(c, e); s != "" {
			rows[i].Sentence = s
		}
		rows[i].Origin = localOrigin(c, e)
		for j, d := range rows[i].Details {
			rows[i].Details[j] = viewmodel.AuditDetail{Label: auditLabel(c, d.Label), Value: auditValue(c, d.Value),
				Before: auditValue(c, d.Before), After: auditValue(c, d.After), Change: d.Change}
		}
	}
	return rows
}

// localAuditSentence words an event as audit.Describe does, in the
// reader's language; "" for an action it does not know.
func localAuditSentence(c echo.Context, e models.AuditEvent) string {
	p := audit.PartsOf(e)
	target := p.Target
	if target == "" {
		target = tr(c, "audit.party.someone")
	}
	whom := target
	if p.Self {
		whom = tr(c, "audit.party.themselves")
	}
	name := p.Username
	if name == "" {
		name = tr(c, "audit.party.someone")
	}
	d := map[string]any{"Actor": auditActor(c, p), "Target": target, "Whom": whom, "Username": name,
		"Account": auditAccount(c, p), "Version": p.Text("version"), "Role": roleName(c, p.Text("role")), "Name": p.Text("name"),
		"Token": p.Text("token"), "Users": p.Text("users"), "Action": auditBulkName(c, p.Text("action"))}
	id, ok := auditSentenceIDs[e.Action]
	if pair, self := auditSelfIDs[e.Action]; self {
		id, ok = pair[0], true
		if p.Self {
			id = pair[1]
		}
	}
	switch e.Action {
	case audit.ActionResetRequested:
		id, ok = "reset_sent", true
		if p.Self {
			id = "reset_asked"
		}
	case "session.signed_out_by_admin":
		id, ok = "session_ended", true
		switch {
		case p.Text("all") == "Yes":
			id = "signed_out_everywhere"
		case p.Self:
			id = "session_ended_self"
		}
	case "role.updated":
		id, ok = "role_updated", true
		if p.Target != "" {
			id = "role_updated_member"
			if p.Self {
				id = "role_updated_member_self"
			}
		}
	case "primary_admin.transfer_cancelled":
		id, ok = "transfer_cancelled", true
		if p.Target != "" {
			id = "transfer_cancelled_to"
		}
	}
	if !ok {
		return ""
	}
	s := auditSentence(c, id, d)
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// auditActor names who did an event.
func auditActor(c echo.Context, p audit.Parts) string {
	switch p.ActorKind {
	case audit.ByOperator:
		return tr(c, "audit.party.operator", map[string]any{"Name": p.Actor})
	case audit.ByCommandLine:
		return tr(c, "audit.party.command_line")
	case audit.ByPortal:
		return tr(c, "audit.party.portal")
	}
	return p.Actor
}

// auditAccount names the account a provider's entry is about.
func auditAccount(c echo.Context, p audit.Parts) string {
	if p.Account != "" {
		return tr(c, "audit.party.account_named", map[string]any{"Name": p.Account})
	}
	return tr(c, "audit.party.account")
}

// auditBulkName names a bulk action in a sentence, as its button does.
func auditBulkName(c echo.Context, action string) string {
	switch action {
	case "deactivate":
		return tr(c, "audit.bulk.deactivate")
	case "reactivate":
		return tr(c, "audit.bulk.reactivate")
	case "signout":
		return tr(c, "audit.bulk.signout")
	case "reset":
		return tr(c, "audit.bulk.reset")
	case "mfa":
		return tr(c, "audit.bulk.mfa")
	}
	return action
}

// localOrigin is eventOrigin in the reader's language.
func localOrigin(c echo.Context, e models.AuditEvent) string {
	var device string
	if e.UserAgent != "" {
		device = localDevice(c, e.UserAgent)
	}
	switch {
	case e.IP != "" && device != "":
		return tr(c, "audit.origin.ip_device", map[string]any{"IP": e.IP, "Device": device})
	case e.IP != "":
		return tr(c, "audit.origin.ip", map[string]any{"IP": e.IP})
	}
	return device
}

// auditValue is one of an event's detail values (audit's value) in the
// reader's language: yes and no, none, a time, a privilege's label, a list
// of them; names and numbers as they are.
func auditValue(c echo.Context, v string) string {
	switch v {
	case "":
		return ""
	case "Yes":
		return tr(c, "audit.value.yes")
	case "No":
		return tr(c, "audit.value.no")
	case "none":
		return tr(c, "audit.value.none")
	case "Portal default":
		return tr(c, "audit.value.portal_default")
	case "The account's default":
		return tr(c, "audit.value.account_default")
	case "Each user's browser language":
		return tr(c, "admin.security.browser_language")
	}
	if t, err := time.Parse("2 Jan 2006 at 15:04 UTC", v); err == nil {
		ctx := c.Request().Context()
		return i18n.FullDate(ctx, t.In(i18n.Zone(ctx)))
	}
	if strings.Contains(v, ", ") {
		parts := strings.Split(v, ", ")
		for i, s := range parts {
			parts[i] = auditValue(c, s)
		}
		return strings.Join(parts, ", ")
	}
	for _, perm := range identity.Permissions() {
		if perm.Label == v {
			return permissionLabel(c, perm.Key)
		}
	}
	if id := settingValueID(v); id != "" {
		return tr(c, id)
	}
	if r := roleName(c, v); r != v {
		return r
	}
	return localProblem(c, v)
}

// settingValueID is the catalog id of a security setting's value as the
// audit log records it in English ("Required for admins"), or "".
func settingValueID(v string) string {
	for key, id := range mfaPolicyIDs {
		if models.MFAPolicyLabel(key) == v {
			return id
		}
	}
	for key, id := range passwordPresetIDs {
		if models.PasswordPresetLabel(key) == v {
			return id
		}
	}
	return ""
}
