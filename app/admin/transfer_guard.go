package admin

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/app/mail"
	"accountportal/models"
	"accountportal/views/emails"
)

// Why a pending transfer was cancelled: what happened to its target, whose
// name fills the %s.
const (
	BecauseEmailChanged    = "the email address of %s was changed"
	BecauseQuestionCleared = "the security question of %s was cleared"
	BecauseDeactivated     = "%s was deactivated"
	BecauseDeleted         = "%s was deleted"
	BecauseMFAReset        = "the multi-factor authentication of %s was reset"
	BecauseResetByLink     = "the password of %s was reset through an emailed link"
)

// becauseIDs say each Because… phrase in the email's language (the audit
// log keeps the English).
var becauseIDs = map[string]string{
	BecauseEmailChanged:    "email.transfer_cancelled.email_changed",
	BecauseQuestionCleared: "email.transfer_cancelled.question_cleared",
	BecauseDeactivated:     "email.transfer_cancelled.deactivated",
	BecauseDeleted:         "email.transfer_cancelled.deleted",
	BecauseMFAReset:        "email.transfer_cancelled.mfa_reset",
	BecauseResetByLink:     "email.transfer_cancelled.reset_by_link",
}

// errTransferRace refuses a change that raced with the transfer's answer;
// the change is rolled back and may be tried again.
var errTransferRace = apperr.New(apperr.Conflict,
	"A Primary Admin transfer was being answered at that moment. Nothing changed; try again.")

// CancelTransferTo cancels, in tx, the account's pending Primary Admin
// transfer when it names u: a change to the credentials or status of the
// user about to hold every privilege, made by anyone but themselves
// through their own profile, could put the role in someone else's hands.
// by made the change (u themselves for a reset through an emailed link);
// why is one of the Because… phrases. The cancellation is audited and the Primary
// Admin is emailed. Call it before making the change, so a concurrent
// acceptance waits for it; it returns an apperr.Conflict error when the
// transfer was decided meanwhile. link is the portal's address for the
// email.
func CancelTransferTo(ctx context.Context, tx *models.Store, u, by *models.User, why string, from audit.Origin,
	now time.Time, link string) error {
	return cancelTransferAmong(ctx, tx, u.AccountID, []models.User{*u}, by, why, from, now, link)
}

// cancelTransferAmong is CancelTransferTo for the users of one batch (all
// of one account): one query when no transfer names any of them.
func cancelTransferAmong(ctx context.Context, tx *models.Store, accountID int64, users []models.User, by *models.User,
	why string, from audit.Origin, now time.Time, link string) error {
	t, err := tx.Transfers.Pending(ctx, accountID)
	if errors.Is(err, models.ErrNotFound) {
		return nil
	}
	if err != nil || !now.Before(t.ExpiresAt) {
		return err
	}
	i := slices.IndexFunc(users, func(u models.User) bool { return u.ID == t.ToUserID })
	if i < 0 {
		return nil
	}
	to := &users[i]
	if err := tx.Transfers.Decide(ctx, t.ID, models.TransferCancelled, now); err != nil {
		return errors.Join(ignoreNotFound(err), errTransferRace)
	}
	what := fmt.Sprintf(why, to.DisplayName)
	reason := emails.Say(becauseIDs[why], map[string]any{"Name": to.DisplayName})
	if err := audit.Record(ctx, tx, now, audit.Entry{AccountID: accountID, Actor: audit.PartyOf(by),
		Action: ActionTransferCancelled, Target: audit.PartyOf(to), Origin: from,
		Details: map[string]any{"transfer_id": t.ID, "reason": what}}); err != nil {
		return err
	}
	if by.ID != to.ID {
		reason = emails.Say("email.transfer_cancelled.by", map[string]any{"Reason": reason, "By": by.DisplayName})
	}
	primary, err := tx.Users.InAccount(ctx, t.AccountID, t.FromUserID)
	if err != nil {
		return err
	}
	rctx, err := mail.Reader(ctx, tx, primary)
	if err != nil {
		return err
	}
	msg, err := mail.InfoEmail{To: primary.Email, Subject: emails.Say("email.transfer_cancelled.subject"), DisplayName: primary.DisplayName,
		Lines: []emails.Text{emails.Say("email.transfer_cancelled.why", map[string]any{"Name": to.DisplayName, "Reason": reason}),
			emails.Say("email.transfer_cancelled.rule"), emails.Say("email.transfer_cancelled.again")},
		Link: link, LinkLabel: emails.Say("email.transfer_cancelled.link")}.Message(rctx)
	if err != nil {
		return err
	}
	msg.AccountID = primary.AccountID
	return mail.Enqueue(ctx, tx, msg, nil, now)
}
