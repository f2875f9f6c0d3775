package web_test

import (
	"context"
	"database/sql"
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

// tenant is a customer account beside the authorization matrix's one, with
// something of every kind a request can name by id: a user, a custom role,
// an emailed link, a live session, a finished bulk job, an email-change
// link and audit events. Its names all contain marker, so a page of
// another account that shows any of them is caught.
type tenant struct {
	marker   string
	account  *models.Account
	admin    *models.User
	member   *models.User
	roleID   int64
	linkID   int64
	jobID    int64
	session  string // the hex handle of the member's session
	confirm  string // the member's email-change confirmation path
	memberIn *apptest.Client
}

// isolationWorld is the matrix's world (account A, with every persona, and
// "Other Co") plus two more accounts, B and C.
type isolationWorld struct {
	*world
	tenants []*tenant
}

func newIsolationWorld(t testing.TB, d models.Dialect) *isolationWorld {
	w := newWorld(t, d)
	iw := &isolationWorld{world: w}
	for i, marker := range []string{"bravo", "charlie"} {
		iw.tenants = append(iw.tenants, addTenant(t, w.e, marker, fmt.Sprintf("%d%d%d%d%d%d%d%d", i+4, i+4, i+4, i+4, i+4, i+4, i+4, i+4)))
	}
	return iw
}

// addTenant makes a customer account whose every name contains marker, and
// uses it as its people would, so it has rows in every table.
func addTenant(t testing.TB, e *apptest.Env, marker, number string) *tenant {
	ctx := context.Background()
	acct, admin := e.AddAccount(number, strings.ToUpper(marker[:1])+marker[1:]+" Company", marker+"-admin", personaPassword)
	tn := &tenant{marker: marker, account: acct, admin: admin}
	tn.member = e.AddUser(acct.ID, marker+"-member", personaPassword, models.StatusActive)
	tn.roleID = e.AddRole(acct.ID, strings.ToUpper(marker[:1])+marker[1:]+" Auditors", identity.PermAuditView)
	e.GiveRoleID(tn.member.ID, tn.roleID)
	e.SetPassphrase(admin.ID, marker+" secret passphrase")

	boss := e.Client()
	if res := boss.SignIn(admin.Username, personaPassword); res.Status != http.StatusSeeOther {
		t.Fatalf("%s admin signs in: %d", marker, res.Status)
	}
	member := itoa64(tn.member.ID)
	if res := post(boss, "/admin/users/"+member+"/reset", url.Values{}); res.Status != http.StatusSeeOther {
		t.Fatalf("%s admin sends a reset link: %d", marker, res.Status)
	}
	links, err := e.Store().Tokens.LinksOf(ctx, tn.member.ID, 1)
	if err != nil || len(links) != 1 {
		t.Fatalf("%s link: %v %d", marker, err, len(links))
	}
	tn.linkID = links[0].ID

	tn.memberIn = e.Client()
	if res := tn.memberIn.SignIn(tn.member.Username, personaPassword); res.Status != http.StatusSeeOther {
		t.Fatalf("%s member signs in: %d", marker, res.Status)
	}
	sessions, err := e.Store().Sessions.OfUser(ctx, tn.member.ID, e.Clock.Now())
	if err != nil || len(sessions) != 1 {
		t.Fatalf("%s session: %v %d", marker, err, len(sessions))
	}
	tn.session = fmt.Sprintf("%x", sessions[0].IDHash)
	res := submitProfile(tn.memberIn, "email-form", map[string]string{"new_email": marker + "-new@example.com"})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("%s member changes email: %d", marker, res.Status)
	}
	e.Drain()
	msgs := e.MailTo(marker + "-new@example.com")
	if len(msgs) != 1 {
		t.Fatalf("%s confirmation mail: %d", marker, len(msgs))
	}
	tn.confirm = tn.memberIn.Path(apptest.LinkIn(msgs[0].TextBody, e.URL+"/profile/email/confirm/"))

	// A finished bulk job about the admin alone (its reason names the
	// account), so the member's session stays live.
	job := boss.RunBulk(url.Values{"action": {"signout"}, "scope": {"selected"}, "id": {itoa64(admin.ID)}, "reason": {marker + " tidy-up"}})
	if job.Status != http.StatusOK {
		t.Fatalf("%s bulk job: %d", marker, job.Status)
	}
	jobs, err := e.Store().BulkJobs.List(ctx, acct.ID, 1)
	if err != nil || len(jobs) != 1 {
		t.Fatalf("%s jobs: %v %d", marker, err, len(jobs))
	}
	tn.jobID = jobs[0].ID
	return tn
}

func itoa64(n int64) string { return apptest.Itoa(n) }

// customerPersonas are the users of customer accounts other than B and C.
var customerPersonas = []string{plain, company, itAdmin, billing, custom, oneArea, primary, otherAcc}

// idCase is one request naming another account's object. gate is the
// matrix row whose status a persona gets when the route itself refuses
// them, whatever the id.
type idCase struct {
	name string
	gate string
	get  bool
	path string
	form url.Values
}

// idCases are the requests that name t's objects by id, from account A.
func (w *isolationWorld) idCases(t *tenant) []idCase {
	u := "/admin/users/" + itoa64(t.member.ID)
	admin := "/admin/users/" + itoa64(t.admin.ID)
	role := "/admin/roles/" + itoa64(t.roleID)
	job := "/admin/users/jobs/" + itoa64(t.jobID)
	link := "/links/" + itoa64(t.linkID) + "/void"
	v := func(kv ...string) url.Values {
		out := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			out.Add(kv[i], kv[i+1])
		}
		return out
	}
	return []idCase{
		{"user page", "GET /admin/users/:id", true, u, nil},
		{"edit user", "POST /admin/users/:id", false, u, v("display_name", "Taken Over", "email", "x@example.com")},
		{"deactivate", "POST /admin/users/:id/status", false, u + "/status", v("action", "deactivate", "reason", "gone")},
		{"mfa reset page", "GET /admin/users/:id/mfa", true, u + "/mfa", nil},
		{"mfa reset", "POST /admin/users/:id/mfa", false, u + "/mfa", v()},
		{"send reset", "POST /admin/users/:id/reset", false, u + "/reset", v()},
		{"clear question", "POST /admin/users/:id/question/clear", false, u + "/question/clear", v()},
		{"unblock reset", "POST /admin/users/:id/reset/unblock", false, u + "/reset/unblock", v()},
		{"delete page", "GET /admin/users/:id/delete", true, u + "/delete", nil},
		{"delete", "POST /admin/users/:id/delete", false, u + "/delete", v("confirm", t.member.Username)},
		{"sign out all", "POST /admin/users/:id/sessions/signout", false, u + "/sessions/signout", v()},
		{"sign out one", "POST /admin/users/:id/sessions/signout", false, u + "/sessions/signout", v("session", t.session)},
		{"admin's user page", "GET /admin/users/:id", true, admin, nil},
		{"void link", "POST /admin/users/:id/links/:link/void", false, u + link, v()},
		{"void link via own user", "POST /admin/users/:id/links/:link/void", false, "/admin/users/" + w.targetID + link, v()},
		{"sign out session via own user", "POST /admin/users/:id/sessions/signout", false,
			"/admin/users/" + w.targetID + "/sessions/signout", v("session", t.session)},
		{"role page", "GET /admin/roles/:id", true, role, nil},
		{"role edit page", "GET /admin/roles/:id/edit", true, role + "/edit", nil},
		{"edit role", "POST /admin/roles/:id", false, role, v("name", "Taken Over", "permission", identity.PermAuditView)},
		{"role delete page", "GET /admin/roles/:id/delete", true, role + "/delete", nil},
		{"delete role", "POST /admin/roles/:id/delete", false, role + "/delete", v()},
		{"join role", "POST /admin/roles/:id/members", false, role + "/members", v("user_id", w.targetID, "action", "add")},
		{"leave role", "POST /admin/roles/:id/members", false, role + "/members", v("user_id", itoa64(t.member.ID), "action", "remove")},
		{"job page", "GET /admin/users/jobs/:job", true, job, nil},
		{"job results", "GET /admin/users/jobs/:job/results.csv", true, job + "/results.csv", nil},
		{"grant areas", "POST /admin/privileges/areas", false, "/admin/privileges/areas", v("user_id", itoa64(t.member.ID), "area", identity.PermBillingInfo)},
		{"remove admin page", "GET /admin/privileges/remove", true, "/admin/privileges/remove?user_id=" + itoa64(t.admin.ID), nil},
		{"remove admin", "POST /admin/privileges/remove", false, "/admin/privileges/remove", v("user_id", itoa64(t.member.ID))},
		{"confirm someone's email", "GET /profile/email/confirm/:token", true, t.confirm, nil},
		{"sign out someone's session", "POST /profile/sessions/signout", false, "/profile/sessions/signout", v("session", t.session)},
		{"add to own role", "POST /admin/roles/:id/members", false, "/admin/roles/" + w.roleID + "/members", v("user_id", itoa64(t.member.ID), "action", "add")},
		{"remove from own role", "POST /admin/roles/:id/members", false, "/admin/roles/" + w.roleID + "/members", v("user_id", itoa64(t.member.ID), "action", "remove")},
	}
}

// formIDCases name t's users in a form field whose answer for a user who
// does not exist is a form error, not 404 (an id in a picker, a username
// typed): the answer must be the same for t's user as for nobody, so it
// tells nothing.
func (w *isolationWorld) formIDCases(t *tenant) []idCase {
	return []idCase{
		{"transfer to B's admin", "POST /admin/privileges/transfer", false, "/admin/privileges/transfer",
			url.Values{"transfer_username": {t.admin.Username}, "transfer_password": {personaPassword}}},
		{"transfer to B's member", "POST /admin/privileges/transfer", false, "/admin/privileges/transfer",
			url.Values{"transfer_username": {t.member.Username}, "transfer_password": {personaPassword}}},
		{"make B's member a secondary admin", "POST /admin/privileges/areas", false, "/admin/privileges/areas",
			url.Values{"admin_username": {t.member.Username}, "area": {identity.PermBillingInfo}}},
		{"give own role to B's member", "POST /admin/roles/:id/members", false, "/admin/roles/" + w.roleID + "/members",
			url.Values{"member_username": {t.member.Username}, "action": {"add"}}},
		{"new user with B's role", "POST /admin/users", false, "/admin/users",
			url.Values{"display_name": {"Nina New"}, "email": {"nina@example.com"}, "username": {"nina"}, "role": {itoa64(t.roleID)}}},
	}
}

// errorTexts is every error message a page shows, in order.
func errorTexts(res *apptest.Response) string {
	return strings.Join(strings.Fields(res.Doc.Find(`[data-testid="error-summary"], [data-testid^="error-"]`).Text()), " ")
}

// withoutTyped is body without the values of form's username fields that
// a page shows again in those fields: the admin's own input, not data of
// the account it names.
func withoutTyped(body string, form url.Values) string {
	for _, key := range []string{"transfer_username", "admin_username", "member_username"} {
		if v := form.Get(key); v != "" {
			body = strings.ReplaceAll(body, `value="`+v+`"`, `value=""`)
		}
	}
	return body
}

// missingID is the form with each of its id and username fields naming
// nobody.
func missingID(form url.Values) url.Values {
	out := url.Values{}
	for key, vs := range form {
		out[key] = vs
	}
	nobody := map[string]string{"role": "999999999", "transfer_username": "nobody.at.all",
		"admin_username": "nobody.at.all", "member_username": "nobody.at.all"}
	for key, v := range nobody {
		if out.Has(key) {
			out.Set(key, v)
		}
	}
	return out
}

// foreignIDStatus is what a persona of account A must get for a request
// naming another account's object: what the route gives that persona for
// any id when it refuses them outright (403), else 404, as if the object
// did not exist.
func foreignIDStatus(rows map[string]check, gate, persona string) int {
	row := rows[gate]
	want, set := row.want[persona]
	if !set {
		want = row.def
	}
	if want == http.StatusForbidden || want == http.StatusUnauthorized {
		// What the route gives the persona for every id: 403, or 401 for
		// the token-only routes (/api/v1, /scim/v2) a session never opens.
		return want
	}
	return http.StatusNotFound
}

// TestCrossAccountIDs: every customer persona of account A, naming B's and
// C's users, roles, links, sessions and jobs, gets 404 (or the 403 the
// route gives them for every id), and B's and C's rows do not change.
func TestCrossAccountIDs(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		w := newIsolationWorld(t, d)
		rows := w.matrix()
		before := w.digests(t)
		for _, persona := range customerPersonas {
			c := w.client(t, persona)
			for _, tn := range w.tenants {
				for _, k := range w.idCases(tn) {
					if _, known := rows[k.gate]; !known {
						t.Fatalf("%s: no matrix row %q", k.name, k.gate)
					}
					res := w.send(c, k)
					if want := foreignIDStatus(rows, k.gate, persona); res.Status != want {
						t.Errorf("%s as %s on %s's %s: %d, want %d", k.path, persona, tn.marker, k.name, res.Status, want)
					}
					w.noneShown(t, persona+" "+k.path, res.Body)
				}
			}
		}
		w.unchanged(t, before)
	})
}

// TestCrossAccountFormIDs: a form naming another account's user gets the
// answer a user who does not exist gets, and changes nothing.
func TestCrossAccountFormIDs(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		w := newIsolationWorld(t, d)
		before := w.digests(t)
		for _, persona := range customerPersonas {
			c := w.client(t, persona)
			for _, tn := range w.tenants {
				for _, k := range w.formIDCases(tn) {
					res := w.send(c, k)
					missing := k
					missing.form = missingID(k.form)
					nobody := w.send(c, missing)
					if res.Status != nobody.Status || res.Status < 400 || res.Status >= 500 {
						t.Errorf("%s as %s: %d, for nobody %d", k.name, persona, res.Status, nobody.Status)
					}
					if got, want := errorTexts(res), errorTexts(nobody); got != want {
						t.Errorf("%s as %s: errors %q, for nobody %q", k.name, persona, got, want)
					}
					w.noneShown(t, persona+" "+k.name, withoutTyped(res.Body, k.form))
				}
			}
		}
		w.unchanged(t, before)
	})
}

func (w *isolationWorld) send(c *apptest.Client, k idCase) *apptest.Response {
	if k.get {
		return c.Get(k.path)
	}
	form := url.Values{}
	for key, vs := range k.form {
		form[key] = vs
	}
	return post(c, k.path, form)
}

// noneShown fails when body names anything of B or C: their account names,
// usernames, emails, role names, reasons.
func (w *isolationWorld) noneShown(t testing.TB, what, body string) {
	t.Helper()
	lower := strings.ToLower(body)
	for _, tn := range w.tenants {
		if i := strings.Index(lower, tn.marker); i >= 0 {
			t.Errorf("%s shows %s's data: %q", what, tn.marker, body[max(0, i-60):min(len(body), i+60)])
		}
	}
}

// TestCrossAccountListsAndExports: lists, CSV exports, the users filter
// (by name and by B's role id), bulk "everyone matching", audit filters
// and the job results of account A never show B's or C's rows.
func TestCrossAccountListsAndExports(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		w := newIsolationWorld(t, d)
		before := w.digests(t)
		ada := w.client(t, primary)
		ownJob := ada.RunBulk(url.Values{"action": {"signout"}, "scope": {"selected"}, "id": {w.targetID}, "reason": {"routine"}})
		if ownJob.Status != http.StatusOK {
			t.Fatalf("own bulk job: %d", ownJob.Status)
		}
		jobs, err := w.e.Store().BulkJobs.List(context.Background(), w.e.User("ada").AccountID, 1)
		if err != nil || len(jobs) != 1 {
			t.Fatalf("own job: %v", err)
		}
		pages := []string{"/", "/profile", "/admin/users", "/admin/users.csv", "/admin/users?q=member", "/admin/users?q=admin",
			"/admin/audit", "/admin/audit.csv", "/admin/audit?actor=admin", "/admin/audit?target=member", "/admin/audit.csv?actor=admin",
			"/admin/audit?view=support", "/admin/roles", "/admin/privileges", "/admin/users/jobs",
			"/admin/users/jobs/" + itoa64(jobs[0].ID), "/admin/users/jobs/" + itoa64(jobs[0].ID) + "/results.csv",
			"/admin/security", "/admin/users/new", "/admin/roles/" + w.roleID}
		for _, tn := range w.tenants {
			pages = append(pages, "/admin/users?role="+itoa64(tn.roleID), "/admin/users.csv?role="+itoa64(tn.roleID))
		}
		for _, persona := range customerPersonas {
			c := w.client(t, persona)
			for _, p := range pages {
				res := c.Get(p)
				if res.Status >= 500 {
					t.Errorf("%s as %s: %d", p, persona, res.Status)
				}
				w.noneShown(t, persona+" "+p, res.Body)
			}
			for _, tn := range w.tenants {
				// Everyone matching a filter that would find B's users, and
				// B's ids picked by hand: the preview lists none of them.
				for _, form := range []url.Values{
					{"action": {"signout"}, "scope": {"matching"}, "f_q": {"member"}},
					{"action": {"signout"}, "scope": {"matching"}, "f_role": {itoa64(tn.roleID)}},
					{"action": {"signout"}, "scope": {"selected"}, "id": {itoa64(tn.member.ID), itoa64(tn.admin.ID)}},
				} {
					res := post(c, "/admin/users/bulk", form)
					if res.Status >= 500 || res.Status == http.StatusOK && strings.Contains(res.Body, tn.member.Username) {
						t.Errorf("bulk preview %v as %s: %d", form, persona, res.Status)
					}
					w.noneShown(t, persona+" bulk preview", res.Body)
					form.Set("reason", "isolation")
					run := c.RunBulk(form)
					if run.Status >= 500 {
						t.Errorf("bulk run %v as %s: %d", form, persona, run.Status)
					}
					w.noneShown(t, persona+" bulk run", run.Body)
				}
			}
		}
		w.unchanged(t, before)
		for _, tn := range w.tenants {
			if res := tn.memberIn.Get("/profile"); res.Status != http.StatusOK {
				t.Errorf("%s's member was signed out by account A: %d", tn.marker, res.Status)
			}
		}
	})
}

// TestSupportDeskStaysInTheAccount: on account A's page the support desk
// finds none of B's users by username, cannot verify B's admin as a
// caller of A (even with B's right passphrase), and A's page lists none of
// B's admins.
func TestSupportDeskStaysInTheAccount(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		w := newIsolationWorld(t, d)
		sam := w.client(t, agent)
		desk := "/support/accounts/" + w.account
		page := sam.Get(desk)
		if page.Status != http.StatusOK {
			t.Fatalf("desk: %d", page.Status)
		}
		w.noneShown(t, "A's desk page", page.Body)
		for _, tn := range w.tenants {
			for _, name := range []string{tn.member.Username, tn.admin.Username} {
				res := sam.Get(desk + "?username=" + url.QueryEscape(name))
				if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "This account has no user with that username") {
					t.Errorf("lookup of %s on A: %d", name, res.Status)
				}
				if strings.Contains(res.Body, tn.member.Email) || strings.Contains(res.Body, tn.admin.DisplayName) {
					t.Errorf("lookup of %s on A shows them", name)
				}
			}
			fields := map[string]string{"caller": itoa64(tn.admin.ID), "area": identity.PermBillingInquiries,
				"passphrase": tn.marker + " secret passphrase"}
			foreign := sam.Submit(sam.Get(desk), "form[data-testid=support-verify]", fields)
			fields["caller"] = "999999999"
			nobody := sam.Submit(sam.Get(desk), "form[data-testid=support-verify]", fields)
			if foreign.Status != nobody.Status || outcomeOf(foreign) != "" || foreign.Status == http.StatusOK {
				t.Errorf("verify %s's admin on A: %d %q (nobody: %d)", tn.marker, foreign.Status, outcomeOf(foreign), nobody.Status)
			}
			w.noneShown(t, "verify on A", foreign.Body)
			// B's own page works: the desk serves every customer account,
			// and verifies B's caller there with B's passphrase.
			own := sam.Get("/support/accounts/" + itoa64(tn.account.ID))
			if own.Status != http.StatusOK || !strings.Contains(own.Body, tn.admin.Username) {
				t.Errorf("%s's own desk page: %d", tn.marker, own.Status)
			}
			fields["caller"] = itoa64(tn.admin.ID)
			if res := sam.Submit(own, "form[data-testid=support-verify]", fields); outcomeOf(res) != "verified" {
				t.Errorf("verify %s's admin on their own account: %d %q", tn.marker, res.Status, outcomeOf(res))
			}
		}
		// The search by number or name finds exactly the account asked for.
		for _, tn := range w.tenants {
			res := sam.Get("/support?q=" + tn.account.Number)
			if res.Status != http.StatusSeeOther || res.Location != "/support/accounts/"+itoa64(tn.account.ID) {
				t.Errorf("search %s: %d %q", tn.account.Number, res.Status, res.Location)
			}
		}
	})
}

// digests reads every row of B's and C's data, table by table, so a test
// can tell that nothing done from account A changed any of it.
func (w *isolationWorld) digests(t testing.TB) map[string]string {
	t.Helper()
	db, err := w.e.Store().SQLDB()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, tn := range w.tenants {
		for table, query := range ownedRows {
			out[tn.marker+" "+table] = dumpRows(t, db, query, tn.account.ID)
		}
	}
	return out
}

// ownedRows selects one account's rows of each table of customer data,
// those without an account column through their user or role.
var ownedRows = map[string]string{
	"users":            "SELECT * FROM users WHERE account_id = $1 ORDER BY id",
	"roles":            "SELECT * FROM roles WHERE account_id = $1 ORDER BY id",
	"role_permissions": "SELECT rp.* FROM role_permissions rp JOIN roles r ON r.id = rp.role_id WHERE r.account_id = $1 ORDER BY 1, 2",
	"user_roles":       "SELECT ur.* FROM user_roles ur JOIN users u ON u.id = ur.user_id WHERE u.account_id = $1 ORDER BY 1, 2",
	"user_permissions": "SELECT p.* FROM user_permissions p JOIN users u ON u.id = p.user_id WHERE u.account_id = $1 ORDER BY 1, 2",
	"tokens":           "SELECT k.* FROM tokens k JOIN users u ON u.id = k.user_id WHERE u.account_id = $1 ORDER BY k.id",
	"sessions":         "SELECT s.id_hash, s.revoked_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.account_id = $1 ORDER BY 1",
	"secrets":          "SELECT s.* FROM secrets s JOIN users u ON u.id = s.user_id WHERE u.account_id = $1 ORDER BY 1, 2",
	"bulk_jobs":        "SELECT id, status, total FROM bulk_jobs WHERE account_id = $1 ORDER BY id",
	"accounts":         "SELECT * FROM accounts WHERE id = $1",
}

func dumpRows(t testing.TB, db *sql.DB, query string, accountID int64) string {
	t.Helper()
	rows, err := db.Query(query, accountID)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var b strings.Builder
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%v\n", vals)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// unchanged fails for each table of B or C whose rows differ from before.
func (w *isolationWorld) unchanged(t testing.TB, before map[string]string) {
	t.Helper()
	after := w.digests(t)
	for k, v := range before {
		if after[k] != v {
			t.Errorf("%s changed:\nbefore %s\nafter  %s", k, v, after[k])
		}
	}
}
