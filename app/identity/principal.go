package identity

import (
	"context"
	"time"

	"accountportal/models"
)

// Principal is the signed-in user with their account and what they may do.
type Principal struct {
	User    *models.User
	Account *models.Account
	// Permissions are the user's effective permissions: the union of their
	// roles' and their direct grants.
	Permissions   map[string]bool
	HasPassphrase bool
	// TransferOffered says someone asked this user to become the Primary
	// Admin and the request is still open.
	TransferOffered bool
	// APIToken names the API token this principal acts through, "" for a
	// person. Such a principal is never the Primary Admin: admin.TokenActor
	// gives it a copy of its owner's row with IsPrimaryAdmin false and only
	// the token's effective permissions.
	APIToken string
	// APITokenCreatorID is who created that token: with its owner (User),
	// the people it never acts on.
	APITokenCreatorID int64
}

// Can reports whether the user holds perm. The Primary Admin holds every
// permission.
func (p *Principal) Can(perm string) bool { return p.User.IsPrimaryAdmin || p.Permissions[perm] }

// IsAdmin reports whether the user is the Primary Admin or holds at least
// one permission (a Secondary Admin).
func (p *Principal) IsAdmin() bool { return p.User.IsPrimaryAdmin || len(p.Permissions) > 0 }

// IsOperator reports whether the user is one of the provider's operators.
func (p *Principal) IsOperator() bool { return p.Account.IsStaff() && p.Permissions[PermOperator] }

// IsAgent reports whether the user is one of the support desk's agents.
func (p *Principal) IsAgent() bool { return p.Account.IsStaff() && !p.Permissions[PermOperator] }

// NeedsPassphrase reports whether the user is a customer's admin without a
// support passphrase: the support desk will not act on their word until
// they set one. The provider's operators are not asked.
func (p *Principal) NeedsPassphrase() bool {
	return p.IsAdmin() && !p.HasPassphrase && !p.Account.IsStaff()
}

// MFARequired reports whether the account's policy makes the user use a
// second factor.
func (p *Principal) MFARequired() bool {
	switch p.Account.MFAPolicy {
	case models.MFAEveryone:
		return true
	case models.MFAAdmins:
		return p.IsAdmin()
	}
	return false
}

// MFAResetByAdmin reports whether an administrator reset the user's second
// factor and the user must set one up again at their next sign-in.
func (p *Principal) MFAResetByAdmin() bool {
	return p.User.MFAEnrolledAt == nil && p.User.MFAResetAt != nil && p.Account.MFAPolicy != models.MFAOff
}

// MustEnrolMFA reports whether the user must set up a second factor before
// going any further: the policy requires one, or an administrator reset
// theirs (they enrol again whatever the policy, unless it is off).
func (p *Principal) MustEnrolMFA() bool {
	if p.User.MFAEnrolledAt != nil {
		return false
	}
	return p.MFARequired() || p.MFAResetByAdmin()
}

// QuestionOwed reports whether the account requires a security question
// and the user has none. The support desk's staff are never asked.
func (p *Principal) QuestionOwed() bool {
	return p.Account.RequireSecurityQuestion && p.User.SecurityAnswerHash == "" && !p.Account.IsStaff()
}

// LoadPrincipal returns the user with id and their account, or
// models.ErrNotFound.
func (s *SignIn) LoadPrincipal(ctx context.Context, userID int64) (*Principal, error) {
	return PrincipalOf(ctx, s.store, userID, s.now())
}

// PrincipalOf loads a user with their account and effective permissions
// through store, which may be a transaction (a background job acting for
// the user who started it).
func PrincipalOf(ctx context.Context, store *models.Store, userID int64, now time.Time) (*Principal, error) {
	u, err := store.Users.PrincipalByID(ctx, userID, now)
	if err != nil {
		return nil, err
	}
	return PrincipalFromRow(u), nil
}

// PrincipalFromRow makes the principal of a user read with their account
// and permissions, by PrincipalByID or with their session's row.
func PrincipalFromRow(u *models.PrincipalUser) *Principal {
	perms := u.Permissions()
	p := &Principal{User: &u.User, Account: &u.Account, Permissions: make(map[string]bool, len(perms)),
		HasPassphrase: u.HasPassphrase, TransferOffered: u.TransferOffered}
	for _, k := range perms {
		p.Permissions[k] = true
	}
	return p
}

// SessionLimits returns the idle and absolute session timeouts for a user:
// their account's own when it set them, else the portal's defaults.
func SessionLimits(a *models.Account, defIdle, defAbsolute time.Duration) (idle, absolute time.Duration) {
	idle, absolute = defIdle, defAbsolute
	if a.SessionIdleMinutes != nil {
		idle = time.Duration(*a.SessionIdleMinutes) * time.Minute
	}
	if a.SessionAbsoluteMinutes != nil {
		absolute = time.Duration(*a.SessionAbsoluteMinutes) * time.Minute
	}
	return idle, absolute
}
