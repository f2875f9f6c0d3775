package admin

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/models"
)

// Roles runs the account's roles: reading, creating, changing and
// deleting them, and who holds them.
type Roles struct {
	core
}

// NewRoles returns the roles service.
func NewRoles(sh Shared) *Roles { return &Roles{core: newCore(sh)} }

// RoleInput is the role form.
type RoleInput struct {
	Name        string
	Description string
	Permissions []string
}

// checkRole validates the form and the rule that an actor gives only
// permissions they hold themselves.
func checkRole(actor *identity.Principal, in *RoleInput) error {
	in.Name = strings.TrimSpace(in.Name)
	in.Description = strings.TrimSpace(in.Description)
	in.Permissions = dedupe(in.Permissions)
	errs := map[apperr.Subject]string{}
	for _, p := range in.Permissions {
		switch {
		case !identity.KnownPermission(p):
			// Not a privilege at all: a hand-made form, not an escalation.
			errs[RolePermissions] = "Choose privileges from the list"
		case !actor.Can(p):
			return ErrBeyondOwn
		}
	}
	if msg := identity.CheckRoleName(in.Name); msg != "" {
		errs[RoleName] = msg
	}
	if utf8.RuneCountInString(in.Description) > 300 {
		errs[RoleDescription] = "Description must be 300 characters or fewer"
	}
	if len(in.Permissions) == 0 {
		errs[RolePermissions] = "Choose at least one privilege"
	}
	return apperr.Problems(errs)
}

func requireRolesManage(actor *identity.Principal) error {
	if !actor.Can(identity.PermRolesManage) {
		return ErrNoRolesManage
	}
	return nil
}

// CreateRole creates a custom role of the actor's account. The actor needs
// "View and create roles" and may only include permissions they hold.
func (s *Roles) CreateRole(ctx context.Context, actor *identity.Principal, in RoleInput, from audit.Origin) (int64, error) {
	if err := requireRolesManage(actor); err != nil {
		return 0, err
	}
	if err := checkRole(actor, &in); err != nil {
		return 0, err
	}
	now := s.now()
	r := &models.Role{AccountID: &actor.Account.ID, Name: in.Name, Description: in.Description, CreatedAt: now, UpdatedAt: now}
	err := s.store.InTx(ctx, func(tx *models.Store) error {
		if err := nameInUse(ctx, tx, actor.Account.ID, 0, in.Name); err != nil {
			return err
		}
		if err := tx.Roles.Create(ctx, r, in.Permissions); err != nil {
			return nameTaken(err)
		}
		return audit.Record(ctx, tx, now, audit.Entry{AccountID: actor.Account.ID, Actor: audit.PartyOf(actor.User),
			Action: ActionRoleCreated, Origin: from,
			Details: map[string]any{"role_id": r.ID, "name": r.Name, "permissions": in.Permissions}})
	})
	return r.ID, err
}

// errNameTaken is the answer to a role name the account already uses.
var errNameTaken = apperr.Problems(map[apperr.Subject]string{RoleName: "This account already has a role with that name"})

// nameInUse refuses a name equal, ignoring case, to a built-in role's or
// another role's of the account (roleID is the role being renamed, or 0):
// the database's own constraint only compares custom roles of one account,
// and two roles named alike cannot be told apart in the users console.
func nameInUse(ctx context.Context, tx *models.Store, accountID, roleID int64, name string) error {
	roles, err := tx.Roles.NamesOf(ctx, accountID)
	if err != nil {
		return err
	}
	for _, r := range roles {
		if r.ID != roleID && strings.EqualFold(strings.TrimSpace(r.Name), name) {
			return errNameTaken
		}
	}
	return nil
}

func nameTaken(err error) error {
	if errors.Is(err, models.ErrConflict) {
		return errNameTaken
	}
	return err
}

// customRole loads a role the actor may change: a custom role of their
// account that they do not hold themselves.
func customRole(ctx context.Context, tx *models.Store, actor *identity.Principal, roleID int64) (*models.RoleWithCount, error) {
	r, err := roleIn(ctx, tx, actor.Account.ID, roleID)
	if err != nil {
		return nil, err
	}
	if r.AccountID == nil {
		return nil, ErrBuiltinRole
	}
	held, err := tx.Roles.IDsOfUser(ctx, actor.User.ID)
	if err != nil {
		return nil, err
	}
	if slices.Contains(held, r.ID) {
		return nil, ErrOwnPrivileges
	}
	return r, nil
}

// UpdateRole changes a custom role. Its members' privileges change with it,
// so each is stamped, and emailed; the actor may not edit a role they hold.
func (s *Roles) UpdateRole(ctx context.Context, actor *identity.Principal, roleID int64, in RoleInput, from audit.Origin) error {
	if err := requireRolesManage(actor); err != nil {
		return err
	}
	return s.done(s.store.InTx(ctx, func(tx *models.Store) error {
		r, err := customRole(ctx, tx, actor, roleID)
		if err != nil {
			return err
		}
		if err := s.mayChangeMembers(ctx, tx, actor, r.ID); err != nil {
			return err
		}
		if err := checkRole(actor, &in); err != nil {
			return err
		}
		if lacksAny(actor, r.Permissions) {
			return ErrRoleBeyondOwn
		}
		if err := nameInUse(ctx, tx, actor.Account.ID, r.ID, in.Name); err != nil {
			return err
		}
		before := r.Permissions
		r.Name, r.Description, r.UpdatedAt = in.Name, in.Description, s.now()
		if err := tx.Roles.Update(ctx, &r.Role, in.Permissions); err != nil {
			return nameTaken(err)
		}
		if err := audit.Record(ctx, tx, s.now(), audit.Entry{AccountID: actor.Account.ID, Actor: audit.PartyOf(actor.User),
			Action: ActionRoleUpdated, Origin: from, Details: map[string]any{"role_id": r.ID, "name": r.Name,
				"before": before, "after": in.Permissions}}); err != nil {
			return err
		}
		if slices.Equal(before, in.Permissions) {
			return nil
		}
		return s.membersChanged(ctx, tx, actor, r, from)
	}))
}

// mayChangeMembers refuses a change to a role when the actor may not act
// on one of its members (mayActOn): changing the role changes what they
// hold.
func (s *Roles) mayChangeMembers(ctx context.Context, tx *models.Store, actor *identity.Principal, roleID int64) error {
	members, err := tx.Roles.Members(ctx, actor.Account.ID, roleID)
	if err != nil {
		return err
	}
	standings, err := s.standingsOf(ctx, tx, actor, members)
	if err != nil {
		return err
	}
	for i := range members {
		if why := mayActOn(actor, &members[i], standings[members[i].ID]); why != "" {
			return apperr.New(apperr.Forbidden, roleChangesMember(&members[i], why))
		}
	}
	return nil
}

// roleChangesMember refuses changing a role that would change u, on whom
// the actor may not act for the reason why (mayActOn).
func roleChangesMember(u *models.User, why string) string {
	return "You cannot change this role: it would change " + u.DisplayName + ", and " + why + "."
}

// membersChanged records a role change on every member: new session IDs,
// an audit entry and an email each.
func (s *Roles) membersChanged(ctx context.Context, tx *models.Store, actor *identity.Principal, r *models.RoleWithCount, from audit.Origin) error {
	members, err := tx.Roles.Members(ctx, actor.Account.ID, r.ID)
	if err != nil {
		return err
	}
	for i := range members {
		after, err := tx.Privileges.Effective(ctx, members[i].ID)
		if err != nil {
			return err
		}
		if err := s.privilegesChanged(ctx, tx, actor, &members[i], ActionRoleUpdated, nil, after,
			map[string]any{"role": r.Name}, from); err != nil {
			return err
		}
	}
	return nil
}

// DeleteRole deletes a custom role; it is refused while users hold it.
func (s *Roles) DeleteRole(ctx context.Context, actor *identity.Principal, roleID int64, from audit.Origin) error {
	if err := requireRolesManage(actor); err != nil {
		return err
	}
	return s.store.InTx(ctx, func(tx *models.Store) error {
		r, err := customRole(ctx, tx, actor, roleID)
		if err != nil {
			return err
		}
		if lacksAny(actor, r.Permissions) {
			return ErrRoleBeyondOwn
		}
		if r.Members > 0 {
			return apperr.New(apperr.Conflict, roleHeld(r.Members))
		}
		if err := tx.Roles.Delete(ctx, actor.Account.ID, r.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, s.now(), audit.Entry{AccountID: actor.Account.ID, Actor: audit.PartyOf(actor.User),
			Action: ActionRoleDeleted, Origin: from, Details: map[string]any{"role_id": r.ID, "name": r.Name}})
	})
}

// lacksAny reports whether any of permissions is one the actor lacks.
func lacksAny(actor *identity.Principal, permissions []string) bool {
	return slices.ContainsFunc(permissions, func(p string) bool { return !actor.Can(p) })
}

// roleHeld refuses deleting a role n users hold, in whole sentences for
// each plural form, so each language can say them its own way.
func roleHeld(n int64) string {
	if n == 1 {
		return "1 user holds this role. Unassign them before deleting it."
	}
	return fmt.Sprintf("%d users hold this role. Unassign them before deleting it.", n)
}

// whyNotAssign says why the actor may not give role r to anyone or take it
// from anyone, or "" when they may: they must hold every privilege of the
// role, so a lower admin never hands out more than they hold. AssignRole
// refuses with it, and the role's page shows it instead of its forms.
func whyNotAssign(actor *identity.Principal, r *models.RoleWithCount) string {
	var beyond []string
	for _, p := range r.Permissions {
		if !actor.Can(p) {
			beyond = append(beyond, p)
		}
	}
	if len(beyond) == 0 {
		return ""
	}
	return "You can give or remove this role only if you hold all its privileges. You do not hold: " + labels(beyond) + "."
}

// GiveRole gives the role to the user of the actor's account whose
// username they typed: AssignRole, with its every rule, once the name
// finds a user.
func (s *Roles) GiveRole(ctx context.Context, actor *identity.Principal, roleID int64, username string, from audit.Origin) (*models.User, bool, error) {
	if err := requireRolesManage(actor); err != nil {
		return nil, false, err
	}
	u, err := s.named(ctx, actor, username, MemberUsername)
	if err != nil {
		return nil, false, err
	}
	return s.AssignRole(ctx, actor, roleID, u.ID, true, from)
}

// AssignRole gives a user a role, or takes it away when assign is false.
// The actor needs "View and create roles", must hold every permission of
// the role, and cannot change their own roles or the Primary Admin's. It
// returns the user, whom the confirmation names, and whether anything
// changed (only then are they emailed).
func (s *Roles) AssignRole(ctx context.Context, actor *identity.Principal, roleID, userID int64, assign bool, from audit.Origin) (*models.User, bool, error) {
	if err := requireRolesManage(actor); err != nil {
		return nil, false, err
	}
	var target *models.User
	var changed bool
	err := s.done(s.store.InTx(ctx, func(tx *models.Store) error {
		r, err := assignableRole(ctx, tx, actor, roleID)
		if err != nil {
			return err
		}
		// As ChangeMembers does, before the user is locked.
		if err := tx.Roles.LockMembers(ctx, actor.Account.ID, r.ID); err != nil {
			return err
		}
		target, changed, err = s.assignIn(ctx, tx, actor, r, userID, assign, from)
		return err
	}))
	if err != nil {
		return nil, false, err
	}
	return target, changed, nil
}
