package audit

// actionLabels name each action as a choice of the audit log's "What"
// filter: a few words, where the sentences (sentences.go) tell one event.
// TestEveryActionHasALabel fails when a recorded code has none.
var actionLabels = map[string]string{
	// Signing in and out.
	ActionSetup:             "Account set up",
	ActionSignIn:            "Signed in",
	ActionSignInFailed:      "Sign-in refused: wrong password",
	ActionSignInSuspended:   "Sign-in refused: user deactivated",
	ActionSignOut:           "Signed out",
	ActionLicenseAccepted:   "License agreement accepted",
	"session.limit_reached": "Oldest sessions ended at the session limit",
	"mfa.code_failed":       "Wrong multi-factor authentication code while signing in",
	"mfa.backup_code_used":  "Signed in with a backup code",
	"mfa.admin_code_failed": "Wrong multi-factor authentication code to confirm an action",

	// Recovery.
	ActionResetRequested:       "Password reset requested",
	ActionResetRefused:         "Password reset link refused",
	ActionResetWrongAnswer:     "Wrong answer to the security question",
	ActionResetAnswerLocked:    "Password reset blocked after wrong answers",
	ActionResetQuestionSkipped: "Password reset without a security question",
	ActionResetCompleted:       "Password reset completed",
	ActionUsernameReminder:     "Username emailed",
	ActionWelcomeCompleted:     "Password chosen with the welcome link",

	// The users console.
	"user.created":                 "User created",
	"user.updated":                 "User details changed",
	"user.deleted":                 "User deleted",
	"security_question.cleared":    "Security question cleared",
	"password_reset.unblocked":     "Password reset unblocked",
	"link.voided":                  "Emailed link voided",
	"welcome.sent":                 "Welcome email sent",
	"session.signed_out_by_admin":  "Signed out by an administrator",
	"user.suspended":               "User deactivated",
	"user.reactivated":             "User reactivated",
	"user.signed_out_everywhere":   "Signed out everywhere by an administrator",
	"password_reset.sent_by_admin": "Password reset link sent by an administrator",
	"mfa.reset_by_admin":           "Multi-factor authentication reset by an administrator",
	"bulk.started":                 "Bulk action started",
	"bulk.finished":                "Bulk action finished",
	"bulk.failed":                  "Bulk action stopped on an error",
	"api_token.created":            "API token created",
	"api_token.revoked":            "API token revoked",
	"api_token.adopted":            "API token adopted by the Primary Admin",

	// Privileges, roles and the Primary Admin.
	"privileges.areas_changed":         "Admin privileges changed",
	"privileges.removed":               "Admin privileges removed",
	"role.assigned":                    "Role given",
	"role.unassigned":                  "Role taken away",
	"role.created":                     "Role created",
	"role.updated":                     "Role changed",
	"role.deleted":                     "Role deleted",
	"primary_admin.transfer_requested": "Primary Admin transfer requested",
	"primary_admin.transfer_cancelled": "Primary Admin transfer cancelled",
	"primary_admin.transfer_accepted":  "Primary Admin transfer accepted",
	"primary_admin.transfer_declined":  "Primary Admin transfer declined",
	"account.security_changed":         "Security settings changed",
	"account.invitation_accepted":      "Invitation accepted",

	// My Profile and multi-factor authentication.
	"profile.details_changed":   "Display name changed",
	"profile.language_changed":  "Language or time zone changed",
	"passphrase.revealed":       "Support passphrase revealed",
	"passphrase.changed":        "Support passphrase changed",
	"password.changed":          "Password changed",
	"security_question.changed": "Security question changed",
	"email_change.requested":    "Email address change requested",
	"email_change.confirmed":    "Email address change confirmed",
	"session.signed_out":        "Session signed out",
	"session.signed_out_others": "Other sessions signed out",
	"mfa.enrolled":              "Multi-factor authentication turned on",
	"mfa.removed":               "Multi-factor authentication removed",
	"mfa.backup_codes_renewed":  "Backup codes renewed",
	"support_code.issued":       "Support code issued",
	"app_password.created":      "App password created",
	"app_password.revoked":      "App password revoked",

	// The support desk.
	"support.verified":      "Support: caller verified",
	"support.mismatch":      "Support: passphrase or code did not match",
	"support.no_passphrase": "Support: no support passphrase set",
	"support.no_privilege":  "Support: no privilege for the area",
	"support.suspended":     "Support: caller deactivated",
	"support.locked":        "Support: verification locked",

	// The provider's operators and command line.
	"provider.account_onboarded":   "Account onboarded",
	"provider.invitation_resent":   "Invitation sent again",
	"provider.invitation_voided":   "Invitation voided",
	"provider.account_suspended":   "Account suspended",
	"provider.account_reactivated": "Account reactivated",
	"provider.account_closed":      "Account closed",
	"provider.account_purged":      "Account purged",
	"provider.primary_mfa_reset":   "Primary Admin's multi-factor authentication reset",
	"provider.primary_reset_sent":  "Password reset link sent to the Primary Admin",
	"provider.license_published":   "License agreement published",
	"support.agent_created":        "Support agent added",
	"support.agent_disabled":       "Support agent disabled",
	"provider.operator_created":    "Operator added",
	"provider.operator_disabled":   "Operator disabled",
	"provider.staff_mfa_reset":     "Staff multi-factor authentication reset",
}

// ActionLabel names an action code for people, as the audit log's filter
// offers it; a code it does not know is named by itself, so an old or new
// entry can still be chosen.
func ActionLabel(code string) string {
	if l, ok := actionLabels[code]; ok {
		return l
	}
	return code
}
