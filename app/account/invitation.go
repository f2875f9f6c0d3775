package account

import (
	"context"
	"errors"

	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/app/security"
	"accountportal/models"
)

// ErrInvitationInvalid covers unknown, malformed, expired, used and voided
// invitation links alike, and links whose account was suspended or closed
// before its Primary Admin accepted.
var ErrInvitationInvalid = apperr.New(apperr.NotFound, "This invitation has expired or was already used.")

// ActionInvitationAccepted is the audit action of a Primary Admin
// finishing their account's setup through an operator's invitation.
const ActionInvitationAccepted = "account.invitation_accepted"

// Invitee is what the invitation's page shows the Primary Admin: the
// account they are setting up and the details the operator gave, which
// they cannot change here, and the rules their password must meet.
type Invitee struct {
	Company       string
	AccountNumber string
	DisplayName   string
	Email         string
	Username      string
	Policy        security.PasswordPolicy
	// Subject is whom the password policy checks the password against.
	Subject security.Subject
	// Language and AccountLanguage are the Primary Admin's and their
	// account's chosen languages ("" for none), which the invitation's
	// pages speak.
	Language, AccountLanguage string
}

// OpenInvitation checks an emailed invitation link's token and returns the
// id of the live invitation it names, or ErrInvitationInvalid.
func (s *Setup) OpenInvitation(ctx context.Context, raw string) (int64, error) {
	if len(raw) != 43 {
		return 0, ErrInvitationInvalid
	}
	t, err := s.store.Tokens.ByDigest(ctx, security.Digest(raw))
	if errors.Is(err, models.ErrNotFound) {
		return 0, ErrInvitationInvalid
	}
	if err != nil {
		return 0, err
	}
	if _, _, _, err := s.invitation(ctx, s.store, t.ID); err != nil {
		return 0, err
	}
	return t.ID, nil
}

// Invitation returns what the page of the live invitation with tokenID
// shows, or ErrInvitationInvalid.
func (s *Setup) Invitation(ctx context.Context, tokenID int64) (*Invitee, error) {
	inv, _, _, err := s.invitation(ctx, s.store, tokenID)
	return inv, err
}

// AcceptInvitation checks the credentials the invited Primary Admin chose
// under their account's password policy and, in one transaction, uses the
// link (of any number of parallel submissions exactly one succeeds), makes
// the Primary Admin active with their password, passphrase and optional
// security question, makes the account active and audits it in the
// account's log. It signs nobody in. It returns the Primary Admin; an
// apperr.Invalid error with per-field messages; or ErrInvitationInvalid.
func (s *Setup) AcceptInvitation(ctx context.Context, tokenID int64, c Credentials, from audit.Origin) (*models.User, error) {
	inv, u, a, err := s.invitation(ctx, s.store, tokenID)
	if err != nil {
		return nil, err
	}
	c = c.tidy()
	if err := apperr.Problems(c.problems(inv.Policy, inv.Subject)); err != nil {
		return nil, err
	}
	ch, err := s.hash(ctx, c)
	if err != nil {
		return nil, err
	}
	now := s.now()
	err = s.store.InTx(ctx, func(tx *models.Store) error {
		if err := tx.Tokens.Use(ctx, tokenID, now); err != nil {
			return invalidIfNotFound(err)
		}
		if err := tx.Users.Join(ctx, u.ID, ch.passwordHash, ch.question, ch.answerHash, now); err != nil {
			return invalidIfNotFound(err)
		}
		if err := tx.Accounts.ActivatePending(ctx, a.ID, now); err != nil {
			return invalidIfNotFound(err)
		}
		if err := s.keepPassphrase(ctx, tx, u.ID, ch, now); err != nil {
			return err
		}
		u.Status = models.StatusActive
		return audit.Record(ctx, tx, now, audit.Entry{AccountID: a.ID, Actor: audit.PartyOf(u),
			Action: ActionInvitationAccepted, Target: audit.PartyOf(u), Origin: from,
			Details: map[string]any{"link_id": tokenID, "account_number": a.Number, "company": a.Name,
				"security_question_set": ch.question != ""}})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// invitation returns the invitation with tokenID and its user and account
// when the token is a live invitation of an invited Primary Admin of a
// pending customer account; else ErrInvitationInvalid.
func (s *Setup) invitation(ctx context.Context, store *models.Store, tokenID int64) (*Invitee, *models.User, *models.Account, error) {
	t, err := store.Tokens.ByIDAnyAccount(ctx, tokenID)
	if err != nil {
		return nil, nil, nil, invalidIfNotFound(err)
	}
	if t.Purpose != models.PurposeInvitation || t.UsedAt != nil || t.VoidedAt != nil || !s.now().Before(t.ExpiresAt) {
		return nil, nil, nil, ErrInvitationInvalid
	}
	u, err := store.Users.ByIDAnyAccount(ctx, t.UserID)
	if err != nil {
		return nil, nil, nil, invalidIfNotFound(err)
	}
	a, err := store.Accounts.ByID(ctx, u.AccountID)
	if err != nil {
		return nil, nil, nil, invalidIfNotFound(err)
	}
	if u.Status != models.StatusInvited || !u.IsPrimaryAdmin || a.Status != models.AccountPending || a.IsStaff() {
		return nil, nil, nil, ErrInvitationInvalid
	}
	inv := &Invitee{Company: a.Name, AccountNumber: a.Number, DisplayName: u.DisplayName, Email: u.Email,
		Username: u.Username, Policy: identity.PolicyFor(a, false),
		Subject:  security.Subject{Username: u.Username, Email: u.Email, DisplayName: u.DisplayName},
		Language: u.Language, AccountLanguage: a.Language}
	return inv, u, a, nil
}

func invalidIfNotFound(err error) error {
	if errors.Is(err, models.ErrNotFound) {
		return ErrInvitationInvalid
	}
	return err
}
