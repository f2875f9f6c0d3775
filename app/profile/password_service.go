package profile

import (
	"context"
	"maps"
	"strings"
	"time"

	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/app/security"
	"accountportal/models"
)

// PasswordChange is the password form of My Profile.
type PasswordChange struct {
	Current string
	New     string
	Confirm string
	// SignOutOthers ends every other session of the user.
	SignOutOthers bool
	// KeepSession is the hash of the session making the change; it stays.
	KeepSession []byte
}

// ChangePassword checks the current password and the account's policy, then
// in one transaction stores the new hash, voids reset links, ends the other
// sessions if asked, audits and emails a notice. The caller gives the
// session a new ID afterwards. It returns an apperr.Invalid error with field
// messages, or an apperr.TooMany error after repeated wrong passwords.
func (s *Service) ChangePassword(ctx context.Context, p *identity.Principal, in PasswordChange, from audit.Origin) error {
	u := p.User
	pw := security.NormalizePassword(in.New)
	policy := identity.PolicyFor(p.Account, u.MFAEnrolledAt != nil)
	who := security.Subject{Username: u.Username, Email: u.Email, DisplayName: u.DisplayName}
	errs := identity.NewPasswordProblems(policy, who, pw, security.NormalizePassword(in.Confirm))
	// Every problem at once: a wrong current password is reported beside
	// the new password's, not after they are fixed.
	if err := s.current(ctx, u, in.Current); err != nil {
		ae, ok := apperr.As(err)
		if !ok || ae.Code != apperr.Invalid {
			return err
		}
		maps.Copy(errs, ae.Problems)
	}
	if err := apperr.Problems(errs); err != nil {
		return err
	}
	if err := s.differsFromPassphrase(ctx, u, pw); err != nil {
		return err
	}
	hash, err := s.hasher.Hash(ctx, pw)
	if err != nil {
		return err
	}
	return s.change(ctx, u, ActionPasswordChanged, "Your password was changed", "Your password was changed", from,
		map[string]any{"signed_out_others": in.SignOutOthers}, func(tx *models.Store, now time.Time) error {
			if err := identity.SetPassword(ctx, tx, u.ID, hash, now); err != nil {
				return err
			}
			if !in.SignOutOthers {
				return nil
			}
			_, err := tx.Sessions.RevokeOthers(ctx, u.ID, in.KeepSession, "password_changed", now)
			return err
		})
}

// current checks the current password, reporting a wrong one on its field.
func (s *Service) current(ctx context.Context, u *models.User, password string) error {
	if password == "" {
		return apperr.Problems(map[apperr.Subject]string{CurrentPassword: "Enter your current password"})
	}
	err := s.passwords.CheckPassword(ctx, u, password)
	if apperr.Is(err, apperr.Invalid) {
		return apperr.Problems(map[apperr.Subject]string{CurrentPassword: identity.ErrWrongPassword.Message})
	}
	return err
}

// differsFromPassphrase refuses a password equal to the user's passphrase:
// support staff hear the passphrase, so it must never be the password.
func (s *Service) differsFromPassphrase(ctx context.Context, u *models.User, pw string) error {
	sec, err := s.store.Secrets.Of(ctx, u.ID, models.SecretPassphrase)
	if err != nil {
		return ignoreNotFound(err)
	}
	phrase, err := s.secrets.Open(sec)
	if err != nil {
		return err
	}
	if strings.EqualFold(comparable(phrase), comparable(pw)) {
		return apperr.Problems(map[apperr.Subject]string{identity.NewPassword: "Password must be different from your support passphrase"})
	}
	return nil
}
