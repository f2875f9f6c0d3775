package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"accountportal/app/apptest"
	"accountportal/app/identity"
	"accountportal/models"
	"accountportal/models/modelstest"
)

// The forms that name a user by username answer a name that finds nobody
// in the admin's own account, be it unknown or another account's, with
// the same 422 on the field, and change nothing.
func TestUsernameFieldsFindOnlyOwnAccount(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		w := newWorld(t, d)
		pa := w.client(t, primary)
		forms := []struct {
			name, path, field string
			form              url.Values
		}{
			{"add a secondary admin", "/admin/privileges/areas", "admin_username", url.Values{"area": {identity.PermBillingInfo}}},
			{"transfer the Primary Admin role", "/admin/privileges/transfer", "transfer_username", url.Values{"transfer_password": {w.admin.Password}}},
			{"give a role", "/admin/roles/" + w.roleID + "/members", "member_username", url.Values{"action": {"add"}}},
		}
		names := []struct{ name, typed, want string }{
			{"another account's user", "oscar", "No user of your account has this username"},
			{"unknown", "nobody.at.all", "No user of your account has this username"},
			{"empty", "  ", "Enter the username of the user"},
		}
		before := stateOf(t, w)
		for _, f := range forms {
			for _, n := range names {
				form := url.Values{f.field: {n.typed}}
				for k, vs := range f.form {
					form[k] = vs
				}
				res := post(pa, f.path, form)
				got := strings.TrimSpace(res.Doc.Find("[data-testid=error-" + f.field + "]").Text())
				if res.Status != http.StatusUnprocessableEntity || !strings.HasSuffix(got, n.want) {
					t.Errorf("%s, %s: %d, field error %q; want 422 and %q", f.name, n.name, res.Status, got, n.want)
				}
				if typed := res.Doc.Find("input[name="+f.field+"]").AttrOr("value", ""); typed != n.typed {
					t.Errorf("%s, %s: the field shows %q again, want %q", f.name, n.name, typed, n.typed)
				}
			}
		}
		if after := stateOf(t, w); after != before {
			t.Errorf("a username that finds nobody changed something:\n%s\nwant\n%s", after, before)
		}
	})
}

// stateOf sums up what the username forms could change: the privileges of
// the target and of the other account's Primary Admin, the role's members
// and the pending transfer.
func stateOf(t *testing.T, w *world) string {
	t.Helper()
	ctx := context.Background()
	members, err := w.e.Store().Roles.Members(ctx, w.e.User("ada").AccountID, mustID(t, w.roleID))
	if err != nil {
		t.Fatal(err)
	}
	_, pending := w.e.Store().Transfers.Pending(ctx, w.e.User("ada").AccountID)
	return fmt.Sprintf("tess %s; oscar %s; %d members; pending %v",
		permissionsOf(t, w.e, "tess"), permissionsOf(t, w.e, "oscar"), len(members), pending == nil)
}

func mustID(t *testing.T, s string) int64 {
	t.Helper()
	var id int64
	if _, err := fmt.Sscan(s, &id); err != nil {
		t.Fatal(err)
	}
	return id
}

// The 501st user by name, whom the old 500-user pickers never offered, is
// made a secondary admin and given a role by typing their username, in
// any case and with stray spaces.
func TestUserBeyondTheFirst500CanBeChosen(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e := apptest.Start(t, d, apptest.Options{})
		pa := e.Setup(apptest.DefaultAdmin())
		acct := e.User("ada").AccountID
		seedUsers(t, e, acct, 600)
		all, err := e.Store().Users.Of(context.Background(), acct)
		if err != nil || len(all) != 601 {
			t.Fatalf("users: %d, %v", len(all), err)
		}
		u := all[500] // by name, as the pickers listed them
		page := pa.Get("/admin/privileges")
		res := pa.Submit(page, "form[data-testid=add-admin-form]", map[string]string{
			"admin_username": "  " + strings.ToUpper(u.Username) + " ", "area": identity.PermBillingInfo})
		if res.Status != http.StatusSeeOther {
			t.Fatalf("make %s a secondary admin: %d\n%s", u.Username, res.Status, res.Doc.Find("[data-testid=error-summary]").Text())
		}
		if got := permissionsOf(t, e, u.Username); got != identity.PermBillingInfo {
			t.Fatalf("%s holds %q", u.Username, got)
		}
		role := "/admin/roles/" + apptest.Itoa(e.AddRole(acct, "Auditor", identity.PermAuditView))
		res = pa.Submit(pa.Get(role), "form[data-testid=assign-form]", map[string]string{"member_username": u.Username})
		if res.Status != http.StatusSeeOther || pa.Get(role).Doc.Find(`[data-testid="unassign-`+u.Username+`"]`).Length() != 1 {
			t.Fatalf("give %s the role: %d", u.Username, res.Status)
		}
	})
}

// seedUsers adds n active users to the account: in one statement on
// PostgreSQL (modelstest.SeedUsers), in one transaction on SQLite.
func seedUsers(t *testing.T, e *apptest.Env, accountID int64, n int) {
	t.Helper()
	ctx := context.Background()
	s := e.Store()
	if s.Dialect() == models.Postgres {
		if err := modelstest.SeedUsers(ctx, s, accountID, n); err != nil {
			t.Fatal(err)
		}
		return
	}
	err := s.InTx(ctx, func(tx *models.Store) error {
		for i := 1; i <= n; i++ {
			name := fmt.Sprintf("seed.user%04d", i)
			u := &models.User{AccountID: accountID, Username: name, UsernameKey: name, Email: name + "@example.com",
				EmailKey: name + "@example.com", DisplayName: fmt.Sprintf("Seed User %04d", i), Status: models.StatusActive}
			if err := tx.Users.Create(ctx, u); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Once a username finds a user, each form's rules apply as they did to a
// chosen one: nobody changes their own privileges, the transfer goes only
// to another active user, a role only from someone who holds all of it
// and only to users they may act on; and who may not use a form at all is
// refused before any name is looked up.
func TestUsernameFieldsKeepTheRules(t *testing.T) {
	w := newWorld(t, models.SQLite)
	w.e.AddUser(w.e.User("ada").AccountID, "sue", personaPassword, models.StatusSuspended)
	billingRole, err := w.e.Store().Roles.Builtin(context.Background(), "billing_admin")
	if err != nil {
		t.Fatal(err)
	}
	billing := "/admin/roles/" + apptest.Itoa(billingRole.ID) + "/members"
	own := "/admin/roles/" + w.roleID + "/members"
	target := "Enter the username of an active user of this account other than yourself"
	cases := []struct {
		name, persona, path string
		form                url.Values
		status              int
		field               string // the field whose error the answer shows, if any
		msg                 string
	}{
		{"the Primary Admin adds themself", primary, "/admin/privileges/areas", url.Values{"admin_username": {"ada"}, "area": {identity.PermBillingInfo}}, http.StatusForbidden, "", ""},
		{"the transfer to oneself", primary, "/admin/privileges/transfer", url.Values{"transfer_username": {"ADA"}, "transfer_password": {w.admin.Password}}, http.StatusUnprocessableEntity, "transfer_username", target},
		{"the transfer to a suspended user", primary, "/admin/privileges/transfer", url.Values{"transfer_username": {"sue"}, "transfer_password": {w.admin.Password}}, http.StatusUnprocessableEntity, "transfer_username", target},
		{"the transfer with a wrong password", primary, "/admin/privileges/transfer", url.Values{"transfer_username": {"tess"}, "transfer_password": {"wrong"}}, http.StatusUnprocessableEntity, "transfer_password", identity.ErrWrongPassword.Message},
		{"an IT Admin adds an admin", itAdmin, "/admin/privileges/areas", url.Values{"admin_username": {"nobody.at.all"}, "area": {identity.PermBillingInfo}}, http.StatusForbidden, "", ""},
		{"an IT Admin gives a role to the Primary Admin", itAdmin, own, url.Values{"member_username": {"ada"}, "action": {"add"}}, http.StatusForbidden, "", ""},
		{"an IT Admin gives a role to a Company Admin", itAdmin, own, url.Values{"member_username": {"cora"}, "action": {"add"}}, http.StatusForbidden, "", ""},
		{"an IT Admin gives the Billing Admin role", itAdmin, billing, url.Values{"member_username": {"pat"}, "action": {"add"}}, http.StatusForbidden, "", ""},
		{"a plain user gives a role", plain, own, url.Values{"member_username": {"nobody.at.all"}, "action": {"add"}}, http.StatusForbidden, "", ""},
	}
	before := stateOf(t, w)
	for _, c := range cases {
		res := post(w.client(t, c.persona), c.path, c.form)
		if res.Status != c.status {
			t.Errorf("%s: %d, want %d", c.name, res.Status, c.status)
		}
		if c.field != "" {
			if got := strings.TrimSpace(res.Doc.Find("[data-testid=error-" + c.field + "]").Text()); !strings.HasSuffix(got, c.msg) {
				t.Errorf("%s: field error %q, want %q", c.name, got, c.msg)
			}
		}
	}
	if after := stateOf(t, w); after != before {
		t.Errorf("a refused form changed something:\n%s\nwant\n%s", after, before)
	}
}
