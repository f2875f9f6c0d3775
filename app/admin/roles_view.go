package admin

import (
	"context"
	"slices"

	"accountportal/app/apperr"
	"accountportal/app/identity"
	"accountportal/models"
)

// RoleDetail is a role with its members. Whom to give it to is typed as
// a username: listing every user the viewer could choose would grow the
// page with the account and still leave some out.
type RoleDetail struct {
	Role    models.RoleWithCount
	Members []models.User
	// CannotEdit and CannotDelete are the refusals UpdateRole and
	// DeleteRole would answer the viewer with (a built-in role, one they
	// hold, a member or a privilege beyond them), or nil when they would
	// not.
	CannotEdit, CannotDelete error
	// Protected says, for each member the viewer may not act on, why not
	// (mayActOn): the page offers no action on them.
	Protected map[int64]string
	// WhyNotAssign says why the viewer may neither give the role nor take
	// it away (whyNotAssign, the rule AssignRole applies), or is "".
	WhyNotAssign string
}

// Role returns a role of the actor's account with its members.
func (s *Roles) Role(ctx context.Context, actor *identity.Principal, roleID int64) (*RoleDetail, error) {
	if err := requireRolesManage(actor); err != nil {
		return nil, err
	}
	r, err := roleIn(ctx, s.store, actor.Account.ID, roleID)
	if err != nil {
		return nil, err
	}
	d := &RoleDetail{Role: *r, WhyNotAssign: whyNotAssign(actor, r)}
	if d.Members, err = s.store.Roles.Members(ctx, actor.Account.ID, roleID); err != nil {
		return nil, err
	}
	if d.Protected, err = s.protectedAmong(ctx, actor, d.Members); err != nil {
		return nil, err
	}
	d.CannotEdit = roleEditRefusal(actor, d)
	d.CannotDelete = roleDeleteRefusal(actor, d)
	return d, nil
}

// roleDeleteRefusal is the error DeleteRole would refuse to delete the role
// with, checked in its order, or nil when it would not.
func roleDeleteRefusal(actor *identity.Principal, d *RoleDetail) error {
	switch {
	case d.Role.AccountID == nil:
		return ErrBuiltinRole
	case slices.ContainsFunc(d.Members, func(u models.User) bool { return u.ID == actor.User.ID }):
		return ErrOwnPrivileges
	case lacksAny(actor, d.Role.Permissions):
		return ErrRoleBeyondOwn
	case d.Role.Members > 0:
		return apperr.New(apperr.Conflict, roleHeld(d.Role.Members))
	}
	return nil
}

// roleEditRefusal is the error UpdateRole would refuse the actor's change
// to the role with, checked in its order, or nil when it would not.
func roleEditRefusal(actor *identity.Principal, d *RoleDetail) error {
	if d.Role.AccountID == nil {
		return ErrBuiltinRole
	}
	for i, u := range d.Members {
		if u.ID == actor.User.ID {
			return ErrOwnPrivileges
		}
		if why := d.Protected[u.ID]; why != "" {
			return apperr.New(apperr.Forbidden, roleChangesMember(&d.Members[i], why))
		}
	}
	if lacksAny(actor, d.Role.Permissions) {
		return ErrRoleBeyondOwn
	}
	return nil
}

// protectedAmong returns which of users the actor may not act on, and why.
func (s *Roles) protectedAmong(ctx context.Context, actor *identity.Principal, users []models.User) (map[int64]string, error) {
	standings, err := s.standingsOf(ctx, s.store, actor, users)
	if err != nil {
		return nil, err
	}
	out := map[int64]string{}
	for i := range users {
		if why := mayActOn(actor, &users[i], standings[users[i].ID]); why != "" {
			out[users[i].ID] = why
		}
	}
	return out, nil
}

// Roles lists the roles of the actor's account.
func (s *Roles) Roles(ctx context.Context, actor *identity.Principal) ([]models.RoleWithCount, error) {
	if err := requireRolesManage(actor); err != nil {
		return nil, err
	}
	return s.store.Roles.Of(ctx, actor.Account.ID)
}

// RoleChoices lists the roles of the actor's account by name only, for the
// users console's filter.
func (s *Roles) RoleChoices(ctx context.Context, actor *identity.Principal) ([]models.Role, error) {
	if err := requireRolesManage(actor); err != nil {
		return nil, err
	}
	return s.store.Roles.NamesOf(ctx, actor.Account.ID)
}
