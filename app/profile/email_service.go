package profile

import (
	"context"
	"errors"
	"strings"
	"time"

	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/app/mail"
	"accountportal/app/security"
	"accountportal/models"
	"accountportal/views/emails"
)

// EmailChangeTTL is how long the link to confirm a new address works.
const EmailChangeTTL = 24 * time.Hour

// ErrEmailLinkInvalid covers unknown, used, expired and voided
// confirmation links, and links of another user.
var ErrEmailLinkInvalid = apperr.New(apperr.NotFound, "This confirmation link has expired, was already used, or belongs to another account.")

// RequestEmailChange sends a confirmation link to the new address when the
// user typed their password within the recent sign-in window (passwordAt).
// Nothing changes until the link is followed; the username stays as it is.
// It returns identity.ErrReauthRequired when the password was typed too
// long ago, or an apperr.Invalid error.
func (s *Service) RequestEmailChange(ctx context.Context, u *models.User, newEmail string, passwordAt time.Time, from audit.Origin) error {
	if !s.recent(passwordAt) {
		return identity.ErrReauthRequired
	}
	newEmail = strings.TrimSpace(newEmail)
	if msg := identity.CheckEmail(newEmail); msg != "" {
		return apperr.Problems(map[apperr.Subject]string{NewEmail: msg})
	}
	if identity.EmailKey(newEmail) == u.EmailKey {
		return apperr.Problems(map[apperr.Subject]string{NewEmail: "That is already your email address"})
	}
	raw, digest := security.NewToken()
	err := s.change(ctx, u, ActionEmailRequested, emails.Text{}, emails.Text{}, from, map[string]any{"new_email": newEmail},
		func(tx *models.Store, now time.Time) error {
			if _, err := tx.Tokens.Void(ctx, u.ID, "newer link sent", now, 0, models.PurposeEmailChange); err != nil {
				return err
			}
			t := &models.Token{UserID: u.ID, Purpose: models.PurposeEmailChange, SHA256: digest,
				CreatedAt: now, ExpiresAt: now.Add(EmailChangeTTL), NewEmail: newEmail}
			if err := tx.Tokens.Create(ctx, t); err != nil {
				return err
			}
			rctx, err := mail.Visitor(ctx, tx, u)
			if err != nil {
				return err
			}
			msg, err := mail.ConfirmEmailEmail{To: newEmail, DisplayName: u.DisplayName, Username: u.Username,
				Link: s.link("/profile/email/confirm/" + raw), ValidFor: EmailChangeTTL}.Message(rctx)
			if err != nil {
				return err
			}
			msg.AccountID = u.AccountID
			return mail.Enqueue(ctx, tx, msg, &t.ID, now)
		})
	if err == nil {
		s.mailWake()
	}
	return err
}

// ConfirmEmailChange follows a confirmation link as the signed-in user u.
// In one transaction it uses the link, changes the address, voids the
// user's other links (resets included: they went to the old address),
// audits, and tells the old address. It returns the new address, or
// ErrEmailLinkInvalid.
func (s *Service) ConfirmEmailChange(ctx context.Context, u *models.User, raw string, from audit.Origin) (string, error) {
	if len(raw) != 43 {
		return "", ErrEmailLinkInvalid
	}
	t, err := s.store.Tokens.ByDigest(ctx, security.Digest(raw))
	if err != nil || t.Purpose != models.PurposeEmailChange || t.UserID != u.ID {
		return "", errors.Join(ignoreNotFound(err), ErrEmailLinkInvalid)
	}
	oldEmail := u.Email
	err = s.change(ctx, u, ActionEmailChanged, emails.Text{}, emails.Text{}, from, map[string]any{"from": oldEmail, "to": t.NewEmail},
		func(tx *models.Store, now time.Time) error {
			if err := tx.Tokens.Use(ctx, t.ID, now); err != nil {
				return errors.Join(ignoreNotFound(err), ErrEmailLinkInvalid)
			}
			if err := tx.Users.SetEmail(ctx, u.ID, t.NewEmail, identity.EmailKey(t.NewEmail), now); err != nil {
				return err
			}
			if _, err := tx.Tokens.Void(ctx, u.ID, "email address changed", now, t.ID); err != nil {
				return err
			}
			return s.notify(ctx, tx, oldEmail, u, emails.Say("email.notice.email_changed"),
				emails.Say("email.notice.email_changed_what", map[string]any{"Username": u.Username, "Email": t.NewEmail}), now, from)
		})
	if err != nil {
		return "", err
	}
	s.mailWake()
	return t.NewEmail, nil
}

// PendingEmail returns the address awaiting confirmation, or "".
func (s *Service) PendingEmail(ctx context.Context, userID int64) (string, error) {
	return s.store.Tokens.PendingEmail(ctx, userID, s.now())
}

// Summary is what My Profile shows beside the user's details.
type Summary struct {
	// PendingEmail is the address awaiting confirmation, or "".
	PendingEmail string
	// License is the user's latest acceptance of the license agreement,
	// or nil.
	License *models.LicenseAcceptance
	// BackupCodesLeft counts the user's unused backup codes.
	BackupCodesLeft int64
	// LiveSessions counts the user's live sessions, this one included.
	LiveSessions int64
	// ThisDevice names the device of the session asking ("" when that
	// session is not the user's).
	ThisDevice string
	// SupportEvents are the support desk's newest verifications of the
	// user, newest first.
	SupportEvents []models.AuditEvent
}

// Summary reads u's Summary, as the session with hash current sees it and
// with at most supportEvents of the desk's verifications, in one statement.
func (s *Service) Summary(ctx context.Context, u *models.User, current []byte, supportEvents int) (Summary, error) {
	f, err := s.store.Users.ProfileFacts(ctx, models.ProfileAsk{UserID: u.ID, AccountID: u.AccountID, Current: current,
		Now: s.now(), SupportEvents: supportEvents})
	if err != nil {
		return Summary{}, err
	}
	sum := Summary{BackupCodesLeft: f.BackupCodesLeft, LiveSessions: f.LiveSessions, SupportEvents: f.SupportEvents}
	if f.PendingEmail != nil {
		sum.PendingEmail = *f.PendingEmail
	}
	if f.ThisDeviceAgent != nil {
		sum.ThisDevice = Device(*f.ThisDeviceAgent)
	}
	if f.LicenseVersion != nil && f.LicenseAcceptedAt != nil {
		sum.License = &models.LicenseAcceptance{UserID: u.ID, Version: *f.LicenseVersion, AcceptedAt: *f.LicenseAcceptedAt}
	}
	return sum, nil
}
