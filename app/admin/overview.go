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
}

// Overview is the privileges page: every admin with their areas and roles,
// the roles, the users who could be made admins, and any pending transfer.
type Overview struct {
	Admins     []AdminRow
	Roles      []models.RoleWithCount
	Candidates []models.User
	Pending    *PendingTransfer
	// CanEdit says whether the viewer is the Primary Admin; holders of
	// "View and create roles" see the page read-only.
	CanEdit bool
}

// Overview returns the privileges page for the actor: the Primary Admin,
// or (read-only) a holder of "View and create roles".
func (s *Service) Overview(ctx context.Context, actor *identity.Principal) (*Overview, error) {
	if !actor.User.IsPrimaryAdmin && !actor.Can(identity.PermRolesManage) {
		return nil, ErrNoRolesManage
	}
	roles, err := s.store.RolesOf(ctx, actor.Account.ID)
	if err != nil {
		return nil, err
	}
	users, err := s.store.PrivilegedUsers(ctx, actor.Account.ID)
	if err != nil {
		return nil, err
	}
	o := &Overview{Roles: roles, CanEdit: actor.User.IsPrimaryAdmin}
	for _, u := range users {
		row := AdminRow{User: u.User, Direct: u.Direct, HasPassphrase: u.HasPassphrase}
		effective := slices.Clone(u.Direct)
		for _, r := range roles {
			if slices.Contains(u.RoleIDs, r.ID) {
				row.RoleNames = append(row.RoleNames, r.Name)
				effective = append(effective, r.Permissions...)
			}
		}
		row.Effective = dedupe(effective)
		o.Admins = append(o.Admins, row)
	}
	if o.Candidates, err = s.store.ActiveUsersOf(ctx, actor.Account.ID, 500); err != nil {
		return nil, err
	}
	o.Pending, err = s.Pending(ctx, actor.Account.ID)
	return o, err
}

// RoleDetail is a role with its members and the users who could join it.
type RoleDetail struct {
	Role       models.RoleWithCount
	Members    []models.User
	Candidates []models.User
	// Editable says the viewer may change the role itself (custom, not held
	// by them, within their own privileges, and every member one they may
	// act on).
	Editable bool
	// Protected holds the members and candidates the viewer may not act on
	// (mayActOn): the page offers no action on them.
	Protected map[int64]bool
}

// Role returns a role of the actor's account with its members.
func (s *Service) Role(ctx context.Context, actor *identity.Principal, roleID int64) (*RoleDetail, error) {
	if err := requireRolesManage(actor); err != nil {
		return nil, err
	}
	r, err := s.store.RoleInAccount(ctx, actor.Account.ID, roleID)
	if err != nil {
		return nil, ErrNoSuchRole
	}
	d := &RoleDetail{Role: *r}
	if d.Members, err = s.store.MembersOfRole(ctx, actor.Account.ID, roleID); err != nil {
		return nil, err
	}
	if d.Candidates, err = s.store.ActiveUsersOf(ctx, actor.Account.ID, 500); err != nil {
		return nil, err
	}
	if d.Protected, err = s.protectedAmong(ctx, actor, append(slices.Clone(d.Members), d.Candidates...)); err != nil {
		return nil, err
	}
	d.Editable = r.AccountID != nil && !slices.ContainsFunc(d.Members, func(u models.User) bool {
		return u.ID == actor.User.ID || d.Protected[u.ID]
	})
	for _, p := range r.Permissions {
		d.Editable = d.Editable && actor.Can(p)
	}
	return d, nil
}

// protectedAmong returns which of users the actor may not act on.
func (s *Service) protectedAmong(ctx context.Context, actor *identity.Principal, users []models.User) (map[int64]bool, error) {
	standings, err := s.standingsOf(ctx, s.store, actor, users)
	if err != nil {
		return nil, err
	}
	out := map[int64]bool{}
	for i := range users {
		if mayActOn(actor, &users[i], standings[users[i].ID]) != "" {
			out[users[i].ID] = true
		}
	}
	return out, nil
}

// Roles lists the roles of the actor's account.
func (s *Service) Roles(ctx context.Context, actor *identity.Principal) ([]models.RoleWithCount, error) {
	if err := requireRolesManage(actor); err != nil {
		return nil, err
	}
	return s.store.RolesOf(ctx, actor.Account.ID)
}

// RoleChoices lists the roles of the actor's account by name only, for the
// users console's filter.
func (s *Service) RoleChoices(ctx context.Context, actor *identity.Principal) ([]models.Role, error) {
	if err := requireRolesManage(actor); err != nil {
		return nil, err
	}
	return s.store.RoleNamesOf(ctx, actor.Account.ID)
}
