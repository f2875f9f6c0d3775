package provider

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/app/mail"
	"accountportal/models"
	"accountportal/views/emails"
)

// Lifecycle suspends, reactivates, closes and purges customer accounts.
// The account's status is its own, apart from its users': a suspended
// account's users keep theirs and get them back on reactivation.
type Lifecycle struct {
	store     *models.Store
	now       func() time.Time
	mailWake  func()
	retention time.Duration
}

// NewLifecycle returns the service; retention is how long a closed
// account's data is kept before Purge may remove it.
func NewLifecycle(store *models.Store, now func() time.Time, mailWake func(), retention time.Duration) *Lifecycle {
	if mailWake == nil {
		mailWake = func() {}
	}
	return &Lifecycle{store: store, now: now, mailWake: mailWake, retention: retention}
}

// Reason is the subject of a refused reason.
const Reason apperr.Subject = "provider.reason"

// MaxReason bounds an operator's reason, in characters.
const MaxReason = 500

// Transition is one change of an account's status an operator can make.
type Transition struct {
	// Verb names it in the address and on the button: suspend, reactivate, close.
	Verb string
	// From are the statuses it starts from; To is where it leads.
	From   []string
	To     string
	Action string
}

// Transitions, by verb.
var (
	Suspend = Transition{Verb: "suspend", From: []string{models.AccountActive, models.AccountPending},
		To: models.AccountSuspended, Action: ActionAccountSuspended}
	Reactivate = Transition{Verb: "reactivate", From: []string{models.AccountSuspended},
		To: models.AccountActive, Action: ActionAccountReactivated}
	Close = Transition{Verb: "close", From: []string{models.AccountActive, models.AccountPending, models.AccountSuspended},
		To: models.AccountClosed, Action: ActionAccountClosed}
)

// TransitionOf returns the transition named verb.
func TransitionOf(verb string) (Transition, bool) {
	for _, t := range []Transition{Suspend, Reactivate, Close} {
		if t.Verb == verb {
			return t, true
		}
	}
	return Transition{}, false
}

// Allowed reports whether the transition may start from status.
func (t Transition) Allowed(status string) bool {
	for _, f := range t.From {
		if f == status {
			return true
		}
	}
	return false
}

// ErrTransition refuses a change the account's status does not allow.
var ErrTransition = apperr.New(apperr.Conflict, "The account's status does not allow this. The page shows it as it is now.")

// CheckReason refuses an empty or overlong reason.
func CheckReason(reason string) error {
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return apperr.Problems(map[apperr.Subject]string{Reason: "Enter the reason: it goes in both audit logs"})
	case utf8.RuneCountInString(reason) > MaxReason:
		return apperr.Problems(map[apperr.Subject]string{Reason: "The reason must be 500 characters or fewer"})
	}
	return nil
}

// Customer returns the customer account id, or an apperr.NotFound error
// (also for the provider's own staff account).
func (s *Lifecycle) Customer(ctx context.Context, id int64) (*models.Account, error) {
	return customer(ctx, s.store, id)
}

func customer(ctx context.Context, store *models.Store, id int64) (*models.Account, error) {
	a, err := store.Accounts.ByID(ctx, id)
	if errors.Is(err, models.ErrNotFound) || (err == nil && a.IsStaff()) {
		return nil, ErrNoAccount
	}
	return a, err
}

// Change makes the transition on the account, in one transaction with
// both audit entries and, for a suspension or closure, the notice to the
// Primary Admin. Every user's session ends at its next request (the
// principal carries the account's status). It returns an apperr.NotFound
// error for an unknown or staff account, an apperr.Invalid error for the
// reason, and ErrTransition when the status does not allow it.
func (s *Lifecycle) Change(ctx context.Context, op *identity.Principal, accountID int64, t Transition,
	reason string, from audit.Origin) error {
	if err := CheckReason(reason); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	err := s.store.InTx(ctx, func(tx *models.Store) error {
		a, err := customer(ctx, tx, accountID)
		if err != nil {
			return err
		}
		now := s.now()
		var purgeAfter *time.Time
		if t.To == models.AccountClosed {
			p := now.Add(s.retention)
			purgeAfter = &p
		}
		pa, err := tx.Users.PrimaryAdminOf(ctx, a.ID)
		if err != nil && !errors.Is(err, models.ErrNotFound) {
			return err
		}
		t.To = destination(pa, t)
		err = tx.Accounts.SetStatus(ctx, a.ID, t.From, t.To, reason, now, purgeAfter)
		if errors.Is(err, models.ErrConflict) {
			return ErrTransition
		}
		if err != nil {
			return err
		}
		details := map[string]any{"reason": reason, "from": a.Status, "to": t.To}
		if purgeAfter != nil {
			details["purge_after"] = purgeAfter.UTC().Format(time.RFC3339)
		}
		if err := recordTwice(ctx, tx, now, op, a, audit.Entry{Action: t.Action, Origin: from, Details: details}); err != nil {
			return err
		}
		if pa == nil {
			return nil
		}
		return s.tellPrimaryAdmin(ctx, tx, a, pa, t, purgeAfter, now)
	})
	if err == nil {
		s.mailWake()
	}
	return err
}

// destination is where t leads the account: a reactivated account whose
// Primary Admin never accepted the invitation goes back to waiting for
// them (pending), so the invitation can be resent; any other goes to t.To.
// pa is the account's Primary Admin, nil when it has none.
func destination(pa *models.User, t Transition) string {
	if t.Verb == Reactivate.Verb && pa != nil && pa.Status == models.StatusInvited {
		return models.AccountPending
	}
	return t.To
}

// tellPrimaryAdmin queues the notice of a suspension, closure or
// reactivation to the Primary Admin. It carries no account, so it goes
// out although every other message to the account's users is withheld
// while it is suspended. The operator's reason stays in the audit logs:
// it may be internal. A Primary Admin who has yet to accept the invitation
// is not told of a reactivation: the account waits for them again.
func (s *Lifecycle) tellPrimaryAdmin(ctx context.Context, tx *models.Store, a *models.Account, pa *models.User, t Transition,
	purgeAfter *time.Time, now time.Time) error {
	if t.To == models.AccountPending {
		return nil // back to waiting for them: their invitation says the rest
	}
	what := map[string]any{"Name": a.Name, "Number": a.Number, "When": now}
	subject := emails.Say("email.lifecycle.suspended_subject")
	lines := []emails.Text{emails.Say("email.lifecycle.suspended", what), emails.Say("email.lifecycle.suspended_effect"),
		emails.Say("email.lifecycle.suspended_why")}
	if t.To == models.AccountActive {
		subject = emails.Say("email.lifecycle.active_subject")
		lines = []emails.Text{emails.Say("email.lifecycle.active", what), emails.Say("email.lifecycle.active_effect")}
	}
	if t.To == models.AccountClosed {
		subject = emails.Say("email.lifecycle.closed_subject")
		lines = []emails.Text{emails.Say("email.lifecycle.closed", what),
			emails.Say("email.lifecycle.closed_kept", map[string]any{"Until": emails.Day(purgeAfter.UTC())}),
			emails.Say("email.lifecycle.closed_mistake")}
	}
	rctx, err := mail.Reader(ctx, tx, pa)
	if err != nil {
		return err
	}
	msg, err := mail.InfoEmail{To: pa.Email, Subject: subject, DisplayName: pa.DisplayName, Lines: lines}.Message(rctx)
	if err != nil {
		return err
	}
	return mail.Enqueue(ctx, tx, msg, nil, now)
}
