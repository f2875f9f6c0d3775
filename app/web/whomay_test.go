package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"accountportal/app/apptest"
	"accountportal/app/identity"
	"accountportal/app/web"
	"accountportal/models"
	"accountportal/models/modelstest"
	"cmp"
	"context"
	"fmt"
	"slices"
	"sort"
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
		ivan := w.client(t, itAdmin)
		// Keyed by each row's name without its username; the privileges a
		// reason names come in their keys' order.
		want := map[string]string{
			"Ada Admin": "skipped: only the Primary Admin acts on the Primary Admin",
			"User cora": "skipped: they hold privileges you do not: Billing changes, Updates to billing information, Billing inquiries",
			"User bill": "skipped: they hold privileges you do not: Billing changes, Updates to billing information, Billing inquiries",
			"User cleo": "done",
			"User pat":  "done",
		}
		// The preview names the same skips, by the same rule, before anything
		// is done, and counts only the others in its button.
		preview := post(ivan, "/admin/users/bulk", url.Values{"action": {"signout"}, "scope": {"selected"}, "id": ids})
		if got := preview.Doc.Find("[data-testid=bulk-run]").Text(); got != "Sign out 2 users everywhere" {
			t.Errorf("preview button %q", got)
		}
		skips := preview.Doc.Find("[data-testid=bulk-skip]")
		if skips.Length() != 3 {
			t.Fatalf("%d skipped rows in the preview", skips.Length())
		}
		for i := range skips.Length() {
			cells := skips.Eq(i).Find("td")
			name, _, _ := strings.Cut(cells.Eq(0).Text(), " (")
			why := cells.Eq(1).Text()
			if want[name] != why {
				t.Errorf("preview of %s: %q, want %q", name, why, want[name])
			}
		}
		res := ivan.RunBulk(url.Values{"action": {"signout"}, "scope": {"selected"}, "id": ids, "reason": {"audit"}})
		if got := res.Doc.Find("[data-testid=bulk-summary]").Text(); got != "2 done, 3 skipped, 0 failed." {
			t.Fatalf("summary %q", got)
		}
		rows := res.Doc.Find("[data-testid=bulk-outcome]")
		if rows.Length() != len(want) {
			t.Fatalf("%d rows", rows.Length())
		}
		for i := range rows.Length() {
			cells := rows.Eq(i).Find("td")
			name, _, _ := strings.Cut(cells.Eq(0).Text(), " (")
			if result := cells.Eq(1).Text(); want[name] == "" || result != want[name] {
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
// beyond the viewer, and refuses to give the role to users beyond them.
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
	// The assign form takes a username; the server refuses whom the IT
	// Admin may not act on, and gives the role to a plain user.
	if page.Doc.Find("[data-testid=assign-form] input[name=member_username]").Length() != 1 {
		t.Fatal("the role page has no username field to give the role")
	}
	for _, name := range []string{"ada", "cora", "ivan"} {
		if res := post(ivan, role+"/members", url.Values{"member_username": {name}, "action": {"add"}}); res.Status != http.StatusForbidden {
			t.Errorf("the IT Admin gives the role to %s: %d", name, res.Status)
		}
	}
	if res := post(ivan, role+"/members", url.Values{"member_username": {"pat"}, "action": {"add"}}); res.Status != http.StatusSeeOther {
		t.Errorf("the IT Admin gives the role to a plain user: %d", res.Status)
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

// The who-may-act-on-whom matrix: the personas who manage users, each
// acting on every kind of user through every route that acts on one.
const offered = "pending transfer target"

// action is one route that acts on a user: its path for the user's id, and
// what an actor gets who may act (allowed), who may not (refused, default
// 403) and who names another account's user (other, default 404). page,
// when set, checks the answer further.
type action struct {
	path           func(id string) string
	form           url.Values
	allowed        int
	refused, other int
	page           func(res *apptest.Response, allowed bool) string
}

func (w *world) actions(spareRole string) map[string]action {
	user := func(tail string) func(string) string {
		return func(id string) string { return "/admin/users/" + id + tail }
	}
	v := func(kv ...string) url.Values {
		out := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	return map[string]action{
		"GET /admin/users/:id": {path: user(""), allowed: ok, refused: ok, page: func(res *apptest.Response, allowed bool) string {
			forms := res.Doc.Find("main form").Length()
			if allowed == (forms == 0) || allowed == (res.Doc.Find("[data-testid=user-protected]").Length() == 1) {
				return fmt.Sprintf("the page offers %d forms and says protected %d times", forms, res.Doc.Find("[data-testid=user-protected]").Length())
			}
			return ""
		}},
		"POST /admin/users/:id":        {path: user(""), form: v("display_name", ""), allowed: invalid},
		"POST /admin/users/:id/status": {path: user("/status"), form: v("action", "deactivate", "reason", ""), allowed: invalid},
		// The targets have no second factor and no security question: the
		// page says so rather than offering a reset that cannot work.
		"GET /admin/users/:id/mfa":               {path: user("/mfa"), allowed: conflict},
		"GET /admin/users/:id/deactivate":        {path: user("/deactivate"), allowed: ok},
		"GET /admin/users/:id/question/clear":    {path: user("/question/clear"), allowed: conflict},
		"GET /admin/users/:id/sessions/signout":  {path: user("/sessions/signout"), allowed: ok},
		"GET /admin/users/:id/links/:link/void":  {path: user("/links/999999/void"), allowed: notFound},
		"POST /admin/users/:id/mfa":              {path: user("/mfa"), allowed: conflict},
		"POST /admin/users/:id/reset":            {path: user("/reset"), allowed: see},
		"POST /admin/users/:id/question/clear":   {path: user("/question/clear"), allowed: conflict},
		"POST /admin/users/:id/reset/unblock":    {path: user("/reset/unblock"), allowed: conflict},
		"GET /admin/users/:id/delete":            {path: user("/delete"), allowed: ok},
		"POST /admin/users/:id/delete":           {path: user("/delete"), form: v("confirm", ""), allowed: invalid},
		"POST /admin/users/:id/sessions/signout": {path: user("/sessions/signout"), allowed: see},
		"POST /admin/users/:id/links/:link/void": {path: user("/links/999999/void"), allowed: notFound},
		"POST /admin/roles/:id/members": {path: func(string) string { return "/admin/roles/" + spareRole + "/members" },
			form: v("action", "remove"), allowed: see},
		"POST /admin/users/bulk/run": {path: func(string) string { return "/admin/users/bulk/run" },
			form: v("action", "signout", "scope", "selected", "reason", "matrix"), allowed: ok, refused: ok, other: ok,
			page: func(res *apptest.Response, allowed bool) string {
				got := res.Doc.Find("[data-testid=bulk-outcome]").Text()
				if allowed != strings.Contains(got, "done") || allowed == strings.Contains(got, "skipped: ") {
					return fmt.Sprintf("outcome %q", got)
				}
				return ""
			}},
	}
}

// TestWhoMayActOnWhom calls every route that acts on a user as each persona
// who manages users, on every kind of user, and checks the status (and,
// for the user page and bulk results, what they offer or did). A route
// acting on a user without a row here fails the test.
func TestWhoMayActOnWhom(t *testing.T) {
	w := newWorld(t, models.SQLite)
	e := w.e
	acct := e.User("ada").AccountID
	spare := apptest.Itoa(e.AddRole(acct, "Spare auditor", identity.PermAuditView))
	ids := map[string]string{offered: apptest.Itoa(e.AddUser(acct, "tara", personaPassword, models.StatusActive).ID)}
	for _, p := range whoTargets {
		if p != offered {
			ids[p] = apptest.Itoa(e.User(w.username[p]).ID)
		}
	}
	pa := w.client(t, primary)
	// keepOffered (re)starts the transfer to tara: the Primary Admin's own
	// changes to her cancel it, as they should.
	keepOffered := func() {
		if _, err := e.Store().Transfers.Pending(context.Background(), acct); err == nil {
			return
		}
		res := post(pa, "/admin/privileges/transfer", url.Values{"transfer_username": {"tara"}, "transfer_password": {w.admin.Password}})
		if res.Status != see {
			t.Fatalf("start transfer: %d", res.Status)
		}
	}
	rows := w.actions(spare)
	for _, r := range w.e.App.Handler.(*web.Server).Routes() {
		key := r.Method + " " + r.Path
		// The API's routes act through tokens, whose rule (never the
		// Primary Admin, the transfer's target, the token's owner or
		// creator) TestAPIAuthorizationMatrix, TestAPIRoles and
		// TestAPIUserLifecycle check.
		api := strings.HasPrefix(r.Path, "/api/") || strings.HasPrefix(r.Path, "/scim/")
		if _, ok := rows[key]; !ok && !api && (strings.HasPrefix(r.Path, "/admin/users/:id") || strings.HasSuffix(r.Path, "/members")) {
			t.Errorf("route acting on a user without a row in the who-may matrix: %s", key)
		}
	}
	checks := 0
	defer func() {
		t.Logf("%d routes × %d actors × %d targets: %d checks", len(rows), len(whoActors), len(whoTargets), checks)
	}()
	for _, actor := range whoActors {
		c := w.client(t, actor)
		for _, key := range sortedActions(rows) {
			row := rows[key]
			for _, target := range whoTargets {
				if target == actor {
					continue
				}
				keepOffered()
				allowed := slices.Contains(mayAct[actor], target)
				want := cmp.Or(row.refused, deny)
				switch {
				case target == otherAcc:
					want = cmp.Or(row.other, notFound)
				case allowed:
					want = row.allowed
				}
				res := w.act(c, key, row, ids[target])
				checks++
				if res.Status != want {
					t.Errorf("%s as %s on %s: %d, want %d", key, actor, target, res.Status, want)
				} else if row.page != nil && target != otherAcc {
					if msg := row.page(res, allowed); msg != "" {
						t.Errorf("%s as %s on %s: %s", key, actor, target, msg)
					}
				}
			}
		}
	}
}

// act calls one route of the who-may matrix on the user with id.
func (w *world) act(c *apptest.Client, key string, row action, id string) *apptest.Response {
	if strings.HasPrefix(key, "GET ") {
		return c.Get(row.path(id))
	}
	form := url.Values{}
	for k, vs := range row.form {
		form[k] = vs
	}
	if strings.HasSuffix(key, "/bulk/run") {
		form.Set("id", id)
		return c.RunBulk(form)
	}
	if strings.HasSuffix(key, "/members") {
		form.Set("user_id", id)
	}
	return post(c, row.path(id), form)
}

func sortedActions(m map[string]action) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

var (
	whoActors  = []string{primary, company, itAdmin}
	whoTargets = []string{primary, company, itAdmin, billing, custom, plain, offered, otherAcc}
	// mayAct is the rule of DESIGN.md: only the Primary Admin acts on the
	// Primary Admin and on a pending transfer's target; an admin acts on
	// another only when the other's privileges are a subset of their own
	// (the IT Admin lacks billing; the Auditor role holds only audit.view).
	// Other targets of the account get 403, another account's user 404.
	mayAct = map[string][]string{
		primary: {company, itAdmin, billing, custom, plain, offered},
		company: {itAdmin, billing, custom, plain},
		itAdmin: {custom, plain},
	}
)
