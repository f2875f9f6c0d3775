package admin

import (
	"context"
	"errors"
	"strings"

	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/app/security"
	"accountportal/models"
	"accountportal/views/emails"
)

// NewUser is the create-user form. The administrator never sets a
// password: the user chooses one through the welcome email.
type NewUser struct {
	DisplayName string
	Email       string
	Username    string // defaults to Email
	RoleIDs     []int64
	// SameEmailOK says the administrator confirmed creating the user
	// although another user of the account has the email address.
	SameEmailOK bool
	// ExternalID is the identity provider's id of the user (SCIM
	// externalId), or "" for none; unique in the account.
	ExternalID string
}

// checkDetails validates a user's details and returns them tidied.
func checkDetails(name, email, username string) (string, string, string, error) {
	name, email, username = strings.TrimSpace(name), strings.TrimSpace(email), strings.TrimSpace(username)
	if username == "" {
		username = email
	}
	errs := map[apperr.Subject]string{}
	put := func(subject apperr.Subject, msg string) {
		if msg != "" {
			errs[subject] = msg
		}
	}
	if name == "" {
		// An administrator names someone else.
		put(UserName, "Enter their name")
	} else {
		put(UserName, identity.CheckDisplayName(name))
	}
	put(UserEmail, identity.CheckEmail(email))
	if errs[UserEmail] == "" || username != email {
		put(UserUsername, identity.CheckUsername(username))
	}
	return name, email, username, apperr.Problems(errs)
}

// usernameTakenMsg is the problem with a username another user has.
const usernameTakenMsg = "That username is taken; choose another"

func usernameTaken(err error) error {
	if errors.Is(err, models.ErrConflict) {
		return apperr.Problems(map[apperr.Subject]string{UserUsername: usernameTakenMsg})
	}
	return err
}

// CreateUser adds an invited user to the actor's account, gives them the
// chosen roles (each within the actor's own privileges) and emails them a
// welcome link to set their password. It returns the new user's id.
func (s *Users) CreateUser(ctx context.Context, actor *identity.Principal, in NewUser, from audit.Origin) (int64, error) {
	if !actor.Can(identity.PermUsersManage) {
		return 0, ErrNoUsersManage
	}
	name, email, username, err := checkDetails(in.DisplayName, in.Email, in.Username)
	if err != nil {
		return 0, err
	}
	if len(in.RoleIDs) > 0 && !actor.Can(identity.PermRolesManage) {
		return 0, ErrNoRolesManage
	}
	if !in.SameEmailOK {
		if err := s.sameEmail(ctx, actor, email, username); err != nil {
			return 0, err
		}
	}
	raw, digest := security.NewToken()
	now := s.now()
	u := &models.User{AccountID: actor.Account.ID, Username: username, UsernameKey: identity.UsernameKey(username),
		Email: email, EmailKey: identity.EmailKey(email), DisplayName: name, Status: models.StatusInvited}
	details := map[string]any{"email": email, "roles": in.RoleIDs}
	if in.ExternalID != "" {
		ext := in.ExternalID
		u.ExternalID = &ext
		details["external_id"] = ext
	}
	err = s.store.InTx(ctx, func(tx *models.Store) error {
		if u.ExternalID != nil {
			if err := externalIDFree(ctx, tx, actor.Account.ID, *u.ExternalID, 0); err != nil {
				return err
			}
		}
		if err := tx.Users.Create(ctx, u); err != nil {
			return usernameTaken(err)
		}
		for _, id := range dedupeIDs(in.RoleIDs) {
			if err := s.giveRole(ctx, tx, actor, u, id); err != nil {
				return err
			}
		}
		if err := s.record(ctx, tx, actor, u, ActionUserCreated, details, from); err != nil {
			return err
		}
		return s.sendWelcome(ctx, tx, actor, u, raw, digest, now)
	})
	if err != nil {
		return 0, err
	}
	s.mailWake()
	return u.ID, nil
}

// sameEmail returns a SameEmail problem naming the users of the actor's
// account who have the email address, if any: two people sharing one
// address is often a typing mistake or a person created twice, but not
// always (a shared mailbox), so the administrator decides. Users of other
// accounts are never looked at.
//
// A taken username is reported with it, so one correction does for both.
func (s *Users) sameEmail(ctx context.Context, actor *identity.Principal, email, username string) error {
	const named = 3
	users, err := s.store.Users.WithEmailInAccount(ctx, actor.Account.ID, identity.EmailKey(email), named+1)
	if err != nil || len(users) == 0 {
		return err
	}
	names := make([]string, 0, named)
	for i := 0; i < len(users) && i < named; i++ {
		names = append(names, users[i].DisplayName)
	}
	// The names are listed, not joined with an English "and", so each
	// language says the message around them in its own words.
	msg := "Another user, " + names[0] + ", has this email address"
	switch {
	case len(users) > named:
		msg = "Several users have this email address, among them " + strings.Join(names, ", ")
	case len(users) > 1:
		msg = "Other users have this email address: " + strings.Join(names, ", ")
	}
	problems := map[apperr.Subject]string{SameEmail: msg}
	taken, err := s.store.Users.UsernameTaken(ctx, identity.UsernameKey(username))
	if err != nil {
		return err
	}
	if taken {
		problems[UserUsername] = usernameTakenMsg
	}
	return apperr.Problems(problems)
}

// giveRole assigns a role to a new user by the rules of AssignRole.
func (s *Users) giveRole(ctx context.Context, tx *models.Store, actor *identity.Principal, u *models.User, roleID int64) error {
	r, err := roleIn(ctx, tx, actor.Account.ID, roleID)
	if err != nil {
		return err
	}
	for _, p := range r.Permissions {
		if !actor.Can(p) {
			return ErrBeyondOwn
		}
	}
	return tx.Roles.Assign(ctx, &models.UserRole{UserID: u.ID, RoleID: r.ID, AssignedAt: s.now(), AssignedByName: actor.User.DisplayName})
}

// UpdateUser changes a user's name, username and email. A changed email
// voids the user's outstanding links (they went to the old address) and
// the old address is told.
func (s *Users) UpdateUser(ctx context.Context, actor *identity.Principal, userID int64, name, email, username string, from audit.Origin) error {
	return s.done(s.store.InTx(ctx, func(tx *models.Store) error {
		u, err := s.managedFor(ctx, tx, actor, userID, DoEditDetails)
		if err != nil {
			return err
		}
		return s.updateDetails(ctx, tx, actor, u, name, email, username, from)
	}))
}

// updateDetails is UpdateUser inside tx, for u as managedFor returned it.
func (s *Users) updateDetails(ctx context.Context, tx *models.Store, actor *identity.Principal, u *models.User, name, email, username string, from audit.Origin) error {
	name, email, username, err := checkDetails(name, email, username)
	if err != nil {
		return err
	}
	before := *u
	if identity.EmailKey(email) != before.EmailKey {
		if err := mayChangeEmail(actor, u); err != nil {
			return err
		}
		// Before the change, so a racing acceptance waits for it.
		if err := s.cancelTransferTo(ctx, tx, actor, u, BecauseEmailChanged, from); err != nil {
			return err
		}
	}
	u.DisplayName, u.Email, u.EmailKey = name, email, identity.EmailKey(email)
	u.Username, u.UsernameKey = username, identity.UsernameKey(username)
	now := s.now()
	if err := tx.Users.UpdateDetails(ctx, u, now); err != nil {
		return usernameTaken(err)
	}
	details := map[string]any{"before": map[string]string{"name": before.DisplayName, "username": before.Username, "email": before.Email},
		"after": map[string]string{"name": name, "username": username, "email": email}}
	if err := s.record(ctx, tx, actor, u, ActionUserUpdated, details, from); err != nil {
		return err
	}
	if before.EmailKey == u.EmailKey {
		return nil
	}
	if _, err := tx.Tokens.Void(ctx, u.ID, "email address changed", now, 0); err != nil {
		return err
	}
	return s.tell(ctx, tx, &before, emails.Say("email.notice.email_changed"), now,
		emails.Say("email.admin.email_changed", map[string]any{"Admin": actor.User.DisplayName, "Username": before.Username,
			"Email": email}))
}

// Resend sends a fresh link: a welcome link to an invited user, a password
// reset to an active one.
func (s *Users) Resend(ctx context.Context, actor *identity.Principal, userID int64, from audit.Origin) error {
	raw, digest := security.NewToken()
	return s.done(s.store.InTx(ctx, func(tx *models.Store) error {
		u, err := s.managedFor(ctx, tx, actor, userID, DoSendReset)
		if err != nil {
			return err
		}
		switch u.Status {
		case models.StatusInvited:
			if err := s.record(ctx, tx, actor, u, ActionWelcomeSent, nil, from); err != nil {
				return err
			}
			return s.sendWelcome(ctx, tx, actor, u, raw, digest, s.now())
		case models.StatusActive:
			blocked, err := s.resets.BlockedAmong(ctx, tx, []int64{u.ID})
			if err != nil {
				return err
			}
			if blocked[u.ID] {
				return apperr.New(apperr.Conflict, "Not sent: "+resetBlockedWhy+".")
			}
			return s.resets.IssueReset(ctx, tx, u, actor.User, "", from)
		}
		return apperr.New(apperr.Conflict, "Suspended users get no links. Reactivate them first.")
	}))
}

// mayChangeEmail refuses a change of the actor's own email address here:
// My Profile confirms that change through the new address. (Whoever
// controls an address can reset its password, so who may change whose is
// the who-may rule, checked with every detail change by managed.)
func mayChangeEmail(actor *identity.Principal, u *models.User) error {
	if u.ID == actor.User.ID {
		return apperr.Problems(map[apperr.Subject]string{UserEmail: "Change your own email address in My Profile"})
	}
	return nil
}
