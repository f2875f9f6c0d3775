package admin

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

// Audit actions of single-user actions.
const (
	ActionUserCreated       = "user.created"
	ActionUserUpdated       = "user.updated"
	ActionUserDeleted       = "user.deleted"
	ActionQuestionCleared   = "security_question.cleared"
	ActionResetUnblocked    = "password_reset.unblocked"
	ActionLinkVoided        = "link.voided"
	ActionWelcomeSent       = "welcome.sent"
	ActionSessionsEndedByAd = "session.signed_out_by_admin"
)

// ListedSessions is how many of a user's sessions their page lists, so the
// page stays small whatever their history.
const ListedSessions = 10

// UserDetail is everything the user page shows.
type UserDetail struct {
	User     models.User
	Roles    []string
	Areas    []string
	Sessions []models.Session
	Links    []models.Token
	Events   []models.AuditEvent
	Actor    *identity.Principal
	// Permits says which actions of the page the actor may take, and why
	// not the others: the same rule their service methods apply.
	Permits Permits
	// CannotDelete says why the actor may not delete this user, or is "".
	CannotDelete string
	// Refusal says why the actor may not act on this user (the who-may
	// rule, mayActOn), or is "" when they may: the page then offers no
	// action.
	Refusal string
	// Now is when the page was built, to tell expired links.
	Now time.Time
	// SessionsTotal counts the user's live sessions, of which Sessions
	// lists the ListedSessions most recently used.
	SessionsTotal int64
	// ResetBlockedUntil is when the block on the user's password reset
	// after wrong security answers ends; zero when there is none.
	ResetBlockedUntil time.Time
}

// visible loads a user of the actor's account for the users console to
// show.
func (s *Users) visible(ctx context.Context, store *models.Store, actor *identity.Principal, userID int64) (*models.User, error) {
	if !actor.Can(identity.PermUsersManage) {
		return nil, ErrNoUsersManage
	}
	u, err := store.Users.InAccount(ctx, actor.Account.ID, userID)
	if errors.Is(err, models.ErrNotFound) {
		return nil, ErrNoSuchUser
	}
	return u, err
}

// UserSummary is a user with the names of their roles and areas: what the
// API shows of a user, without the console page's sessions, links and
// audit entries.
type UserSummary struct {
	User         models.User
	Roles, Areas []string
}

// Summary returns one user of the actor's account with their roles and
// areas, by the same rule as User, in two statements.
func (s *Users) Summary(ctx context.Context, actor *identity.Principal, userID int64) (*UserSummary, error) {
	u, err := s.visible(ctx, s.store, actor, userID)
	if err != nil {
		return nil, err
	}
	privs, err := s.store.Privileges.Of(ctx, []int64{u.ID})
	if err != nil {
		return nil, err
	}
	return &UserSummary{User: *u, Roles: privs.Roles[u.ID], Areas: privs.Areas[u.ID]}, nil
}

// User returns one user of the actor's account with their sessions, links
// and recent audit entries.
func (s *Users) User(ctx context.Context, actor *identity.Principal, userID int64) (*UserDetail, error) {
	u, err := s.visible(ctx, s.store, actor, userID)
	if err != nil {
		return nil, err
	}
	st, err := s.standingFor(ctx, s.store, actor, u)
	if err != nil {
		return nil, err
	}
	d := &UserDetail{User: *u, Actor: actor, Refusal: sentence(mayActOn(actor, u, st)), Now: s.now(),
		Permits: permitsOf(actor, u, st)}
	d.CannotDelete = d.Permits.Why(DoDelete)
	privs, err := s.store.Privileges.Of(ctx, []int64{u.ID})
	if err != nil {
		return nil, err
	}
	d.Roles, d.Areas = privs.Roles[u.ID], privs.Areas[u.ID]
	// No session is the admin's "current" one here: nil puts none first.
	if d.Sessions, d.SessionsTotal, err = s.store.Sessions.Listed(ctx, u.ID, nil, d.Now, ListedSessions); err != nil {
		return nil, err
	}
	if d.Links, err = s.store.Tokens.LinksOf(ctx, u.ID, 20); err != nil {
		return nil, err
	}
	if d.ResetBlockedUntil, err = s.resets.AnswerLockedUntil(ctx, u.ID); err != nil {
		return nil, err
	}
	d.Events, err = s.store.Audit.ForTarget(ctx, actor.Account.ID, u.ID, 20)
	return d, err
}

// SetStatus deactivates (suspends) or reactivates one user, by the same
// rules and statements as the bulk action. It returns an apperr.Forbidden
// error for the actor themselves and for users the actor may not act on.
func (s *Users) SetStatus(ctx context.Context, actor *identity.Principal, userID int64, action, reason string, from audit.Origin) error {
	return s.done(s.store.InTx(ctx, func(tx *models.Store) error {
		return s.setStatusIn(ctx, tx, actor, userID, action, reason, from)
	}))
}

// setStatusIn is SetStatus inside tx, for SCIM's changes too
// (Users.Provision): the user locked and judged for the action, then the
// bulk action's own statements for one user.
func (s *Users) setStatusIn(ctx context.Context, tx *models.Store, actor *identity.Principal, userID int64, action, reason string, from audit.Origin) error {
	do := DoDeactivate
	if action == BulkReactivate {
		do = DoReactivate
	}
	if _, err := s.managedFor(ctx, tx, actor, userID, do); err != nil {
		return err
	}
	if err := s.bulk.checkBulk(ctx, actor, BulkRequest{Action: action, Reason: reason}, from); err != nil {
		return err
	}
	outcomes, err := s.bulk.applyBatch(ctx, tx, actor, action, []int64{userID}, strings.TrimSpace(reason), from, s.now())
	if err != nil {
		return err
	}
	if len(outcomes) == 1 && !outcomes[0].Done {
		return apperr.New(apperr.Forbidden, "Not done: "+strings.TrimPrefix(outcomes[0].Why, "skipped: ")+".")
	}
	return nil
}

// ResetUserMFA resets one user's second factor, as the bulk action does,
// after the administrator's own code when they have one.
func (s *Users) ResetUserMFA(ctx context.Context, actor *identity.Principal, userID int64, adminCode string, from audit.Origin) error {
	if _, err := s.managedFor(ctx, s.store, actor, userID, DoResetMFA); err != nil {
		return err
	}
	reason := "reset from the user's page"
	if actor.APIToken != "" {
		reason = "reset through the API"
	}
	if err := s.bulk.checkBulk(ctx, actor, BulkRequest{Action: BulkResetMFA, Reason: reason, AdminCode: adminCode}, from); err != nil {
		return err
	}
	res, err := s.bulk.actNow(ctx, actor, BulkResetMFA, []int64{userID}, reason, from)
	if err != nil {
		return err
	}
	if len(res.Outcomes) == 1 && !res.Outcomes[0].Done {
		return apperr.New(apperr.Conflict, "Not done: "+strings.TrimPrefix(res.Outcomes[0].Why, "skipped: ")+".")
	}
	return nil
}

// ClearQuestion removes the user's security question, for users who forgot
// the answer; the user is emailed.
func (s *Users) ClearQuestion(ctx context.Context, actor *identity.Principal, userID int64, from audit.Origin) error {
	return s.done(s.store.InTx(ctx, func(tx *models.Store) error {
		u, err := s.managedFor(ctx, tx, actor, userID, DoClearQuestion)
		if err != nil {
			return err
		}
		now := s.now()
		if err := s.cancelTransferTo(ctx, tx, actor, u, BecauseQuestionCleared, from); err != nil {
			return err
		}
		if err := tx.Users.SetSecurityQuestion(ctx, u.ID, "", "", now); err != nil {
			return err
		}
		// With no question to answer, wrong answers given to the old one
		// no longer block a reset: the administrator's help works at once.
		unblocked, err := s.resets.LiftAnswerLock(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		if err := s.record(ctx, tx, actor, u, ActionQuestionCleared, map[string]any{"reset_unblocked": unblocked}, from); err != nil {
			return err
		}
		return s.tell(ctx, tx, u, emails.Say("email.admin.question_cleared_subject"), now,
			emails.Say("email.admin.question_cleared", map[string]any{"Admin": actor.User.DisplayName, "Username": u.Username}),
			emails.Say("email.admin.question_cleared_next"))
	}))
}

// ErrOwnQuestion refuses clearing one's own security question from the
// users console: My Profile changes it (asking for the password only when
// it was not typed within the recent sign-in window, so the sentence does
// not promise that it asks).
var ErrOwnQuestion = apperr.New(apperr.Forbidden, "Change your own security question in My Profile.")

// ErrResetNotBlocked is the answer to unblocking a user whose password
// reset is not blocked.
var ErrResetNotBlocked = apperr.New(apperr.Conflict, "Password reset is not blocked for this user.")

// UnblockReset ends the block that wrong security answers put on the
// user's password reset, for a user who remembers the answer after all;
// the user is emailed. It returns ErrResetNotBlocked when there is none.
func (s *Users) UnblockReset(ctx context.Context, actor *identity.Principal, userID int64, from audit.Origin) error {
	return s.done(s.store.InTx(ctx, func(tx *models.Store) error {
		u, err := s.managedFor(ctx, tx, actor, userID, DoUnblockReset)
		if err != nil {
			return err
		}
		unblocked, err := s.resets.LiftAnswerLock(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		if !unblocked {
			return ErrResetNotBlocked
		}
		if err := s.record(ctx, tx, actor, u, ActionResetUnblocked, nil, from); err != nil {
			return err
		}
		return s.tell(ctx, tx, u, emails.Say("email.admin.unblocked_subject"), s.now(),
			emails.Say("email.admin.unblocked", map[string]any{"Admin": actor.User.DisplayName, "Username": u.Username}),
			emails.Say("email.admin.unblocked_next"))
	}))
}

// DeleteUser deletes a user who left. confirm must be their username.
// Audit entries keep the names they copied.
func (s *Users) DeleteUser(ctx context.Context, actor *identity.Principal, userID int64, confirm string, from audit.Origin) error {
	return s.done(s.store.InTx(ctx, func(tx *models.Store) error {
		u, err := s.managedFor(ctx, tx, actor, userID, DoDelete)
		if err != nil {
			return err
		}
		if !strings.EqualFold(strings.TrimSpace(confirm), u.Username) {
			return apperr.Problems(map[apperr.Subject]string{DeleteConfirmation: "Type the username " + u.Username + " to confirm"})
		}
		if err := s.cancelTransferTo(ctx, tx, actor, u, BecauseDeleted, from); err != nil {
			return err
		}
		if err := s.record(ctx, tx, actor, u, ActionUserDeleted, map[string]any{"email": u.Email}, from); err != nil {
			return err
		}
		return tx.Users.Delete(ctx, actor.Account.ID, u.ID)
	}))
}

// cannotDelete says why the actor may not delete u, whom they may act on,
// or returns "".
func cannotDelete(actor *identity.Principal, u *models.User) string {
	switch {
	case u.ID == actor.User.ID:
		return "You cannot delete yourself."
	case u.IsPrimaryAdmin:
		return "The Primary Admin cannot be deleted. Transfer the role first."
	}
	return ""
}

// SignOut ends one session of the user (handle is its hex hash) or, with
// handle "", all of them.
func (s *Users) SignOut(ctx context.Context, actor *identity.Principal, userID int64, hash []byte, from audit.Origin) error {
	return s.store.InTx(ctx, func(tx *models.Store) error {
		u, err := s.managedFor(ctx, tx, actor, userID, DoSignOut)
		if err != nil {
			return err
		}
		now := s.now()
		if hash == nil {
			_, err = tx.Sessions.RevokeUser(ctx, u.ID, "signed_out_by_admin", now)
		} else if err = tx.Sessions.Revoke(ctx, actor.Account.ID, u.ID, hash, "signed_out_by_admin", now); errors.Is(err, models.ErrNotFound) {
			return apperr.New(apperr.NotFound, "That session has already ended.")
		}
		if err != nil {
			return err
		}
		return s.record(ctx, tx, actor, u, ActionSessionsEndedByAd, map[string]any{"all": hash == nil}, from)
	})
}

// VoidLink voids one of the user's outstanding links.
func (s *Users) VoidLink(ctx context.Context, actor *identity.Principal, userID, tokenID int64, from audit.Origin) error {
	return s.store.InTx(ctx, func(tx *models.Store) error {
		u, err := s.managedFor(ctx, tx, actor, userID, DoVoidLink)
		if err != nil {
			return err
		}
		if err := tx.Tokens.VoidOne(ctx, actor.Account.ID, u.ID, tokenID, "voided by "+actor.User.DisplayName, s.now()); err != nil {
			return apperr.New(apperr.NotFound, "That link was already used, voided or expired.")
		}
		return s.record(ctx, tx, actor, u, ActionLinkVoided, map[string]any{"link_id": tokenID}, from)
	})
}

// cancelTransferTo cancels a pending transfer to u, which the actor's
// change to u ends (see CancelTransferTo).
func (s *Users) cancelTransferTo(ctx context.Context, tx *models.Store, actor *identity.Principal, u *models.User, why string, from audit.Origin) error {
	return CancelTransferTo(ctx, tx, u, actor.User, why, from, s.now(), s.link("/admin/privileges"))
}

// record writes an audit entry about u by the actor.
func (s *Users) record(ctx context.Context, tx *models.Store, actor *identity.Principal, u *models.User, action string, details map[string]any, from audit.Origin) error {
	return audit.Record(ctx, tx, s.now(), audit.Entry{AccountID: actor.Account.ID, Actor: audit.PartyOf(actor.User),
		Action: action, Target: audit.PartyOf(u), Origin: from, Details: details})
}

// sendWelcome creates a welcome link (72 hours) for an invited user and
// queues the email with their username, in tx.
func (s *core) sendWelcome(ctx context.Context, tx *models.Store, actor *identity.Principal, u *models.User, raw string, digest []byte, now time.Time) error {
	who := map[string]any{"Admin": actor.User.DisplayName, "Account": actor.Account.Name}
	first := emails.Say("email.welcome.created", who)
	again, err := tx.Tokens.Has(ctx, u.ID, models.PurposeWelcome)
	if err != nil {
		return err
	}
	if again {
		first = emails.Say("email.welcome.again", who)
	}
	if _, err := tx.Tokens.Void(ctx, u.ID, "newer link sent", now, 0, models.PurposeWelcome); err != nil {
		return err
	}
	t := &models.Token{UserID: u.ID, Purpose: models.PurposeWelcome, SHA256: digest, CreatedAt: now,
		ExpiresAt: now.Add(WelcomeTTL), RequestedByID: &actor.User.ID, RequestedByName: actor.User.DisplayName}
	if err := tx.Tokens.Create(ctx, t); err != nil {
		return err
	}
	rctx, err := mail.Reader(ctx, tx, u)
	if err != nil {
		return err
	}
	msg, err := mail.InfoEmail{To: u.Email, Subject: emails.Say("email.welcome.subject"), DisplayName: u.DisplayName,
		Lines: []emails.Text{first, emails.Say("email.layout.username", map[string]any{"Username": u.Username}),
			emails.Say("email.welcome.expires", map[string]any{"ValidFor": WelcomeTTL})},
		Link: s.link("/welcome/" + raw), LinkLabel: emails.Say("email.welcome.link")}.Message(rctx)
	if err != nil {
		return err
	}
	msg.AccountID = u.AccountID
	return mail.Enqueue(ctx, tx, msg, &t.ID, now)
}

// WelcomeTTL is how long a new user's set-password link works.
const WelcomeTTL = 72 * time.Hour
