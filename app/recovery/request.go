package recovery

import (
	"context"
	"errors"
	"strings"

	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/app/mail"
	"accountportal/app/throttle"
	"accountportal/models"
	"accountportal/views/emails"
	"accountportal/views/i18n"
)

// RequestPasswordReset queues a reset for the typed username. It does the
// same work for every username: count the attempt and queue the request
// (skipped when throttled). Whether the user exists, is suspended or
// throttled is decided later, off the request path, and never shown.
func (s *Service) RequestPasswordReset(ctx context.Context, username string, from audit.Origin) error {
	return s.queue(ctx, models.RecoverPassword, identity.UsernameKey(username), from)
}

// RequestUsernameReminder queues an email listing the usernames registered
// with the typed address; an address with no account gets nothing.
func (s *Service) RequestUsernameReminder(ctx context.Context, email string, from audit.Origin) error {
	return s.queue(ctx, models.RecoverUsername, identity.EmailKey(email), from)
}

func (s *Service) queue(ctx context.Context, kind, identifier string, from audit.Origin) error {
	_, err := s.limiter.Take(ctx, throttle.Key{Name: "recover:" + kind + ":" + identifier, Limit: s.cfg.PerIdentifier},
		throttle.Key{Name: "recover:ip:" + from.IP, Limit: s.cfg.PerIP})
	if apperr.Is(err, apperr.TooMany) {
		// Over the limit: answered like every other request, and dropped.
		return nil
	}
	if err != nil {
		return err
	}
	err = s.store.Recoveries.Queue(ctx, &models.RecoveryRequest{Kind: kind, Identifier: identifier,
		IP: from.IP, UserAgent: from.UserAgent, Language: requestLanguage(ctx), CreatedAt: s.now()})
	if err == nil {
		select {
		case s.queued <- struct{}{}:
		default:
		}
	}
	return err
}

// ProcessQueue handles queued requests until the queue is empty and
// returns how many it handled. Each request is handled in the transaction
// that takes it off the queue, so a failure leaves it queued.
func (s *Service) ProcessQueue(ctx context.Context) (int, error) {
	n := 0
	for {
		err := s.store.InTx(ctx, func(tx *models.Store) error {
			r, err := tx.Recoveries.Take(ctx)
			if err != nil {
				return err
			}
			return s.handle(ctx, tx, r)
		})
		if errors.Is(err, models.ErrNotFound) {
			if n > 0 {
				s.mailWake()
			}
			return n, nil
		}
		if err != nil {
			return n, err
		}
		n++
	}
}

// requestLanguage is the language a visitor asks in, kept with their
// request: the email is written later, off the request path.
func requestLanguage(ctx context.Context) string {
	if lang := i18n.Preferred(ctx); i18n.Supported(lang) {
		return lang
	}
	return ""
}

func (s *Service) handle(ctx context.Context, tx *models.Store, r *models.RecoveryRequest) error {
	from := audit.Origin{IP: r.IP, UserAgent: r.UserAgent}
	if r.Language != "" {
		// The visitor's language, for the email of a user who chose none.
		ctx = i18n.WithPreferred(i18n.WithLanguage(ctx, r.Language), r.Language)
	}
	if r.Kind == models.RecoverUsername {
		return s.remindUsernames(ctx, tx, r.Identifier)
	}
	u, err := tx.Users.ByUsernameKey(ctx, r.Identifier)
	if errors.Is(err, models.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if u.Status != models.StatusActive {
		return s.refuse(ctx, tx, u, from, "user is "+u.Status)
	}
	a, err := tx.Accounts.ByID(ctx, u.AccountID)
	if err != nil {
		return err
	}
	if !a.Usable() {
		return s.refuse(ctx, tx, u, from, "account is "+a.Status)
	}
	until, err := throttle.LockedUntil(ctx, tx, s.now(), answerKey(u.ID))
	if err != nil {
		return err
	}
	if !until.IsZero() {
		return s.refuse(ctx, tx, u, from, "blocked after wrong security answers")
	}
	return s.IssueReset(ctx, tx, u, nil, "", from)
}

// refuse records a reset request that got no email.
func (s *Service) refuse(ctx context.Context, tx *models.Store, u *models.User, from audit.Origin, why string) error {
	return audit.Record(ctx, tx, s.now(), audit.Entry{AccountID: u.AccountID, Actor: audit.PartyOf(u),
		Action: audit.ActionResetRefused, Target: audit.PartyOf(u), Origin: from,
		Details: map[string]any{"reason": why}})
}

func (s *Service) remindUsernames(ctx context.Context, tx *models.Store, emailKey string) error {
	users, err := tx.Users.ActiveByEmail(ctx, emailKey, 20)
	if err != nil || len(users) == 0 {
		return err
	}
	names, err := usernamesWithAccounts(ctx, tx, users)
	if err != nil {
		return err
	}
	rctx, err := usernamesReader(ctx, tx, users)
	if err != nil {
		return err
	}
	msg, err := mail.UsernamesEmail{To: users[0].Email, Usernames: names, SignInLink: s.link("/login")}.Message(rctx)
	if err != nil {
		return err
	}
	now := s.now()
	if err := mail.Enqueue(ctx, tx, msg, nil, now); err != nil {
		return err
	}
	for i := range users {
		err := audit.Record(ctx, tx, now, audit.Entry{AccountID: users[i].AccountID, Actor: audit.PartyOf(&users[i]),
			Action: audit.ActionUsernameReminder, Target: audit.PartyOf(&users[i]),
			Details: map[string]any{"to": strings.ToLower(users[0].Email)}})
		if err != nil {
			return err
		}
	}
	return nil
}

// usernamesReader is the language of the forgotten-username email. It goes
// to an address, which several users (in several accounts) may share:
// when every one of them reads the same language (their own, else their
// account's), that one; else the language the address's owner asked in,
// the only one we know the person reading it speaks. It has no times, so
// no time zone.
func usernamesReader(ctx context.Context, tx *models.Store, users []models.User) (context.Context, error) {
	common := ""
	for i := range users {
		lang, err := mail.Language(ctx, tx, &users[i])
		if err != nil {
			return ctx, err
		}
		if lang == "" || (i > 0 && lang != common) {
			common = ""
			break
		}
		common = lang
	}
	if common == "" {
		common = i18n.Preferred(ctx)
	}
	return mail.InLanguage(ctx, common), nil
}

// usernamesWithAccounts names each user's company beside their username,
// since one address may be used in several customer accounts.
func usernamesWithAccounts(ctx context.Context, tx *models.Store, users []models.User) ([]emails.AccountUsername, error) {
	accounts := map[int64]emails.Text{}
	out := make([]emails.AccountUsername, len(users))
	for i, u := range users {
		name, ok := accounts[u.AccountID]
		if !ok {
			a, err := tx.Accounts.ByID(ctx, u.AccountID)
			if err != nil {
				return nil, err
			}
			name = emails.AccountName(a.Name, a.Number)
			accounts[u.AccountID] = name
		}
		out[i] = emails.AccountUsername{Username: u.Username, Account: name}
	}
	return out, nil
}
