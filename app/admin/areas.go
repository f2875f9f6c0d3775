package admin

import (
	"context"
	"slices"
	"time"

	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/app/secrets"
	"accountportal/models"
)

// Privileges runs the privilege model: the support areas the Primary Admin
// grants directly, taking every privilege away, and the Primary Admin
// transfer.
type Privileges struct {
	core
	passwords PasswordChecker
	secrets   *secrets.Sealer
}

// NewPrivileges returns the privileges service. passwords confirm starting
// and accepting a transfer; sealer seals the passphrase a new Primary Admin
// sets while accepting one.
func NewPrivileges(sh Shared, passwords PasswordChecker, sealer *secrets.Sealer) *Privileges {
	return &Privileges{core: newCore(sh), passwords: passwords, secrets: sealer}
}

// Audit actions of the privilege model.
const (
	ActionAreasChanged      = "privileges.areas_changed"
	ActionPrivilegesRemoved = "privileges.removed"
	ActionRoleAssigned      = "role.assigned"
	ActionRoleUnassigned    = "role.unassigned"
	ActionRoleCreated       = "role.created"
	ActionRoleUpdated       = "role.updated"
	ActionRoleDeleted       = "role.deleted"
	ActionTransferStarted   = "primary_admin.transfer_requested"
	ActionTransferCancelled = "primary_admin.transfer_cancelled"
	ActionTransferAccepted  = "primary_admin.transfer_accepted"
	ActionTransferDeclined  = "primary_admin.transfer_declined"
)

// SupportAreas are the privilege areas the Primary Admin grants directly.
func SupportAreas() []identity.Permission { return identity.SupportAreas() }

// SetAreas makes the user's directly granted areas exactly areas. Only the
// Primary Admin may; not on themselves; every key must be a support area
// (anything else in the form is refused, not ignored). It returns the user,
// whom the confirmation names, and whether anything changed (only then are
// they emailed).
func (s *Privileges) SetAreas(ctx context.Context, actor *identity.Principal, userID int64, areas []string, from audit.Origin) (*models.User, bool, error) {
	if !actor.User.IsPrimaryAdmin {
		return nil, false, ErrNotPrimary
	}
	want := dedupe(areas)
	for _, a := range want {
		if !identity.IsSupportArea(a) {
			return nil, false, ErrNotAnArea
		}
	}
	var u *models.User
	changed := false
	err := s.done(s.store.InTx(ctx, func(tx *models.Store) error {
		var err error
		if u, err = s.target(ctx, tx, actor, userID); err != nil {
			return err
		}
		before, err := tx.Privileges.Direct(ctx, u.ID)
		if err != nil || slices.Equal(before, want) {
			return err
		}
		if err := replaceAreas(ctx, tx, u.ID, before, want, actor, s.now); err != nil {
			return err
		}
		changed = true
		return s.privilegesChanged(ctx, tx, actor, u, ActionAreasChanged, before, want, nil, from)
	}))
	if err != nil {
		return nil, false, err
	}
	return u, changed, nil
}

// AddAdmin sets the areas of the user of the actor's account whose
// username the Primary Admin typed ("Add a secondary admin"): SetAreas,
// with its every rule, once the name finds a user.
func (s *Privileges) AddAdmin(ctx context.Context, actor *identity.Principal, username string, areas []string, from audit.Origin) (*models.User, bool, error) {
	if !actor.User.IsPrimaryAdmin {
		return nil, false, ErrNotPrimary
	}
	u, err := s.named(ctx, actor, username, AdminUsername)
	if err != nil {
		return nil, false, err
	}
	return s.SetAreas(ctx, actor, u.ID, areas, from)
}

func replaceAreas(ctx context.Context, tx *models.Store, userID int64, before, want []string,
	actor *identity.Principal, now func() time.Time) error {
	for _, a := range before {
		if !slices.Contains(want, a) {
			if _, err := tx.Privileges.Revoke(ctx, actor.Account.ID, userID, a); err != nil {
				return err
			}
		}
	}
	for _, a := range want {
		if !slices.Contains(before, a) {
			err := tx.Privileges.Grant(ctx, &models.UserPermission{UserID: userID, Permission: a,
				GrantedAt: now(), GrantedByName: actor.User.DisplayName})
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// RemoveAll takes every privilege from the user: their areas and roles.
// Only the Primary Admin may.
func (s *Privileges) RemoveAll(ctx context.Context, actor *identity.Principal, userID int64, from audit.Origin) error {
	if !actor.User.IsPrimaryAdmin {
		return ErrNotPrimary
	}
	return s.done(s.store.InTx(ctx, func(tx *models.Store) error {
		u, err := s.target(ctx, tx, actor, userID)
		if err != nil {
			return err
		}
		before, err := tx.Privileges.Effective(ctx, u.ID)
		if err != nil || len(before) == 0 {
			return err
		}
		if err := tx.Privileges.RemoveAll(ctx, u.ID); err != nil {
			return err
		}
		return s.privilegesChanged(ctx, tx, actor, u, ActionPrivilegesRemoved, before, nil, nil, from)
	}))
}

// dedupe returns the distinct values of in, sorted.
func dedupe(in []string) []string {
	out := slices.Clone(in)
	slices.Sort(out)
	return slices.Compact(out)
}

// Target returns the user whose privileges the actor (the Primary Admin)
// means to change, by the same rules as the changes themselves.
func (s *Privileges) Target(ctx context.Context, actor *identity.Principal, userID int64) (*models.User, error) {
	if !actor.User.IsPrimaryAdmin {
		return nil, ErrNotPrimary
	}
	return s.target(ctx, s.store, actor, userID)
}
