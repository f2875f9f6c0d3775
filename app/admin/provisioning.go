package admin

import (
	"context"
	"errors"

	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/models"
)

// What SCIM provisioning (identity providers creating, finding, changing
// and removing users) needs of the users console beyond its pages' own
// methods. Everything else it does goes through those methods: CreateUser,
// UpdateUser, SetStatus and DeleteUser, with their rules and audit entries.

// ErrExternalIDTaken refuses an externalId another user of the account has.
var ErrExternalIDTaken = apperr.New(apperr.Conflict, "Another user of the account has this externalId.")

// externalIDFree returns ErrExternalIDTaken when a user of the account
// other than userID has ext. The unique index decides races.
func externalIDFree(ctx context.Context, tx *models.Store, accountID int64, ext string, userID int64) error {
	other, err := tx.Users.ByExternalID(ctx, accountID, ext)
	switch {
	case errors.Is(err, models.ErrNotFound):
		return nil
	case err != nil:
		return err
	case other.ID != userID:
		return ErrExternalIDTaken
	}
	return nil
}

// FindUsers returns the account's users matching f (its AccountID is the
// actor's), in id order from offset, at most limit of them, and how many
// match in all. Like ListUsers it needs "Manage users" (a reading token's
// Reader principal has it for the call).
func (s *Users) FindUsers(ctx context.Context, actor *identity.Principal, f models.UserFilter, offset, limit int) ([]UserRow, int64, error) {
	if !actor.Can(identity.PermUsersManage) {
		return nil, 0, ErrNoUsersManage
	}
	f.AccountID = actor.Account.ID
	total, err := s.store.Users.Count(ctx, f)
	if err != nil || limit <= 0 || int64(offset) >= total {
		return []UserRow{}, total, err
	}
	users, err := s.store.Users.ListByID(ctx, f, offset, limit)
	if err != nil {
		return nil, 0, err
	}
	list := &UserList{}
	if _, err := s.fillRows(ctx, actor, list, users); err != nil {
		return nil, 0, err
	}
	return list.Rows, total, nil
}

// SetExternalID sets (""; clears) the user's externalId, by the rules of
// editing their details, and audits the change as one.
func (s *Users) SetExternalID(ctx context.Context, actor *identity.Principal, userID int64, ext string, from audit.Origin) error {
	return s.store.InTx(ctx, func(tx *models.Store) error {
		u, err := s.managedFor(ctx, tx, actor, userID, DoEditDetails)
		if err != nil {
			return err
		}
		return s.setExternalID(ctx, tx, actor, u, ext, from)
	})
}

// setExternalID is SetExternalID inside tx, for u as managedFor returned it.
func (s *Users) setExternalID(ctx context.Context, tx *models.Store, actor *identity.Principal, u *models.User, ext string, from audit.Origin) error {
	before := ""
	if u.ExternalID != nil {
		before = *u.ExternalID
	}
	if before == ext {
		return nil
	}
	var val *string
	if ext != "" {
		if err := externalIDFree(ctx, tx, actor.Account.ID, ext, u.ID); err != nil {
			return err
		}
		val = &ext
	}
	if err := tx.Users.SetExternalID(ctx, actor.Account.ID, u.ID, val, s.now()); err != nil {
		if errors.Is(err, models.ErrConflict) {
			return ErrExternalIDTaken
		}
		return err
	}
	u.ExternalID = val
	return s.record(ctx, tx, actor, u, ActionUserUpdated,
		map[string]any{"before": map[string]string{"external_id": before}, "after": map[string]string{"external_id": ext}}, from)
}

// UsernameTaken reports whether err refuses a username another user has
// (usernames are unique across the service).
func UsernameTaken(err error) bool {
	ae, ok := apperr.As(err)
	return ok && ae.Problems[UserUsername] == usernameTakenMsg
}
