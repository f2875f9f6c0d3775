package admin

import (
	"context"
	"slices"

	"accountportal/app/identity"
	"accountportal/models"
)

// AdminRow is one admin on the privileges page.
type AdminRow struct {
	User          models.User
	Direct        []string
	RoleNames     []string
	Effective     []string
	HasPassphrase bool
	// Through names, for each permission the admin holds through roles,
	// those roles: the page shows such an area as held, apart from the
	// direct grants it edits.
	Through map[string][]string
}

// Overview is the privileges page: every admin with their areas and roles,
// the roles, and any pending transfer. The user to make an admin, or to
// offer the Primary Admin role, is typed as a username, so the page does
// not grow with the account.
type Overview struct {
	Admins  []AdminRow
	Roles   []models.RoleWithCount
	Pending *PendingTransfer
	// CanEdit says whether the viewer is the Primary Admin; holders of
	// "View and create roles" see the page read-only.
	CanEdit bool
}

// Overview returns the privileges page for the actor: the Primary Admin,
// or (read-only) a holder of "View and create roles".
func (s *Privileges) Overview(ctx context.Context, actor *identity.Principal) (*Overview, error) {
	if !actor.User.IsPrimaryAdmin && !actor.Can(identity.PermRolesManage) {
		return nil, ErrNoRolesManage
	}
	roles, err := s.store.Roles.Of(ctx, actor.Account.ID)
	if err != nil {
		return nil, err
	}
	users, err := s.store.Privileges.AdminsWithGrants(ctx, actor.Account.ID)
	if err != nil {
		return nil, err
	}
	o := &Overview{Roles: roles, CanEdit: actor.User.IsPrimaryAdmin}
	for _, u := range users {
		row := AdminRow{User: u.User, Direct: u.Direct, HasPassphrase: u.HasPassphrase, Through: map[string][]string{}}
		effective := slices.Clone(u.Direct)
		for _, r := range roles {
			if slices.Contains(u.RoleIDs, r.ID) {
				row.RoleNames = append(row.RoleNames, r.Name)
				effective = append(effective, r.Permissions...)
				for _, p := range r.Permissions {
					row.Through[p] = append(row.Through[p], r.Name)
				}
			}
		}
		row.Effective = dedupe(effective)
		o.Admins = append(o.Admins, row)
	}
	o.Pending, err = s.Pending(ctx, actor.Account.ID)
	return o, err
}
