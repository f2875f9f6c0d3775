package provider

import (
	"context"
	"errors"
	"time"

	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/app/mail"
	"accountportal/app/security"
	"accountportal/models"
)

// Errors of the invitation's page.
var (
	// ErrNotPending answers for unknown ids, the staff account and
	// accounts whose Primary Admin already accepted: only a pending
	// customer account has an invitation to look at.
	ErrNotPending = apperr.New(apperr.NotFound, "No customer account with that id is waiting for its Primary Admin.")
	// ErrNoLiveInvitation refuses to void an invitation that is already
	// used, voided or expired.
	ErrNoLiveInvitation = apperr.New(apperr.Conflict, "The invitation is no longer open: there is nothing to void. Send a new one instead.")
)

// Invitation is the state of a pending account's invitation.
type Invitation struct {
	Account *models.Account
	Admin   *models.User
	// Link is the newest invitation link; nil when none was ever sent.
	Link *models.Token
	Now  time.Time
}

// Live reports whether the newest link still works.
func (inv *Invitation) Live() bool {
	l := inv.Link
	return l != nil && l.UsedAt == nil && l.VoidedAt == nil && inv.Now.Before(l.ExpiresAt)
}

// Invitation returns the invitation of the pending customer account with
// id, or ErrNotPending.
func (s *Service) Invitation(ctx context.Context, op *identity.Principal, accountID int64) (*Invitation, error) {
	if !op.IsOperator() {
		return nil, ErrNotOperator
	}
	a, u, err := pending(ctx, s.store, accountID)
	if err != nil {
		return nil, err
	}
	inv := &Invitation{Account: a, Admin: u, Now: s.now()}
	links, err := s.store.Tokens.OfUser(ctx, u.ID, models.PurposeInvitation, 1)
	if err != nil {
		return nil, err
	}
	if len(links) > 0 {
		inv.Link = &links[0]
	}
	return inv, nil
}

// ResendInvitation voids the pending account's invitation links and sends
// a new 72-hour one, audited in both logs. It returns the Primary Admin
// it went to, or ErrNotPending.
func (s *Service) ResendInvitation(ctx context.Context, op *identity.Principal, accountID int64, from audit.Origin) (*models.User, error) {
	if !op.IsOperator() {
		return nil, ErrNotOperator
	}
	var admin *models.User
	err := s.store.InTx(ctx, func(tx *models.Store) error {
		a, u, err := pending(ctx, tx, accountID)
		if err != nil {
			return err
		}
		now := s.now()
		t, err := s.invite(ctx, tx, op, a, u, now)
		if err != nil {
			return err
		}
		admin = u
		return recordTwice(ctx, tx, now, op, a, audit.Entry{Action: ActionInvitationResent, Target: audit.PartyOf(u),
			Origin: from, Details: map[string]any{"link_id": t.ID, "expires_at": stampUTC(t.ExpiresAt)}})
	})
	if err != nil {
		return nil, err
	}
	s.mailWake()
	return admin, nil
}

// VoidInvitation makes the pending account's open invitation link stop
// working, audited in both logs. It returns ErrNotPending, or
// ErrNoLiveInvitation when no link is open.
func (s *Service) VoidInvitation(ctx context.Context, op *identity.Principal, accountID int64, from audit.Origin) error {
	if !op.IsOperator() {
		return ErrNotOperator
	}
	return s.store.InTx(ctx, func(tx *models.Store) error {
		a, u, err := pending(ctx, tx, accountID)
		if err != nil {
			return err
		}
		now := s.now()
		n, err := tx.Tokens.Void(ctx, u.ID, "voided by the provider's operator "+op.User.DisplayName, now, 0, models.PurposeInvitation)
		if err != nil {
			return err
		}
		if n == 0 {
			return ErrNoLiveInvitation
		}
		return recordTwice(ctx, tx, now, op, a, audit.Entry{Action: ActionInvitationVoided, Target: audit.PartyOf(u),
			Origin: from})
	})
}

// pending returns the pending customer account with id and its Primary
// Admin, or ErrNotPending.
func pending(ctx context.Context, store *models.Store, accountID int64) (*models.Account, *models.User, error) {
	a, err := store.Accounts.ByID(ctx, accountID)
	if errors.Is(err, models.ErrNotFound) {
		return nil, nil, ErrNotPending
	}
	if err != nil {
		return nil, nil, err
	}
	if a.IsStaff() || a.Status != models.AccountPending {
		return nil, nil, ErrNotPending
	}
	u, err := store.Users.PrimaryAdminOf(ctx, a.ID)
	if errors.Is(err, models.ErrNotFound) {
		return nil, nil, ErrNotPending
	}
	return a, u, err
}

// invite voids the user's earlier invitation links, creates a new one for
// 72 hours in their link ledger and queues its email, through tx.
func (s *Service) invite(ctx context.Context, tx *models.Store, op *identity.Principal, a *models.Account,
	u *models.User, now time.Time) (*models.Token, error) {
	again, err := tx.Tokens.Has(ctx, u.ID, models.PurposeInvitation)
	if err != nil {
		return nil, err
	}
	if _, err := tx.Tokens.Void(ctx, u.ID, "newer invitation sent", now, 0, models.PurposeInvitation); err != nil {
		return nil, err
	}
	raw, digest := security.NewToken()
	t := &models.Token{UserID: u.ID, Purpose: models.PurposeInvitation, SHA256: digest, CreatedAt: now,
		ExpiresAt: now.Add(InvitationTTL), RequestedByID: &op.User.ID, RequestedByName: op.User.DisplayName}
	if err := tx.Tokens.Create(ctx, t); err != nil {
		return nil, err
	}
	rctx, err := mail.Reader(ctx, tx, u)
	if err != nil {
		return nil, err
	}
	msg, err := mail.InvitationEmail{To: u.Email, DisplayName: u.DisplayName, Company: a.Name, AccountNumber: a.Number,
		Username: u.Username, InvitedBy: op.User.DisplayName, Link: s.link("/invite/" + raw),
		Expires: t.ExpiresAt, Again: again}.Message(rctx)
	if err != nil {
		return nil, err
	}
	msg.AccountID = a.ID
	return t, mail.Enqueue(ctx, tx, msg, &t.ID, now)
}

// link returns the public address of path, never built from a request.
func (s *Service) link(path string) string {
	u := *s.publicURL
	u.Path += path
	return u.String()
}
