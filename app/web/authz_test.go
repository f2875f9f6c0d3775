package web_test

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"accountportal/app/apptest"
	"accountportal/app/identity"
	"accountportal/app/web"
	"accountportal/models"
)

// Personas of the authorization matrix.
const (
	anon     = "anonymous"
	plain    = "plain user"
	company  = "Company Admin"
	itAdmin  = "IT Admin"
	billing  = "Billing Admin"
	custom   = "custom role"
	oneArea  = "one area"
	primary  = "Primary Admin"
	otherAcc = "other account"
	agent    = "support agent"
	operator = "operator"
)

var personas = []string{anon, plain, company, itAdmin, billing, custom, oneArea, primary, otherAcc, agent, operator}

const personaPassword = "Walrus+Tide42"

// world is one portal with a user of every persona.
type world struct {
	e        *apptest.Env
	admin    apptest.Admin
	username map[string]string
	roleID   string
	targetID string
	asset    string
	account  string
	agentKey string
	// staffKeys are the TOTP keys of the staff personas.
	staffKeys map[string]string
	// pending is the id of an onboarded account waiting for its Primary Admin.
	pending string
}

func newWorld(t testing.TB, d models.Dialect) *world {
	e := apptest.Start(t, d, apptest.Options{})
	a := apptest.DefaultAdmin()
	e.Setup(a)
	acct := e.User("ada").AccountID
	w := &world{e: e, admin: a, username: map[string]string{primary: "ada"}}
	add := func(persona, name string) *models.User {
		w.username[persona] = name
		return e.AddUser(acct, name, personaPassword, models.StatusActive)
	}
	add(plain, "pat")
	e.GiveRole(add(company, "cora").ID, "company_admin")
	e.GiveRole(add(itAdmin, "ivan").ID, "it_admin")
	e.GiveRole(add(billing, "bill").ID, "billing_admin")
	roleID := e.AddRole(acct, "Auditor", identity.PermAuditView)
	e.GiveRoleID(add(custom, "cleo").ID, roleID)
	e.Grant(add(oneArea, "olga").ID, identity.PermBillingInquiries)
	w.roleID = apptest.Itoa(roleID)
	w.targetID = apptest.Itoa(e.AddUser(acct, "tess", personaPassword, models.StatusActive).ID)
	e.AddAccount("23232323", "Other Co", "oscar", personaPassword)
	w.username[otherAcc] = "oscar"
	w.asset, _ = e.Client().Get("/login").Doc.Find("link[rel=stylesheet]").Attr("href")
	w.account = apptest.Itoa(acct)
	e.AddAgent("Sam Support", "sam@desk.example", personaPassword)
	w.username[agent] = "sam@desk.example"
	w.agentKey, _ = e.Client().SignInEnrolling("sam@desk.example", personaPassword, e.Clock)
	e.AddOperator("Olga Ops", "olga@provider.example", personaPassword)
	w.username[operator] = "olga@provider.example"
	opsKey, _ := e.Client().SignInEnrolling("olga@provider.example", personaPassword, e.Clock)
	w.staffKeys = map[string]string{agent: w.agentKey, operator: opsKey}
	ops := e.Client()
	ops.SignInTOTP("olga@provider.example", personaPassword, opsKey, e.Clock)
	w.pending = apptest.Itoa(apptest.OnboardedID(t, ops.Onboard("Pending Co", "Pia Pending", "pia@pending.example")))
	return w
}

// client returns a fresh browser signed in as persona (or anonymous).
func (w *world) client(t testing.TB, persona string) *apptest.Client {
	c := w.e.Client()
	if persona == anon {
		return c
	}
	pw := personaPassword
	if key, staff := w.staffKeys[persona]; staff {
		if res := c.SignInTOTP(w.username[persona], pw, key, w.e.Clock); res.Status != http.StatusSeeOther || res.Location != "/" {
			t.Fatalf("sign in %s: %d %q", persona, res.Status, res.Location)
		}
		return c
	}
	if persona == primary {
		pw = w.admin.Password
	}
	if res := c.SignIn(w.username[persona], pw); res.Status != http.StatusSeeOther || res.Location != "/" {
		t.Fatalf("sign in %s: %d %q", persona, res.Status, res.Location)
	}
	return c
}

// check is one route of the matrix: how to call it and what each persona
// gets. Personas not listed in want get def.
type check struct {
	path string
	form url.Values
	def  int
	want map[string]int
}

const (
	ok       = http.StatusOK
	see      = http.StatusSeeOther
	notFound = http.StatusNotFound
	deny     = http.StatusForbidden
	invalid  = http.StatusUnprocessableEntity
	conflict = http.StatusConflict
)

func (w *world) matrix() map[string]check {
	roleManagers := []string{primary, company, itAdmin, otherAcc}
	userManagers := roleManagers
	auditors := []string{primary, company, itAdmin, custom, otherAcc}
	tess := "/admin/users/" + w.targetID
	// object gives who status, the other account's admin 404, anonymous a
	// redirect and the rest 403.
	object := func(path string, form url.Values, status int) check {
		return check{path: path, form: form, def: deny,
			want: map[string]int{anon: see, primary: status, company: status, itAdmin: status, otherAcc: notFound}}
	}
	ownRoleManagers := []string{primary, company, itAdmin}
	role := "/admin/roles/" + w.roleID
	// mk gives who status, anonymous a redirect and the rest 403; the other
	// account's admin, asking for this account's role, gets 404.
	mk := func(path string, form url.Values, status int, who ...string) check {
		want := map[string]int{anon: see}
		for _, p := range who {
			want[p] = status
		}
		if strings.Contains(path, w.roleID) {
			want[otherAcc] = notFound
		}
		return check{path: path, form: form, def: deny, want: want}
	}
	v := func(kv ...string) url.Values {
		out := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	everyone := func(path string, form url.Values, status int) check {
		return check{path: path, form: form, def: status}
	}
	// user is for every signed-in customer; the support desk is refused.
	user := func(path string, form url.Values, status int) check {
		return check{path: path, form: form, def: status, want: map[string]int{anon: see, agent: deny, operator: deny}}
	}
	// anyUser is for every signed-in user, the provider's staff too.
	anyUser := func(path string, form url.Values, status int, staffStatus int) check {
		return check{path: path, form: form, def: status, want: map[string]int{anon: see, agent: staffStatus, operator: staffStatus}}
	}
	admins := []string{primary, company, itAdmin, billing, custom, oneArea, otherAcc}
	// ops is for the provider's operators alone.
	ops := func(path string, form url.Values, status int) check {
		return check{path: path, form: form, def: deny, want: map[string]int{anon: see, operator: status}}
	}
	opsAccount := "/operator/accounts/" + w.account
	invitation := "/operator/accounts/" + w.pending + "/invitation"
	desk := "/support/accounts/" + w.account
	return map[string]check{
		"GET /healthz":                             everyone("/healthz", nil, ok),
		"GET /readyz":                              everyone("/readyz", nil, ok),
		"GET /static/*":                            everyone(w.asset, nil, ok),
		"GET /setup":                               everyone("/setup", nil, notFound),
		"POST /setup":                              everyone("/setup", v(), notFound),
		"GET /login":                               {path: "/login", def: see, want: map[string]int{anon: ok}},
		"POST /login":                              everyone("/login", v("username", "someone"), see),
		"GET /login/password":                      everyone("/login/password", nil, see),
		"POST /login/password":                     everyone("/login/password", v("password", "x"), see),
		"GET /login/question":                      everyone("/login/question", nil, see),
		"POST /login/question":                     everyone("/login/question", v(), see),
		"GET /login/agreement":                     everyone("/login/agreement", nil, see),
		"POST /login/agreement":                    everyone("/login/agreement", v(), see),
		"POST /logout":                             everyone("/logout", v(), see),
		"POST /password/check":                     everyone("/password/check", v("password", "x"), ok),
		"GET /forgot":                              everyone("/forgot", nil, ok),
		"GET /forgot/password":                     everyone("/forgot/password", nil, ok),
		"POST /forgot/password":                    everyone("/forgot/password", v("username", "nobody"), ok),
		"GET /forgot/username":                     everyone("/forgot/username", nil, ok),
		"POST /forgot/username":                    everyone("/forgot/username", v("email", "nobody@example.com"), ok),
		"GET /reset/:token":                        everyone("/reset/not-a-token", nil, notFound),
		"GET /reset":                               everyone("/reset", nil, notFound),
		"POST /reset/answer":                       everyone("/reset/answer", v("answer", "x"), notFound),
		"POST /reset/password":                     everyone("/reset/password", v("password", "x"), notFound),
		"GET /reset/done":                          everyone("/reset/done", nil, ok),
		"GET /dev/mailbox":                         everyone("/dev/mailbox", nil, ok),
		"GET /dev/mailbox/:id":                     everyone("/dev/mailbox/999999", nil, notFound),
		"GET /dev/mailbox/:id/html":                everyone("/dev/mailbox/999999/html", nil, notFound),
		"GET /":                                    anyUser("/", nil, ok, see),
		"GET /support":                             mk("/support", nil, ok, agent),
		"GET /support/accounts/:id":                mk(desk, nil, ok, agent),
		"POST /support/accounts/:id/verify":        mk(desk+"/verify", v(), invalid, agent),
		"GET /profile/support-code":                mk("/profile/support-code", nil, ok, admins...),
		"POST /profile/support-code":               mk("/profile/support-code", v(), ok, admins...),
		"GET /profile":                             user("/profile", nil, ok),
		"GET /profile/edit":                        {path: "/profile/edit", def: see, want: map[string]int{agent: deny, operator: deny}},
		"GET /operator":                            mk("/operator", nil, ok, operator),
		"GET /operator/audit":                      ops("/operator/audit", nil, ok),
		"GET /operator/license":                    ops("/operator/license", nil, ok),
		"GET /operator/license/new":                ops("/operator/license/new", nil, ok),
		"POST /operator/license":                   ops("/operator/license", v("version", ""), invalid),
		"GET /operator/license/:version":           ops("/operator/license/2026-01", nil, ok),
		"GET /operator/accounts/:id/agreement":     ops(opsAccount+"/agreement", nil, ok),
		"GET /operator/accounts/:id/agreement.csv": ops(opsAccount+"/agreement.csv", nil, ok),
		"GET /agreement":                           user("/agreement", nil, ok),
		"GET /profile/details":                     user("/profile/details", nil, ok),
		"POST /profile/details":                    user("/profile/details", v("display_name", "Same Name"), see),
		"GET /profile/password":                    user("/profile/password", nil, ok),
		"GET /profile/question":                    user("/profile/question", nil, ok),
		"GET /profile/email":                       user("/profile/email", nil, ok),
		"GET /profile/sessions":                    user("/profile/sessions", nil, ok),
		"GET /profile/passphrase":                  user("/profile/passphrase", nil, ok),
		"GET /profile/language":                    user("/profile/language", nil, ok),
		"POST /profile/language":                   user("/profile/language", v("language", "xx"), invalid),
		"POST /profile/passphrase":                 user("/profile/passphrase", v("passphrase", ""), invalid),
		"POST /profile/password":                   user("/profile/password", v(), invalid),
		"POST /profile/question":                   user("/profile/question", v(), invalid),
		"POST /profile/email":                      user("/profile/email", v(), invalid),
		"GET /profile/email/confirm/:token":        user("/profile/email/confirm/nope", nil, notFound),
		"POST /profile/sessions/signout":           user("/profile/sessions/signout", v("session", "00"), notFound),
		"POST /profile/sessions/signout-others":    user("/profile/sessions/signout-others", v(), see),
		"GET /profile/app-passwords":               user("/profile/app-passwords", nil, ok),
		"POST /profile/app-passwords":              user("/profile/app-passwords", v("name", ""), invalid),
		"POST /profile/app-passwords/revoke":       user("/profile/app-passwords/revoke", v("app_password", "0"), see),
		// Integrations sign in with HTTP Basic, never with a session:
		// without an app password everyone gets the 401 challenge.
		"GET /api/v1/me":             everyone("/api/v1/me", nil, http.StatusUnauthorized),
		"POST /api/v1/crm/sign-in":   everyone("/api/v1/crm/sign-in", v(), http.StatusUnauthorized),
		"GET /confirm":               anyUser("/confirm?next=/profile", nil, ok, ok),
		"POST /confirm":              anyUser("/confirm", v("password", ""), invalid, invalid),
		"GET /admin/transfer":        user("/admin/transfer", nil, notFound),
		"POST /admin/transfer":       user("/admin/transfer", v("decision", "decline"), notFound),
		"GET /admin/privileges":      mk("/admin/privileges", nil, ok, roleManagers...),
		"GET /operator/accounts/:id": mk("/operator/accounts/"+w.account, nil, ok, operator),
		"POST /admin/privileges/areas": {path: "/admin/privileges/areas", form: v("user_id", w.targetID, "area", identity.PermBillingInfo),
			def: deny, want: map[string]int{anon: see, primary: see, otherAcc: notFound}},
		"GET /admin/privileges/remove": {path: "/admin/privileges/remove?user_id=" + w.targetID,
			def: deny, want: map[string]int{anon: see, primary: ok, otherAcc: notFound}},
		"POST /admin/privileges/remove": {path: "/admin/privileges/remove", form: v("user_id", w.targetID),
			def: deny, want: map[string]int{anon: see, primary: see, otherAcc: notFound}},
		"POST /admin/privileges/transfer": {path: "/admin/privileges/transfer", form: v("transfer_username", "tess", "transfer_password", "wrong"),
			def: deny, want: map[string]int{anon: see, primary: invalid, otherAcc: invalid}},
		"POST /admin/privileges/transfer/cancel": {path: "/admin/privileges/transfer/cancel", form: v(),
			def: deny, want: map[string]int{anon: see, primary: notFound, otherAcc: notFound}},
		"GET /admin/roles":              mk("/admin/roles", nil, ok, roleManagers...),
		"GET /admin/roles/new":          mk("/admin/roles/new", nil, ok, roleManagers...),
		"POST /admin/roles":             mk("/admin/roles", v("name", ""), invalid, roleManagers...),
		"GET /admin/roles/:id":          mk(role, nil, ok, ownRoleManagers...),
		"GET /admin/roles/:id/edit":     mk(role+"/edit", nil, ok, ownRoleManagers...),
		"POST /admin/roles/:id":         mk(role, v("name", ""), invalid, ownRoleManagers...),
		"GET /admin/roles/:id/delete":   mk(role+"/delete", nil, conflict, ownRoleManagers...),
		"POST /admin/roles/:id/delete":  mk(role+"/delete", v(), conflict, ownRoleManagers...),
		"POST /admin/roles/:id/members": mk(role+"/members", v("user_id", w.targetID, "action", "add"), see, ownRoleManagers...),
		"GET /welcome/:token":           everyone("/welcome/not-a-token", nil, notFound),
		"GET /login/mfa":                everyone("/login/mfa", nil, see),
		"POST /login/mfa":               everyone("/login/mfa", v("code", "000000"), see),
		"GET /login/mfa/setup":          everyone("/login/mfa/setup", nil, see),
		"POST /login/mfa/setup":         everyone("/login/mfa/setup", v("code", "000000"), see),
		"POST /login/continue":          everyone("/login/continue", v(), see),
		"GET /profile/mfa":              anyUser("/profile/mfa", nil, ok, ok),
		"GET /profile/mfa/setup":        anyUser("/profile/mfa/setup", nil, deny, see),
		"POST /profile/mfa/setup":       anyUser("/profile/mfa/setup", v("code", "000000"), deny, see),
		"POST /profile/mfa/start":       anyUser("/profile/mfa/start", v(), see, see),
		"POST /profile/mfa/codes":       anyUser("/profile/mfa/codes", v("password", "x"), conflict, invalid),
		"POST /profile/mfa/remove":      anyUser("/profile/mfa/remove", v(), conflict, invalid),
		"GET /admin/security":           mk("/admin/security", nil, ok, userManagers...),
		"POST /admin/security":          mk("/admin/security", v("mfa_policy", ""), invalid, userManagers...),
		// Tess has no second factor and no security question: the
		// confirmations and the actions answer with her page saying so.
		"GET /admin/users/:id/mfa":               object(tess+"/mfa", nil, conflict),
		"POST /admin/users/:id/mfa":              object(tess+"/mfa", v(), conflict),
		"GET /admin/audit":                       mk("/admin/audit", nil, ok, auditors...),
		"GET /admin/audit.csv":                   mk("/admin/audit.csv", nil, ok, auditors...),
		"GET /admin/users":                       mk("/admin/users", nil, ok, userManagers...),
		"GET /admin/users.csv":                   mk("/admin/users.csv", nil, ok, userManagers...),
		"GET /admin/users/new":                   mk("/admin/users/new", nil, ok, userManagers...),
		"POST /admin/users":                      mk("/admin/users", v("display_name", ""), invalid, userManagers...),
		"POST /admin/users/bulk":                 mk("/admin/users/bulk", v("action", ""), invalid, userManagers...),
		"POST /admin/users/bulk/run":             mk("/admin/users/bulk/run", v("action", "signout", "id", w.targetID, "reason", ""), invalid, userManagers...),
		"GET /admin/users/jobs":                  mk("/admin/users/jobs", nil, ok, userManagers...),
		"GET /admin/users/jobs/:job":             mk("/admin/users/jobs/999999", nil, notFound, userManagers...),
		"GET /admin/users/jobs/:job/results.csv": mk("/admin/users/jobs/999999/results.csv", nil, notFound, userManagers...),
		"GET /admin/users/:id":                   object(tess, nil, ok),
		"POST /admin/users/:id":                  object(tess, v("display_name", ""), invalid),
		"GET /admin/users/:id/deactivate":        object(tess+"/deactivate", nil, ok),
		"POST /admin/users/:id/status":           object(tess+"/status", v("action", "deactivate", "reason", ""), invalid),
		"GET /admin/users/:id/question/clear":    object(tess+"/question/clear", nil, conflict),
		"POST /admin/users/:id/reset":            object(tess+"/reset", v(), see),
		"POST /admin/users/:id/question/clear":   object(tess+"/question/clear", v(), conflict),
		"POST /admin/users/:id/reset/unblock":    object(tess+"/reset/unblock", v(), conflict),
		"GET /admin/users/:id/delete":            object(tess+"/delete", nil, ok),
		"POST /admin/users/:id/delete":           object(tess+"/delete", v("confirm", ""), invalid),
		"GET /admin/users/:id/sessions/signout":  object(tess+"/sessions/signout", nil, ok),
		"POST /admin/users/:id/sessions/signout": object(tess+"/sessions/signout", v(), see),
		// No such link: the user's page says it no longer works.
		"GET /admin/users/:id/links/:link/void":  object(tess+"/links/999999/void", nil, notFound),
		"POST /admin/users/:id/links/:link/void": object(tess+"/links/999999/void", v(), notFound),

		// API tokens: holders of "Manage users"; adopting is the Primary
		// Admin's alone.
		"GET /admin/api-tokens":             mk("/admin/api-tokens", nil, ok, userManagers...),
		"POST /admin/api-tokens":            mk("/admin/api-tokens", v("name", ""), invalid, userManagers...),
		"POST /admin/api-tokens/:id/revoke": mk("/admin/api-tokens/999999/revoke", v(), notFound, userManagers...),
		"POST /admin/api-tokens/:id/adopt":  mk("/admin/api-tokens/999999/adopt", v(), notFound, primary, otherAcc),
		// The JSON API ignores the session cookie: without a bearer token
		// everyone is 401 (its own matrix is in api_authz_test.go).
		"GET /api/v1/openapi.json":              everyone("/api/v1/openapi.json", nil, ok),
		"GET /api/v1/audit-events":              everyone("/api/v1/audit-events", nil, http.StatusUnauthorized),
		"GET /api/v1/users":                     everyone("/api/v1/users", nil, http.StatusUnauthorized),
		"GET /api/v1/users/:id":                 everyone("/api/v1/users/"+w.targetID, nil, http.StatusUnauthorized),
		"POST /api/v1/users/:id/deactivate":     everyone("/api/v1/users/"+w.targetID+"/deactivate", v(), http.StatusUnauthorized),
		"POST /api/v1/users/:id/reactivate":     everyone("/api/v1/users/"+w.targetID+"/reactivate", v(), http.StatusUnauthorized),
		"POST /api/v1/users/:id/password-reset": everyone("/api/v1/users/"+w.targetID+"/password-reset", v(), http.StatusUnauthorized),
		"POST /api/v1/users/:id/mfa-reset":      everyone("/api/v1/users/"+w.targetID+"/mfa-reset", v(), http.StatusUnauthorized),
		"POST /api/v1/users":                    everyone("/api/v1/users", v(), http.StatusUnauthorized),
		"GET /api/v1/roles":                     everyone("/api/v1/roles", nil, http.StatusUnauthorized),
		"GET /api/v1/roles/:id":                 everyone("/api/v1/roles/"+w.roleID, nil, http.StatusUnauthorized),
		"POST /api/v1/roles/:id/members":        everyone("/api/v1/roles/"+w.roleID+"/members", v(), http.StatusUnauthorized),
		"DELETE /api/v1/roles/:id/members/:user_id": everyone("/api/v1/roles/"+w.roleID+"/members/"+w.targetID, v(),
			http.StatusUnauthorized),
		"PATCH /api/v1/users/:id":  everyone("/api/v1/users/"+w.targetID, v(), http.StatusUnauthorized),
		"DELETE /api/v1/users/:id": everyone("/api/v1/users/"+w.targetID, v(), http.StatusUnauthorized),
		// SCIM needs an API token: no session of any persona is one.
		"GET /scim/v2/ServiceProviderConfig": everyone("/scim/v2/ServiceProviderConfig", nil, http.StatusUnauthorized),
		"GET /scim/v2/ResourceTypes":         everyone("/scim/v2/ResourceTypes", nil, http.StatusUnauthorized),
		"GET /scim/v2/ResourceTypes/:name":   everyone("/scim/v2/ResourceTypes/User", nil, http.StatusUnauthorized),
		"GET /scim/v2/Schemas":               everyone("/scim/v2/Schemas", nil, http.StatusUnauthorized),
		"GET /scim/v2/Schemas/:urn":          everyone("/scim/v2/Schemas/x", nil, http.StatusUnauthorized),
		"GET /scim/v2/Users":                 everyone("/scim/v2/Users", nil, http.StatusUnauthorized),
		"GET /scim/v2/Groups":                everyone("/scim/v2/Groups", nil, http.StatusUnauthorized),
		"GET /scim/v2/Groups/:id":            everyone("/scim/v2/Groups/"+w.roleID, nil, http.StatusUnauthorized),
		"PATCH /scim/v2/Groups/:id":          everyone("/scim/v2/Groups/"+w.roleID, v(), http.StatusUnauthorized),
		"POST /scim/v2/Groups":               everyone("/scim/v2/Groups", v(), http.StatusUnauthorized),
		"PUT /scim/v2/Groups/:id":            everyone("/scim/v2/Groups/"+w.roleID, v(), http.StatusUnauthorized),
		"DELETE /scim/v2/Groups/:id":         everyone("/scim/v2/Groups/"+w.roleID, v(), http.StatusUnauthorized),
		"GET /scim/v2/Users/:id":             everyone("/scim/v2/Users/"+w.targetID, nil, http.StatusUnauthorized),
		"POST /scim/v2/Users":                everyone("/scim/v2/Users", v(), http.StatusUnauthorized),
		"PUT /scim/v2/Users/:id":             everyone("/scim/v2/Users/"+w.targetID, v(), http.StatusUnauthorized),
		"PATCH /scim/v2/Users/:id":           everyone("/scim/v2/Users/"+w.targetID, v(), http.StatusUnauthorized),
		"DELETE /scim/v2/Users/:id":          everyone("/scim/v2/Users/"+w.targetID, v(), http.StatusUnauthorized),

		// Onboarding an account, its invitation, and the invitation's link.
		"GET /operator/accounts/new":                    ops("/operator/accounts/new", nil, ok),
		"POST /operator/accounts/new":                   ops("/operator/accounts/new", v("company_name", ""), invalid),
		"GET /operator/accounts/:id/invitation":         ops(invitation, nil, ok),
		"POST /operator/accounts/:id/invitation/resend": ops(invitation+"/resend", v(), see),
		"POST /operator/accounts/:id/invitation/void":   ops(invitation+"/void", v(), see),
		"GET /invite/:token":                            everyone("/invite/not-a-token", nil, notFound),
		"GET /invite":                                   everyone("/invite", nil, notFound),
		"POST /invite":                                  everyone("/invite", v("password", "x"), notFound),
		// A customer account's status and its Primary Admin's recovery.
		"GET /operator/accounts/:id/suspend":        ops(opsAccount+"/suspend", nil, ok),
		"POST /operator/accounts/:id/suspend":       ops(opsAccount+"/suspend", v(), invalid),
		"GET /operator/accounts/:id/reactivate":     ops(opsAccount+"/reactivate", nil, ok),
		"POST /operator/accounts/:id/reactivate":    ops(opsAccount+"/reactivate", v(), invalid),
		"GET /operator/accounts/:id/close":          ops(opsAccount+"/close", nil, ok),
		"POST /operator/accounts/:id/close":         ops(opsAccount+"/close", v(), invalid),
		"GET /operator/accounts/:id/primary-admin":  ops(opsAccount+"/primary-admin", nil, ok),
		"POST /operator/accounts/:id/primary-admin": ops(opsAccount+"/primary-admin", v("action", "mfa"), invalid),
	}
}

// TestAuthorizationMatrix calls every registered route as every persona
// and checks the status. A route added without a row here fails the test.
func TestAuthorizationMatrix(t *testing.T) {
	w := newWorld(t, models.SQLite)
	rows := w.matrix()
	routes := w.e.App.Handler.(*web.Server).Routes()
	seen := map[string]bool{}
	var missing []string
	for _, r := range routes {
		key := r.Method + " " + r.Path
		if seen[key] {
			continue
		}
		seen[key] = true
		if _, ok := rows[key]; !ok {
			missing = append(missing, key)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Fatalf("routes without a row in the authorization matrix:\n%s", strings.Join(missing, "\n"))
	}
	for key := range rows {
		if !seen[key] {
			t.Errorf("matrix row for a route that does not exist: %s", key)
		}
	}
	checks := 0
	defer func() { t.Logf("%d routes × %d personas: %d checks", len(rows), len(personas), checks) }()
	for _, key := range sortedKeys(rows) {
		row := rows[key]
		method := strings.SplitN(key, " ", 2)[0]
		for _, persona := range personas {
			want, set := row.want[persona]
			if !set {
				want = row.def
			}
			c := w.client(t, persona)
			var res *apptest.Response
			switch method {
			case http.MethodGet:
				res = c.Get(row.path)
			case http.MethodPost:
				form := url.Values{}
				for k, vs := range row.form {
					form[k] = vs
				}
				form.Set("csrf_token", apptest.CSRF(c.Get("/forgot/password")))
				res = c.Post(row.path, form)
			default: // the JSON API's and SCIM's PUT, PATCH and DELETE
				res = c.Request(method, row.path, row.form, nil)
			}
			checks++
			if res.Status != want {
				t.Errorf("%s as %s: %d, want %d", key, persona, res.Status, want)
			}
		}
	}
}

func sortedKeys(m map[string]check) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
