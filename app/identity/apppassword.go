package identity

import (
	"context"
	"errors"
	"time"

	"accountportal/app/audit"
	"accountportal/app/security"
	"accountportal/app/throttle"
	"accountportal/models"
)

// The integration sign-in's refusals. Each is a 401 to the integration;
// only ErrAppPasswordIncorrect is counted as a failure, and the others are
// said only after a right username and app password.
var (
	// ErrAppPasswordIncorrect is the one answer for an unknown username,
	// a wrong or revoked app password, another user's app password, and a
	// console password.
	ErrAppPasswordIncorrect = errors.New("identity: incorrect username or app password")
	// ErrAppPasswordsTurnedOff means the user's account turned app
	// passwords off (its revocation of them races with nothing else).
	ErrAppPasswordsTurnedOff = errors.New("identity: app passwords are turned off for this account")
	// ErrAppPasswordUserSuspended means the user, or their account, is
	// suspended (or the account closed).
	ErrAppPasswordUserSuspended = errors.New("identity: the user or their account is suspended")
)

// AppPasswordUseEvery is how often the last use of an app password is
// written at most: a busy plug-in signs in on every call.
const AppPasswordUseEvery = time.Minute

// AppPasswordSignIn checks an integration's username and app password
// (never the console password: app passwords are the only credential
// this accepts) and returns the user. Failures are counted per username
// and per client address before anything is compared, with the console
// sign-in's limits but counts of their own, so a misconfigured plug-in
// cannot lock its user out of the console; a right answer takes its count
// back. It returns ErrAppPasswordIncorrect, ErrAppPasswordUserSuspended,
// ErrAppPasswordsTurnedOff, or an apperr.TooMany error while the username
// or address is locked.
func (s *SignIn) AppPasswordSignIn(ctx context.Context, username, typed string, from audit.Origin) (*Principal, error) {
	key := UsernameKey(username)
	att, err := s.limiter.Take(ctx, throttle.Key{Name: "apppw:user:" + key, Limit: s.cfg.PerUsername},
		throttle.Key{Name: "apppw:ip:" + from.IP, Limit: s.cfg.PerIP})
	if err != nil {
		return nil, err
	}
	row, err := s.appPasswordOf(ctx, key, typed)
	if err != nil || row != nil {
		err = errors.Join(err, att.Refund(ctx))
	}
	if err != nil {
		return nil, err
	}
	if row == nil {
		return nil, ErrAppPasswordIncorrect
	}
	now := s.now()
	p, err := PrincipalOf(ctx, s.store, row.UserID, now)
	if err != nil {
		return nil, err
	}
	switch {
	case p.User.Status != models.StatusActive || !p.Account.Usable():
		return nil, ErrAppPasswordUserSuspended
	case !p.Account.AppPasswordsEnabled:
		return nil, ErrAppPasswordsTurnedOff
	}
	if _, err := s.store.AppPasswords().MarkUsed(ctx, row.ID, from.IP, now, AppPasswordUseEvery); err != nil {
		return nil, err
	}
	return p, nil
}

// appPasswordOf returns the live app password typed for the user whose
// username key is key, or nil when there is none: the text cannot be an
// app password, no app password has its digest, or it is revoked or
// another user's.
func (s *SignIn) appPasswordOf(ctx context.Context, key, typed string) (*models.AppPassword, error) {
	canonical, ok := security.ParseAppPassword(typed)
	if !ok || key == "" {
		return nil, nil
	}
	row, err := s.store.AppPasswords().ByDigest(ctx, security.AppPasswordDigest(canonical))
	if errors.Is(err, models.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if row.RevokedAt != nil {
		return nil, nil
	}
	u, err := s.store.Users.ByUsernameKey(ctx, key)
	if errors.Is(err, models.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if u.ID != row.UserID || u.AccountID != row.AccountID {
		return nil, nil
	}
	return row, nil
}
