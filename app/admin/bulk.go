package admin

import (
	"cmp"
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/app/mail"
	"accountportal/app/security"
	"accountportal/models"
	"accountportal/views/emails"
	"accountportal/views/i18n"
)

// Bulk actions on users.
const (
	BulkDeactivate = "deactivate"
	BulkReactivate = "reactivate"
	BulkSignOut    = "signout"
	BulkReset      = "reset"
	BulkResetMFA   = "mfa"
)

// Audit actions of the users console.
const (
	ActionUserSuspended   = "user.suspended"
	ActionUserReactivated = "user.reactivated"
	ActionUserSignedOut   = "user.signed_out_everywhere"
	ActionResetByAdmin    = "password_reset.sent_by_admin"
	ActionMFAResetByAdmin = "mfa.reset_by_admin"
)

// BulkLabel describes an action for the preview page.
func BulkLabel(action string) string {
	switch action {
	case BulkDeactivate:
		return "Deactivate: they are signed out everywhere at once, their links stop working, and they cannot sign in until reactivated"
	case BulkReactivate:
		return "Reactivate: each returns to the state they were in before (invited users stay invited and get a new welcome link)"
	case BulkSignOut:
		return "Sign out everywhere: every session ends; they can sign in again"
	case BulkReset:
		return "Send password reset: each gets an email with a link to choose a new password"
	case BulkResetMFA:
		return "Reset multi-factor authentication: their authenticator and backup codes are removed, they are signed out everywhere and emailed, and they set up a new one at their next sign-in"
	}
	return ""
}

// BulkName names an action in a few words, for lists and headings.
func BulkName(action string) string {
	switch action {
	case BulkDeactivate:
		return "Deactivate users"
	case BulkReactivate:
		return "Reactivate users"
	case BulkSignOut:
		return "Sign users out everywhere"
	case BulkReset:
		return "Send password resets"
	case BulkResetMFA:
		return "Reset users' multi-factor authentication"
	}
	return action
}

// Selection is who a bulk action applies to: chosen ids, or everyone the
// filter matches (resolved on the server, not only the page shown).
type Selection struct {
	IDs      []int64
	Matching *models.UserFilter
}

// Outcome is what happened to one user.
type Outcome struct {
	User models.User
	Done bool
	// Why explains a skip or a failure.
	Why string
}

// Result of a bulk action: counts and each user's outcome.
type Result struct {
	Done, Skipped, Failed int
	Outcomes              []Outcome
}

// defaultBatch bounds one transaction: a few statements whatever its size.
// On PostgreSQL the ids travel as one array parameter; on SQLite as a list
// well under its 32,766 bound parameters.
const defaultBatch = 5000

func checkReason(reason string) error {
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return apperr.Problems(map[apperr.Subject]string{Reason: "Enter a reason; it goes in the audit log"})
	case utf8.RuneCountInString(reason) > 500:
		return apperr.Problems(map[apperr.Subject]string{Reason: "Reason must be 500 characters or fewer"})
	}
	return nil
}

func apperrMessage(err error) string {
	if ae, ok := apperr.As(err); ok {
		return ae.Message
	}
	return "a database error"
}

func (r *Result) add(outcomes []Outcome) {
	for _, o := range outcomes {
		switch {
		case o.Done:
			r.Done++
		case strings.HasPrefix(o.Why, "failed"):
			r.Failed++
		default:
			r.Skipped++
		}
	}
	r.Outcomes = append(r.Outcomes, outcomes...)
}

// actNow applies an action to a few users at once, in one transaction,
// without a bulk job: the single-user actions of a user's page.
func (s *Bulk) actNow(ctx context.Context, actor *identity.Principal, action string, ids []int64, reason string, from audit.Origin) (*Result, error) {
	res := &Result{}
	err := s.store.InTx(ctx, func(tx *models.Store) error {
		outcomes, err := s.applyBatch(ctx, tx, actor, action, ids, reason, from, s.now())
		res.add(outcomes)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.mailWake()
	return res, nil
}

// applyBatch applies the action to one batch of users inside tx and returns
// each user's outcome: users the actor may not act on, or whom the action
// does not fit, are skipped with the reason why.
func (s *Bulk) applyBatch(ctx context.Context, tx *models.Store, actor *identity.Principal, action string, ids []int64,
	reason string, from audit.Origin, now time.Time) ([]Outcome, error) {
	users, err := tx.Users.BulkTargets(ctx, actor.Account.ID, ids)
	if err != nil {
		return nil, err
	}
	outcomes, targets, err := s.sortBatch(ctx, tx, actor, action, users)
	if err != nil {
		return nil, err
	}
	if len(targets) == 0 {
		return outcomes, nil
	}
	if why := cancelsTransfer[action]; why != "" {
		err := cancelTransferAmong(ctx, tx, actor.Account.ID, targets, actor.User, why, from, now, s.link("/admin/privileges"))
		if err != nil {
			return nil, err
		}
	}
	if err := s.apply(ctx, tx, actor, action, targets, reason, from, now); err != nil {
		return nil, err
	}
	if s.beforeCommit != nil {
		if err := s.beforeCommit(ids); err != nil {
			return nil, err
		}
	}
	return outcomes, auditBatch(ctx, tx, actor, action, targets, reason, from, now)
}

// sortBatch loads what the skip rules need about users and sorts them into
// those the action applies to and those it skips, with why: the one rule
// both a job's batches and the preview follow.
func (s *Bulk) sortBatch(ctx context.Context, store *models.Store, actor *identity.Principal, action string,
	users []models.User) ([]Outcome, []models.User, error) {
	standings, err := s.standingsOf(ctx, store, actor, users)
	if err != nil {
		return nil, nil, err
	}
	if action == BulkReset {
		if err := s.markResetBlocked(ctx, store, users, standings); err != nil {
			return nil, nil, err
		}
	}
	outcomes, targets := sortOut(actor, action, users, standings)
	return outcomes, targets, nil
}

// cancelsTransfer says which actions end a pending Primary Admin transfer
// to one of their targets, and why.
var cancelsTransfer = map[string]string{BulkDeactivate: BecauseDeactivated, BulkResetMFA: BecauseMFAReset}

// sortOut decides, user by user, who the action applies to and why the
// others are skipped.
func sortOut(actor *identity.Principal, action string, users []models.User, standings map[int64]standing) ([]Outcome, []models.User) {
	outcomes := make([]Outcome, 0, len(users))
	targets := make([]models.User, 0, len(users))
	for _, u := range users {
		why := skipReason(actor, action, &u, standings[u.ID])
		outcomes = append(outcomes, Outcome{User: u, Done: why == "", Why: why})
		if why == "" {
			targets = append(targets, u)
		}
	}
	return outcomes, targets
}

func skipReason(actor *identity.Principal, action string, u *models.User, st standing) string {
	if why := mayActOn(actor, u, st); why != "" {
		return "skipped: " + why
	}
	switch {
	case u.ID == actor.User.ID && (action == BulkDeactivate || action == BulkSignOut):
		return "skipped: that is you"
	case u.ID == actor.User.ID && action == BulkResetMFA:
		return "skipped: that is you (change your own authenticator in My Profile)"
	case action == BulkDeactivate && u.Status == models.StatusSuspended:
		return "skipped: already suspended"
	case action == BulkReactivate && u.Status != models.StatusSuspended:
		return "skipped: not suspended"
	case action == BulkReset && u.Status != models.StatusActive:
		return "skipped: only active users can reset a password"
	case action == BulkReset && st.resetBlocked:
		return "skipped: " + resetBlockedWhy
	case action == BulkResetMFA && u.MFAEnrolledAt == nil:
		return "skipped: no multi-factor authentication to reset"
	}
	return ""
}

// apply makes the set-based change for the targets.
func (s *Bulk) apply(ctx context.Context, tx *models.Store, actor *identity.Principal, action string, targets []models.User,
	reason string, from audit.Origin, now time.Time) error {
	ids := make([]int64, len(targets))
	for i, u := range targets {
		ids[i] = u.ID
	}
	switch action {
	case BulkDeactivate:
		return tx.Users.Suspend(ctx, ids, now)
	case BulkReactivate:
		return s.reactivate(ctx, tx, actor, targets, ids, now)
	case BulkSignOut:
		_, err := tx.Sessions.RevokeOf(ctx, ids, "signed_out_by_admin", now)
		return err
	case BulkResetMFA:
		return s.resetMFA(ctx, tx, actor, ids, now)
	case BulkReset:
		for i := range targets {
			if err := s.resets.IssueReset(ctx, tx, &targets[i], actor.User, reason, from); err != nil {
				return err
			}
		}
	}
	return nil
}

// resetBlockedWhy says why a user blocked by wrong security answers gets no
// reset link.
const resetBlockedWhy = "password reset is blocked after wrong answers to their security question; clear their question or unblock password reset first"

// markResetBlocked notes, in the standings, the users wrong security
// answers block from resetting their password: a link would only lead
// them to "Password reset is blocked".
func (s *Bulk) markResetBlocked(ctx context.Context, tx *models.Store, users []models.User, standings map[int64]standing) error {
	ids := make([]int64, len(users))
	for i, u := range users {
		ids[i] = u.ID
	}
	blocked, err := s.resets.BlockedAmong(ctx, tx, ids)
	if err != nil {
		return err
	}
	for id := range blocked {
		st := standings[id]
		st.resetBlocked = true
		standings[id] = st
	}
	return nil
}

// reactivate gives each user back the state they were in before their
// suspension. Invited users stay invited and get a fresh welcome link: the
// suspension voided theirs.
func (s *Bulk) reactivate(ctx context.Context, tx *models.Store, actor *identity.Principal, targets []models.User, ids []int64, now time.Time) error {
	invited, err := tx.Users.Reactivate(ctx, ids, now)
	if err != nil || len(invited) == 0 {
		return err
	}
	byID := make(map[int64]*models.User, len(targets))
	for i := range targets {
		byID[targets[i].ID] = &targets[i]
	}
	for _, id := range invited {
		u := *byID[id]
		u.Status = models.StatusInvited
		raw, digest := security.NewToken()
		if err := s.sendWelcome(ctx, tx, actor, &u, raw, digest, now); err != nil {
			return err
		}
	}
	return nil
}

// auditBatch records the action once per target, in one statement. A
// reset link's own entry (IssueReset's, with the link, its expiry and the
// reason) records a bulk reset: a second would say the same twice.
func auditBatch(ctx context.Context, tx *models.Store, actor *identity.Principal, action string, targets []models.User,
	reason string, from audit.Origin, now time.Time) error {
	if action == BulkReset {
		return nil
	}
	name := map[string]string{BulkDeactivate: ActionUserSuspended, BulkReactivate: ActionUserReactivated,
		BulkSignOut: ActionUserSignedOut, BulkReset: ActionResetByAdmin, BulkResetMFA: ActionMFAResetByAdmin}[action]
	row, err := audit.Row(now, audit.Entry{AccountID: actor.Account.ID, Actor: audit.PartyOf(actor.User),
		Action: name, Origin: from, Details: map[string]any{"reason": reason}})
	if err != nil {
		return err
	}
	ids := make([]int64, len(targets))
	names := make([]string, len(targets))
	for i := range targets {
		p := audit.PartyOf(&targets[i])
		ids[i], names[i] = p.ID, p.Name
	}
	return tx.Audit.AppendFor(ctx, *row, ids, names)
}

func dedupeIDs(in []int64) []int64 {
	seen := make(map[int64]bool, len(in))
	out := make([]int64, 0, len(in))
	for _, id := range in {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// resetMFA removes the users' authenticators and backup codes, signs them
// out everywhere and emails each, all set-based.
func (s *Bulk) resetMFA(ctx context.Context, tx *models.Store, actor *identity.Principal, ids []int64, now time.Time) error {
	if err := tx.MFA.ResetOf(ctx, ids, true, now); err != nil {
		return err
	}
	if _, err := tx.Sessions.RevokeOf(ctx, ids, "mfa_reset", now); err != nil {
		return err
	}
	next := emails.Say("email.mfa_reset.next")
	if actor.Account.MFAPolicy == models.MFAOff {
		next = emails.Say("email.mfa_reset.next_off")
	}
	email := mail.InfoEmail{To: "user@example.com", Subject: emails.Say("email.mfa_reset.subject"), DisplayName: models.RecipientName,
		Lines: []emails.Text{emails.Say("email.mfa_reset.by_admin", map[string]any{"Admin": actor.User.DisplayName,
			"Account": actor.Account.Name}), next, emails.Say("email.mfa_reset.not_you")},
		Link: s.link("/login"), LinkLabel: emails.Say("email.layout.sign_in")}
	// One shared message per language the users read (their own, else the
	// account's default, else English), the administrator's left out.
	byLang, err := s.byLanguage(ctx, tx, actor, ids)
	if err != nil {
		return err
	}
	for _, l := range i18n.Languages {
		if len(byLang[l.Code]) == 0 {
			continue
		}
		msg, err := email.Message(mail.InLanguage(ctx, l.Code))
		if err != nil {
			return err
		}
		if err := tx.Outbox.EnqueueToUsers(ctx, byLang[l.Code], msg.Subject, msg.Text, msg.HTML, now); err != nil {
			return err
		}
	}
	return nil
}

// byLanguage groups the users by the language their email is in.
func (s *Bulk) byLanguage(ctx context.Context, tx *models.Store, actor *identity.Principal, ids []int64) (map[string][]int64, error) {
	users, err := tx.Users.ByIDs(ctx, actor.Account.ID, ids)
	if err != nil {
		return nil, err
	}
	out := map[string][]int64{}
	for _, u := range users {
		lang := cmp.Or(u.Language, actor.Account.Language)
		if !i18n.Supported(lang) {
			lang = i18n.Default
		}
		out[lang] = append(out[lang], u.ID)
	}
	return out, nil
}
