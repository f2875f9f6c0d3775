package admin

import (
	"context"

	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/models"
)

// Provisioned is a user as an identity provider wants them after one
// request: their details, externalId ("" for none) and whether they are
// active.
type Provisioned struct {
	Name, Email, Username, ExternalID string
	Active                            bool
	// Why is the reason the audit log gives a status change.
	Why string
}

// ProvisionPlan says what the user u, locked and as they are now, should
// become; its error (a version that no longer matches, a bad value)
// refuses the whole request.
type ProvisionPlan func(u *models.User) (Provisioned, error)

// Provision makes one user what plan says, in one transaction: SCIM's
// replace and PATCH, whose every change stands or falls with the others
// (RFC 7644 section 3.5.2). Each change is made by the console's own rules
// and audited as there: details as UpdateUser, externalId as
// SetExternalID, the status as SetStatus. plan sees the user locked, so a
// version it compares cannot change before the changes commit. It returns
// the user as they are after the changes.
func (s *Users) Provision(ctx context.Context, actor *identity.Principal, userID int64, plan ProvisionPlan, from audit.Origin) (*models.User, error) {
	if !actor.Can(identity.PermUsersManage) {
		return nil, ErrNoUsersManage
	}
	var out *models.User
	err := s.done(s.store.InTx(ctx, func(tx *models.Store) error {
		u, err := lockUser(ctx, tx, actor.Account.ID, userID)
		if err != nil {
			return err
		}
		want, err := plan(u)
		if err != nil {
			return err
		}
		if err := s.provisionDetails(ctx, tx, actor, u, want, from); err != nil {
			return err
		}
		if err := s.provisionStatus(ctx, tx, actor, u, want, from); err != nil {
			return err
		}
		out, err = tx.Users.InAccount(ctx, actor.Account.ID, u.ID)
		return err
	}))
	return out, err
}

// provisionDetails changes the user's details and externalId where want
// differs, by the rules of editing their details.
func (s *Users) provisionDetails(ctx context.Context, tx *models.Store, actor *identity.Principal, u *models.User, want Provisioned, from audit.Origin) error {
	ext := ""
	if u.ExternalID != nil {
		ext = *u.ExternalID
	}
	details := want.Name != u.DisplayName || identity.EmailKey(want.Email) != u.EmailKey || want.Email != u.Email || want.Username != u.Username
	if !details && want.ExternalID == ext {
		return nil
	}
	managed, err := s.managedFor(ctx, tx, actor, u.ID, DoEditDetails)
	if err != nil {
		return err
	}
	if details {
		if err := s.updateDetails(ctx, tx, actor, managed, want.Name, want.Email, want.Username, from); err != nil {
			return err
		}
	}
	return s.setExternalID(ctx, tx, actor, managed, want.ExternalID, from)
}

// provisionStatus deactivates or reactivates the user where want differs,
// by SetStatus's rules and statements.
func (s *Users) provisionStatus(ctx context.Context, tx *models.Store, actor *identity.Principal, u *models.User, want Provisioned, from audit.Origin) error {
	if active := u.Status != models.StatusSuspended; want.Active == active {
		return nil
	}
	action := BulkDeactivate
	if want.Active {
		action = BulkReactivate
	}
	return s.setStatusIn(ctx, tx, actor, u.ID, action, want.Why, from)
}
