package recovery

import (
	"context"
	"errors"
	"time"

	"accountportal/app/admin"
	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/app/mail"
	"accountportal/app/security"
	"accountportal/models"
	"accountportal/views/emails"
)

// NewPassword is the last step of the wizard.
type NewPassword struct {
	Link     Link
	Password string
	Confirm  string
	// SignOutEverywhere ends every session of the user.
	SignOutEverywhere bool
}

// Complete sets the new password. In one transaction it uses the link (of
// many parallel submissions exactly one succeeds), stores the hash, voids
// the user's other links, ends their sessions if asked, cancels a pending
// Primary Admin transfer to the user, audits and queues the "Your password
// was changed" email. It does not sign anyone in. It
// returns an apperr.Invalid error with field messages, ErrLinkInvalid, or
// ErrQuestionFirst when the link's visit did not answer the user's
// security question (the token row records the visit that did).
func (s *Service) Complete(ctx context.Context, in NewPassword, from audit.Origin) error {
	step, u, err := s.step(ctx, in.Link)
	if err != nil {
		return err
	}
	if step.QuestionDue() {
		return ErrQuestionFirst
	}
	pw := security.NormalizePassword(in.Password)
	if err := s.checkNew(ctx, u, step, pw, security.NormalizePassword(in.Confirm)); err != nil {
		// A parallel submission may have used the link meanwhile, setting
		// this very password ("choose one different from your current
		// one"): then what failed is the link.
		if _, _, lerr := s.live(ctx, s.store, in.Link.TokenID); lerr != nil {
			return lerr
		}
		return err
	}
	hash, err := s.hasher.Hash(ctx, pw)
	if err != nil {
		return err
	}
	now := s.now()
	err = s.store.InTx(ctx, func(tx *models.Store) error {
		if err := s.use(ctx, tx, in.Link, step, now); err != nil {
			return errors.Join(ignoreNotFound(err), ErrLinkInvalid)
		}
		// A link proves only control of the mailbox: a pending Primary
		// Admin transfer to this user ends rather than pass to whoever
		// reads their mail.
		if err := admin.CancelTransferTo(ctx, tx, u, u, admin.BecauseResetByLink, from, now, s.link("/admin/privileges")); err != nil {
			return err
		}
		if err := identity.SetPassword(ctx, tx, u.ID, hash, now); err != nil {
			return err
		}
		if step.Welcome {
			// The new user chose a password: they have joined.
			if err := tx.Users.SetStatusOf(ctx, []int64{u.ID}, models.StatusActive, now); err != nil {
				return err
			}
		}
		if in.SignOutEverywhere {
			if _, err := tx.Sessions.RevokeUser(ctx, u.ID, "password_reset", now); err != nil {
				return err
			}
		}
		if err := s.noteQuestionSkipped(ctx, tx, u, step, from); err != nil {
			return err
		}
		action := audit.ActionResetCompleted
		if step.Welcome {
			action = audit.ActionWelcomeCompleted
		}
		if err := audit.Record(ctx, tx, now, audit.Entry{AccountID: u.AccountID, Actor: audit.PartyOf(u),
			Action: action, Target: audit.PartyOf(u), Origin: from,
			Details: map[string]any{"link_id": in.Link.TokenID, "signed_out_everywhere": in.SignOutEverywhere}}); err != nil {
			return err
		}
		msg, err := s.passwordNotice(ctx, tx, u, step.Welcome, now, from)
		if err != nil {
			return err
		}
		msg.AccountID = u.AccountID
		return mail.Enqueue(ctx, tx, msg, nil, now)
	})
	if err == nil {
		s.mailWake()
	}
	return err
}

// ErrQuestionFirst is the answer to a new password sent before the
// security question was answered.
var ErrQuestionFirst = apperr.New(apperr.Forbidden, "Answer your security question first.")

// use marks the link's token used, once: when the user has a security
// question, only if this visit answered it, so an answer replaced by
// another visit's meanwhile does not count.
func (s *Service) use(ctx context.Context, tx *models.Store, link Link, step *Step, now time.Time) error {
	if step.Question != "" {
		return tx.Tokens.UseAnswered(ctx, link.TokenID, security.Digest(link.Visit), now)
	}
	return tx.Tokens.Use(ctx, link.TokenID, now)
}

// passwordNotice is the email that follows a new password: "Your password
// was changed" after a reset; after a welcome link, that the account is
// ready.
// It is in the user's language: their own, else their account's, else the
// one they chose the password in.
func (s *Service) passwordNotice(ctx context.Context, tx *models.Store, u *models.User, welcome bool, now time.Time,
	from audit.Origin) (mail.Message, error) {
	ctx, err := mail.Visitor(ctx, tx, u)
	if err != nil {
		return mail.Message{}, err
	}
	if !welcome {
		return mail.PasswordChangedEmail{To: u.Email, DisplayName: u.DisplayName, Username: u.Username,
			When: now, IP: from.IP}.Message(ctx)
	}
	return mail.InfoEmail{To: u.Email, Subject: emails.Say("email.password_set.subject"), DisplayName: u.DisplayName,
		Lines: []emails.Text{emails.Say("email.password_set.chosen", map[string]any{"Username": u.Username, "When": now, "IP": from.IP}),
			emails.Say("email.password_set.sign_in")},
		Link: s.link("/login"), LinkLabel: emails.Say("email.layout.sign_in")}.Message(ctx)
}

// checkNew applies the account's policy, the confirmation and the rule that
// the new password differs from the current one.
func (s *Service) checkNew(ctx context.Context, u *models.User, step *Step, pw, confirm string) error {
	errs := identity.NewPasswordProblems(step.Policy, step.Subject, pw, confirm)
	if err := apperr.Problems(errs); err != nil {
		return err
	}
	return identity.DiffersFromCurrent(ctx, s.hasher, u, pw)
}

// noteQuestionSkipped audits a reset that the account wanted guarded by a
// security question the user never set.
func (s *Service) noteQuestionSkipped(ctx context.Context, tx *models.Store, u *models.User, step *Step, from audit.Origin) error {
	if step.Question != "" {
		return nil
	}
	a, err := tx.Accounts.ByID(ctx, u.AccountID)
	if err != nil || !a.RequireSecurityQuestion {
		return err
	}
	return audit.Record(ctx, tx, s.now(), audit.Entry{AccountID: u.AccountID, Actor: audit.PartyOf(u),
		Action: audit.ActionResetQuestionSkipped, Target: audit.PartyOf(u), Origin: from,
		Details: map[string]any{"reason": "account requires a security question but the user has none"}})
}
