package web_test

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"accountportal/app/apptest"
	"accountportal/app/identity"
	"accountportal/app/profile"
	"accountportal/app/web"
	"accountportal/models"
	"accountportal/models/modelstest"
)

// textForm is one form of the sweep: a client in the state where the
// route reads the form (signed in, halfway through sign-in, holding a
// reset link), and the form's fields with values it would accept. Every
// field is tried in turn with each bad text.
type textForm struct {
	route  string // as registered: "POST /admin/users/:id"
	path   string
	client *apptest.Client
	fields map[string]string
	// status is the answer for fields refused otherwise than with 422.
	status map[string]int
	// multiline are the text areas, where a tab is text like any other.
	multiline map[string]bool
}

// postsWithoutText are the POST routes whose forms carry nothing but the
// CSRF token: there is no field to sweep.
var postsWithoutText = []string{
	"POST /login/continue", "POST /login/agreement", "POST /logout", "POST /profile/mfa/start",
	"POST /profile/sessions/signout-others", "POST /profile/support-code", "POST /admin/privileges/transfer/cancel",
	"POST /admin/roles/:id/delete", "POST /admin/users/:id/reset", "POST /admin/users/:id/question/clear",
	"POST /admin/users/:id/reset/unblock",
	"POST /admin/users/:id/links/:link/void",
	"POST /operator/accounts/:id/invitation/resend", "POST /operator/accounts/:id/invitation/void",
	"POST /admin/api-tokens/:id/revoke", "POST /admin/api-tokens/:id/adopt",
	// The JSON API takes JSON, not forms: TestAPIBadInput sweeps it.
	"POST /api/v1/users/:id/deactivate", "POST /api/v1/users/:id/reactivate", "POST /api/v1/users/:id/password-reset",
	"POST /api/v1/users/:id/mfa-reset",
	"POST /api/v1/users", "POST /api/v1/roles/:id/members",
	// The CRM plug-ins' sign-in reads no body: its text comes in the
	// Authorization header, swept by TestIntegrationSignInBadInput.
	"POST /api/v1/crm/sign-in",
	// SCIM takes JSON, not forms: TestSCIMBadInput sweeps it.
	"POST /scim/v2/Users", "POST /scim/v2/Groups",
}

// sweepWorld is a portal with a client at every form that takes text.
type sweepWorld struct {
	e     *apptest.Env
	forms []textForm
	ada   *apptest.Client
	agent *apptest.Client
	desk  string
	sent  int
}

const sweepPassword = "Walrus+Tide42"

// newSweepWorld starts a portal and makes its clients; with sweepSetup it
// first sweeps the setup form, which is open only until the first account
// exists.
func newSweepWorld(t *testing.T, d models.Dialect, sweepSetup bool) *sweepWorld {
	e := apptest.Start(t, d, apptest.Options{})
	w := &sweepWorld{e: e}
	a := apptest.DefaultAdmin()
	a.Question, a.Answer = profile.SecurityQuestions()[0], "Rex the dog"
	if sweepSetup {
		w.sent = w.sweep(t, []textForm{{route: "POST /setup", path: "/setup", client: e.Client(), fields: map[string]string{
			"setup_code": e.App.Setup.Code(), "company_name": a.Company, "display_name": a.DisplayName, "email": a.Email, "username": a.Username,
			"password": a.Password, "password_confirm": a.Password, "passphrase": a.Passphrase,
			"security_question": "custom", "security_question_custom": "Name of your first pet?", "security_answer": a.Answer}}})
	}
	ada := e.Setup(a)
	w.ada = ada
	acct := e.User("ada").AccountID
	e.SetMFAPolicy(acct, models.MFAOptional)
	tess := apptest.Itoa(e.AddUser(acct, "tess", sweepPassword, models.StatusActive).ID)
	roleID := apptest.Itoa(e.AddRole(acct, "Auditors", identity.PermAuditView))
	e.AddUser(acct, "mira", sweepPassword, models.StatusActive)
	mira := e.Client()
	mira.SignIn("mira", sweepPassword)
	mira.Enrol(e.Clock)
	_, oscar := e.AddAccount("23232323", "Other Co", "oscar", sweepPassword)
	e.SetMFAPolicy(oscar.AccountID, models.MFAEveryone)
	e.AddAgent("Sam Support", "sam@desk.example", sweepPassword)
	w.agent = e.Client()
	w.agent.SignInEnrolling("sam@desk.example", sweepPassword, e.Clock)
	w.desk = "/support/accounts/" + apptest.Itoa(acct)

	_, quinn := e.AddAccount("34343434", "Question Co", "quinn", sweepPassword)
	e.RequireSecurityQuestion(quinn.AccountID, true)

	w.add("POST /password/check", "/password/check", e.Client(), map[string]string{"password": sweepPassword, "username": "tess"})
	w.add("POST /login", "/login", e.Client(), map[string]string{"username": "tess"})
	w.add("POST /login/question", "/login/question", w.signedInTo(t, "quinn", "/login/question"), map[string]string{
		"security_question": "custom", "security_question_custom": "First ferry?", "security_answer": "Spirit of Kent"})
	w.add("POST /login/password", "/login/password", w.atPassword("tess"), map[string]string{"password": sweepPassword})
	w.add("POST /login/mfa", "/login/mfa", w.signedInTo(t, "mira", "/login/mfa"), map[string]string{"code": "123456"})
	w.add("POST /login/mfa/setup", "/login/mfa/setup", w.signedInTo(t, "oscar", "/login/mfa/setup"), map[string]string{"code": "123456"})
	w.add("POST /forgot/password", "/forgot/password", e.Client(), map[string]string{"username": "tess"})
	w.add("POST /forgot/username", "/forgot/username", e.Client(), map[string]string{"email": "tess@example.com"})
	w.add("POST /reset/answer", "/reset/answer", w.withResetLink(t, "ada"), map[string]string{"answer": a.Answer})
	w.add("POST /reset/password", "/reset/password", w.withResetLink(t, "tess"), map[string]string{
		"password": "Walrus+Tide42x", "password_confirm": "Walrus+Tide42x", "sign_out_everywhere": "yes"})

	w.add("POST /confirm", "/confirm", ada, map[string]string{"password": a.Password, "next": "/profile"})
	w.add("POST /profile/details", "/profile/details", ada, map[string]string{"display_name": "Ada Lovelace"})
	w.add("POST /profile/passphrase", "/profile/passphrase", ada, map[string]string{"passphrase": "green meadow violin"})
	w.add("POST /profile/language", "/profile/language", ada, map[string]string{"language": "es", "time_zone": "Europe/Madrid"})
	w.add("POST /profile/app-passwords", "/profile/app-passwords", ada, map[string]string{"name": "ACT! on the laptop"})
	w.add("POST /profile/app-passwords/revoke", "/profile/app-passwords/revoke", ada, map[string]string{"app_password": "1"})
	w.add("POST /profile/password", "/profile/password", ada, map[string]string{
		"password": "Walrus+Tide42x", "password_confirm": "Walrus+Tide42x", "sign_out_others": "yes"})
	w.add("POST /profile/question", "/profile/question", ada, map[string]string{"security_question": "custom",
		"security_question_custom": "Favourite teacher?", "security_answer": "Mrs Smith"})
	w.add("POST /profile/email", "/profile/email", ada, map[string]string{"new_email": "ada2@example.com"})
	w.add("POST /profile/sessions/signout", "/profile/sessions/signout", ada, map[string]string{"session": strings.Repeat("00", 32)})
	w.add("POST /profile/mfa/setup", "/profile/mfa/setup", ada, map[string]string{"code": "123456"})
	w.add("POST /profile/mfa/codes", "/profile/mfa/codes", mira, map[string]string{"password": sweepPassword})
	w.add("POST /profile/mfa/remove", "/profile/mfa/remove", mira, map[string]string{"remove_password": sweepPassword,
		"code": "123456", "then": "remove"})
	w.add("POST /support/accounts/:id/verify", w.desk+"/verify", w.agent, map[string]string{
		"caller": apptest.Itoa(e.User("ada").ID), "area": identity.PermBillingInquiries, "passphrase": a.Passphrase, "code": ""})

	e.AddOperator("Olga Ops", "olga@provider.example", sweepPassword)
	ops := e.Client()
	ops.SignInEnrolling("olga@provider.example", sweepPassword, e.Clock)
	other := "/operator/accounts/" + apptest.Itoa(oscar.AccountID)
	for _, verb := range []string{"suspend", "reactivate", "close"} {
		w.add("POST /operator/accounts/:id/"+verb, other+"/"+verb, ops, map[string]string{"reason": "Unpaid invoices"})
	}
	w.add("POST /operator/accounts/:id/primary-admin", other+"/primary-admin", ops, map[string]string{"action": "mfa", "reason": "Lost phone"})

	w.add("POST /admin/transfer", "/admin/transfer", ada, map[string]string{"decision": "decline"})
	w.add("POST /admin/privileges/areas", "/admin/privileges/areas", ada, map[string]string{"user_id": tess, "area": identity.PermBillingInfo})
	w.add("POST /admin/api-tokens", "/admin/api-tokens", ada, map[string]string{"name": "CRM sync", "permission": "users.read", "expires_in_days": "30"})
	w.add("POST /admin/privileges/remove", "/admin/privileges/remove", ada, map[string]string{"user_id": tess})
	w.add("POST /admin/privileges/transfer", "/admin/privileges/transfer", ada, map[string]string{"transfer_username": "tess",
		"transfer_password": a.Password})
	w.add("POST /admin/roles", "/admin/roles", ada, map[string]string{"name": "Readers", "description": "Read the log",
		"permission": identity.PermAuditView})
	w.add("POST /admin/roles/:id", "/admin/roles/"+roleID, ada, map[string]string{"name": "Log readers",
		"description": "Read the log", "permission": identity.PermAuditView})
	w.add("POST /admin/roles/:id/members", "/admin/roles/"+roleID+"/members", ada, map[string]string{"user_id": tess, "action": "add"})
	w.add("POST /admin/security", "/admin/security", ada, map[string]string{"mfa_policy": models.MFAOptional,
		"password_preset": "classic", "integration_safe": "yes", "require_security_question": "yes",
		"idle_minutes": "30", "absolute_minutes": "720"})
	// Tess has the address, and the box confirming that is ticked: only a
	// bad value anywhere, the box's included, stops the user being made.
	w.add("POST /admin/users", "/admin/users", ada, map[string]string{"display_name": "Kim Keys", "email": "tess@example.com",
		"username": "kim", "role": roleID, "same_email_ok": "yes"})
	w.add("POST /admin/users/bulk", "/admin/users/bulk", ada, map[string]string{"action": "signout", "scope": "matching",
		"f_q": "tess", "reason": "Left the team"})
	w.add("POST /admin/users/bulk/run", "/admin/users/bulk/run", ada, map[string]string{"action": "deactivate",
		"scope": "selected", "id": tess, "reason": "Left the team", "admin_code": ""})
	// The preview shown again with the refused reason cannot name a user
	// from a refused id: that is the "no such user" page.
	w.forms[len(w.forms)-1].status = map[string]int{"id": http.StatusNotFound}
	user := "/admin/users/" + tess
	w.add("POST /admin/users/:id", user, ada, map[string]string{"display_name": "Tess Two", "email": "tess2@example.com",
		"username": "tess2"})
	w.add("POST /admin/users/:id/status", user+"/status", ada, map[string]string{"action": "deactivate", "reason": "Left the team"})
	w.add("POST /admin/users/:id/mfa", user+"/mfa", ada, map[string]string{"admin_code": "123456"})
	w.add("POST /admin/users/:id/delete", user+"/delete", ada, map[string]string{"confirm": "tess"})
	w.add("POST /admin/users/:id/sessions/signout", user+"/sessions/signout", ada, map[string]string{"session": ""})

	w.add("POST /operator/license", "/operator/license", ops, map[string]string{"version": "2027-01",
		"title": "Terms of use", "text": "1. Be kind.\n2. Be safe.", "effective": e.Clock.Now().Format("2006-01-02")})
	w.forms[len(w.forms)-1].multiline = map[string]bool{"text": true}
	w.addOnboarding(t, ops)
	return w
}

func (w *sweepWorld) add(route, path string, c *apptest.Client, fields map[string]string) {
	w.forms = append(w.forms, textForm{route: route, path: path, client: c, fields: fields})
}

// atPassword is a browser that gave the username and is asked for the password.
func (w *sweepWorld) atPassword(username string) *apptest.Client {
	c := w.e.Client()
	c.Submit(c.Get("/login"), "form[data-testid=login-username-form]", map[string]string{"username": username})
	return c
}

// signedInTo is a browser that gave the right password and is at step.
func (w *sweepWorld) signedInTo(t *testing.T, username, step string) *apptest.Client {
	c := w.e.Client()
	if res := c.SignIn(username, sweepPassword); res.Status != http.StatusSeeOther || res.Location != step {
		t.Fatalf("sign in %s: %d %q, want %s", username, res.Status, res.Location, step)
	}
	return c
}

// withResetLink is a browser that opened the reset link emailed to username.
func (w *sweepWorld) withResetLink(t *testing.T, username string) *apptest.Client {
	c := w.e.Client()
	link := resetLink(t, w.e, c, username, username+"@example.com")
	if res := c.Get(link); res.Status != http.StatusSeeOther || res.Location != "/reset" {
		t.Fatalf("open the reset link of %s: %d %q", username, res.Status, res.Location)
	}
	return c
}

// sweep sends every form with each field in turn holding each bad text:
// every one must be refused with 422. It returns how many it sent.
func (w *sweepWorld) sweep(t *testing.T, forms []textForm) int {
	t.Helper()
	sent := 0
	for _, f := range forms {
		csrf := apptest.CSRF(f.client.Get("/forgot/password"))
		for field := range f.fields {
			for _, bad := range badTexts {
				if bad.value == tabText && f.multiline[field] {
					continue
				}
				form := url.Values{"csrf_token": {csrf}}
				for k, v := range f.fields {
					form.Set(k, v)
				}
				form.Set(field, bad.value)
				res := f.client.Post(f.path, form)
				sent++
				want, ok := f.status[field]
				if !ok {
					want = http.StatusUnprocessableEntity
				}
				if res.Status != want {
					t.Errorf("%s with %s in %s: %d, want %d", f.route, bad.name, field, res.Status, want)
				}
				requireClean(t, f.route+" "+field+" "+bad.name, res)
			}
		}
	}
	return sent
}

// TestBadTextInEveryForm sends NUL, invalid UTF-8, a right-to-left
// override, a control character and a tab in every field of every form
// that takes text: each is refused with 422, the page shows none of it raw,
// and nothing of it reaches the database. A POST route that is neither
// swept nor listed as carrying no text fails the test.
func TestBadTextInEveryForm(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		w := newSweepWorld(t, d, true)
		swept := map[string]bool{"POST /setup": true}
		for _, f := range w.forms {
			swept[f.route] = true
		}
		for _, r := range postsWithoutText {
			swept[r] = true
		}
		var missing []string
		for _, r := range w.e.App.Handler.(*web.Server).Routes() {
			if key := r.Method + " " + r.Path; r.Method == http.MethodPost && !swept[key] {
				missing = append(missing, key)
			}
		}
		sort.Strings(missing)
		if len(missing) > 0 {
			t.Fatalf("POST routes neither swept nor listed as without text:\n%s", strings.Join(missing, "\n"))
		}
		w.sent += w.sweep(t, w.forms)
		t.Logf("%d forms, %d refused requests", len(w.forms)+1, w.sent)
		requireNothingStored(t, w.e)
	})
}

// TestBadTextInEveryQueryParameter sends the bad texts in every query
// parameter the portal reads, and in path parameters: none answers 500,
// shows the text raw or stores it. Query parameters that break the rule
// are ignored; bad ids and tokens find nothing.
func TestBadTextInEveryQueryParameter(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		w := newSweepWorld(t, d, false)
		pages := []struct {
			client *apptest.Client
			path   string
			params []string
		}{
			{w.ada, "/admin/users", []string{"q", "status", "role", "privileged", "mfa", "sort", "size", "after", "before"}},
			{w.ada, "/admin/users.csv", []string{"q", "status", "role", "privileged", "mfa"}},
			{w.ada, "/admin/audit", []string{"actor", "target", "action", "from", "to", "before", "after", "size", "view"}},
			{w.ada, "/admin/audit.csv", []string{"actor", "target", "action", "from", "to"}},
			{w.ada, "/admin/privileges/remove", []string{"user_id"}},
			{w.ada, "/confirm", []string{"next"}},
			{w.e.Client(), "/login", []string{"change", "signed_out"}},
			{w.agent, "/support", []string{"q"}},
			{w.agent, w.desk, []string{"username"}},
		}
		for _, p := range pages {
			for _, param := range p.params {
				for _, bad := range badTexts {
					path := p.path + "?" + url.Values{param: {bad.value}}.Encode()
					res, body := p.client.Raw(path)
					if res.StatusCode >= 500 {
						t.Errorf("GET %s with %s in %s: %d", p.path, bad.name, param, res.StatusCode)
					}
					if strings.Contains(body, marker) {
						t.Errorf("GET %s with %s in %s: the page shows the value", p.path, bad.name, param)
					}
				}
			}
		}
		for _, path := range []string{"/reset/", "/welcome/", "/invite/", "/profile/email/confirm/", "/admin/users/", "/admin/roles/",
			"/dev/mailbox/", w.desk[:len("/support/accounts/")]} {
			for _, bad := range []string{"%00", "%FF%FE", "%E2%80%AE", "%01", "%09"} {
				c := w.ada
				if strings.HasPrefix(path, "/support/") {
					c = w.agent
				}
				if res, _ := c.Raw(path + marker + bad); res.StatusCode != http.StatusNotFound {
					t.Errorf("GET %s%s%s: %d, want 404", path, marker, bad, res.StatusCode)
				}
			}
		}
		// The link of a user's void confirmation finds nothing either.
		tess := "/admin/users/" + apptest.Itoa(w.e.User("tess").ID) + "/links/"
		for _, bad := range []string{"%00", "%FF%FE", "%E2%80%AE", "%01", "%09"} {
			if res, _ := w.ada.Raw(tess + marker + bad + "/void"); res.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s%s%s/void: %d, want 404", tess, marker, bad, res.StatusCode)
			}
		}
		requireNothingStored(t, w.e)
	})
}
