package provider

import (
	"context"
	"errors"
	"strings"
	"time"

	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/app/mail"
	"accountportal/models"
	"accountportal/views/emails"
)

// VerificationWindow is how recent the support desk's verification of the
// Primary Admin as the caller must be for an operator to help them back in.
const VerificationWindow = 30 * time.Minute

// ResetSender issues a password reset link inside the caller's transaction
// (recovery.Service does).
type ResetSender interface {
	IssueReset(ctx context.Context, tx *models.Store, u *models.User, actor *models.User, reason string, from audit.Origin) error
	LiftAnswerLock(ctx context.Context, tx *models.Store, userID int64) (bool, error)
}

// Rescue helps a locked-out Primary Admin back in: an operator resets
// their second factor or sends them a reset link, once the support desk
// verified them as the caller. The operator never sees or sets a
// password, passphrase or second factor.
type Rescue struct {
	store    *models.Store
	now      func() time.Time
	mailWake func()
	resets   ResetSender
}

// NewRescue returns the service.
func NewRescue(store *models.Store, now func() time.Time, mailWake func(), resets ResetSender) *Rescue {
	if mailWake == nil {
		mailWake = func() {}
	}
	return &Rescue{store: store, now: now, mailWake: mailWake, resets: resets}
}

// Action is the subject of a missing or unknown choice of help.
const Action apperr.Subject = "provider.action"

// Rescue actions.
const (
	RescueMFA   = "mfa"
	RescueReset = "reset"
)

// ErrNotVerified refuses help to a Primary Admin the support desk has not
// verified lately.
var ErrNotVerified = apperr.New(apperr.Conflict, "The support desk must first verify the Primary Admin as the caller, "+
	"by their support passphrase or a one-time support code, within the last 30 minutes.")

// ErrNotUsable refuses help within a suspended or closed account, or to
// a Primary Admin who has not joined or is suspended.
var ErrNotUsable = apperr.New(apperr.Conflict, "The account or its Primary Admin cannot sign in now, so there is nothing to recover.")

// ErrNoSecondFactor refuses to reset a second factor the Primary Admin
// does not have: the reset would promise a new authenticator that their
// next sign-in does not ask for.
var ErrNoSecondFactor = apperr.New(apperr.Conflict, "They do not use multi-factor authentication, so there is nothing to reset: their password alone signs them in. "+
	"Send them a password reset link instead.")

// PrimaryStanding is what the recovery page shows.
type PrimaryStanding struct {
	Account *models.Account
	Primary *models.User
	// Usable says the account and its Primary Admin can sign in, so there
	// is something to recover; HasSecondFactor that they set one up.
	Usable          bool
	HasSecondFactor bool
	// VerifiedAt is the desk's latest verification of the Primary Admin,
	// nil when there is none; Verified says it is within the window.
	VerifiedAt *time.Time
	Verified   bool
}

// Standing returns the account's Primary Admin and whether the desk
// verified them lately. It returns an apperr.NotFound error for an
// unknown or staff account, or one without a Primary Admin yet.
func (s *Rescue) Standing(ctx context.Context, accountID int64) (*PrimaryStanding, error) {
	return s.standing(ctx, s.store, accountID)
}

func (s *Rescue) standing(ctx context.Context, store *models.Store, accountID int64) (*PrimaryStanding, error) {
	a, err := customer(ctx, store, accountID)
	if err != nil {
		return nil, err
	}
	pa, err := store.Users.PrimaryAdminOf(ctx, a.ID)
	if errors.Is(err, models.ErrNotFound) {
		return nil, apperr.New(apperr.NotFound, "This account has no Primary Admin yet.")
	}
	if err != nil {
		return nil, err
	}
	st := &PrimaryStanding{Account: a, Primary: pa, Usable: a.Usable() && a.Status != models.AccountPending &&
		pa.Status == models.StatusActive, HasSecondFactor: pa.MFAEnrolledAt != nil}
	ev, err := store.Audit.LatestFor(ctx, a.ID, pa.ID, models.SupportEventPrefix+"verified")
	if errors.Is(err, models.ErrNotFound) {
		return st, nil
	}
	if err != nil {
		return nil, err
	}
	st.VerifiedAt = &ev.At
	st.Verified = s.now().Sub(ev.At) <= VerificationWindow
	return st, nil
}

// Help resets the Primary Admin's second factor (RescueMFA) or emails
// them a reset link (RescueReset), audited in both logs with the reason.
// It returns an apperr.NotFound error for an unknown account, an
// apperr.Invalid one for the reason, ErrNotVerified without a recent
// verification by the desk and ErrNotUsable when nobody could sign in.
func (s *Rescue) Help(ctx context.Context, op *identity.Principal, accountID int64, action, reason string, from audit.Origin) error {
	if action != RescueMFA && action != RescueReset {
		return apperr.Problems(map[apperr.Subject]string{Action: "Choose to reset their multi-factor authentication or to send a password reset link"})
	}
	if err := CheckReason(reason); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	err := s.store.InTx(ctx, func(tx *models.Store) error {
		st, err := s.standing(ctx, tx, accountID)
		if err != nil {
			return err
		}
		if !st.Usable {
			return ErrNotUsable
		}
		if !st.Verified {
			return ErrNotVerified
		}
		if action == RescueMFA && !st.HasSecondFactor {
			return ErrNoSecondFactor
		}
		now := s.now()
		entry := audit.Entry{Action: ActionPrimaryMFAReset, Target: audit.PartyOf(st.Primary), Origin: from,
			Details: map[string]any{"reason": reason, "verified_at": st.VerifiedAt.UTC().Format(time.RFC3339)}}
		if action == RescueReset {
			entry.Action = ActionPrimaryResetSent
			err = s.sendReset(ctx, tx, op, st.Primary, entry.Details, from)
		} else {
			err = s.resetMFA(ctx, tx, st.Primary, now)
		}
		if err != nil {
			return err
		}
		return recordTwice(ctx, tx, now, op, st.Account, entry)
	})
	if err == nil {
		s.mailWake()
	}
	return err
}

// sendReset emails the Primary Admin a reset link that does not ask their
// security question: the desk has verified them, and a forgotten answer is
// one of the ways they get locked out, with nobody above them to clear it.
// The question goes, as when an administrator clears one, and so does a
// block that wrong answers put on resetting; details record both.
func (s *Rescue) sendReset(ctx context.Context, tx *models.Store, op *identity.Principal, pa *models.User, details map[string]any, from audit.Origin) error {
	if pa.SecurityQuestion != "" {
		if err := tx.Users.SetSecurityQuestion(ctx, pa.ID, "", "", s.now()); err != nil {
			return err
		}
		details["question_cleared"] = true
	}
	unblocked, err := s.resets.LiftAnswerLock(ctx, tx, pa.ID)
	if err != nil {
		return err
	}
	if unblocked {
		details["reset_unblocked"] = true
	}
	return s.resets.IssueReset(ctx, tx, pa, op.User, "", from)
}

// resetMFA does what an administrator's reset does: the authenticator and
// backup codes go, every session ends, and the next sign-in sets up a new
// authenticator whatever the policy (unless it is off).
func (s *Rescue) resetMFA(ctx context.Context, tx *models.Store, pa *models.User, now time.Time) error {
	ids := []int64{pa.ID}
	if err := tx.MFA.ResetOf(ctx, ids, true, now); err != nil {
		return err
	}
	if _, err := tx.Sessions.RevokeOf(ctx, ids, "mfa_reset", now); err != nil {
		return err
	}
	rctx, err := mail.Reader(ctx, tx, pa)
	if err != nil {
		return err
	}
	msg, err := mail.InfoEmail{To: pa.Email, Subject: emails.Say("email.mfa_reset.subject"), DisplayName: pa.DisplayName,
		Lines: []emails.Text{emails.Say("email.mfa_reset.by_provider"), emails.Say("email.mfa_reset.by_provider_next"),
			emails.Say("email.mfa_reset.by_provider_not_you")}}.Message(rctx)
	if err != nil {
		return err
	}
	msg.AccountID = pa.AccountID
	return mail.Enqueue(ctx, tx, msg, nil, now)
}
