package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"accountportal/app/apptest"
	"accountportal/app/identity"
	"accountportal/models"
	"accountportal/models/modelstest"
)

const apiPassword = "Walrus+Tide42"

// apiWorld is an account with a Primary Admin (ada), a user (tess), a
// higher admin (hank: every console privilege and a support area), a
// Secondary Admin who manages users through a custom role (cora), and
// another account's Primary Admin (oscar).
type apiWorld struct {
	e                *apptest.Env
	ada              *apptest.Client
	acct             int64
	tess, hank, cora *models.User
	ada0, oscar      *models.User
	managersRole     int64
	api              *apiClient
	tessP, hankP     string
	adaP, oscarP     string
}

func newAPIWorld(t testing.TB, d models.Dialect, opt apptest.Options) *apiWorld {
	t.Helper()
	e := apptest.Start(t, d, opt)
	w := &apiWorld{e: e, ada: e.Setup(apptest.DefaultAdmin())}
	w.ada0 = e.User("ada")
	w.acct = w.ada0.AccountID
	w.tess = e.AddUser(w.acct, "tess", apiPassword, models.StatusActive)
	w.hank = e.AddUser(w.acct, "hank", apiPassword, models.StatusActive)
	e.GiveRole(w.hank.ID, "company_admin")
	w.cora = e.AddUser(w.acct, "cora", apiPassword, models.StatusActive)
	w.managersRole = e.AddRole(w.acct, "User managers", identity.PermUsersManage)
	e.GiveRoleID(w.cora.ID, w.managersRole)
	_, w.oscar = e.AddAccount("23232323", "Other Co", "oscar", apiPassword)
	w.api = newAPIClient(t, e, "")
	w.tessP, w.hankP = "/api/v1/users/"+apptest.Itoa(w.tess.ID), "/api/v1/users/"+apptest.Itoa(w.hank.ID)
	w.adaP, w.oscarP = "/api/v1/users/"+apptest.Itoa(w.ada0.ID), "/api/v1/users/"+apptest.Itoa(w.oscar.ID)
	return w
}

// createToken creates a token on the API tokens page as the signed-in
// admin c and returns its secret, read from the one page that shows it.
func createToken(t testing.TB, c *apptest.Client, name, days string, perms ...string) string {
	t.Helper()
	page := c.Get("/admin/api-tokens")
	if page.Status != http.StatusOK {
		t.Fatalf("tokens page: %d", page.Status)
	}
	form := url.Values{"csrf_token": {apptest.CSRF(page)}, "name": {name}, "expires_in_days": {days}, "permission": perms}
	res := c.Post("/admin/api-tokens", form)
	if res.Status != http.StatusCreated {
		t.Fatalf("create token %q: %d %s", name, res.Status, res.Doc.Find("[data-testid=error-summary], .field-error").Text())
	}
	secret := strings.TrimSpace(res.Doc.Find("[data-testid=token-secret-value]").Text())
	if !strings.HasPrefix(secret, "ap_") || len(secret) != 3+43 {
		t.Fatalf("secret %q", secret)
	}
	return secret
}

// signInAs returns a browser signed in as username.
func (w *apiWorld) signInAs(t testing.TB, username string) *apptest.Client {
	t.Helper()
	c := w.e.Client()
	if res := c.SignIn(username, apiPassword); res.Status != http.StatusSeeOther {
		t.Fatalf("sign in %s: %d", username, res.Status)
	}
	return c
}

// The authorization matrix of the API: every route, tokens with each
// permission set a Primary Admin can give, and targets of each standing.
// A token acts as an admin holding exactly its permissions, never as the
// Primary Admin, even when the Primary Admin made it; another account's
// user is 404 whatever the token.
func TestAPIAuthorizationMatrix(t *testing.T) {
	w := newAPIWorld(t, models.SQLite, apptest.Options{})
	tokens := map[string]string{
		"none":   createToken(t, w.ada, "Nothing", ""),
		"read":   createToken(t, w.ada, "Reader", "", identity.PermUsersRead),
		"manage": createToken(t, w.ada, "Manager", "", identity.PermUsersManage),
		"all": createToken(t, w.ada, "Everything", "", identity.PermUsersRead, identity.PermUsersManage,
			identity.PermUsersMFAReset, identity.PermRolesManage, identity.PermSecurityManage, identity.PermAuditView),
	}
	const (
		ok       = http.StatusOK
		forbid   = http.StatusForbidden
		notFound = http.StatusNotFound
		conflict = http.StatusConflict
		accepted = http.StatusAccepted
	)
	type target struct{ name, path string }
	targets := []target{{"own user", w.tessP}, {"higher admin", w.hankP}, {"Primary Admin", w.adaP}, {"other account", w.oscarP}}
	// want[route][token] lists the status for each target, in order.
	want := map[string]map[string][]int{
		"GET": {
			"none": {forbid, forbid, forbid, forbid}, "read": {ok, ok, ok, notFound},
			"manage": {ok, ok, ok, notFound}, "all": {ok, ok, ok, notFound}},
		"deactivate": {
			"none": {forbid, forbid, forbid, forbid}, "read": {forbid, forbid, forbid, forbid},
			"manage": {ok, forbid, forbid, notFound}, "all": {ok, forbid, forbid, notFound}},
		// Run after deactivate: the own user is deactivated by then when
		// the token could; the others are active (409 where the token may
		// act on them at all).
		"reactivate": {
			"none": {forbid, forbid, forbid, forbid}, "read": {forbid, forbid, forbid, forbid},
			"manage": {ok, forbid, forbid, notFound}, "all": {ok, forbid, forbid, notFound}},
		"password-reset": {
			"none": {forbid, forbid, forbid, forbid}, "read": {forbid, forbid, forbid, forbid},
			"manage": {accepted, forbid, forbid, notFound}, "all": {accepted, forbid, forbid, notFound}},
		// "Reset second factors" is a permission of its own; the own user
		// has none to reset (409) once the token may act on them.
		"mfa-reset": {
			"none": {forbid, forbid, forbid, forbid}, "read": {forbid, forbid, forbid, forbid},
			"manage": {forbid, forbid, forbid, forbid}, "all": {conflict, forbid, forbid, notFound}},
	}
	for _, tok := range []string{"none", "read", "manage", "all"} {
		api := w.api.with(tokens[tok])
		for _, route := range []string{"GET", "deactivate", "reactivate", "password-reset", "mfa-reset"} {
			for i, tg := range targets {
				var res *apiRes
				if route == "GET" {
					res = api.get(tg.path)
				} else {
					res = api.post(tg.path+"/"+route, `{"reason":"matrix"}`)
				}
				if res.Status != want[route][tok][i] {
					t.Errorf("%s token, %s on %s: %d, want %d: %s", tok, route, tg.name, res.Status, want[route][tok][i], res.Body)
				}
			}
		}
		// The audit events need "View the audit log".
		wantAudit := forbid
		if tok == "all" {
			wantAudit = ok
		}
		if res := api.get("/api/v1/audit-events"); res.Status != wantAudit {
			t.Errorf("%s token reads the audit events: %d, want %d", tok, res.Status, wantAudit)
		}
		// The list: 403 without a users permission; else this account's
		// users only.
		res := api.get("/api/v1/users?limit=100")
		if tok == "none" {
			if res.Status != forbid {
				t.Errorf("none token lists users: %d", res.Status)
			}
			continue
		}
		var list struct {
			Data []struct{ Username string }
			Next *string
		}
		res.decode(t, &list)
		var names []string
		for _, u := range list.Data {
			names = append(names, u.Username)
		}
		if got := strings.Join(names, ","); res.Status != ok || got != "ada,cora,hank,tess" || list.Next != nil {
			t.Errorf("%s token lists %d %q next %v", tok, res.Status, got, list.Next)
		}
	}
	// A reactivate of an active user the token may act on is a conflict.
	if res := w.api.with(tokens["manage"]).post(w.tessP+"/reactivate", `{"reason":"again"}`); res.Status != conflict {
		t.Errorf("reactivate an active user: %d", res.Status)
	}
}

// Without a usable token every route but the description is 401 with
// WWW-Authenticate: Bearer; revocation and expiry hold at once.
func TestAPIUnauthorized(t *testing.T) {
	w := newAPIWorld(t, models.SQLite, apptest.Options{})
	if res := w.api.get("/api/v1/openapi.json"); res.Status != http.StatusOK {
		t.Fatalf("description: %d", res.Status)
	}
	good := createToken(t, w.ada, "CRM", "1", identity.PermUsersRead)
	cases := map[string]*apiClient{"no token": w.api, "unknown": w.api.with("ap_" + strings.Repeat("A", 43)),
		"not ours": w.api.with("not-a-portal-token"), "revoked": nil, "expired": nil}
	for name, api := range cases {
		if api == nil {
			continue
		}
		res := api.do(call{method: http.MethodGet, path: "/api/v1/users", invalid: name == "no token"})
		checkUnauthorized(t, name, res)
	}
	api := w.api.with(good)
	if res := api.get("/api/v1/users"); res.Status != http.StatusOK {
		t.Fatalf("good token: %d", res.Status)
	}
	// One day later the token has expired.
	w.e.Clock.Advance(24*time.Hour + time.Second)
	checkUnauthorized(t, "expired", api.get("/api/v1/users"))
	// The day also ended ada's session.
	w.ada = w.e.Client()
	w.ada.SignIn("ada", apptest.DefaultAdmin().Password)

	other := createToken(t, w.ada, "Other", "", identity.PermUsersRead)
	api = w.api.with(other)
	if res := api.get("/api/v1/users"); res.Status != http.StatusOK {
		t.Fatalf("second token: %d", res.Status)
	}
	revokeToken(t, w.ada, "Other")
	checkUnauthorized(t, "revoked", api.get("/api/v1/users"))
}

func checkUnauthorized(t *testing.T, name string, res *apiRes) {
	t.Helper()
	if res.Status != http.StatusUnauthorized || !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Bearer") {
		t.Errorf("%s: %d %q", name, res.Status, res.Header.Get("WWW-Authenticate"))
	}
	if p := res.problem(t); p["status"] != float64(401) || p["detail"] == "" {
		t.Errorf("%s: problem %v", name, p)
	}
}

// revokeToken presses Revoke on the token named name.
func revokeToken(t testing.TB, c *apptest.Client, name string) {
	t.Helper()
	page := c.Get("/admin/api-tokens")
	id := tokenIDByName(t, page, name)
	res := c.Post("/admin/api-tokens/"+id+"/revoke", url.Values{"csrf_token": {apptest.CSRF(page)}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("revoke %s: %d", name, res.Status)
	}
}

// tokenRowByName is the row of the token named name on the tokens page.
func tokenRowByName(t testing.TB, page *apptest.Response, name string) *goquery.Selection {
	t.Helper()
	row := page.Doc.Find("[data-testid=token-row]").FilterFunction(func(_ int, s *goquery.Selection) bool {
		return s.Find("[data-testid=token-name]").Text() == name
	})
	if row.Length() != 1 {
		t.Fatalf("%d rows for token %q", row.Length(), name)
	}
	return row
}

func tokenIDByName(t testing.TB, page *apptest.Response, name string) string {
	t.Helper()
	id, _ := tokenRowByName(t, page, name).Attr("data-token-id")
	return id
}

// A token acts as its owner within what the owner still holds: when the
// owner loses "Manage users" the token's users permissions are paused
// (403 saying so) until the Primary Admin adopts it; a deactivated owner
// pauses the whole token. An adopted token works within the Primary
// Admin's privileges but never on the Primary Admin. A token never acts
// on its own owner or its creator either.
func TestAPIPausedTokensAndAdoption(t *testing.T) {
	w := newAPIWorld(t, models.SQLite, apptest.Options{})
	cora := w.signInAs(t, "cora")
	secret := createToken(t, cora, "Cora's sync", "", identity.PermUsersManage)
	api := w.api.with(secret)
	if res := api.get(w.tessP); res.Status != http.StatusOK {
		t.Fatalf("before: %d", res.Status)
	}
	if res := api.post("/api/v1/users/"+apptest.Itoa(w.cora.ID)+"/deactivate", `{"reason":"self"}`); res.Status != http.StatusForbidden {
		t.Errorf("token deactivated its owner: %d %s", res.Status, res.Body)
	}
	if res := api.post(w.adaP+"/deactivate", `{"reason":"coup"}`); res.Status != http.StatusForbidden {
		t.Errorf("token deactivated the Primary Admin: %d", res.Status)
	}

	// Cora loses the role: the token is paused for it.
	if _, err := w.e.Store().Roles.Unassign(context.Background(), w.acct, w.cora.ID, w.managersRole); err != nil {
		t.Fatal(err)
	}
	res := api.get(w.tessP)
	if p := res.problem(t); res.Status != http.StatusForbidden || !strings.Contains(p["detail"].(string), "paused") {
		t.Fatalf("after the owner lost the privilege: %d %v", res.Status, p)
	}
	page := w.ada.Get("/admin/api-tokens")
	row := tokenRowByName(t, page, "Cora's sync")
	if state := row.Find("[data-testid=token-state]").Text(); !strings.Contains(state, "Paused for Manage users") {
		t.Errorf("state: %q", state)
	}
	if row.Find("[data-testid=token-adopt]").Length() != 1 {
		t.Fatal("no Adopt for the Primary Admin")
	}
	// Only the Primary Admin adopts.
	hank := w.signInAs(t, "hank")
	hankPage := hank.Get("/admin/api-tokens")
	if tokenRowByName(t, hankPage, "Cora's sync").Find("[data-testid=token-adopt]").Length() != 0 {
		t.Error("a Secondary Admin is offered Adopt")
	}
	id := tokenIDByName(t, page, "Cora's sync")
	if res := hank.Post("/admin/api-tokens/"+id+"/adopt", url.Values{"csrf_token": {apptest.CSRF(hankPage)}}); res.Status != http.StatusForbidden {
		t.Errorf("a Secondary Admin adopted: %d", res.Status)
	}
	if res := w.ada.Post("/admin/api-tokens/"+id+"/adopt", url.Values{"csrf_token": {apptest.CSRF(page)}}); res.Status != http.StatusSeeOther {
		t.Fatalf("adopt: %d", res.Status)
	}
	if res := api.get(w.tessP); res.Status != http.StatusOK {
		t.Errorf("after adoption: %d", res.Status)
	}
	// Within the Primary Admin's privileges, but never on the Primary Admin.
	if res := api.post(w.adaP+"/deactivate", `{"reason":"coup"}`); res.Status != http.StatusForbidden {
		t.Errorf("adopted token deactivated the Primary Admin: %d", res.Status)
	}
	// Nor on its creator, who may still hold its secret: once the Primary
	// Admin deactivates cora, her old token cannot bring her back.
	coraP := "/api/v1/users/" + apptest.Itoa(w.cora.ID)
	if res := api.post(coraP+"/deactivate", `{"reason":"left"}`); res.Status != http.StatusForbidden ||
		!strings.Contains(res.problem(t)["detail"].(string), "never acts on the admin who owns or created it") {
		t.Errorf("adopted token deactivates its creator: %d %s", res.Status, res.Body)
	}
	adaToken := createToken(t, w.ada, "Ada's own", "", identity.PermUsersManage)
	if res := w.api.with(adaToken).post(coraP+"/deactivate", `{"reason":"left"}`); res.Status != http.StatusOK {
		t.Fatalf("the Primary Admin's token deactivates cora: %d %s", res.Status, res.Body)
	}
	for _, action := range []string{"/reactivate", "/password-reset"} {
		if res := api.post(coraP+action, `{"reason":"I am back"}`); res.Status != http.StatusForbidden {
			t.Errorf("cora's adopted token %s cora: %d %s", action, res.Status, res.Body)
		}
	}
	page = w.ada.Get("/admin/api-tokens")
	row = tokenRowByName(t, page, "Cora's sync")
	if owner := row.Find("[data-testid=token-owner]").Text(); !strings.Contains(owner, "Ada Admin") || !strings.Contains(owner, "created by") {
		t.Errorf("owner after adoption: %q", owner)
	}

	// A token of a deactivated owner is paused whole.
	hankToken := createToken(t, hank, "Hank's", "", identity.PermUsersRead)
	if err := w.e.Store().Users.SetStatus(context.Background(), w.hank.ID, models.StatusSuspended, w.e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	res = w.api.with(hankToken).get(w.tessP)
	if p := res.problem(t); res.Status != http.StatusForbidden || !strings.Contains(p["detail"].(string), "deactivated") {
		t.Errorf("token of a deactivated owner: %d %v", res.Status, p)
	}
}

// Deactivating through the API is the console's action: the user's
// sessions end (their next request says Account Suspended), the audit
// entry names the token, and the token's use is shown on the list.
func TestAPIDeactivateIsTheConsolesAction(t *testing.T) {
	w := newAPIWorld(t, models.SQLite, apptest.Options{})
	tess := w.signInAs(t, "tess")
	api := w.api.with(createToken(t, w.ada, "HR feed", "", identity.PermUsersManage))
	res := api.post(w.tessP+"/deactivate", `{"reason":"left the company"}`)
	var u struct{ Status string }
	res.decode(t, &u)
	if res.Status != http.StatusOK || u.Status != models.StatusSuspended {
		t.Fatalf("deactivate: %d %s", res.Status, res.Body)
	}
	requireSuspendedPage(t, "tess", tess.Get("/profile"))
	if res := api.post(w.tessP+"/deactivate", `{"reason":"again"}`); res.Status != http.StatusConflict {
		t.Errorf("deactivate twice: %d", res.Status)
	}

	events, err := w.e.Store().Audit.ForTarget(context.Background(), w.acct, w.tess.ID, 5)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, ev := range events {
		if ev.Action == "user.suspended" {
			found = strings.Contains(ev.Details, `"api_token":"HR feed"`) && ev.ActorName == "Ada Admin (ada)"
		}
	}
	if !found {
		t.Errorf("no audit entry naming the token: %+v", events)
	}
	log := w.ada.Get("/admin/audit")
	row := eventSaying(t, log, "audit-table", "Ada Admin deactivated User tess")
	if got := strings.Join(auditDetails(row), "; "); !strings.Contains(got, "Through API token: HR feed") {
		t.Errorf("audit details: %q", got)
	}
	eventSaying(t, log, "audit-table", "Ada Admin created the API token HR feed")

	page := w.ada.Get("/admin/api-tokens")
	used := tokenRowByName(t, page, "HR feed").Find("[data-testid=token-last-used]").Text()
	if !strings.Contains(used, "127.0.0.1") {
		t.Errorf("last used: %q", used)
	}
}

// Bad input is a clear 4xx problem, never a 500: NUL and invalid UTF-8 in
// the query, unknown parameters and values, bad cursors and ids, bodies
// that are not the operation's JSON, and bodies beyond the limit.
func TestAPIBadInput(t *testing.T) {
	w := newAPIWorld(t, models.SQLite, apptest.Options{})
	api := w.api.with(createToken(t, w.ada, "All", "", identity.PermUsersManage))
	bad := []struct {
		name   string
		c      call
		status int
		field  string
	}{
		{"NUL in search", call{method: "GET", path: "/api/v1/users?search=a%00b", invalid: true}, 422, "search"},
		{"invalid UTF-8 in search", call{method: "GET", path: "/api/v1/users?search=%FF%FE"}, 422, "search"},
		{"control character", call{method: "GET", path: "/api/v1/users?search=a%1Bb", invalid: true}, 422, "search"},
		{"unknown status", call{method: "GET", path: "/api/v1/users?status=gone", invalid: true}, 422, "status"},
		{"limit not offered", call{method: "GET", path: "/api/v1/users?limit=7", invalid: true}, 422, "limit"},
		{"sort unknown", call{method: "GET", path: "/api/v1/users?sort=id", invalid: true}, 422, "sort"},
		{"boolean not a boolean", call{method: "GET", path: "/api/v1/users?mfa=maybe", invalid: true}, 422, "mfa"},
		{"role not an id", call{method: "GET", path: "/api/v1/users?role=x", invalid: true}, 422, "role"},
		{"cursor not base64", call{method: "GET", path: "/api/v1/users?cursor=%21%21", invalid: true}, 422, "cursor"},
		{"cursor not ours", call{method: "GET", path: "/api/v1/users?cursor=e30"}, 422, "cursor"},
		{"search too long", call{method: "GET", path: "/api/v1/users?search=" + strings.Repeat("a", 201), invalid: true}, 422, "search"},
		{"id not a number", call{method: "GET", path: "/api/v1/users/abc", invalid: true}, 404, ""},
		{"id zero", call{method: "GET", path: "/api/v1/users/0", invalid: true}, 404, ""},
		{"id too big", call{method: "GET", path: "/api/v1/users/99999999999999999999", invalid: true}, 404, ""},
		{"no body", call{method: "POST", path: w.tessP + "/deactivate", header: map[string]string{"Content-Type": "application/json"}, invalid: true}, 422, "body"},
		{"not JSON", call{method: "POST", path: w.tessP + "/deactivate", body: []byte("reason=x"), header: map[string]string{"Content-Type": "application/json"}, invalid: true}, 422, "body"},
		{"form body", call{method: "POST", path: w.tessP + "/deactivate", body: []byte("reason=x"), header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, invalid: true}, 422, "Content-Type"},
		{"unknown field", call{method: "POST", path: w.tessP + "/deactivate", body: []byte(`{"reason":"x","admin":true}`), header: map[string]string{"Content-Type": "application/json"}, invalid: true}, 422, "body"},
		// kin-openapi reads the first JSON value and ignores what follows;
		// the server refuses it.
		{"two objects", call{method: "POST", path: w.tessP + "/deactivate", body: []byte(`{"reason":"x"}{"reason":"y"}`), header: map[string]string{"Content-Type": "application/json"}}, 422, "body"},
		{"empty reason", call{method: "POST", path: w.tessP + "/deactivate", body: []byte(`{"reason":""}`), header: map[string]string{"Content-Type": "application/json"}, invalid: true}, 422, "reason"},
		{"NUL in reason", call{method: "POST", path: w.tessP + "/deactivate", body: []byte(`{"reason":"a\u0000b"}`), header: map[string]string{"Content-Type": "application/json"}}, 422, "reason"},
		// JSON decoders replace invalid UTF-8, so the description cannot
		// refuse it; the server does.
		{"invalid UTF-8 in reason", call{method: "POST", path: w.tessP + "/deactivate", body: []byte("{\"reason\":\"a\xffb\"}"), header: map[string]string{"Content-Type": "application/json"}}, 422, "body"},
		{"huge body", call{method: "POST", path: w.tessP + "/deactivate", body: []byte(`{"reason":"` + strings.Repeat("x", 70<<10) + `"}`), header: map[string]string{"Content-Type": "application/json"}, invalid: true}, 413, ""},
		// Go would drop the pairs it cannot parse and list everyone;
		// kin-openapi drops them too, so only the server refuses these.
		{"bad escape in a filter", call{method: "GET", path: "/api/v1/users?status=suspended%zz"}, 422, "query"},
		{"semicolon in the query", call{method: "GET", path: "/api/v1/users?privileged=true;"}, 422, "query"},
		{"unknown path", call{method: "GET", path: "/api/v1/nothing", unrouted: true}, 404, ""},
		{"wrong method", call{method: "PUT", path: w.tessP, unrouted: true}, 405, ""},
	}
	for _, b := range bad {
		res := api.do(b.c)
		if res.Status != b.status {
			t.Errorf("%s: %d, want %d: %s", b.name, res.Status, b.status, res.Body)
			continue
		}
		p := res.problem(t)
		if p["detail"] == "" || p["status"] != float64(b.status) {
			t.Errorf("%s: problem %v", b.name, p)
		}
		if b.field != "" && !strings.Contains(string(res.Body), `"field":"`+b.field+`"`) {
			t.Errorf("%s: no error for %s: %s", b.name, b.field, res.Body)
		}
	}
	if u, err := w.e.Store().Users.InAccount(context.Background(), w.acct, w.tess.ID); err != nil || u.Status != models.StatusActive {
		t.Errorf("tess after the bad requests: %+v %v", u, err)
	}
}

// The list moves by cursor: pages of 25 follow next until it is null, and
// every user is seen once; filters are the console's.
func TestAPIListPagesAndFilters(t *testing.T) {
	w := newAPIWorld(t, models.SQLite, apptest.Options{})
	for i := range 30 {
		w.e.AddUser(w.acct, fmt.Sprintf("user%02d", i), apiPassword, models.StatusActive)
	}
	w.e.AddUser(w.acct, "ivy", apiPassword, models.StatusInvited)
	api := w.api.with(createToken(t, w.ada, "Reader", "", identity.PermUsersRead))
	seen := map[string]bool{}
	path := "/api/v1/users?sort=username"
	pages := 0
	for path != "" {
		var list struct {
			Data []struct{ Username string }
			Next *string
		}
		res := api.get(path)
		res.decode(t, &list)
		if res.Status != http.StatusOK {
			t.Fatalf("%s: %d", path, res.Status)
		}
		for _, u := range list.Data {
			if seen[u.Username] {
				t.Errorf("%s seen twice", u.Username)
			}
			seen[u.Username] = true
		}
		pages++
		path = ""
		if list.Next != nil {
			path = "/api/v1/users?sort=username&cursor=" + url.QueryEscape(*list.Next)
		}
		if remaining := res.Header.Get("RateLimit-Remaining"); remaining == "" || res.Header.Get("RateLimit-Limit") != "300" {
			t.Errorf("rate limit headers: %v", res.Header)
		}
	}
	if len(seen) != 35 || pages != 2 {
		t.Errorf("%d users in %d pages", len(seen), pages)
	}
	var invited struct{ Data []struct{ Username string } }
	api.get("/api/v1/users?status=invited").decode(t, &invited)
	if len(invited.Data) != 1 || invited.Data[0].Username != "ivy" {
		t.Errorf("invited: %+v", invited)
	}
	var admins struct{ Data []struct{ Username string } }
	api.get("/api/v1/users?privileged=true&search=a").decode(t, &admins)
	if len(admins.Data) != 3 {
		t.Errorf("privileged with an a: %+v", admins)
	}
}

// An Idempotency-Key makes a retried POST answer as the first did without
// acting again; the same key with another body is refused.
func TestAPIIdempotencyKey(t *testing.T) {
	w := newAPIWorld(t, models.SQLite, apptest.Options{})
	api := w.api.with(createToken(t, w.ada, "HR", "", identity.PermUsersManage))
	first := api.post(w.tessP+"/deactivate", `{"reason":"left"}`, "Idempotency-Key", "k-1")
	again := api.post(w.tessP+"/deactivate", `{"reason":"left"}`, "Idempotency-Key", "k-1")
	if first.Status != http.StatusOK || again.Status != http.StatusOK || string(first.Body) != string(again.Body) ||
		again.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("retry: %d %d %s %s", first.Status, again.Status, first.Body, again.Body)
	}
	events, _ := w.e.Store().Audit.ForTarget(context.Background(), w.acct, w.tess.ID, 10)
	n := 0
	for _, ev := range events {
		if ev.Action == "user.suspended" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d deactivations recorded", n)
	}
	if res := api.post(w.tessP+"/deactivate", `{"reason":"other"}`, "Idempotency-Key", "k-1"); res.Status != http.StatusUnprocessableEntity {
		t.Errorf("same key, other body: %d", res.Status)
	}
	// Without a key the second request acts, and finds her deactivated.
	if res := api.post(w.tessP+"/deactivate", `{"reason":"left"}`); res.Status != http.StatusConflict {
		t.Errorf("without a key: %d", res.Status)
	}
	// A refusal is kept as well: the retry gets the same 409.
	c1 := api.post(w.tessP+"/deactivate", `{"reason":"left"}`, "Idempotency-Key", "k-2")
	c2 := api.post(w.tessP+"/deactivate", `{"reason":"left"}`, "Idempotency-Key", "k-2")
	if c1.Status != http.StatusConflict || c2.Status != http.StatusConflict || c2.Header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("kept refusal: %d %d", c1.Status, c2.Status)
	}
	// A key sent empty is refused, not taken for no key.
	empty := api.do(call{method: http.MethodPost, path: w.tessP + "/reactivate", body: []byte(`{"reason":"back"}`),
		header: map[string]string{"Content-Type": "application/json", "Idempotency-Key": ""}, invalid: true})
	if empty.Status != http.StatusUnprocessableEntity || !strings.Contains(string(empty.Body), "Idempotency-Key") {
		t.Errorf("an empty key: %d %s", empty.Status, empty.Body)
	}
	// Keys are per token.
	other := w.api.with(createToken(t, w.ada, "Other", "", identity.PermUsersManage))
	if res := other.post(w.tessP+"/reactivate", `{"reason":"back"}`, "Idempotency-Key", "k-1"); res.Status != http.StatusOK {
		t.Errorf("another token's key: %d %s", res.Status, res.Body)
	}
}

// The rate limit is counted in the database before a request is served,
// so of 30 requests fired at once with a limit of 10, exactly 10 are
// answered and 20 get 429 with Retry-After, on PostgreSQL as on a single
// SQLite writer. Another token has its own count.
func TestAPIRateLimitUnderParallelRequests(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		w := newAPIWorld(t, d, apptest.Options{Env: map[string]string{"PORTAL_API_RATE_LIMIT": "10"}})
		api := w.api.with(createToken(t, w.ada, "Busy", "", identity.PermUsersRead))
		const n = 30
		results := make(chan *apiRes, n)
		var start, done sync.WaitGroup
		start.Add(1)
		for range n {
			done.Add(1)
			go func() {
				defer done.Done()
				start.Wait()
				results <- api.get("/api/v1/users")
			}()
		}
		start.Done()
		done.Wait()
		close(results)
		counts := map[int]int{}
		for res := range results {
			counts[res.Status]++
			switch res.Status {
			case http.StatusOK:
				if res.Header.Get("RateLimit-Limit") != "10" || res.Header.Get("RateLimit-Remaining") == "" {
					t.Errorf("headers of a 200: %v", res.Header)
				}
			case http.StatusTooManyRequests:
				if ra, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || ra < 1 || ra > 61 ||
					res.Header.Get("RateLimit-Remaining") != "0" {
					t.Errorf("headers of a 429: %v", res.Header)
				}
			}
		}
		if counts[http.StatusOK] != 10 || counts[http.StatusTooManyRequests] != 20 {
			t.Fatalf("statuses: %v", counts)
		}
		other := w.api.with(createToken(t, w.ada, "Quiet", "", identity.PermUsersRead))
		if res := other.get("/api/v1/users"); res.Status != http.StatusOK || res.Header.Get("RateLimit-Remaining") != "9" {
			t.Errorf("another token: %d %q", res.Status, res.Header.Get("RateLimit-Remaining"))
		}
		// After the window and the lock, the busy token works again.
		w.e.Clock.Advance(2 * time.Minute)
		if res := api.get("/api/v1/users"); res.Status != http.StatusOK {
			t.Errorf("after the window: %d", res.Status)
		}
	})
}

// The API tokens page: a new token's secret is shown once, on the answer
// to its creation, and stored nowhere (only its SHA-256); the list shows
// name, permissions, owner, times and state, never the secret; an admin
// can only give permissions they hold; revoking and creating are audited.
func TestAPITokensPage(t *testing.T) {
	w := newAPIWorld(t, models.SQLite, apptest.Options{})
	page := w.ada.Get("/admin/api-tokens")
	if page.Doc.Find("[data-testid=no-tokens]").Length() != 1 {
		t.Error("no empty state")
	}
	secret := createToken(t, w.ada, "CRM sync", "30", identity.PermUsersRead, identity.PermAuditView)
	// The audit log names tokens by name: no two live ones share it.
	dup := w.ada.Post("/admin/api-tokens", url.Values{"csrf_token": {apptest.CSRF(w.ada.Get("/admin/api-tokens"))}, "name": {"crm SYNC"}})
	if dup.Status != http.StatusUnprocessableEntity || !strings.Contains(dup.Doc.Find("[data-testid=error-summary]").Text(), "Another token of the account is named") {
		t.Errorf("a second live token of the same name: %d %s", dup.Status, dup.Doc.Find("[data-testid=error-summary]").Text())
	}
	if got := w.e.StoredText(secret); len(got) != 0 {
		t.Errorf("the secret is stored in %v", got)
	}
	if got := w.e.StoredText(secret[3:]); len(got) != 0 {
		t.Errorf("the secret is stored in %v", got)
	}
	page = w.ada.Get("/admin/api-tokens")
	if strings.Contains(page.Body, secret) || page.Doc.Find("[data-testid=token-secret]").Length() != 0 {
		t.Error("the list shows the secret again")
	}
	row := tokenRowByName(t, page, "CRM sync")
	if got := row.Find("[data-testid=token-permissions]").Text(); got != "Read users, View the audit log" {
		t.Errorf("permissions: %q", got)
	}
	if got := row.Find("[data-testid=token-state]").Text(); got != "Active" {
		t.Errorf("state: %q", got)
	}
	if got := strings.TrimSpace(row.Find("[data-testid=token-last-used]").Text()); got != "Never" {
		t.Errorf("last used: %q", got)
	}

	// Cora manages users and nothing else: she is offered only what she
	// holds and refused the rest with the reason.
	cora := w.signInAs(t, "cora")
	form := cora.Get("/admin/api-tokens")
	var offered []string
	form.Doc.Find("input[name=permission]").Each(func(_ int, s *goquery.Selection) {
		v, _ := s.Attr("value")
		offered = append(offered, v)
	})
	if got := strings.Join(offered, ","); got != "users.read,users.manage,users.mfa_reset" {
		t.Errorf("cora is offered %q", got)
	}
	res := cora.Post("/admin/api-tokens", url.Values{"csrf_token": {apptest.CSRF(form)}, "name": {"Sneaky"},
		"permission": {identity.PermUsersRead, identity.PermAuditView, identity.PermSecurityManage}})
	msg := res.Doc.Find("[data-testid=error-permissions]").Text()
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(msg, "you do not hold: Account security settings, View the audit log") {
		t.Errorf("beyond her own: %d %q", res.Status, msg)
	}
	for _, bad := range []url.Values{{"name": {""}}, {"name": {"x"}, "expires_in_days": {"0"}}, {"name": {"x"}, "expires_in_days": {"forever"}},
		{"name": {"x"}, "permission": {"staff.operator"}}, {"name": {strings.Repeat("n", 101)}}} {
		bad.Set("csrf_token", apptest.CSRF(form))
		if res := cora.Post("/admin/api-tokens", bad); res.Status != http.StatusUnprocessableEntity {
			t.Errorf("%v: %d", bad, res.Status)
		}
	}
	// Cora may not revoke a token with permissions she lacks; ada may.
	id := tokenIDByName(t, page, "CRM sync")
	if res := cora.Post("/admin/api-tokens/"+id+"/revoke", url.Values{"csrf_token": {apptest.CSRF(form)}}); res.Status != http.StatusForbidden {
		t.Errorf("cora revoked a token beyond her: %d", res.Status)
	}
	if tokenRowByName(t, cora.Get("/admin/api-tokens"), "CRM sync").Find("[data-testid=token-revoke]").Length() != 0 {
		t.Error("cora is offered Revoke of a token beyond her")
	}
	// Hank holds every permission of the Primary Admin's token, but as in
	// the console nobody else acts on what is hers.
	hank := w.signInAs(t, "hank")
	hankPage := hank.Get("/admin/api-tokens")
	if tokenRowByName(t, hankPage, "CRM sync").Find("[data-testid=token-revoke]").Length() != 0 {
		t.Error("a Secondary Admin is offered Revoke of the Primary Admin's token")
	}
	if res := hank.Post("/admin/api-tokens/"+id+"/revoke", url.Values{"csrf_token": {apptest.CSRF(hankPage)}}); res.Status != http.StatusForbidden {
		t.Errorf("a Secondary Admin revoked the Primary Admin's token: %d", res.Status)
	}
	// The Primary Admin revokes anyone's, and does not adopt her own.
	hankSecret := createToken(t, hank, "Hank's job", "", identity.PermUsersRead)
	revokeToken(t, w.ada, "Hank's job")
	if res := w.api.with(hankSecret).get(w.tessP); res.Status != http.StatusUnauthorized {
		t.Errorf("Hank's token after the Primary Admin revoked it: %d", res.Status)
	}
	if res := w.ada.Post("/admin/api-tokens/"+id+"/adopt", url.Values{"csrf_token": {apptest.CSRF(page)}}); res.Status != http.StatusConflict {
		t.Errorf("the Primary Admin adopted her own token: %d", res.Status)
	}
	// Without the CSRF token nothing happens.
	if res := w.ada.Post("/admin/api-tokens/"+id+"/revoke", url.Values{}); res.Status != http.StatusForbidden {
		t.Errorf("revoke without CSRF: %d", res.Status)
	}
	revokeToken(t, w.ada, "CRM sync")
	row = tokenRowByName(t, w.ada.Get("/admin/api-tokens"), "CRM sync")
	if got := row.Find("[data-testid=token-state]").Text(); got != "Revoked by Ada Admin (ada)" || row.Find("form").Length() != 0 {
		t.Errorf("after revoking: %q", got)
	}
	if res := w.ada.Post("/admin/api-tokens/"+id+"/revoke", url.Values{"csrf_token": {apptest.CSRF(page)}}); res.Status != http.StatusNotFound {
		t.Errorf("revoke twice: %d", res.Status)
	}
	log := w.ada.Get("/admin/audit")
	created := eventSaying(t, log, "audit-table", "Ada Admin created the API token CRM sync")
	if got := strings.Join(auditDetails(created), "; "); !strings.Contains(got, "Permissions:") {
		t.Errorf("details of the creation: %q", got)
	}
	eventSaying(t, log, "audit-table", "Ada Admin revoked the API token CRM sync")
	// Another account's admin sees none of it.
	oscar := w.e.Client()
	oscar.SignIn("oscar", apiPassword)
	if res := oscar.Get("/admin/api-tokens"); res.Status != http.StatusOK || res.Doc.Find("[data-testid=token-row]").Length() != 0 {
		t.Errorf("another account's tokens page: %d %s", res.Status, res.Doc.Find("main").Text())
	}
	if res := oscar.Post("/admin/api-tokens/"+id+"/revoke", url.Values{"csrf_token": {apptest.CSRF(oscar.Get("/admin/api-tokens"))}}); res.Status != http.StatusNotFound {
		t.Errorf("another account revokes: %d", res.Status)
	}
}

// While a Primary Admin transfer is offered to a user, no token acts on
// them, even one with every permission the Primary Admin could give; it
// still reads them, as the console does.
func TestAPITokenNeverActsOnTheTransferTarget(t *testing.T) {
	w := newAPIWorld(t, models.SQLite, apptest.Options{})
	api := w.api.with(createToken(t, w.ada, "All", "", identity.PermUsersManage, identity.PermRolesManage,
		identity.PermSecurityManage, identity.PermAuditView))
	offerTo(t, w.ada, "tess", apptest.DefaultAdmin().Password)
	if res := api.post(w.tessP+"/deactivate", `{"reason":"x"}`); res.Status != http.StatusForbidden {
		t.Errorf("deactivate the transfer's target: %d %s", res.Status, res.Body)
	}
	if res := api.get(w.tessP); res.Status != http.StatusOK {
		t.Errorf("read the transfer's target: %d", res.Status)
	}
	// The Primary Admin herself may, in the console.
	page := w.ada.Get("/admin/users/" + apptest.Itoa(w.tess.ID) + "/deactivate")
	if page.Status != http.StatusOK {
		t.Errorf("the Primary Admin's confirmation page: %d", page.Status)
	}
}

// A token of a suspended account is refused like a revoked one, and works
// again when the operator reactivates the account.
func TestAPITokenOfASuspendedAccount(t *testing.T) {
	w := newAPIWorld(t, models.SQLite, apptest.Options{})
	api := w.api.with(createToken(t, w.ada, "Sync", "", identity.PermUsersRead))
	ctx := context.Background()
	if err := w.e.Store().Accounts.SetStatus(ctx, w.acct, []string{models.AccountActive}, models.AccountSuspended,
		"unpaid", w.e.Clock.Now(), nil); err != nil {
		t.Fatal(err)
	}
	checkUnauthorized(t, "suspended account", api.get("/api/v1/users"))
	if err := w.e.Store().Accounts.SetStatus(ctx, w.acct, []string{models.AccountSuspended}, models.AccountActive,
		"paid", w.e.Clock.Now(), nil); err != nil {
		t.Fatal(err)
	}
	if res := api.get("/api/v1/users"); res.Status != http.StatusOK {
		t.Errorf("after reactivation: %d", res.Status)
	}
}

// Sending a password reset through the API is the console's Resend: the
// user is emailed a link, the audit entry names the token, a retry with
// the same Idempotency-Key sends nothing more, and a deactivated user gets
// nothing (409).
func TestAPISendPasswordReset(t *testing.T) {
	w := newAPIWorld(t, models.SQLite, apptest.Options{})
	api := w.api.with(createToken(t, w.ada, "Helpdesk", "", identity.PermUsersManage))
	for range 2 {
		if res := api.post(w.tessP+"/password-reset", "", "Idempotency-Key", "reset-1"); res.Status != http.StatusAccepted {
			t.Fatalf("send reset: %d %s", res.Status, res.Body)
		}
	}
	if got := len(w.e.MailTo(w.tess.Email)); got != 1 {
		t.Errorf("%d emails to tess, want 1", got)
	}
	log := w.ada.Get("/admin/audit")
	row := eventSaying(t, log, "audit-table", "Ada Admin sent User tess a password reset link")
	if got := strings.Join(auditDetails(row), "; "); !strings.Contains(got, "Through API token: Helpdesk") {
		t.Errorf("audit details: %q", got)
	}
	if res := api.post(w.tessP+"/deactivate", `{"reason":"left"}`); res.Status != http.StatusOK {
		t.Fatalf("deactivate: %d", res.Status)
	}
	if res := api.post(w.tessP+"/password-reset", ""); res.Status != http.StatusConflict {
		t.Errorf("reset for a deactivated user: %d", res.Status)
	}
}

// The audit events: only a token acting with "View the audit log" reads
// them; they are the account's only, newest first, with the sentence the
// console shows, and older pages follow next.
func TestAPIAuditEvents(t *testing.T) {
	w := newAPIWorld(t, models.SQLite, apptest.Options{})
	manage := w.api.with(createToken(t, w.ada, "Manager", "", identity.PermUsersManage))
	auditor := w.api.with(createToken(t, w.ada, "SIEM", "", identity.PermAuditView))
	if res := manage.get("/api/v1/audit-events"); res.Status != http.StatusForbidden {
		t.Errorf("without audit.view: %d", res.Status)
	}
	// Enough events for two pages of 25, the newest a deactivation.
	for i := range 26 {
		createToken(t, w.ada, fmt.Sprintf("Batch %02d", i), "")
	}
	if res := manage.post(w.tessP+"/deactivate", `{"reason":"left"}`); res.Status != http.StatusOK {
		t.Fatalf("deactivate: %d", res.Status)
	}
	// The other account's events stay there.
	oscar := w.e.Client()
	oscar.SignIn("oscar", apiPassword)
	createToken(t, oscar, "Oscar's", "", identity.PermAuditView)

	type event struct {
		ID       int64
		Action   string
		Sentence string
		Details  map[string]any
	}
	var all []event
	path := "/api/v1/audit-events?limit=25"
	for path != "" {
		var page struct {
			Data []event
			Next *string
		}
		res := auditor.get(path)
		if res.Status != http.StatusOK {
			t.Fatalf("%s: %d %s", path, res.Status, res.Body)
		}
		res.decode(t, &page)
		all = append(all, page.Data...)
		path = ""
		if page.Next != nil {
			path = "/api/v1/audit-events?limit=25&cursor=" + *page.Next
		}
	}
	if len(all) < 30 {
		t.Fatalf("%d events", len(all))
	}
	if all[0].Action != "user.suspended" || all[0].Sentence != "Ada Admin deactivated User tess" ||
		all[0].Details["api_token"] != "Manager" {
		t.Fatalf("newest event: %+v", all[0])
	}
	for i, e := range all {
		if i > 0 && e.ID >= all[i-1].ID {
			t.Errorf("not newest first at %d", i)
		}
		if strings.Contains(e.Sentence, "Oscar") {
			t.Errorf("another account's event: %+v", e)
		}
	}
	var filtered struct{ Data []event }
	auditor.get("/api/v1/audit-events?action=api_token.created").decode(t, &filtered)
	if len(filtered.Data) != 28 {
		t.Errorf("token creations: %+v", filtered.Data)
	}
	for _, b := range []call{
		{method: "GET", path: "/api/v1/audit-events?since=yesterday", invalid: true},
		{method: "GET", path: "/api/v1/audit-events?cursor=abc"},
		{method: "GET", path: "/api/v1/audit-events?since=2026-12-01&until=2026-11-01"},
		{method: "GET", path: "/api/v1/audit-events?limit=10", invalid: true},
		{method: "GET", path: "/api/v1/audit-events?page=2"},
	} {
		if res := auditor.do(b); res.Status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d %s", b.path, res.Status, res.Body)
		}
	}
}
