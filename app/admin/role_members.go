package admin

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/models"
)

// MaxMemberChanges bounds the users one ChangeMembers call names: each is
// checked, stamped, audited and emailed inside one transaction.
const MaxMemberChanges = 1000

// MemberOp says what a MemberStep does to the role's members.
type MemberOp int

// The member steps: give the role to each user, take it from each, or
// make the users exactly the role's members.
const (
	GiveRole MemberOp = iota + 1
	TakeRole
	SetMembers
)

// MemberStep is one change to a role's members, as an identity provider's
// PATCH operation asks for it.
type MemberStep struct {
	Op      MemberOp
	UserIDs []int64
}

// MemberError is a refusal of one member of a ChangeMembers call: Err is
// what AssignRole would answer for that user alone.
type MemberError struct {
	UserID int64
	Err    error
}

func (e *MemberError) Error() string { return fmt.Sprintf("member %d: %v", e.UserID, e.Err) }

func (e *MemberError) Unwrap() error { return e.Err }

// ErrTooManyMembers refuses a ChangeMembers call naming more than
// MaxMemberChanges users.
var ErrTooManyMembers = apperr.New(apperr.Invalid, fmt.Sprintf("Name at most %d members in one request.", MaxMemberChanges))

// ChangeMembers applies the steps, in order, to the role's members in one
// transaction, each user by AssignRole's rules: all of them change or,
// when one is refused, none does (the error is a *MemberError naming the
// first refused user, unless the role itself is refused). SetMembers
// gives and takes only what differs, so a member it keeps is not checked.
// It returns how many gives and takes changed something.
func (s *Roles) ChangeMembers(ctx context.Context, actor *identity.Principal, roleID int64, steps []MemberStep, from audit.Origin) (int, error) {
	if err := requireRolesManage(actor); err != nil {
		return 0, err
	}
	named := 0
	for _, st := range steps {
		named += len(st.UserIDs)
	}
	if named > MaxMemberChanges {
		return 0, ErrTooManyMembers
	}
	changed := 0
	err := s.done(s.store.InTx(ctx, func(tx *models.Store) error {
		changed = 0
		r, err := assignableRole(ctx, tx, actor, roleID)
		if err != nil {
			return err
		}
		locked, err := lockMembers(ctx, tx, actor.Account.ID, r.ID, steps)
		if err != nil {
			return err
		}
		for _, st := range steps {
			gives, takes, err := s.memberDiff(ctx, tx, actor, r.ID, st, locked)
			if err != nil {
				return err
			}
			for _, c := range []struct {
				ids  []int64
				give bool
			}{{takes, false}, {gives, true}} {
				for _, id := range c.ids {
					_, did, err := s.assignIn(ctx, tx, actor, r, id, c.give, from)
					if err != nil {
						return &MemberError{UserID: id, Err: err}
					}
					if did {
						changed++
					}
				}
			}
		}
		return nil
	}))
	return changed, err
}

// lockMembers takes the role's members lock (so that two changes of its
// members run one after the other), then locks every user the steps may
// change, in the order of their ids, before any is changed: assignIn
// locks each as it comes, and two requests locking the same users in
// another order would deadlock. It returns the ids it locked.
func lockMembers(ctx context.Context, tx *models.Store, accountID, roleID int64, steps []MemberStep) ([]int64, error) {
	if err := tx.Roles.LockMembers(ctx, accountID, roleID); err != nil {
		return nil, err
	}
	members, err := tx.Roles.Members(ctx, accountID, roleID)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, m := range members {
		ids = append(ids, m.ID)
	}
	for _, st := range steps {
		ids = append(ids, st.UserIDs...)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	for _, id := range ids {
		if _, err := tx.Users.LockInAccount(ctx, accountID, id); err != nil && !errors.Is(err, models.ErrNotFound) {
			return nil, err
		}
	}
	return ids, nil
}

// memberDiff turns a step into the users to give the role to and to take
// it from; for SetMembers, from the role's members as they are in tx.
// SetMembers takes the role only from users in locked: one who got it
// since lockMembers read the members did so by a path that does not take
// the members lock (a new user's first role, an ownership transfer), and
// locking them now, out of order, could deadlock; their change counts as
// made after this one.
func (s *Roles) memberDiff(ctx context.Context, tx *models.Store, actor *identity.Principal, roleID int64, st MemberStep, locked []int64) (gives, takes []int64, err error) {
	switch st.Op {
	case GiveRole:
		return st.UserIDs, nil, nil
	case TakeRole:
		return nil, st.UserIDs, nil
	case SetMembers:
	default:
		return nil, nil, errors.New("admin: unknown member step")
	}
	members, err := tx.Roles.Members(ctx, actor.Account.ID, roleID)
	if err != nil {
		return nil, nil, err
	}
	var held []int64
	for _, m := range members {
		held = append(held, m.ID)
		if !slices.Contains(st.UserIDs, m.ID) && slices.Contains(locked, m.ID) {
			takes = append(takes, m.ID)
		}
	}
	for _, id := range st.UserIDs {
		if !slices.Contains(held, id) && !slices.Contains(gives, id) {
			gives = append(gives, id)
		}
	}
	return gives, takes, nil
}

// assignableRole loads a role of the actor's account (or a built-in one)
// that whyNotAssign lets them give and take.
func assignableRole(ctx context.Context, tx *models.Store, actor *identity.Principal, roleID int64) (*models.RoleWithCount, error) {
	r, err := tx.Roles.InAccount(ctx, actor.Account.ID, roleID)
	if err != nil {
		return nil, ErrNoSuchRole
	}
	if why := whyNotAssign(actor, r); why != "" {
		return nil, apperr.New(apperr.Forbidden, why)
	}
	return r, nil
}

// assignIn is AssignRole's change of one user in tx, once the role is
// known to be the actor's to give: it refuses users the actor may not act
// on (target), and stamps, audits and emails only a user it changed.
func (s *Roles) assignIn(ctx context.Context, tx *models.Store, actor *identity.Principal, r *models.RoleWithCount,
	userID int64, assign bool, from audit.Origin) (*models.User, bool, error) {
	u, err := s.target(ctx, tx, actor, userID)
	if err != nil {
		return nil, false, err
	}
	before, err := tx.Privileges.Effective(ctx, u.ID)
	if err != nil {
		return nil, false, err
	}
	action, changed := ActionRoleAssigned, false
	if assign {
		held, err := tx.Roles.IDsOfUser(ctx, u.ID)
		if err != nil || slices.Contains(held, r.ID) {
			return u, false, err
		}
		changed = true
		err = tx.Roles.Assign(ctx, &models.UserRole{UserID: u.ID, RoleID: r.ID, AssignedAt: s.now(), AssignedByName: actor.User.DisplayName})
		if err != nil {
			return nil, false, err
		}
	} else {
		action = ActionRoleUnassigned
		if changed, err = tx.Roles.Unassign(ctx, actor.Account.ID, u.ID, r.ID); err != nil {
			return nil, false, err
		}
	}
	if !changed {
		return u, false, nil
	}
	after, err := tx.Privileges.Effective(ctx, u.ID)
	if err != nil {
		return nil, false, err
	}
	return u, true, s.privilegesChanged(ctx, tx, actor, u, action, before, after, map[string]any{"role": r.Name}, from)
}
