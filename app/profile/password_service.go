package profile

import (
	"context"
	"strings"
	"time"

	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/app/security"
	"accountportal/models"
	"accountportal/views/emails"
)

// PasswordChange is the password form of My Profile.
type PasswordChange struct {
	// PasswordAt is when the user last typed their password in this
	// session; the change needs it recent (identity.Recent).
	PasswordAt time.Time
	New        string
	Confirm    string
	// SignOutOthers ends every other session of the user.
	SignOutOthers bool
	// KeepSession is the hash of the session making the change; it stays.
	KeepSession []byte
}

// ChangePassword checks that the user typed their password within the
// recent sign-in window, the account's policy and that the password is
// new (not the passphrase, not the current one), then in one transaction
// stores the new hash, voids reset links, ends the other sessions if asked,
// audits and emails a notice. The caller gives the session a new ID
// afterwards. It returns identity.ErrReauthRequired when the password was
// typed too long ago, or an apperr.Invalid error with field messages.
func (s *Service) ChangePassword(ctx context.Context, p *identity.Principal, in PasswordChange, from audit.Origin) error {
	u := p.User
	if !s.recent(in.PasswordAt) {
		return identity.ErrReauthRequired
	}
	pw := security.NormalizePassword(in.New)
	policy := identity.PolicyFor(p.Account, u.MFAEnrolledAt != nil)
	who := security.Subject{Username: u.Username, Email: u.Email, DisplayName: u.DisplayName}
	errs := identity.NewPasswordProblems(policy, who, pw, security.NormalizePassword(in.Confirm))
	// An empty field asks for it, rather than listing every rule unmet.
	if pw == "" {
		errs[identity.NewPassword] = "Enter a new password"
	}
	if in.Confirm == "" && pw != "" {
		errs[identity.PasswordConfirmation] = "Enter the new password again"
	}
	if err := apperr.Problems(errs); err != nil {
		return err
	}
	if err := s.differsFromPassphrase(ctx, u, pw); err != nil {
		return err
	}
	if err := identity.DiffersFromCurrent(ctx, s.hasher, u, pw); err != nil {
		return err
	}
	hash, err := s.hasher.Hash(ctx, pw)
	if err != nil {
		return err
	}
	return s.change(ctx, u, ActionPasswordChanged, emails.Say("email.password_changed.subject"),
		emails.Say("email.password_changed.subject"), from,
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
