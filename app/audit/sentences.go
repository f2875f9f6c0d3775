package audit

// The codes below are those the other packages define (admin.ActionUserCreated,
// provider.ActionAccountSuspended, ...): they import this package, so it
// names them by value. TestEveryActionHasASentence reads their constants and
// fails when one has no sentence here.

// sentences words each action the portal records.
var sentences = map[string]sentence{
	// Signing in and out.
	ActionSetup:           func(p parties) string { return p.actor + " set up the account and became its Primary Admin" },
	ActionSignIn:          func(p parties) string { return p.target + " signed in" },
	ActionSignInFailed:    func(p parties) string { return "Someone tried to sign in as " + p.username + " with a wrong password" },
	ActionSignInSuspended: func(p parties) string { return "Someone tried to sign in as " + p.username + ", who is deactivated" },
	ActionSignOut:         func(p parties) string { return p.target + " signed out" },
	ActionLicenseAccepted: func(p parties) string {
		return p.target + " accepted version " + p.text("version") + " of the license agreement"
	},
	"session.limit_reached": func(p parties) string {
		return p.target + " signed in, which ended their oldest sessions to stay within the limit"
	},
	"mfa.code_failed": func(p parties) string {
		return "Someone signing in as " + p.username + " entered a wrong multi-factor authentication code"
	},
	"mfa.backup_code_used": func(p parties) string { return p.target + " signed in with a backup code" },
	"mfa.admin_code_failed": func(p parties) string {
		return p.actor + " typed a wrong multi-factor authentication code to confirm an action"
	},

	// Recovery.
	ActionResetRequested: func(p parties) string {
		if p.self() {
			return "Someone asked for a password reset link for " + p.target
		}
		return p.actor + " sent " + p.whom() + " a password reset link"
	},
	ActionResetRefused: func(p parties) string { return "A password reset link for " + p.target + " was refused" },
	ActionResetWrongAnswer: func(p parties) string {
		return "Someone resetting the password of " + p.target + " gave a wrong answer to the security question"
	},
	ActionResetAnswerLocked: func(p parties) string {
		return "Password reset for " + p.target + " was blocked after wrong answers to the security question"
	},
	ActionResetQuestionSkipped: func(p parties) string {
		return p.target + " reset their password without a security question"
	},
	ActionResetCompleted:   func(p parties) string { return p.target + " chose a new password with a password reset link" },
	ActionUsernameReminder: func(p parties) string { return p.target + "'s username was emailed to them" },
	ActionWelcomeCompleted: func(p parties) string { return p.target + " chose their password with the welcome link" },

	// The users console.
	"user.created": func(p parties) string { return p.actor + " created user " + p.whom() },
	"user.updated": func(p parties) string { return p.actor + " changed " + p.of("details") },
	"user.deleted": func(p parties) string { return p.actor + " deleted user " + p.whom() },
	"security_question.cleared": func(p parties) string {
		return p.actor + " cleared " + p.of("security question")
	},
	"password_reset.unblocked": func(p parties) string { return p.actor + " unblocked password reset for " + p.whom() },
	"link.voided":              func(p parties) string { return p.actor + " voided a link sent to " + p.whom() },
	"welcome.sent":             func(p parties) string { return p.actor + " sent " + p.whom() + " a welcome email" },
	"session.signed_out_by_admin": func(p parties) string {
		if p.text("all") == "Yes" {
			return p.actor + " signed " + p.whom() + " out everywhere"
		}
		if p.self() {
			return p.actor + " ended one of their own sessions"
		}
		return p.actor + " ended a session of " + p.target
	},
	"user.suspended":               func(p parties) string { return p.actor + " deactivated " + p.whom() },
	"user.reactivated":             func(p parties) string { return p.actor + " reactivated " + p.whom() },
	"user.signed_out_everywhere":   func(p parties) string { return p.actor + " signed " + p.whom() + " out everywhere" },
	"password_reset.sent_by_admin": func(p parties) string { return p.actor + " sent " + p.whom() + " a password reset link" },
	"mfa.reset_by_admin": func(p parties) string {
		return p.actor + " reset " + p.of("multi-factor authentication")
	},
	"bulk.started": func(p parties) string {
		return p.actor + " started a bulk action: " + bulkName(p.text("action")) + " for " + p.text("users") + " users"
	},
	"bulk.finished": func(p parties) string {
		return "The bulk action " + bulkName(p.text("action")) + " started by " + p.actor + " finished"
	},
	// API tokens.
	"api_token.created": func(p parties) string { return p.actor + " created the API token " + p.text("token") },
	"api_token.revoked": func(p parties) string { return p.actor + " revoked the API token " + p.text("token") },
	"api_token.adopted": func(p parties) string {
		return p.actor + " adopted the API token " + p.text("token") + ", which now acts within their privileges"
	},
	"bulk.failed": func(p parties) string {
		return "The bulk action " + bulkName(p.text("action")) + " started by " + p.actor + " stopped on an error"
	},

	// Privileges, roles and the Primary Admin.
	"privileges.areas_changed": func(p parties) string { return p.actor + " changed " + p.of("admin privileges") },
	"privileges.removed":       func(p parties) string { return p.actor + " removed " + p.every("admin privilege") },
	"role.assigned":            func(p parties) string { return p.actor + " gave " + p.whom() + " the role " + p.text("role") },
	"role.unassigned":          func(p parties) string { return p.actor + " took the role " + p.text("role") + " from " + p.whom() },
	"role.created":             func(p parties) string { return p.actor + " created the role " + p.text("name") },
	"role.updated": func(p parties) string {
		if p.target != "someone" {
			return p.actor + " changed the role " + p.text("role") + ", which changed " + p.of("admin privileges")
		}
		return p.actor + " changed the permissions of the role " + p.text("name")
	},
	"role.deleted": func(p parties) string { return p.actor + " deleted the role " + p.text("name") },
	"primary_admin.transfer_requested": func(p parties) string {
		return p.actor + " asked " + p.target + " to become the Primary Admin"
	},
	"primary_admin.transfer_cancelled": func(p parties) string {
		if p.target != "someone" {
			return p.actor + " cancelled the transfer of the Primary Admin role to " + p.target
		}
		return p.actor + " cancelled the transfer of the Primary Admin role"
	},
	"primary_admin.transfer_accepted": func(p parties) string {
		return p.actor + " accepted the Primary Admin role from " + p.target
	},
	"primary_admin.transfer_declined": func(p parties) string {
		return p.actor + " declined the Primary Admin role offered by " + p.target
	},
	"account.security_changed": func(p parties) string { return p.actor + " changed the account's security settings" },
	"account.invitation_accepted": func(p parties) string {
		return p.target + " accepted the invitation and became the Primary Admin"
	},

	// My Profile and multi-factor authentication.
	"profile.details_changed":   func(p parties) string { return p.target + " changed their display name" },
	"profile.language_changed":  func(p parties) string { return p.target + " changed their language or time zone" },
	"passphrase.revealed":       func(p parties) string { return p.target + " revealed their support passphrase" },
	"passphrase.changed":        func(p parties) string { return p.target + " changed their support passphrase" },
	"password.changed":          func(p parties) string { return p.target + " changed their password" },
	"security_question.changed": func(p parties) string { return p.target + " changed their security question" },
	"email_change.requested":    func(p parties) string { return p.target + " asked to change their email address" },
	"email_change.confirmed":    func(p parties) string { return p.target + " confirmed their new email address" },
	"session.signed_out":        func(p parties) string { return p.target + " signed out one of their sessions" },
	"session.signed_out_others": func(p parties) string { return p.target + " signed out their other sessions" },
	"mfa.enrolled":              func(p parties) string { return p.target + " turned on multi-factor authentication" },
	"mfa.removed": func(p parties) string {
		return p.target + " removed their multi-factor authentication"
	},
	"mfa.backup_codes_renewed": func(p parties) string { return p.target + " made new backup codes" },
	"support_code.issued":      func(p parties) string { return p.target + " got a support code" },
	"app_password.created": func(p parties) string {
		return p.target + " created the app password “" + p.text("name") + "”"
	},
	"app_password.revoked": func(p parties) string {
		return p.target + " revoked the app password “" + p.text("name") + "”"
	},

	// The support desk.
	"support.verified": func(p parties) string { return "Support agent " + p.actor + " verified " + p.target },
	"support.mismatch": func(p parties) string {
		return "Support agent " + p.actor + " could not verify " + p.target + ": the passphrase or code did not match"
	},
	"support.no_passphrase": func(p parties) string {
		return "Support agent " + p.actor + " could not verify " + p.target + ", who has no support passphrase"
	},
	"support.no_privilege": func(p parties) string {
		return "Support agent " + p.actor + " could not act for " + p.target + ", who may not ask about that area"
	},
	"support.suspended": func(p parties) string {
		return "Support agent " + p.actor + " could not verify " + p.target + ", who is deactivated"
	},
	"support.locked": func(p parties) string {
		return "Support agent " + p.actor + " could not verify " + p.target + ": verification is locked"
	},

	// The provider's operators and command line.
	"provider.account_onboarded": func(p parties) string {
		return p.actor + " onboarded " + p.account + " and invited " + p.target + " as its Primary Admin"
	},
	"provider.invitation_resent": func(p parties) string { return p.actor + " sent " + p.target + " a new invitation" },
	"provider.invitation_voided": func(p parties) string { return p.actor + " voided the invitation of " + p.target },
	"provider.account_suspended": func(p parties) string { return p.actor + " suspended " + p.account },
	"provider.account_reactivated": func(p parties) string {
		return p.actor + " reactivated " + p.account
	},
	"provider.account_closed": func(p parties) string { return p.actor + " closed " + p.account },
	"provider.account_purged": func(p parties) string { return p.actor + " purged " + p.account },
	"provider.primary_mfa_reset": func(p parties) string {
		return p.actor + " reset the multi-factor authentication of the Primary Admin " + p.target
	},
	"provider.primary_reset_sent": func(p parties) string {
		return p.actor + " sent the Primary Admin " + p.target + " a password reset link"
	},
	"provider.license_published": func(p parties) string {
		return p.actor + " published version " + p.text("version") + " of the license agreement"
	},
	"support.agent_created":      func(p parties) string { return p.actor + " made " + p.target + " a support agent" },
	"support.agent_disabled":     func(p parties) string { return p.actor + " disabled the support agent " + p.target },
	"provider.operator_created":  func(p parties) string { return p.actor + " made " + p.target + " an operator" },
	"provider.operator_disabled": func(p parties) string { return p.actor + " disabled the operator " + p.target },
	"provider.staff_mfa_reset": func(p parties) string {
		return p.actor + " reset " + p.of("multi-factor authentication")
	},
}

// bulkName names a bulk action (admin.BulkDeactivate, ...) as its button
// does.
func bulkName(action string) string {
	switch action {
	case "deactivate":
		return "Deactivate"
	case "reactivate":
		return "Reactivate"
	case "signout":
		return "Sign out everywhere"
	case "reset":
		return "Send password reset"
	case "mfa":
		return "Reset multi-factor authentication"
	}
	return action
}

// whom names the target, or "themselves" when the actor acted on
// themselves ("Pat Primary deactivated themselves").
func (p parties) whom() string {
	if p.self() {
		return "themselves"
	}
	return p.target
}

// of names the target's thing: "the details of Sam Second", or "their own
// details" when the actor changed their own.
func (p parties) of(thing string) string {
	if p.self() {
		return "their own " + thing
	}
	return "the " + thing + " of " + p.target
}

// every names all of the target's things: "every admin privilege of Sam
// Second", or "all their own admin privileges".
func (p parties) every(thing string) string {
	if p.self() {
		return "all their own " + thing + "s"
	}
	return "every " + thing + " of " + p.target
}
