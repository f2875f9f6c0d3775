package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"accountportal/app/apptest"
	"accountportal/app/identity"
	"accountportal/models"
	"accountportal/models/modelstest"
)

// A bulk action skips, row by row, the users the actor may not act on and
// says why; the others are done. The targets' privileges are read for the
// whole batch, on both databases.
func TestBulkSkipsUsersBeyondTheActor(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		w := newWorld(t, d)
		e := w.e
		var ids []string
		for _, p := range []string{primary, company, billing, custom, plain} {
			ids = append(ids, apptest.Itoa(e.User(w.username[p]).ID))
		}
		cora := w.client(t, company)
		res := w.client(t, itAdmin).RunBulk(url.Values{"action": {"signout"}, "scope": {"selected"}, "id": ids, "reason": {"audit"}})
		if got := res.Doc.Find("[data-testid=bulk-summary]").Text(); got != "2 done, 3 skipped, 0 failed." {
			t.Fatalf("summary %q", got)
		}
		want := map[string]string{
			"User ada":  "skipped: only the Primary Admin acts on the Primary Admin",
			"User cora": "skipped: they hold privileges you do not: Billing inquiries, Billing changes, Updates to billing information",
			"User bill": "skipped: they hold privileges you do not: Billing inquiries, Billing changes, Updates to billing information",
			"User cleo": "done",
			"User pat":  "done",
		}
		rows := res.Doc.Find("[data-testid=bulk-outcome]")
		if rows.Length() != len(want) {
			t.Fatalf("%d rows", rows.Length())
		}
		for i := range rows.Length() {
			cells := rows.Eq(i).Find("td")
			name, result := cells.Eq(0).Text(), cells.Eq(1).Text()
			if !strings.HasPrefix(result, want[name]) {
				t.Errorf("%s: %q, want %q", name, result, want[name])
			}
		}
		if r := cora.Get("/"); r.Status != http.StatusOK {
			t.Fatalf("the Company Admin was signed out: %d", r.Status)
		}
	})
}

// Changing a role changes its members, so an admin may change it only when
// they may act on every member; the role page offers no action on members
// or candidates beyond the viewer.
func TestRoleChangesNeedEveryMember(t *testing.T) {
	w := newWorld(t, models.SQLite)
	e := w.e
	bill := e.User("bill")
	roleID, _ := strconv.ParseInt(w.roleID, 10, 64)
	e.GiveRoleID(bill.ID, roleID)
	ivan, cora := w.client(t, itAdmin), w.client(t, company)
	role := "/admin/roles/" + w.roleID
	edit := url.Values{"name": {"Auditor"}, "permission": {identity.PermAuditView, identity.PermPhoneSystem}}
	res := post(ivan, role, edit)
	if res.Status != http.StatusForbidden || !strings.Contains(res.Body, "it would change User bill") {
		t.Fatalf("IT Admin edits a role the Billing Admin holds: %d", res.Status)
	}
	page := ivan.Get(role)
	if page.Doc.Find("[data-testid=edit-role]").Length() != 0 || page.Doc.Find("[data-testid=unassign-bill]").Length() != 0 ||
		page.Doc.Find("[data-testid=unassign-cleo]").Length() != 1 {
		t.Fatal("the role page offers the IT Admin actions on the Billing Admin, or none on the Auditor")
	}
	offered := page.Doc.Find("select[name=user_id]").Text()
	for _, name := range []string{"User ada", "User cora", "User ivan"} {
		if strings.Contains(offered, name) {
			t.Errorf("the IT Admin is offered to give the role to %s", name)
		}
	}
	if !strings.Contains(offered, "User pat") {
		t.Error("a plain user is not offered")
	}
	if res := post(cora, role, edit); res.Status != http.StatusSeeOther {
		t.Fatalf("Company Admin edits it: %d", res.Status)
	}
}

// The Primary Admin's sign-in page does not promise an administrator's
// reset of their second factor: nobody else in the account may do it.
func TestPrimaryAdminMFAHelpIsHonest(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	a := apptest.DefaultAdmin()
	pa := e.Setup(a)
	acct := e.User("ada").AccountID
	e.SetMFAPolicy(acct, models.MFAOptional)
	pa.Enrol(e.Clock)
	e.AddUser(acct, "bob", personaPassword, models.StatusActive)
	bob := e.Client()
	bob.SignIn("bob", personaPassword)
	bob.Enrol(e.Clock)
	help := func(username, password string) string {
		c := e.Client()
		if res := c.SignIn(username, password); res.Location != "/login/mfa" {
			t.Fatalf("%s: %q", username, res.Location)
		}
		return c.Get("/login/mfa").Doc.Find("[data-testid=mfa-lost-help]").Text()
	}
	if got := help("ada", a.Password); strings.Contains(got, "administrator can reset") || !strings.Contains(got, "nobody else in your account") {
		t.Fatalf("Primary Admin is told %q", got)
	}
	if got := help("bob", personaPassword); !strings.Contains(got, "administrator can reset") {
		t.Fatalf("a user is told %q", got)
	}
	// Nobody else resets it, not even a Company Admin.
	cora := e.AddUser(acct, "cora", personaPassword, models.StatusActive)
	e.GiveRole(cora.ID, "company_admin")
	cc := e.Client()
	cc.SignIn("cora", personaPassword)
	if res := post(cc, "/admin/users/"+apptest.Itoa(e.User("ada").ID)+"/mfa", url.Values{}); res.Status != http.StatusForbidden {
		t.Fatalf("Company Admin resets the Primary Admin's second factor: %d", res.Status)
	}
}
