package audit

import (
	"reflect"
	"testing"

	"accountportal/models"
)

const (
	pat  = "Pat Primary (pat)"
	sam  = "Sam Second (sam)"
	olga = "the provider's operator Olga Ops"
)

// describeCases has one event of every action the portal records, as it
// records it, and the sentence people read.
var describeCases = []struct {
	action, actor, target, details, want string
}{
	{"account.setup", pat, pat, `{"account_number":"AC-1","company":"Acme"}`, "Pat Primary set up the account and became its Primary Admin"},
	{"sign_in.success", sam, sam, "", "Sam Second signed in"},
	{"sign_in.failed", sam, sam, `{"reason":"wrong password"}`, "Someone tried to sign in as sam with a wrong password"},
	{"sign_in.suspended", sam, sam, "", "Someone tried to sign in as sam, who is deactivated"},
	{"sign_out", sam, sam, "", "Sam Second signed out"},
	{"license.accepted", sam, sam, `{"version":"2"}`, "Sam Second accepted version 2 of the license agreement"},
	{"session.limit_reached", sam, sam, `{"sessions_ended":1,"limit":10}`, "Sam Second signed in, which ended their oldest sessions to stay within the limit"},
	{"mfa.code_failed", sam, sam, `{"failures":2}`, "Someone signing in as sam entered a wrong multi-factor authentication code"},
	{"mfa.backup_code_used", sam, sam, `{"left":9}`, "Sam Second signed in with a backup code"},
	{"mfa.admin_code_failed", "Ivy Tech (ivy)", "Ivy Tech (ivy)", `{"failures":1}`, "Ivy Tech typed a wrong multi-factor authentication code to confirm an action"},
	{"password_reset.requested", sam, sam, `{"by_admin":false}`, "Someone asked for a password reset link for Sam Second"},
	{"password_reset.requested", pat, sam, `{"by_admin":true}`, "Pat Primary sent Sam Second a password reset link"},
	{"password_reset.refused", sam, sam, `{"reason":"suspended"}`, "A password reset link for Sam Second was refused"},
	{"password_reset.wrong_answer", sam, sam, `{"wrong_answers":1}`, "Someone resetting the password of Sam Second gave a wrong answer to the security question"},
	{"password_reset.answer_locked", sam, sam, `{"wrong_answers":5}`, "Password reset for Sam Second was blocked after wrong answers to the security question"},
	{"password_reset.question_skipped", sam, sam, "", "Sam Second reset their password without a security question"},
	{"password_reset.completed", sam, sam, "", "Sam Second chose a new password with a password reset link"},
	{"username.reminder_sent", sam, sam, `{"to":"sam@example.com"}`, "Sam Second's username was emailed to them"},
	{"welcome.completed", sam, sam, "", "Sam Second chose their password with the welcome link"},
	{"user.created", pat, sam, `{"email":"sam@example.com","roles":[]}`, "Pat Primary created user Sam Second"},
	{"user.updated", pat, sam, "", "Pat Primary changed the details of Sam Second"},
	{"user.deleted", pat, sam, "", "Pat Primary deleted user Sam Second"},
	{"security_question.cleared", pat, sam, "", "Pat Primary cleared the security question of Sam Second"},
	{"password_reset.unblocked", pat, sam, "", "Pat Primary unblocked password reset for Sam Second"},
	{"link.voided", pat, sam, `{"link_id":4}`, "Pat Primary voided a link sent to Sam Second"},
	{"welcome.sent", pat, sam, "", "Pat Primary sent Sam Second a welcome email"},
	{"session.signed_out_by_admin", pat, sam, `{"all":true}`, "Pat Primary signed Sam Second out everywhere"},
	{"session.signed_out_by_admin", pat, sam, `{"all":false}`, "Pat Primary ended a session of Sam Second"},
	{"user.suspended", pat, sam, `{"reason":"left"}`, "Pat Primary deactivated Sam Second"},
	{"user.reactivated", pat, sam, "", "Pat Primary reactivated Sam Second"},
	{"user.signed_out_everywhere", pat, sam, "", "Pat Primary signed Sam Second out everywhere"},
	{"password_reset.sent_by_admin", pat, sam, "", "Pat Primary sent Sam Second a password reset link"},
	{"mfa.reset_by_admin", pat, sam, "", "Pat Primary reset the multi-factor authentication of Sam Second"},
	{"bulk.started", pat, "", `{"action":"deactivate","users":3,"job_id":1}`, "Pat Primary started a bulk action: Deactivate for 3 users"},
	{"bulk.finished", pat, "", `{"action":"mfa","done":3}`, "The bulk action Reset multi-factor authentication started by Pat Primary finished"},
	{"bulk.failed", "Pat Primary", "", `{"action":"signout","why":"x"}`, "The bulk action Sign out everywhere started by Pat Primary stopped on an error"},
	{"api_token.created", pat, "", `{"token":"CRM sync","permissions":["users.read"]}`, "Pat Primary created the API token CRM sync"},
	{"api_token.revoked", pat, "", `{"token":"CRM sync"}`, "Pat Primary revoked the API token CRM sync"},
	{"api_token.adopted", pat, "", `{"token":"CRM sync","from":"Sam Second (sam)"}`,
		"Pat Primary adopted the API token CRM sync, which now acts within their privileges"},
	{"user.suspended", pat, sam, `{"reason":"left","api_token":"CRM sync"}`, "Pat Primary deactivated Sam Second"},
	{"privileges.areas_changed", pat, sam, `{"before":[],"after":["Users"]}`, "Pat Primary changed the admin privileges of Sam Second"},
	{"privileges.removed", pat, sam, `{"before":["Users"],"after":null}`, "Pat Primary removed every admin privilege of Sam Second"},
	{"role.assigned", pat, sam, `{"role":"Helpdesk"}`, "Pat Primary gave Sam Second the role Helpdesk"},
	{"role.unassigned", pat, sam, `{"role":"Helpdesk"}`, "Pat Primary took the role Helpdesk from Sam Second"},
	{"role.created", pat, "", `{"name":"Helpdesk"}`, "Pat Primary created the role Helpdesk"},
	{"role.updated", pat, "", `{"name":"Helpdesk"}`, "Pat Primary changed the permissions of the role Helpdesk"},
	{"role.updated", pat, sam, `{"role":"Helpdesk"}`, "Pat Primary changed the role Helpdesk, which changed the admin privileges of Sam Second"},
	{"role.deleted", pat, "", `{"name":"Helpdesk"}`, "Pat Primary deleted the role Helpdesk"},
	{"primary_admin.transfer_requested", pat, sam, "", "Pat Primary asked Sam Second to become the Primary Admin"},
	{"primary_admin.transfer_cancelled", pat, sam, "", "Pat Primary cancelled the transfer of the Primary Admin role to Sam Second"},
	{"primary_admin.transfer_cancelled", pat, "", "", "Pat Primary cancelled the transfer of the Primary Admin role"},
	{"primary_admin.transfer_accepted", sam, pat, "", "Sam Second accepted the Primary Admin role from Pat Primary"},
	{"primary_admin.transfer_declined", sam, pat, "", "Sam Second declined the Primary Admin role offered by Pat Primary"},
	{"account.security_changed", pat, "", "", "Pat Primary changed the account's security settings"},
	{"account.invitation_accepted", pat, pat, "", "Pat Primary accepted the invitation and became the Primary Admin"},
	{"profile.details_changed", sam, sam, `{"from":"Sam","to":"Sam Second"}`, "Sam Second changed their display name"},
	{"profile.language_changed", sam, sam, `{"before":{"language":"","time_zone":""},"after":{"language":"es","time_zone":"Europe/Madrid"}}`,
		"Sam Second changed their language or time zone"},
	{"passphrase.revealed", sam, sam, "", "Sam Second revealed their support passphrase"},
	{"passphrase.changed", sam, sam, "", "Sam Second changed their support passphrase"},
	{"password.changed", sam, sam, "", "Sam Second changed their password"},
	{"security_question.changed", sam, sam, "", "Sam Second changed their security question"},
	{"email_change.requested", sam, sam, "", "Sam Second asked to change their email address"},
	{"email_change.confirmed", sam, sam, "", "Sam Second confirmed their new email address"},
	{"session.signed_out", sam, sam, "", "Sam Second signed out one of their sessions"},
	{"session.signed_out_others", sam, sam, "", "Sam Second signed out their other sessions"},
	{"mfa.enrolled", sam, sam, "", "Sam Second turned on multi-factor authentication"},
	{"mfa.removed", sam, sam, "", "Sam Second removed their multi-factor authentication"},
	{"mfa.backup_codes_renewed", sam, sam, "", "Sam Second made new backup codes"},
	{"support_code.issued", sam, sam, "", "Sam Second got a support code"},
	{"app_password.created", sam, sam, `{"name":"ACT! on the laptop"}`, "Sam Second created the app password “ACT! on the laptop”"},
	{"app_password.revoked", sam, sam, `{"name":"Sugar CRM"}`, "Sam Second revoked the app password “Sugar CRM”"},
	{"support.verified", "Sue Support (sue)", sam, "", "Support agent Sue Support verified Sam Second"},
	{"support.mismatch", "Sue Support (sue)", sam, "", "Support agent Sue Support could not verify Sam Second: the passphrase or code did not match"},
	{"support.no_passphrase", "Sue Support (sue)", sam, "", "Support agent Sue Support could not verify Sam Second, who has no support passphrase"},
	{"support.no_privilege", "Sue Support (sue)", sam, "", "Support agent Sue Support could not act for Sam Second, who may not ask about that area"},
	{"support.suspended", "Sue Support (sue)", sam, "", "Support agent Sue Support could not verify Sam Second, who is deactivated"},
	{"support.locked", "Sue Support (sue)", sam, "", "Support agent Sue Support could not verify Sam Second: verification is locked"},
	{"provider.account_onboarded", olga, pat, "", "Olga Ops (the provider's operator) onboarded the account and invited Pat Primary as its Primary Admin"},
	{"provider.invitation_resent", olga, pat, "", "Olga Ops (the provider's operator) sent Pat Primary a new invitation"},
	{"provider.invitation_voided", olga, pat, "", "Olga Ops (the provider's operator) voided the invitation of Pat Primary"},
	{"provider.account_suspended", olga, "", `{"from":"active","to":"suspended"}`, "Olga Ops (the provider's operator) suspended the account"},
	{"provider.account_suspended", "Olga Ops (olga)", "", `{"account_name":"Acme"}`, "Olga Ops suspended the account Acme"},
	{"provider.account_reactivated", olga, "", "", "Olga Ops (the provider's operator) reactivated the account"},
	{"provider.account_closed", olga, "", "", "Olga Ops (the provider's operator) closed the account"},
	{"provider.account_purged", "", "", `{"account_name":"Acme","by":"accountportal accounts purge"}`, "The command line purged the account Acme"},
	{"provider.primary_mfa_reset", olga, pat, "", "Olga Ops (the provider's operator) reset the multi-factor authentication of the Primary Admin Pat Primary"},
	{"provider.primary_reset_sent", olga, pat, "", "Olga Ops (the provider's operator) sent the Primary Admin Pat Primary a password reset link"},
	{"provider.license_published", "Olga Ops (olga)", "", `{"version":"3"}`, "Olga Ops published version 3 of the license agreement"},
	{"support.agent_created", "", "Sue Support (sue)", `{"by":"command line"}`, "The command line made Sue Support a support agent"},
	{"support.agent_disabled", "", "Sue Support (sue)", `{"by":"command line"}`, "The command line disabled the support agent Sue Support"},
	{"provider.operator_created", "", "Olga Ops (olga)", `{"by":"command line"}`, "The command line made Olga Ops an operator"},
	{"provider.operator_disabled", "", "Olga Ops (olga)", `{"by":"command line"}`, "The command line disabled the operator Olga Ops"},
	{"provider.staff_mfa_reset", "", "Olga Ops (olga)", `{"by":"command line"}`, "The command line reset the multi-factor authentication of Olga Ops"},
}

func TestDescribeSaysEveryActionAsASentence(t *testing.T) {
	for _, c := range describeCases {
		t.Run(c.action, func(t *testing.T) {
			got := Describe(models.AuditEvent{Action: c.action, ActorName: c.actor, TargetName: c.target, Details: c.details}, nil)
			if got.Sentence != c.want {
				t.Errorf("sentence:\n got %q\nwant %q", got.Sentence, c.want)
			}
		})
	}
}

// The table above covers every code the portal records.
func TestDescribeCasesCoverEveryAction(t *testing.T) {
	covered := map[string]bool{}
	for _, c := range describeCases {
		covered[c.action] = true
	}
	for code, where := range recordedActions(t) {
		if !covered[code] {
			t.Errorf("%s (%s) has no case in describeCases", code, where)
		}
	}
}

// Two people of one name are told apart by their ids.
func TestDescribeTellsNamesakesApart(t *testing.T) {
	one, two := int64(1), int64(2)
	got := Describe(models.AuditEvent{Action: ActionResetRequested, ActorID: &one, ActorName: "Sam Second (sam)",
		TargetID: &two, TargetName: "Sam Second (sam2)", Details: `{"by_admin":true}`}, nil)
	if got.Sentence != "Sam Second sent Sam Second a password reset link" {
		t.Errorf("sentence: %q", got.Sentence)
	}
}

// An admin acting on their own user is "themselves" or "their own" in
// every sentence that names a target, by id even when names differ.
func TestDescribeSaysSelfEditsAsTheirOwn(t *testing.T) {
	one := int64(1)
	for _, c := range []struct{ action, details, want string }{
		{"user.updated", "", "Pat Primary changed their own details"},
		{"security_question.cleared", "", "Pat Primary cleared their own security question"},
		{"password_reset.unblocked", "", "Pat Primary unblocked password reset for themselves"},
		{"link.voided", "", "Pat Primary voided a link sent to themselves"},
		{"welcome.sent", "", "Pat Primary sent themselves a welcome email"},
		{"session.signed_out_by_admin", `{"all":true}`, "Pat Primary signed themselves out everywhere"},
		{"session.signed_out_by_admin", `{"all":false}`, "Pat Primary ended one of their own sessions"},
		{"user.suspended", "", "Pat Primary deactivated themselves"},
		{"user.reactivated", "", "Pat Primary reactivated themselves"},
		{"user.signed_out_everywhere", "", "Pat Primary signed themselves out everywhere"},
		{"password_reset.sent_by_admin", "", "Pat Primary sent themselves a password reset link"},
		{"mfa.reset_by_admin", "", "Pat Primary reset their own multi-factor authentication"},
		{"privileges.areas_changed", "", "Pat Primary changed their own admin privileges"},
		{"privileges.removed", "", "Pat Primary removed all their own admin privileges"},
		{"role.assigned", `{"role":"Helpdesk"}`, "Pat Primary gave themselves the role Helpdesk"},
		{"role.unassigned", `{"role":"Helpdesk"}`, "Pat Primary took the role Helpdesk from themselves"},
		{"role.updated", `{"role":"Helpdesk"}`, "Pat Primary changed the role Helpdesk, which changed their own admin privileges"},
	} {
		// The name changed in the edit: the ids still say it is one person.
		got := Describe(models.AuditEvent{Action: c.action, ActorID: &one, ActorName: "Pat Primary (pat)",
			TargetID: &one, TargetName: "Pat P (pat)", Details: c.details}, nil)
		if got.Sentence != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.action, got.Sentence, c.want)
		}
	}
}

func TestDescribeNamesAnUnknownActionByItsCode(t *testing.T) {
	got := Describe(models.AuditEvent{Action: "thing.done", ActorName: pat, TargetName: sam}, nil)
	if got.Sentence != "Pat Primary did thing.done to Sam Second" {
		t.Errorf("sentence: %q", got.Sentence)
	}
}

// words names the one permission key the tests use.
func words(code string) string {
	if code == "billing.changes" {
		return "Billing changes"
	}
	return code
}

func TestDescribeDetailsAreLabelledValues(t *testing.T) {
	for _, c := range []struct {
		name, action, details string
		want                  []Detail
	}{
		{"privileges before → after", "privileges.areas_changed", `{"before":["Users"],"after":["Users","Roles"]}`,
			[]Detail{{Label: "Admin privileges", Before: "Users", After: "Users, Roles", Change: true}}},
		{"none before", "privileges.areas_changed", `{"before":null,"after":["Users"]}`,
			[]Detail{{Label: "Admin privileges", Before: "none", After: "Users", Change: true}}},
		{"codes in words", "role.updated", `{"name":"Desk","before":["billing.changes"],"after":[]}`,
			[]Detail{{Label: "Permissions", Before: "Billing changes", After: "none", Change: true}}},
		{"only the changed fields of a record", "user.updated",
			`{"before":{"name":"Sam","username":"sam","email":"a@x"},"after":{"name":"Sam Second","username":"sam","email":"b@x"}}`,
			[]Detail{{Label: "Email address", Before: "a@x", After: "b@x", Change: true}, {Label: "Name", Before: "Sam", After: "Sam Second", Change: true}}},
		{"security settings", "account.security_changed",
			`{"before":{"MFAPolicy":"optional","IntegrationSafe":false},"after":{"MFAPolicy":"admins","IntegrationSafe":true}}`,
			[]Detail{{Label: "Integration-safe passwords", Before: "No", After: "Yes", Change: true},
				{Label: "Multi-factor authentication", Before: "Optional", After: "Required for admins", Change: true}}},
		{"every security setting as the Security page says it", "account.security_changed",
			`{"before":{"PasswordPreset":"classic","RequireSecurityQuestion":false,"SessionIdleMinutes":null,"SessionAbsoluteMinutes":600},` +
				`"after":{"PasswordPreset":"nist","RequireSecurityQuestion":true,"SessionIdleMinutes":15,"SessionAbsoluteMinutes":null}}`,
			[]Detail{{Label: "Idle timeout (minutes)", Before: "Portal default", After: "15", Change: true},
				{Label: "Password rules", Before: "Classic", After: "Length first (NIST)", Change: true},
				{Label: "Security question required", Before: "No", After: "Yes", Change: true},
				{Label: "Session limit (minutes)", Before: "600", After: "Portal default", Change: true}}},
		{"from → to", "provider.account_suspended", `{"from":"active","to":"suspended","reason":"unpaid"}`,
			[]Detail{{Label: "Status", Before: "active", After: "suspended", Change: true}, {Label: "Reason", Value: "unpaid"}}},
		{"facts in label order, ids and sentence words left out", "bulk.finished",
			`{"job_id":7,"action":"mfa","done":3,"skipped":1,"failed":0}`,
			[]Detail{{Label: "Done", Value: "3"}, {Label: "Failed", Value: "0"}, {Label: "Skipped", Value: "1"}}},
		{"times in UTC words", "sign_in.failed", `{"reason":"wrong password","locked_until":"2026-12-03T07:51:00Z"}`,
			[]Detail{{Label: "Locked until", Value: "3 Dec 2026 at 07:51 UTC"}, {Label: "Reason", Value: "wrong password"}}},
		{"yes and no", "security_question.cleared", `{"reset_unblocked":true}`,
			[]Detail{{Label: "Password reset unblocked", Value: "Yes"}}},
		{"app passwords turned off", "account.security_changed",
			`{"before":{"AppPasswords":true},"after":{"AppPasswords":false},"app_passwords_revoked":3}`,
			[]Detail{{Label: "App passwords for integrations", Before: "Yes", After: "No", Change: true},
				{Label: "App passwords revoked", Value: "3"}}},
		{"no details", "sign_in.success", `{}`, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := Describe(models.AuditEvent{Action: c.action, ActorName: pat, TargetName: sam, Details: c.details}, words).Details
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("details:\n got %+v\nwant %+v", got, c.want)
			}
		})
	}
}
