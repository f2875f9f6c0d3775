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

// MembersCheck may refuse a change of a role's members, seeing the role
// and its members as they are under the change's lock (an ETag's
// If-Match, say); nil checks nothing.
type MembersCheck func(r *models.RoleWithCount, members []models.User) error

// ChangeMembers applies the steps, in order, to the role's members in one
// transaction, each user by AssignRole's rules: all of them change or,
// when one is refused, none does (the error is a *MemberError naming the
// first refused user, unless the role itself is refused). Each step gives
// and takes only what differs, so a user whose membership it would not
// change is not checked, beyond being a user of the account.
// It returns how many gives and takes changed something.
func (s *Roles) ChangeMembers(ctx context.Context, actor *identity.Principal, roleID int64, steps []MemberStep,
	check MembersCheck, from audit.Origin) (int, error) {
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
		locked, members, err := lockMembers(ctx, tx, actor.Account.ID, r.ID, steps)
		if err != nil {
			return err
		}
		if check != nil {
			// The members' lock is held: they are as check sees them until
			// this commits.
			if err := check(r, members); err != nil {
				return err
			}
		}
		for _, st := range steps {
			gives, takes, same, err := s.memberDiff(ctx, tx, actor, r.ID, st, locked)
			if err != nil {
				return err
			}
			for _, id := range same {
				if _, err := lockUser(ctx, tx, actor.Account.ID, id); err != nil {
					return &MemberError{UserID: id, Err: err}
				}
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
// another order would deadlock. It returns the ids it locked and the
// members as it read them under the lock.
func lockMembers(ctx context.Context, tx *models.Store, accountID, roleID int64, steps []MemberStep) (locked []int64, members []models.User, err error) {
	if err := tx.Roles.LockMembers(ctx, accountID, roleID); err != nil {
		return nil, nil, err
	}
	members, err = tx.Roles.Members(ctx, accountID, roleID)
	if err != nil {
		return nil, nil, err
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
			return nil, nil, err
		}
	}
	return ids, members, nil
}

// memberDiff turns a step into the users to give the role to and to take
// it from, from the role's members as they are in tx: only those whose
// membership would change, so a member named by add or kept by replace,
// and a non-member named by remove, is not checked (nothing happens to
// them); same names those, which the caller checks are users at all.
// SetMembers takes the role only from users in locked: one who got it
// since lockMembers read the members did so by a path that does not take
// the members lock (a new user's first role, an ownership transfer), and
// locking them now, out of order, could deadlock; their change counts as
// made after this one.
func (s *Roles) memberDiff(ctx context.Context, tx *models.Store, actor *identity.Principal, roleID int64, st MemberStep, locked []int64) (gives, takes, same []int64, err error) {
	members, err := tx.Roles.Members(ctx, actor.Account.ID, roleID)
	if err != nil {
		return nil, nil, nil, err
	}
	held := make([]int64, 0, len(members))
	for _, m := range members {
		held = append(held, m.ID)
	}
	switch st.Op {
	case GiveRole:
		gives, same = splitBy(st.UserIDs, func(id int64) bool { return !slices.Contains(held, id) })
	case TakeRole:
		takes, same = splitBy(st.UserIDs, func(id int64) bool { return slices.Contains(held, id) })
	case SetMembers:
		gives, _ = splitBy(st.UserIDs, func(id int64) bool { return !slices.Contains(held, id) })
		takes, _ = splitBy(held, func(id int64) bool {
			return !slices.Contains(st.UserIDs, id) && slices.Contains(locked, id)
		})
	default:
		return nil, nil, nil, errors.New("admin: unknown member step")
	}
	return gives, takes, same, nil
}

// splitBy splits ids, each once, into those change says change and the
// rest.
func splitBy(ids []int64, change func(int64) bool) (changed, rest []int64) {
	for _, id := range ids {
		switch {
		case slices.Contains(changed, id) || slices.Contains(rest, id):
		case change(id):
			changed = append(changed, id)
		default:
			rest = append(rest, id)
		}
	}
	return changed, rest
}

// roleIn loads a role of the account (or a built-in one): ErrNoSuchRole
// when there is none, and the database's own error otherwise.
func roleIn(ctx context.Context, store *models.Store, accountID, roleID int64) (*models.RoleWithCount, error) {
	r, err := store.Roles.InAccount(ctx, accountID, roleID)
	if errors.Is(err, models.ErrNotFound) {
		return nil, ErrNoSuchRole
	}
	return r, err
}

// assignableRole loads a role of the actor's account (or a built-in one)
// that whyNotAssign lets them give and take.
func assignableRole(ctx context.Context, tx *models.Store, actor *identity.Principal, roleID int64) (*models.RoleWithCount, error) {
	r, err := roleIn(ctx, tx, actor.Account.ID, roleID)
	if err != nil {
		return nil, err
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
