package admin

import (
	"context"

	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/app/profile"
	"accountportal/app/secrets"
	"accountportal/models"
	"accountportal/views/emails"
)

// Acceptance is what the chosen user types to accept a transfer.
type Acceptance struct {
	// Password is their own, typed now: a session alone does not prove
	// that the person accepting is the one the Primary Admin chose.
	Password string
	// Passphrase is their new support passphrase; asked only when they
	// have none, since the Primary Admin always has one.
	Passphrase string
}

// AcceptTransfer makes the actor the Primary Admin, as the transfer offered
// to them asks. It needs their password (checked and counted like every
// re-authentication) and, when they have no support passphrase, a new one
// by My Profile's rules, stored in the transaction that moves the role. It
// returns ErrNoTransfer when nothing is offered to them (or it expired or
// was decided meanwhile), an apperr.Invalid error with field messages, or
// the password checker's throttling error.
func (s *Privileges) AcceptTransfer(ctx context.Context, actor *identity.Principal, in Acceptance, from audit.Origin) error {
	offeredTo, err := s.offeredTo(ctx, s.store, actor.Account.ID)
	if err != nil {
		return err
	}
	if offeredTo != actor.User.ID {
		return ErrNoTransfer
	}
	// Every problem at once: a typed password is checked (and counted)
	// even when the passphrase beside it will not do.
	errs := acceptanceProblems(actor, in)
	if in.Password != "" {
		err = s.passwords.CheckPassword(ctx, actor.User, in.Password)
		if apperr.Is(err, apperr.Invalid) {
			errs[AcceptPassword] = identity.ErrWrongPassword.Message
		} else if err != nil {
			return err
		}
	}
	if err := apperr.Problems(errs); err != nil {
		return err
	}
	var sealed *models.Secret
	if !actor.HasPassphrase {
		if sealed, err = s.secrets.Seal(secrets.Passphrase, actor.User.ID, in.Passphrase, s.now()); err != nil {
			return err
		}
	}
	return s.decide(ctx, actor, true, sealed, from)
}

// acceptanceProblems checks the form's fields, apart from comparing the
// password.
func acceptanceProblems(actor *identity.Principal, in Acceptance) map[apperr.Subject]string {
	errs := map[apperr.Subject]string{}
	if in.Password == "" {
		errs[AcceptPassword] = "Enter your password to confirm"
	}
	if !actor.HasPassphrase {
		u := actor.User
		owner := profile.PassphraseOwner{Password: in.Password, Username: u.Username, Email: u.Email, DisplayName: u.DisplayName}
		if msg := profile.CheckPassphrase(in.Passphrase, owner); msg != "" {
			errs[AcceptPassphrase] = msg
		}
	}
	return errs
}

// setPassphrase stores the new Primary Admin's first passphrase in tx,
// audited as a passphrase change; nil means they kept theirs.
func (s *Privileges) setPassphrase(ctx context.Context, tx *models.Store, actor *identity.Principal, sealed *models.Secret, from audit.Origin) error {
	if sealed == nil {
		return nil
	}
	if err := tx.Secrets.Put(ctx, sealed); err != nil {
		return err
	}
	if err := audit.Record(ctx, tx, s.now(), audit.Entry{AccountID: actor.Account.ID, Actor: audit.PartyOf(actor.User),
		Action: profile.ActionPassphraseChanged, Target: audit.PartyOf(actor.User), Origin: from,
		Details: map[string]any{"while": "accepting the Primary Admin role"}}); err != nil {
		return err
	}
	return s.tell(ctx, tx, actor.User, emails.Say("email.transfer.accepted_subject"), s.now(),
		emails.Say("email.transfer.accepted", map[string]any{"Account": actor.Account.Name}),
		emails.Say("email.transfer.accepted_passphrase"))
}
