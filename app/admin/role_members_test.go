package admin_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"accountportal/app/admin"
	"accountportal/app/apperr"
	"accountportal/app/apptest"
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/models"
	"accountportal/models/modelstest"
)

// ChangeMembers changes a role's members by AssignRole's rules, all or
// nothing: a Secondary Admin (Sam, managing users and roles) gives and
// takes a role holding only what Sam holds; a refused member leaves every
// member as it was, and names the refused user.
func TestChangeMembers(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e := apptest.Start(t, d, apptest.Options{ManualJobs: true})
		e.Setup(apptest.DefaultAdmin())
		ctx := context.Background()
		ada := e.User("ada")
		acct := ada.AccountID
		add := func(name string) int64 { return e.AddUser(acct, name, "Correct-Horse-9", models.StatusActive).ID }
		sam, pia, pete, hank := add("sam"), add("pia"), add("pete"), add("hank")
		e.GiveRoleID(sam, e.AddRole(acct, "Sam's", identity.PermUsersManage, identity.PermRolesManage))
		e.GiveRole(hank, "company_admin")
		_, oscar := e.AddAccount("23232323", "Other Co", "oscar", "Correct-Horse-9")
		roles := admin.NewRoles(admin.Shared{Store: e.Store(), Now: e.Clock.Now, PublicURL: e.App.Config.PublicURL})
		actor, err := e.App.SignIn.LoadPrincipal(ctx, sam)
		if err != nil {
			t.Fatal(err)
		}
		give := func(ids ...int64) admin.MemberStep { return admin.MemberStep{Op: admin.GiveRole, UserIDs: ids} }
		take := func(ids ...int64) admin.MemberStep { return admin.MemberStep{Op: admin.TakeRole, UserIDs: ids} }
		set := func(ids ...int64) admin.MemberStep { return admin.MemberStep{Op: admin.SetMembers, UserIDs: ids} }
		many := make([]int64, admin.MaxMemberChanges+1)
		for i := range many {
			many[i] = pia
		}
		cases := []struct {
			name    string
			before  []int64
			steps   []admin.MemberStep
			role    string // a role's permission beyond Sam's, or "" for users.manage
			changed int
			after   []int64
			err     error // a refusal of the whole call, or of the refused member
			refused int64 // the user a MemberError names
		}{
			{name: "give two", steps: []admin.MemberStep{give(pia, pete)}, changed: 2, after: []int64{pia, pete}},
			{name: "give a member again", before: []int64{pia}, steps: []admin.MemberStep{give(pia)}, after: []int64{pia}},
			{name: "take one", before: []int64{pia, pete}, steps: []admin.MemberStep{take(pia)}, changed: 1, after: []int64{pete}},
			{name: "take a non-member", before: []int64{pete}, steps: []admin.MemberStep{take(pia)}, after: []int64{pete}},
			{name: "set swaps", before: []int64{pia}, steps: []admin.MemberStep{set(pete)}, changed: 2, after: []int64{pete}},
			{name: "set to none", before: []int64{pia, pete}, steps: []admin.MemberStep{set()}, changed: 2},
			{name: "steps in order", steps: []admin.MemberStep{give(pia), take(pia), give(pete)}, changed: 3, after: []int64{pete}},
			{name: "set keeps a higher member unchecked", before: []int64{hank}, steps: []admin.MemberStep{set(hank, pia)}, changed: 1, after: []int64{hank, pia}},
			{name: "a higher admin", steps: []admin.MemberStep{give(pia, hank)}, refused: hank},
			{name: "set takes a higher member", before: []int64{hank, pete}, steps: []admin.MemberStep{set(pia)}, after: []int64{hank, pete}, refused: hank},
			{name: "the Primary Admin", before: []int64{pete}, steps: []admin.MemberStep{take(pete), give(ada.ID)}, after: []int64{pete},
				err: admin.ErrPrimaryTouched, refused: ada.ID},
			{name: "themselves", steps: []admin.MemberStep{give(pia), give(sam)}, err: admin.ErrOwnPrivileges, refused: sam},
			{name: "another account's user", steps: []admin.MemberStep{give(pete, oscar.ID)}, err: admin.ErrNoSuchUser, refused: oscar.ID},
			{name: "no such user", steps: []admin.MemberStep{give(pia), take(999999)}, err: admin.ErrNoSuchUser, refused: 999999},
			{name: "too many", steps: []admin.MemberStep{give(many...)}, err: admin.ErrTooManyMembers},
			{name: "a role beyond Sam's", role: identity.PermSecurityManage, steps: []admin.MemberStep{give(pia)}},
		}
		for i, c := range cases {
			perm := identity.PermUsersManage
			if c.role != "" {
				perm = c.role
			}
			roleID := e.AddRole(acct, "Case "+string(rune('A'+i)), perm)
			for _, id := range c.before {
				e.GiveRoleID(id, roleID)
			}
			n, err := roles.ChangeMembers(ctx, actor, roleID, c.steps, nil, audit.Origin{IP: "192.0.2.1"})
			var me *admin.MemberError
			switch {
			case c.role != "":
				if err == nil || errors.As(err, &me) {
					t.Errorf("%s: %v, want the role refused", c.name, err)
				}
			case c.refused != 0:
				if !errors.As(err, &me) || me.UserID != c.refused {
					t.Errorf("%s: %v, want member %d refused", c.name, err, c.refused)
				} else if c.err != nil && !errors.Is(err, c.err) || c.err == nil && !apperr.Is(err, apperr.Forbidden) {
					t.Errorf("%s: %v, want %v", c.name, err, c.err)
				}
			case c.err != nil:
				if !errors.Is(err, c.err) {
					t.Errorf("%s: %v, want %v", c.name, err, c.err)
				}
			case err != nil || n != c.changed:
				t.Errorf("%s: changed %d, %v; want %d", c.name, n, err, c.changed)
			}
			want := c.after
			if err != nil && c.after == nil {
				want = c.before
			}
			if got := memberIDs(t, e, acct, roleID); !sameIDs(got, want) {
				t.Errorf("%s: members %v, want %v", c.name, got, want)
			}
		}
	})
}

func memberIDs(t *testing.T, e *apptest.Env, accountID, roleID int64) []int64 {
	t.Helper()
	members, err := e.Store().Roles.Members(context.Background(), accountID, roleID)
	if err != nil {
		t.Fatal(err)
	}
	var out []int64
	for _, m := range members {
		out = append(out, m.ID)
	}
	return out
}

func sameIDs(a, b []int64) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// Two requests naming the same members in opposite orders both succeed:
// ChangeMembers locks the users in one order (else PostgreSQL would end
// one of them as a deadlock).
func TestChangeMembersConcurrently(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e := apptest.Start(t, d, apptest.Options{ManualJobs: true})
		e.Setup(apptest.DefaultAdmin())
		ctx := context.Background()
		ada := e.User("ada")
		roles := admin.NewRoles(admin.Shared{Store: e.Store(), Now: e.Clock.Now, PublicURL: e.App.Config.PublicURL})
		actor, err := e.App.SignIn.LoadPrincipal(ctx, ada.ID)
		if err != nil {
			t.Fatal(err)
		}
		var users []int64
		for _, name := range []string{"pia", "pete", "paul", "pam"} {
			users = append(users, e.AddUser(ada.AccountID, name, "Correct-Horse-9", models.StatusActive).ID)
		}
		reversed := slices.Clone(users)
		slices.Reverse(reversed)
		roleID := e.AddRole(ada.AccountID, "Busy", identity.PermUsersManage)
		errs := make(chan error, 40)
		var wg sync.WaitGroup
		for i := range 40 {
			order, op := users, admin.GiveRole
			if i%2 == 1 {
				order = reversed
			}
			if i%4 >= 2 {
				op = admin.TakeRole
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := roles.ChangeMembers(ctx, actor, roleID, []admin.MemberStep{{Op: op, UserIDs: order}}, nil, audit.Origin{})
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("concurrent ChangeMembers: %v", err)
			}
		}
	})
}
