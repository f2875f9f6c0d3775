// Package admin owns what account administrators do, one service per
// subject: privilege areas and the Primary Admin transfer (Privileges),
// roles (Roles), the users console (Users), bulk actions on users (Bulk)
// and the audit log (Audit). Every rule — who may grant what, nobody
// changes their own privileges, there is always exactly one Primary Admin
// — is checked here, inside the transaction that makes the change.
package admin

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"time"

	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/app/mail"
	"accountportal/models"
	"accountportal/views/emails"
)

// Refusals, each with the message the page shows.
var (
	ErrNotPrimary     = apperr.New(apperr.Forbidden, "Only the Primary Admin can do that.")
	ErrOwnPrivileges  = apperr.New(apperr.Forbidden, "You cannot change your own privileges.")
	ErrPrimaryTouched = apperr.New(apperr.Forbidden, "The Primary Admin holds every privilege; nothing can be added or taken away.")
	ErrNoSuchUser     = apperr.New(apperr.NotFound, "No such user in this account.")
	ErrNoSuchRole     = apperr.New(apperr.NotFound, "No such role in this account.")
	ErrBuiltinRole    = apperr.New(apperr.Forbidden, "Built-in roles cannot be changed.")
	ErrBeyondOwn      = apperr.New(apperr.Forbidden, "You can only give privileges you hold yourself.")
	// ErrRoleBeyondOwn refuses changing or deleting a role that holds a
	// privilege the admin lacks: they could not have made it.
	ErrRoleBeyondOwn = apperr.New(apperr.Forbidden, "You can change or delete this role only if you hold all its privileges.")
	ErrNoRolesManage = apperr.New(apperr.Forbidden, "You need the “View and create roles” privilege.")
	ErrNotAnArea     = apperr.New(apperr.Forbidden, "Only support areas are granted directly; console privileges come with roles.")
	ErrNoUsersManage = apperr.New(apperr.Forbidden, "You need the “Manage users” privilege.")
)

// PasswordChecker verifies a signed-in user's current password.
type PasswordChecker interface {
	CheckPassword(ctx context.Context, u *models.User, password string) error
}

// ResetIssuer sends password reset links inside a caller's transaction
// (recovery.Service does).
type ResetIssuer interface {
	IssueReset(ctx context.Context, tx *models.Store, u *models.User, actor *models.User, reason string, from audit.Origin) error
	// AnswerLockedUntil says until when wrong security answers block the
	// user's password reset (zero: not blocked).
	AnswerLockedUntil(ctx context.Context, userID int64) (time.Time, error)
	// LiftAnswerLock ends that block in tx and reports whether there was one.
	LiftAnswerLock(ctx context.Context, tx *models.Store, userID int64) (bool, error)
	// BlockedAmong returns which of the users that block holds, through tx.
	BlockedAmong(ctx context.Context, tx *models.Store, ids []int64) (map[int64]bool, error)
	// AnswerKey is the throttle key whose lock is that block, for reads
	// that take it with others (models.ListedAsk.LockedKeys).
	AnswerKey(userID int64) string
}

// MFAChecker verifies an administrator's own second factor.
type MFAChecker interface {
	CheckAdminCode(ctx context.Context, actor *identity.Principal, code string, from audit.Origin) error
}

// Shared is what every admin service is built with.
type Shared struct {
	Store *models.Store
	Now   func() time.Time
	// PublicURL is the portal's address, for the links in email.
	PublicURL *url.URL
	// MailWake tells the mail worker that mail is queued; nil does nothing.
	MailWake func()
}

// core is what the admin services have in common: the rules of who may
// act on whom, and the audit entries and email that every change writes.
type core struct {
	store     *models.Store
	now       func() time.Time
	publicURL *url.URL
	mailWake  func()
}

func newCore(sh Shared) core {
	wake := sh.MailWake
	if wake == nil {
		wake = func() {}
	}
	return core{store: sh.Store, now: sh.Now, publicURL: sh.PublicURL, mailWake: wake}
}

// lockUser locks a user of the account for the rest of tx: ErrNoSuchUser
// when there is none, and the database's own error otherwise (a deadlock
// or an outage is not "no such user").
func lockUser(ctx context.Context, tx *models.Store, accountID, userID int64) (*models.User, error) {
	u, err := tx.Users.LockInAccount(ctx, accountID, userID)
	if errors.Is(err, models.ErrNotFound) {
		return nil, ErrNoSuchUser
	}
	return u, err
}

// target loads a user of the actor's account whose privileges the actor
// wants to change, refusing the actor themselves, the Primary Admin and
// anyone the who-may rule (mayActOn) protects from the actor.
func (s *core) target(ctx context.Context, tx *models.Store, actor *identity.Principal, userID int64) (*models.User, error) {
	u, err := lockUser(ctx, tx, actor.Account.ID, userID)
	if err != nil {
		return nil, err
	}
	if u.ID == actor.User.ID {
		if actor.APIToken != "" {
			return nil, refused(refuseTokenOwn)
		}
		return nil, ErrOwnPrivileges
	}
	if u.IsPrimaryAdmin {
		return nil, ErrPrimaryTouched
	}
	if err := s.checkActOn(ctx, tx, actor, u); err != nil {
		return nil, err
	}
	return u, nil
}

// privilegesChanged stamps the user (so their sessions get a new ID),
// audits the change with before and after, and emails them what they now
// hold, all in tx.
func (s *core) privilegesChanged(ctx context.Context, tx *models.Store, actor *identity.Principal, u *models.User,
	action string, before, after []string, details map[string]any, from audit.Origin) error {
	now := s.now()
	if err := tx.Privileges.MarkChanged(ctx, u.ID, now); err != nil {
		return err
	}
	if details == nil {
		details = map[string]any{}
	}
	details["before"], details["after"] = before, after
	if err := audit.Record(ctx, tx, now, audit.Entry{AccountID: u.AccountID, Actor: audit.PartyOf(actor.User),
		Action: action, Target: audit.PartyOf(u), Origin: from, Details: details}); err != nil {
		return err
	}
	held := any(emails.Say("email.privileges.none"))
	if len(after) > 0 {
		held = permissionTexts(after)
	}
	rctx, err := mail.Reader(ctx, tx, u)
	if err != nil {
		return err
	}
	msg, err := mail.InfoEmail{To: u.Email, Subject: emails.Say("email.privileges.subject"), DisplayName: u.DisplayName,
		Lines: []emails.Text{emails.Say("email.privileges.changed", map[string]any{"Admin": actor.User.DisplayName,
			"Account": actor.Account.Name}),
			emails.Say("email.privileges.held", map[string]any{"Held": held}),
			emails.Say("email.privileges.support")},
		Link: s.link("/"), LinkLabel: emails.Say("email.layout.open_portal")}.Message(rctx)
	if err != nil {
		return err
	}
	msg.AccountID = u.AccountID
	return mail.Enqueue(ctx, tx, msg, nil, now)
}

func labels(keys []string) string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = identity.PermissionLabel(k)
	}
	return strings.Join(out, ", ")
}

// permissionIDs say each permission's label in an email's language.
var permissionIDs = map[string]string{
	identity.PermAccountInfo:      "email.permission.account_info",
	identity.PermPhoneSystem:      "email.permission.phone_system",
	identity.PermBillingInquiries: "email.permission.billing_inquiries",
	identity.PermBillingChanges:   "email.permission.billing_changes",
	identity.PermBillingInfo:      "email.permission.billing_info",
	identity.PermUsersManage:      "email.permission.users_manage",
	identity.PermRolesManage:      "email.permission.roles_manage",
	identity.PermSecurityManage:   "email.permission.security_manage",
	identity.PermAuditView:        "email.permission.audit_view",
}

// permissionTexts are the permissions' labels, to be said in the email's
// language (a key without one as it is).
func permissionTexts(keys []string) []emails.Text {
	out := make([]emails.Text, len(keys))
	for i, k := range keys {
		id, ok := permissionIDs[k]
		if !ok {
			out[i] = emails.Say("email.permission.unknown", map[string]any{"Key": identity.PermissionLabel(k)})
			continue
		}
		out[i] = emails.Say(id)
	}
	return out
}

func (s *core) link(path string) string {
	u := *s.publicURL
	u.Path += path
	return u.String()
}

// done wakes the mail worker after a committed change that queued mail.
func (s *core) done(err error) error {
	if err == nil {
		s.mailWake()
	}
	return err
}
