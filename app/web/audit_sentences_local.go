package web

// The audit sentences (app/audit/sentences.go) in the reader's language:
// each action's sentence is an id of the catalogs' [audit.s] table, whose
// English is the sentence audit.Describe writes;
// TestAuditSentencesSpeakTheReadersLanguage holds the two in step.

import "github.com/labstack/echo/v4"

// auditSentence says one action's sentence (an id of [audit.s]) with data
// in the reader's language; "" for an id it does not know.
func auditSentence(c echo.Context, id string, d map[string]any) string {
	switch id {
	case "setup":
		return tr(c, "audit.s.setup", d)
	case "sign_in":
		return tr(c, "audit.s.sign_in", d)
	case "sign_in_failed":
		return tr(c, "audit.s.sign_in_failed", d)
	case "sign_in_suspended":
		return tr(c, "audit.s.sign_in_suspended", d)
	case "sign_out":
		return tr(c, "audit.s.sign_out", d)
	case "license_accepted":
		return tr(c, "audit.s.license_accepted", d)
	case "session_limit":
		return tr(c, "audit.s.session_limit", d)
	case "mfa_code_failed":
		return tr(c, "audit.s.mfa_code_failed", d)
	case "backup_code_used":
		return tr(c, "audit.s.backup_code_used", d)
	case "admin_code_failed":
		return tr(c, "audit.s.admin_code_failed", d)
	case "reset_asked":
		return tr(c, "audit.s.reset_asked", d)
	case "reset_sent":
		return tr(c, "audit.s.reset_sent", d)
	case "reset_refused":
		return tr(c, "audit.s.reset_refused", d)
	case "reset_wrong_answer":
		return tr(c, "audit.s.reset_wrong_answer", d)
	case "reset_locked":
		return tr(c, "audit.s.reset_locked", d)
	case "reset_no_question":
		return tr(c, "audit.s.reset_no_question", d)
	case "reset_completed":
		return tr(c, "audit.s.reset_completed", d)
	case "username_reminder":
		return tr(c, "audit.s.username_reminder", d)
	case "welcome_completed":
		return tr(c, "audit.s.welcome_completed", d)
	case "user_created":
		return tr(c, "audit.s.user_created", d)
	case "user_updated":
		return tr(c, "audit.s.user_updated", d)
	case "user_updated_self":
		return tr(c, "audit.s.user_updated_self", d)
	case "user_deleted":
		return tr(c, "audit.s.user_deleted", d)
	case "question_cleared":
		return tr(c, "audit.s.question_cleared", d)
	case "question_cleared_self":
		return tr(c, "audit.s.question_cleared_self", d)
	case "reset_unblocked":
		return tr(c, "audit.s.reset_unblocked", d)
	case "link_voided":
		return tr(c, "audit.s.link_voided", d)
	case "welcome_sent":
		return tr(c, "audit.s.welcome_sent", d)
	case "signed_out_everywhere":
		return tr(c, "audit.s.signed_out_everywhere", d)
	case "session_ended_self":
		return tr(c, "audit.s.session_ended_self", d)
	case "session_ended":
		return tr(c, "audit.s.session_ended", d)
	case "suspended":
		return tr(c, "audit.s.suspended", d)
	case "reactivated":
		return tr(c, "audit.s.reactivated", d)
	case "mfa_reset":
		return tr(c, "audit.s.mfa_reset", d)
	case "mfa_reset_self":
		return tr(c, "audit.s.mfa_reset_self", d)
	case "bulk_started":
		return tr(c, "audit.s.bulk_started", d)
	case "bulk_finished":
		return tr(c, "audit.s.bulk_finished", d)
	case "bulk_failed":
		return tr(c, "audit.s.bulk_failed", d)
	case "token_created":
		return tr(c, "audit.s.token_created", d)
	case "token_revoked":
		return tr(c, "audit.s.token_revoked", d)
	case "token_adopted":
		return tr(c, "audit.s.token_adopted", d)
	case "areas_changed":
		return tr(c, "audit.s.areas_changed", d)
	case "areas_changed_self":
		return tr(c, "audit.s.areas_changed_self", d)
	case "privileges_removed":
		return tr(c, "audit.s.privileges_removed", d)
	case "privileges_removed_self":
		return tr(c, "audit.s.privileges_removed_self", d)
	case "role_assigned":
		return tr(c, "audit.s.role_assigned", d)
	case "role_unassigned":
		return tr(c, "audit.s.role_unassigned", d)
	case "role_created":
		return tr(c, "audit.s.role_created", d)
	case "role_updated_member":
		return tr(c, "audit.s.role_updated_member", d)
	case "role_updated_member_self":
		return tr(c, "audit.s.role_updated_member_self", d)
	case "role_updated":
		return tr(c, "audit.s.role_updated", d)
	case "role_deleted":
		return tr(c, "audit.s.role_deleted", d)
	case "transfer_requested":
		return tr(c, "audit.s.transfer_requested", d)
	case "transfer_cancelled_to":
		return tr(c, "audit.s.transfer_cancelled_to", d)
	case "transfer_cancelled":
		return tr(c, "audit.s.transfer_cancelled", d)
	case "transfer_accepted":
		return tr(c, "audit.s.transfer_accepted", d)
	case "transfer_declined":
		return tr(c, "audit.s.transfer_declined", d)
	case "security_changed":
		return tr(c, "audit.s.security_changed", d)
	case "invitation_accepted":
		return tr(c, "audit.s.invitation_accepted", d)
	case "name_changed":
		return tr(c, "audit.s.name_changed", d)
	case "language_changed":
		return tr(c, "audit.s.language_changed", d)
	case "passphrase_revealed":
		return tr(c, "audit.s.passphrase_revealed", d)
	case "passphrase_changed":
		return tr(c, "audit.s.passphrase_changed", d)
	case "password_changed":
		return tr(c, "audit.s.password_changed", d)
	case "question_changed":
		return tr(c, "audit.s.question_changed", d)
	case "email_change_requested":
		return tr(c, "audit.s.email_change_requested", d)
	case "email_change_confirmed":
		return tr(c, "audit.s.email_change_confirmed", d)
	case "session_signed_out":
		return tr(c, "audit.s.session_signed_out", d)
	case "others_signed_out":
		return tr(c, "audit.s.others_signed_out", d)
	case "mfa_enrolled":
		return tr(c, "audit.s.mfa_enrolled", d)
	case "mfa_removed":
		return tr(c, "audit.s.mfa_removed", d)
	case "backup_codes_renewed":
		return tr(c, "audit.s.backup_codes_renewed", d)
	case "support_code":
		return tr(c, "audit.s.support_code", d)
	case "app_password_created":
		return tr(c, "audit.s.app_password_created", d)
	case "app_password_revoked":
		return tr(c, "audit.s.app_password_revoked", d)
	case "support_verified":
		return tr(c, "audit.s.support_verified", d)
	case "support_mismatch":
		return tr(c, "audit.s.support_mismatch", d)
	case "support_no_passphrase":
		return tr(c, "audit.s.support_no_passphrase", d)
	case "support_no_privilege":
		return tr(c, "audit.s.support_no_privilege", d)
	case "support_suspended":
		return tr(c, "audit.s.support_suspended", d)
	case "support_locked":
		return tr(c, "audit.s.support_locked", d)
	case "onboarded":
		return tr(c, "audit.s.onboarded", d)
	case "invitation_resent":
		return tr(c, "audit.s.invitation_resent", d)
	case "invitation_voided":
		return tr(c, "audit.s.invitation_voided", d)
	case "account_suspended":
		return tr(c, "audit.s.account_suspended", d)
	case "account_reactivated":
		return tr(c, "audit.s.account_reactivated", d)
	case "account_closed":
		return tr(c, "audit.s.account_closed", d)
	case "account_purged":
		return tr(c, "audit.s.account_purged", d)
	case "primary_mfa_reset":
		return tr(c, "audit.s.primary_mfa_reset", d)
	case "primary_reset_sent":
		return tr(c, "audit.s.primary_reset_sent", d)
	case "license_published":
		return tr(c, "audit.s.license_published", d)
	case "agent_created":
		return tr(c, "audit.s.agent_created", d)
	case "agent_disabled":
		return tr(c, "audit.s.agent_disabled", d)
	case "operator_created":
		return tr(c, "audit.s.operator_created", d)
	case "operator_disabled":
		return tr(c, "audit.s.operator_disabled", d)
	}
	return ""
}

// auditSentenceIDs are the [audit.s] ids of the actions whose sentence
// takes no choice beyond its parts.
var auditSentenceIDs = map[string]string{
	"account.invitation_accepted":      "invitation_accepted",
	"account.security_changed":         "security_changed",
	"account.setup":                    "setup",
	"api_token.adopted":                "token_adopted",
	"api_token.created":                "token_created",
	"api_token.revoked":                "token_revoked",
	"app_password.created":             "app_password_created",
	"app_password.revoked":             "app_password_revoked",
	"bulk.failed":                      "bulk_failed",
	"bulk.finished":                    "bulk_finished",
	"bulk.started":                     "bulk_started",
	"email_change.confirmed":           "email_change_confirmed",
	"email_change.requested":           "email_change_requested",
	"license.accepted":                 "license_accepted",
	"link.voided":                      "link_voided",
	"mfa.admin_code_failed":            "admin_code_failed",
	"mfa.backup_code_used":             "backup_code_used",
	"mfa.backup_codes_renewed":         "backup_codes_renewed",
	"mfa.code_failed":                  "mfa_code_failed",
	"mfa.enrolled":                     "mfa_enrolled",
	"mfa.removed":                      "mfa_removed",
	"passphrase.changed":               "passphrase_changed",
	"passphrase.revealed":              "passphrase_revealed",
	"password.changed":                 "password_changed",
	"password_reset.answer_locked":     "reset_locked",
	"password_reset.completed":         "reset_completed",
	"password_reset.question_skipped":  "reset_no_question",
	"password_reset.refused":           "reset_refused",
	"password_reset.sent_by_admin":     "reset_sent",
	"password_reset.unblocked":         "reset_unblocked",
	"password_reset.wrong_answer":      "reset_wrong_answer",
	"primary_admin.transfer_accepted":  "transfer_accepted",
	"primary_admin.transfer_declined":  "transfer_declined",
	"primary_admin.transfer_requested": "transfer_requested",
	"profile.details_changed":          "name_changed",
	"profile.language_changed":         "language_changed",
	"provider.account_closed":          "account_closed",
	"provider.account_onboarded":       "onboarded",
	"provider.account_purged":          "account_purged",
	"provider.account_reactivated":     "account_reactivated",
	"provider.account_suspended":       "account_suspended",
	"provider.invitation_resent":       "invitation_resent",
	"provider.invitation_voided":       "invitation_voided",
	"provider.license_published":       "license_published",
	"provider.operator_created":        "operator_created",
	"provider.operator_disabled":       "operator_disabled",
	"provider.primary_mfa_reset":       "primary_mfa_reset",
	"provider.primary_reset_sent":      "primary_reset_sent",
	"role.assigned":                    "role_assigned",
	"role.created":                     "role_created",
	"role.deleted":                     "role_deleted",
	"role.unassigned":                  "role_unassigned",
	"security_question.changed":        "question_changed",
	"session.limit_reached":            "session_limit",
	"session.signed_out":               "session_signed_out",
	"session.signed_out_others":        "others_signed_out",
	"sign_in.failed":                   "sign_in_failed",
	"sign_in.success":                  "sign_in",
	"sign_in.suspended":                "sign_in_suspended",
	"sign_out":                         "sign_out",
	"support.agent_created":            "agent_created",
	"support.agent_disabled":           "agent_disabled",
	"support.locked":                   "support_locked",
	"support.mismatch":                 "support_mismatch",
	"support.no_passphrase":            "support_no_passphrase",
	"support.no_privilege":             "support_no_privilege",
	"support.suspended":                "support_suspended",
	"support.verified":                 "support_verified",
	"support_code.issued":              "support_code",
	"user.created":                     "user_created",
	"user.deleted":                     "user_deleted",
	"user.reactivated":                 "reactivated",
	"user.signed_out_everywhere":       "signed_out_everywhere",
	"user.suspended":                   "suspended",
	"username.reminder_sent":           "username_reminder",
	"welcome.completed":                "welcome_completed",
	"welcome.sent":                     "welcome_sent",
}

// auditSelfIDs are the [audit.s] ids of the actions said apart when the
// actor acted on themself: the other's, then their own.
var auditSelfIDs = map[string][2]string{
	"mfa.reset_by_admin":        {"mfa_reset", "mfa_reset_self"},
	"privileges.areas_changed":  {"areas_changed", "areas_changed_self"},
	"privileges.removed":        {"privileges_removed", "privileges_removed_self"},
	"provider.staff_mfa_reset":  {"mfa_reset", "mfa_reset_self"},
	"security_question.cleared": {"question_cleared", "question_cleared_self"},
	"user.updated":              {"user_updated", "user_updated_self"},
}

// auditLabel is the label of an event's detail (audit's labels) in the
// reader's language; a label it does not know as it is.
func auditLabel(c echo.Context, label string) string {
	switch label {
	case "Through API token":
		return tr(c, "audit.label.api_token")
	case "API token":
		return tr(c, "audit.label.token")
	case "Reason":
		return tr(c, "audit.label.reason")
	case "Why":
		return tr(c, "audit.label.why")
	case "Locked until":
		return tr(c, "audit.label.locked_until")
	case "Sessions ended":
		return tr(c, "audit.label.sessions_ended")
	case "Limit":
		return tr(c, "audit.label.limit")
	case "Permissions":
		return tr(c, "audit.label.permissions")
	case "Done":
		return tr(c, "audit.label.done")
	case "Skipped":
		return tr(c, "audit.label.skipped")
	case "Failed":
		return tr(c, "audit.label.failed")
	case "Email address":
		return tr(c, "audit.label.email")
	case "Password reset unblocked":
		return tr(c, "audit.label.reset_unblocked")
	case "Security question cleared":
		return tr(c, "audit.label.question_cleared")
	case "Support passphrase set":
		return tr(c, "audit.label.passphrase_set")
	case "While":
		return tr(c, "audit.label.while")
	case "New email address":
		return tr(c, "audit.label.new_email")
	case "Link expires":
		return tr(c, "audit.label.expires_at")
	case "Company":
		return tr(c, "audit.label.company")
	case "Primary Admin's email address":
		return tr(c, "audit.label.primary_admin_email")
	case "Primary Admin's username":
		return tr(c, "audit.label.primary_admin_username")
	case "Account number":
		return tr(c, "audit.label.account_number")
	case "Purged after":
		return tr(c, "audit.label.purge_after")
	case "Caller verified at":
		return tr(c, "audit.label.verified_at")
	case "Closed at":
		return tr(c, "audit.label.closed_at")
	case "Title":
		return tr(c, "audit.label.title")
	case "In effect from":
		return tr(c, "audit.label.effective")
	case "Area asked about":
		return tr(c, "audit.label.area")
	case "Proof":
		return tr(c, "audit.label.method")
	case "Backup codes left":
		return tr(c, "audit.label.left")
	case "Wrong codes":
		return tr(c, "audit.label.failures")
	case "Wrong answers":
		return tr(c, "audit.label.wrong_answers")
	case "Signed out everywhere":
		return tr(c, "audit.label.signed_out_everywhere")
	case "Sent to":
		return tr(c, "audit.label.to")
	case "To set it up again":
		return tr(c, "audit.label.change")
	case "Users":
		return tr(c, "audit.label.users")
	case "Name":
		return tr(c, "audit.label.name")
	case "Username":
		return tr(c, "audit.label.username")
	case "Password rules":
		return tr(c, "audit.label.password_preset")
	case "Integration-safe passwords":
		return tr(c, "audit.label.integration_safe")
	case "Security question required":
		return tr(c, "audit.label.require_question")
	case "Multi-factor authentication":
		return tr(c, "audit.label.mfa_policy")
	case "Idle timeout (minutes)":
		return tr(c, "audit.label.idle")
	case "Session limit (minutes)":
		return tr(c, "audit.label.absolute")
	case "App passwords for integrations":
		return tr(c, "audit.label.app_passwords")
	case "App passwords revoked":
		return tr(c, "audit.label.app_passwords_revoked")
	case "Language":
		return tr(c, "audit.label.language")
	case "Time zone":
		return tr(c, "audit.label.time_zone")
	case "Default language":
		return tr(c, "audit.label.default_language")
	case "Default time zone":
		return tr(c, "audit.label.default_time_zone")
	case "Admin privileges":
		return tr(c, "audit.label.admin_privileges")
	case "Display name":
		return tr(c, "audit.label.display_name")
	case "Status":
		return tr(c, "audit.label.status")
	case "Change":
		return tr(c, "audit.label.changed")
	case "Security question set":
		return tr(c, "audit.label.question_set")
	}
	return label
}
