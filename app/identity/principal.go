package identity

import (
	"context"
	"time"

	"accountportal/models"
)

// Principal is the signed-in user with their account.
type Principal struct {
	User     *models.User
	Account  *models.Account
	Standing models.Standing
}

// IsAdmin reports whether the user is the Primary Admin or holds at least
// one admin privilege area (a Secondary Admin).
func (p *Principal) IsAdmin() bool { return p.User.IsPrimaryAdmin || p.Standing.Privileged }

// NeedsPassphrase reports whether the user is an admin without a support
// passphrase: the support desk will not act on their word until they set one.
func (p *Principal) NeedsPassphrase() bool { return p.IsAdmin() && !p.Standing.HasPassphrase }

// LoadPrincipal returns the user with id and their account, or
// models.ErrNotFound.
func (s *SignIn) LoadPrincipal(ctx context.Context, userID int64) (*Principal, error) {
	u, err := s.store.UserByID(ctx, userID)
	if err != nil {
		return nil, err
	}
	a, err := s.store.AccountByID(ctx, u.AccountID)
	if err != nil {
		return nil, err
	}
	st, err := s.store.StandingOf(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	return &Principal{User: u, Account: a, Standing: st}, nil
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
