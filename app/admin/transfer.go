package admin

import (
	"context"
	"errors"
	"time"

	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/app/mail"
	"accountportal/models"
	"accountportal/views/emails"
)

// TransferTTL is how long the chosen user has to accept.
const TransferTTL = 72 * time.Hour

// Transfer refusals.
var (
	ErrTransferPending = apperr.New(apperr.Conflict, "A transfer is already waiting for an answer. Cancel it first.")
	ErrNoTransfer      = apperr.New(apperr.NotFound, "There is no transfer waiting for your answer, or it has expired.")
)

// errTransferTarget is a fresh error each time, so no caller can change
// another's.
func errTransferTarget() error {
	return apperr.Problems(map[apperr.Subject]string{TransferUser: "Enter the username of an active user of this account other than yourself"})
}

// PendingTransfer describes a transfer awaiting an answer.
type PendingTransfer struct {
	ID        int64
	From, To  models.User
	ExpiresAt time.Time
	Expired   bool
}

// Pending returns the account's pending transfer, or nil.
func (s *Privileges) Pending(ctx context.Context, accountID int64) (*PendingTransfer, error) {
	t, err := s.store.Transfers.Pending(ctx, accountID)
	if errors.Is(err, models.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	from, err := s.store.Users.InAccount(ctx, t.AccountID, t.FromUserID)
	if err != nil {
		return nil, err
	}
	to, err := s.store.Users.InAccount(ctx, t.AccountID, t.ToUserID)
	if err != nil {
		return nil, err
	}
	return &PendingTransfer{ID: t.ID, From: *from, To: *to, ExpiresAt: t.ExpiresAt, Expired: !s.now().Before(t.ExpiresAt)}, nil
}

// StartTransfer asks another active user, named by the username the
// Primary Admin typed, to become the Primary Admin. Only the Primary Admin
// may, confirming with their password. It returns the user asked, whom the
// confirmation names.
func (s *Privileges) StartTransfer(ctx context.Context, actor *identity.Principal, username, password string, from audit.Origin) (*models.User, error) {
	if !actor.User.IsPrimaryAdmin {
		return nil, ErrNotPrimary
	}
	if password == "" {
		return nil, apperr.Problems(map[apperr.Subject]string{TransferPassword: "Enter your password to confirm"})
	}
	err := s.passwords.CheckPassword(ctx, actor.User, password)
	if apperr.Is(err, apperr.Invalid) {
		return nil, apperr.Problems(map[apperr.Subject]string{TransferPassword: identity.ErrWrongPassword.Message})
	}
	if err != nil {
		return nil, err
	}
	to, err := s.named(ctx, actor, username, TransferUser)
	if err != nil {
		return nil, err
	}
	now := s.now()
	err = s.done(s.store.InTx(ctx, func(tx *models.Store) error {
		u, err := tx.Users.LockInAccount(ctx, actor.Account.ID, to.ID)
		if err != nil && !errors.Is(err, models.ErrNotFound) {
			return err
		}
		if err != nil || u.ID == actor.User.ID || u.Status != models.StatusActive {
			return errTransferTarget()
		}
		if old, err := tx.Transfers.Pending(ctx, actor.Account.ID); err == nil && !now.Before(old.ExpiresAt) {
			// An expired request does not block a new one.
			if err := tx.Transfers.Decide(ctx, old.ID, models.TransferCancelled, now); err != nil {
				return err
			}
		}
		t := &models.PrimaryTransfer{AccountID: actor.Account.ID, FromUserID: actor.User.ID, ToUserID: u.ID,
			CreatedAt: now, ExpiresAt: now.Add(TransferTTL)}
		if err := tx.Transfers.Create(ctx, t); err != nil {
			if errors.Is(err, models.ErrConflict) {
				return ErrTransferPending
			}
			return err
		}
		if err := audit.Record(ctx, tx, now, audit.Entry{AccountID: actor.Account.ID, Actor: audit.PartyOf(actor.User),
			Action: ActionTransferStarted, Target: audit.PartyOf(u), Origin: from,
			Details: map[string]any{"transfer_id": t.ID}}); err != nil {
			return err
		}
		return s.tell(ctx, tx, u, emails.Say("email.transfer.asked_subject"), now,
			emails.Say("email.transfer.asked", map[string]any{"Admin": actor.User.DisplayName, "Account": actor.Account.Name}),
			emails.Say("email.transfer.asked_answer", map[string]any{"ValidFor": TransferTTL}))
	}))
	if err != nil {
		return nil, err
	}
	return to, nil
}

// CancelTransfer withdraws the pending transfer. Only the Primary Admin may.
func (s *Privileges) CancelTransfer(ctx context.Context, actor *identity.Principal, from audit.Origin) error {
	if !actor.User.IsPrimaryAdmin {
		return ErrNotPrimary
	}
	return s.store.InTx(ctx, func(tx *models.Store) error {
		t, err := tx.Transfers.Pending(ctx, actor.Account.ID)
		if err != nil {
			return errors.Join(ignoreNotFound(err), ErrNoTransfer)
		}
		if err := tx.Transfers.Decide(ctx, t.ID, models.TransferCancelled, s.now()); err != nil {
			return errors.Join(ignoreNotFound(err), ErrNoTransfer)
		}
		return audit.Record(ctx, tx, s.now(), audit.Entry{AccountID: actor.Account.ID, Actor: audit.PartyOf(actor.User),
			Action: ActionTransferCancelled, Origin: from, Details: map[string]any{"transfer_id": t.ID}})
	})
}

// DeclineTransfer declines the transfer offered to the actor; the Primary
// Admin is told.
func (s *Privileges) DeclineTransfer(ctx context.Context, actor *identity.Principal, from audit.Origin) error {
	return s.decide(ctx, actor, false, nil, from)
}

// decide records the actor's answer to the transfer offered to them. On
// acceptance, in one transaction, the Primary Admin flag moves to the actor,
// the former Primary Admin becomes a Company Admin, and passphrase (when
// not nil) becomes the actor's support passphrase; of racing decisions
// exactly one takes effect, so there is always exactly one Primary Admin.
func (s *Privileges) decide(ctx context.Context, actor *identity.Principal, accept bool, passphrase *models.Secret, from audit.Origin) error {
	now := s.now()
	return s.done(s.store.InTx(ctx, func(tx *models.Store) error {
		t, err := tx.Transfers.Pending(ctx, actor.Account.ID)
		if err != nil || t.ToUserID != actor.User.ID {
			return errors.Join(ignoreNotFound(err), ErrNoTransfer)
		}
		outcome, action := models.TransferDeclined, ActionTransferDeclined
		if accept {
			outcome, action = models.TransferAccepted, ActionTransferAccepted
		}
		if err := tx.Transfers.Decide(ctx, t.ID, outcome, now); err != nil {
			return errors.Join(ignoreNotFound(err), ErrNoTransfer)
		}
		former, err := tx.Users.InAccount(ctx, t.AccountID, t.FromUserID)
		if err != nil {
			return err
		}
		if !accept {
			if err := s.recordDecision(ctx, tx, actor, former, action, t.ID, false, from); err != nil {
				return err
			}
			return s.tell(ctx, tx, former, emails.Say("email.transfer.declined_subject"), now,
				emails.Say("email.transfer.declined", map[string]any{"Name": actor.User.DisplayName, "Account": actor.Account.Name}))
		}
		if err := s.moveFlag(ctx, tx, t, former, now); err != nil {
			return err
		}
		if err := s.setPassphrase(ctx, tx, actor, passphrase, from); err != nil {
			return err
		}
		if err := s.recordDecision(ctx, tx, actor, former, action, t.ID, passphrase != nil, from); err != nil {
			return err
		}
		return s.tell(ctx, tx, former, emails.Say("email.transfer.done_subject"), now,
			emails.Say("email.transfer.done", map[string]any{"Name": actor.User.DisplayName, "Account": actor.Account.Name}),
			emails.Say("email.transfer.done_keep"))
	}))
}

func (s *Privileges) recordDecision(ctx context.Context, tx *models.Store, actor *identity.Principal, former *models.User,
	action string, transferID int64, passphraseSet bool, from audit.Origin) error {
	details := map[string]any{"transfer_id": transferID}
	if passphraseSet {
		details["passphrase_set"] = true
	}
	return audit.Record(ctx, tx, s.now(), audit.Entry{AccountID: actor.Account.ID, Actor: audit.PartyOf(actor.User),
		Action: action, Target: audit.PartyOf(former), Origin: from, Details: details})
}

// moveFlag makes the transfer's target the Primary Admin and the former
// one a Company Admin.
func (s *Privileges) moveFlag(ctx context.Context, tx *models.Store, t *models.PrimaryTransfer, former *models.User, now time.Time) error {
	if err := tx.Transfers.SetPrimaryAdmin(ctx, t.AccountID, t.FromUserID, t.ToUserID, now); err != nil {
		return errors.Join(ignoreNotFound(err), ErrNoTransfer)
	}
	company, err := tx.Roles.Builtin(ctx, "company_admin")
	if err != nil {
		return err
	}
	return tx.Roles.Assign(ctx, &models.UserRole{UserID: former.ID, RoleID: company.ID, AssignedAt: now,
		AssignedByName: "Primary Admin transfer"})
}

// tell queues a plain message to u in tx, in u's language.
func (s *core) tell(ctx context.Context, tx *models.Store, u *models.User, subject emails.Text, now time.Time, lines ...emails.Text) error {
	rctx, err := mail.Reader(ctx, tx, u)
	if err != nil {
		return err
	}
	msg, err := mail.InfoEmail{To: u.Email, Subject: subject, DisplayName: u.DisplayName, Lines: lines,
		Link: s.link("/"), LinkLabel: emails.Say("email.layout.open_portal")}.Message(rctx)
	if err != nil {
		return err
	}
	msg.AccountID = u.AccountID
	return mail.Enqueue(ctx, tx, msg, nil, now)
}

func ignoreNotFound(err error) error {
	if errors.Is(err, models.ErrNotFound) {
		return nil
	}
	return err
}
