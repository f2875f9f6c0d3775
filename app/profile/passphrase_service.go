package profile

import (
	"context"
	"errors"
	"time"

	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/app/secrets"
	"accountportal/app/security"
	"accountportal/models"
	"accountportal/views/emails"
)

// ErrNoPassphrase means the user has not set a passphrase.
var ErrNoPassphrase = apperr.New(apperr.NotFound, "You have not set a support passphrase yet.")

// recent reports whether passwordAt is within identity.RecentPassword.
func (s *Service) recent(passwordAt time.Time) bool {
	return identity.Recent(passwordAt, s.now())
}

// Passphrase returns the user's passphrase for them to see, and audits
// that it was shown. passwordAt is when the user last typed their
// password; older than five minutes returns identity.ErrReauthRequired.
// It returns ErrNoPassphrase when none is set.
func (s *Service) Passphrase(ctx context.Context, u *models.User, passwordAt time.Time, from audit.Origin) (string, error) {
	if !s.recent(passwordAt) {
		return "", identity.ErrReauthRequired
	}
	sec, err := s.store.Secrets.Of(ctx, u.ID, models.SecretPassphrase)
	if errors.Is(err, models.ErrNotFound) {
		return "", ErrNoPassphrase
	}
	if err != nil {
		return "", err
	}
	value, err := s.secrets.Open(sec)
	if err != nil {
		return "", err
	}
	err = s.change(ctx, u, ActionPassphraseShown, emails.Text{}, emails.Text{}, from, map[string]any{"key_id": sec.KeyID}, nil)
	return value, err
}

// SetPassphrase stores a new passphrase, sealed, audits the change and
// emails the owner "Your support passphrase was changed" (without the
// passphrase). It needs a recent password like Passphrase, and returns an
// apperr.Invalid error when the passphrase breaks a rule.
func (s *Service) SetPassphrase(ctx context.Context, u *models.User, value string, passwordAt time.Time, from audit.Origin) error {
	if !s.recent(passwordAt) {
		return identity.ErrReauthRequired
	}
	msg := CheckPassphrase(value, PassphraseOwner{Username: u.Username, Email: u.Email, DisplayName: u.DisplayName})
	if msg == "" {
		// Only the password's hash is kept, so ask it whether they match.
		same, err := s.matchesPassword(ctx, u, value)
		if err != nil {
			return err
		}
		if same {
			msg = "Passphrase must be different from your password"
		}
	}
	if msg != "" {
		return apperr.Problems(map[apperr.Subject]string{Passphrase: msg})
	}
	return s.change(ctx, u, ActionPassphraseChanged, emails.Say("email.notice.passphrase"),
		emails.Say("email.notice.passphrase"), from, nil, func(tx *models.Store, now time.Time) error {
			sec, err := s.secrets.Seal(secrets.Passphrase, u.ID, value, now)
			if err != nil {
				return err
			}
			return tx.Secrets.Put(ctx, sec)
		})
}

// matchesPassword reports whether value is the user's password as typed or
// trimmed.
func (s *Service) matchesPassword(ctx context.Context, u *models.User, value string) (bool, error) {
	for _, v := range []string{value, comparable(value)} {
		ok, _, err := s.hasher.Verify(ctx, security.NormalizePassword(v), u.PasswordHash)
		if err != nil && !errors.Is(err, security.ErrMalformedHash) {
			return false, err
		}
		if ok {
			return true, nil
		}
	}
	return false, nil
}
