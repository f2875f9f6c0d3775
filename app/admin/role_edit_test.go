package admin_test

import (
	"context"
	"strings"
	"testing"

	"accountportal/app/admin"
	"accountportal/app/apperr"
	"accountportal/app/apptest"
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/models"
)

// The role page's reason a role cannot be edited is the refusal UpdateRole
// gives, whichever rule refuses: a built-in role, a role the editor holds,
// a member beyond the editor (named, with why), a privilege beyond them.
func TestWhyARoleCannotBeEditedIsWhatUpdateSays(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{ManualJobs: true})
	e.Setup(apptest.DefaultAdmin())
	ctx := context.Background()
	acct := e.User("ada").AccountID
	add := func(name string) int64 { return e.AddUser(acct, name, "Correct-Horse-9", models.StatusActive).ID }
	sam, hank := add("sam"), add("hank")
	samsRole := e.AddRole(acct, "Sam's", identity.PermUsersManage, identity.PermRolesManage)
	e.GiveRoleID(sam, samsRole)
	e.GiveRole(hank, "company_admin")
	plain := e.AddRole(acct, "Plain", identity.PermUsersManage)
	withHank := e.AddRole(acct, "With Hank", identity.PermUsersManage)
	e.GiveRoleID(hank, withHank)
	beyond := e.AddRole(acct, "Audit", identity.PermAuditView)
	svc, actor, builtin := rolesAs(t, e, sam)
	cases := []struct {
		name string
		role int64
		want string
	}{
		{"built-in", builtin, admin.ErrBuiltinRole.Message},
		{"held by the editor", samsRole, admin.ErrOwnPrivileges.Message},
		{"a member beyond the editor", withHank, "You cannot change this role: it would change User hank, and they hold privileges you do not: "},
		{"a privilege beyond the editor", beyond, admin.ErrRoleBeyondOwn.Message},
		{"editable", plain, ""},
	}
	for _, tc := range cases {
		d, err := svc.Role(ctx, actor, tc.role)
		if err != nil {
			t.Fatal(err)
		}
		page, _ := apperr.As(d.CannotEdit)
		why := ""
		if page != nil {
			why = page.Message
		}
		if (d.CannotEdit == nil) != (tc.want == "") || !strings.HasPrefix(why, tc.want) {
			t.Errorf("%s: the page says %v, want %q", tc.name, d.CannotEdit, tc.want)
		}
		err = svc.UpdateRole(ctx, actor, tc.role, admin.RoleInput{Name: d.Role.Name, Permissions: []string{identity.PermUsersManage}}, audit.Origin{})
		ae, _ := apperr.As(err)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: update refused: %v", tc.name, err)
		case tc.want != "" && (ae == nil || ae.Message != why || ae.Code != page.Code):
			t.Errorf("%s: update says %v, the page %v", tc.name, err, d.CannotEdit)
		}
	}
}

// The role page offers Delete only when DeleteRole would delete, and says
// why not with DeleteRole's own refusal: a built-in role, one the viewer
// holds, one that still has members.
func TestWhyARoleCannotBeDeletedIsWhatDeleteSays(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{ManualJobs: true})
	e.Setup(apptest.DefaultAdmin())
	ctx := context.Background()
	acct := e.User("ada").AccountID
	sam := e.AddUser(acct, "sam", "Correct-Horse-9", models.StatusActive).ID
	pia := e.AddUser(acct, "pia", "Correct-Horse-9", models.StatusActive).ID
	samsRole := e.AddRole(acct, "Sam's", identity.PermUsersManage, identity.PermRolesManage)
	e.GiveRoleID(sam, samsRole)
	held := e.AddRole(acct, "Held", identity.PermUsersManage)
	e.GiveRoleID(pia, held)
	empty := e.AddRole(acct, "Empty", identity.PermUsersManage)
	beyond := e.AddRole(acct, "Audit", identity.PermAuditView)
	svc, actor, builtin := rolesAs(t, e, sam)
	for name, tc := range map[string]struct {
		role int64
		want string
	}{
		"built-in": {builtin, admin.ErrBuiltinRole.Message}, "held by the viewer": {samsRole, admin.ErrOwnPrivileges.Message},
		"with a member": {held, "1 user holds this role. Unassign them before deleting it."}, "empty": {empty, ""},
		"a privilege beyond the viewer": {beyond, admin.ErrRoleBeyondOwn.Message},
	} {
		d, err := svc.Role(ctx, actor, tc.role)
		if err != nil {
			t.Fatal(err)
		}
		page, _ := apperr.As(d.CannotDelete)
		err = svc.DeleteRole(ctx, actor, tc.role, audit.Origin{})
		said, _ := apperr.As(err)
		switch {
		case tc.want == "" && (d.CannotDelete != nil || err != nil):
			t.Errorf("%s: the page says %v, DeleteRole %v", name, d.CannotDelete, err)
		case tc.want != "" && (page == nil || said == nil || page.Message != tc.want || said.Message != tc.want || page.Code != said.Code):
			t.Errorf("%s: the page says %v, DeleteRole %v, want %q", name, d.CannotDelete, err, tc.want)
		}
	}
}

// rolesAs returns the roles service, userID's principal, and the id of a
// built-in role.
func rolesAs(t *testing.T, e *apptest.Env, userID int64) (*admin.Roles, *identity.Principal, int64) {
	t.Helper()
	ctx := context.Background()
	actor, err := e.App.SignIn.LoadPrincipal(ctx, userID)
	if err != nil {
		t.Fatal(err)
	}
	roles, err := e.Store().Roles.Of(ctx, actor.Account.ID)
	if err != nil {
		t.Fatal(err)
	}
	var builtin int64
	for _, r := range roles {
		if r.AccountID == nil {
			builtin = r.ID
		}
	}
	return admin.NewRoles(admin.Shared{Store: e.Store(), Now: e.Clock.Now, PublicURL: e.App.Config.PublicURL}), actor, builtin
}
