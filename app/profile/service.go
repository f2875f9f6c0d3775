package profile

import (
	"context"
	"log/slog"
	"net/url"
	"time"

	"accountportal/app/audit"
	"accountportal/app/mail"
	"accountportal/app/secrets"
	"accountportal/app/security"
	"accountportal/models"
	"accountportal/views/emails"
)

// Service changes what users keep about themselves. Every change is one
// transaction with its audit entry and its email notice.
type Service struct {
	store     *models.Store
	hasher    *security.Hasher
	secrets   *secrets.Sealer
	now       func() time.Time
	log       *slog.Logger
	publicURL *url.URL
	mailWake  func()
}

// NewService returns the profile service. Links are built from publicURL.
func NewService(store *models.Store, hasher *security.Hasher, sealer *secrets.Sealer,
	now func() time.Time, log *slog.Logger, publicURL *url.URL, mailWake func()) *Service {
	if mailWake == nil {
		mailWake = func() {}
	}
	return &Service{store: store, hasher: hasher, secrets: sealer, now: now, log: log,
		publicURL: publicURL, mailWake: mailWake}
}

// change runs fn, its audit entry and an email notice to the user in one
// transaction. what starts "… on <time> from the address <ip>."; no
// subject, no notice.
func (s *Service) change(ctx context.Context, u *models.User, action string, subject, what emails.Text, from audit.Origin,
	details map[string]any, fn func(tx *models.Store, now time.Time) error) error {
	now := s.now()
	err := s.store.InTx(ctx, func(tx *models.Store) error {
		if fn != nil {
			if err := fn(tx, now); err != nil {
				return err
			}
		}
		if err := audit.Record(ctx, tx, now, audit.Entry{AccountID: u.AccountID, Actor: audit.PartyOf(u),
			Action: action, Target: audit.PartyOf(u), Origin: from, Details: details}); err != nil {
			return err
		}
		if subject.Empty() {
			return nil
		}
		return s.notify(ctx, tx, u.Email, u, subject, what, now, from)
	})
	if err == nil && !subject.Empty() {
		s.mailWake()
	}
	return err
}

// notify queues a security notice to addr inside tx, in u's language (the
// change is theirs: with none chosen, the language they made it in).
func (s *Service) notify(ctx context.Context, tx *models.Store, addr string, u *models.User, subject, what emails.Text,
	now time.Time, from audit.Origin) error {
	rctx, err := mail.Visitor(ctx, tx, u)
	if err != nil {
		return err
	}
	msg, err := mail.NoticeEmail{To: addr, Subject: subject, DisplayName: u.DisplayName, What: what,
		When: now, IP: from.IP}.Message(rctx)
	if err != nil {
		return err
	}
	msg.AccountID = u.AccountID
	return mail.Enqueue(ctx, tx, msg, nil, now)
}

func (s *Service) link(path string) string {
	u := *s.publicURL
	u.Path += path
	return u.String()
}
