package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"accountportal/app/apptest"
	"accountportal/models"
)

// TestAppPasswordsRevokedByEveryPasswordChangeAndSuspension goes through
// each way a password changes or a user is deactivated, with the real
// services: each revokes that user's app passwords and nobody else's.
func TestAppPasswordsRevokedByEveryPasswordChangeAndSuspension(t *testing.T) {
	e, ada, a := signedIn(t, models.SQLite)
	acct := e.User("ada").AccountID
	const pw = "Bobcat+Jump7x"
	secrets := map[string]string{"ada": makeAppPassword(t, ada, "Ada's CRM")}
	for _, name := range []string{"bob", "carl", "dan", "eve", "fay"} {
		e.AddUser(acct, name, pw, models.StatusActive)
		c := e.Client()
		c.SignIn(name, pw)
		secrets[name] = makeAppPassword(t, c, name+"'s CRM")
	}
	api := e.Client()
	works := func(name string) bool {
		t.Helper()
		res := basic(t, api, http.MethodGet, "/api/v1/me", basicOf(name, secrets[name]))
		if res.Status != http.StatusOK && res.Status != http.StatusUnauthorized {
			t.Fatalf("%s: %d %s", name, res.Status, jsonOf(res))
		}
		return res.Status == http.StatusOK
	}
	expect := func(step string, revoked ...string) {
		t.Helper()
		for name := range secrets {
			want := true
			for _, r := range revoked {
				want = want && r != name
			}
			if got := works(name); got != want {
				t.Fatalf("after %s: %s's app password works=%v, want %v", step, name, got, want)
			}
		}
	}
	reason := func(name string) string {
		t.Helper()
		rows, err := e.Store().AppPasswords().LiveOf(context.Background(), acct, e.User(name).ID)
		if err != nil || len(rows) != 0 {
			t.Fatalf("%s still has live app passwords: %v %v", name, rows, err)
		}
		canonical := strings.ReplaceAll(secrets[name], "-", "")
		p, err := e.Store().AppPasswords().ByDigest(context.Background(), digestOf(canonical))
		if err != nil {
			t.Fatal(err)
		}
		return p.RevokedReason
	}
	expect("nothing")

	// An emailed reset, completed.
	c := e.Client()
	c.Get(resetLink(t, e, c, "bob", "bob@example.com"))
	res := c.Submit(c.Get("/reset"), "form[data-testid=reset-password-form]", map[string]string{"password": newPassword, "password_confirm": newPassword})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("reset: %d", res.Status)
	}
	expect("bob's reset", "bob")
	if r := reason("bob"); r != models.AppPasswordPasswordChanged {
		t.Fatalf("bob's reason %q", r)
	}

	// An administrator deactivates one user from their page.
	res = post(ada, "/admin/users/"+apptest.Itoa(e.User("carl").ID)+"/status", url.Values{"action": {"deactivate"}, "reason": {"left"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("deactivate carl: %d", res.Status)
	}
	expect("carl's deactivation", "bob", "carl")
	if r := reason("carl"); r != models.AppPasswordUserSuspended {
		t.Fatalf("carl's reason %q", r)
	}

	// And two at once with the bulk action.
	job := ada.RunBulk(url.Values{"action": {"deactivate"}, "scope": {"selected"},
		"id": {apptest.Itoa(e.User("dan").ID), apptest.Itoa(e.User("eve").ID)}, "reason": {"left"}})
	if job.Status != http.StatusOK {
		t.Fatalf("bulk deactivate: %d", job.Status)
	}
	expect("the bulk deactivation", "bob", "carl", "dan", "eve")
	reason("dan")
	reason("eve")

	// The user changes their own password in My Profile.
	res = submitProfile(ada, "password-form", map[string]string{"password": newPassword, "password_confirm": newPassword})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("password change: %d %s", res.Status, res.Doc.Find("[data-testid=error-summary]").Text())
	}
	expect("ada's password change", "ada", "bob", "carl", "dan", "eve")
	_ = a
}

// TestAppPasswordsTurnedOffByTheAccount turns the Security page's setting
// off: every app password of the account is revoked at once and none can
// be made until it is on again.
func TestAppPasswordsTurnedOffByTheAccount(t *testing.T) {
	e, ada, _ := signedIn(t, models.SQLite)
	acct := e.User("ada").AccountID
	secret := makeAppPassword(t, ada, "CRM")
	page := ada.Get("/admin/security")
	setting := page.Doc.Find("[data-testid=app-passwords-setting]")
	if !strings.Contains(setting.Text(), "revokes every app password") || setting.Find("input[value=on][checked]").Length() != 1 {
		t.Fatalf("setting before: %q", setting.Text())
	}
	// A form sent without the field leaves the setting alone.
	res := post(ada, "/admin/security", url.Values{"mfa_policy": {"optional"}, "password_preset": {"classic"}})
	if res.Status != http.StatusSeeOther || basic(t, e.Client(), http.MethodGet, "/api/v1/me", basicOf("ada", secret)).Status != http.StatusOK {
		t.Fatalf("save without the field: %d", res.Status)
	}
	res = ada.Submit(ada.Get("/admin/security"), "form[data-testid=security-form]", map[string]string{"app_passwords": "off"})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("turn off: %d", res.Status)
	}
	if flash := ada.Get(res.Location).Doc.Find("[data-testid=flash]").Text(); !strings.Contains(flash, "every app password of the account was revoked") {
		t.Fatalf("flash %q", flash)
	}
	wantProblem(t, "after turning off", basic(t, e.Client(), http.MethodGet, "/api/v1/me", basicOf("ada", secret)), http.StatusUnauthorized)
	if got := ada.Get("/profile").Doc.Find("[data-testid=profile-app-passwords-off]").Length(); got != 1 {
		t.Fatal("My Profile does not say app passwords are off")
	}
	page = ada.Get(appPasswordsPage)
	if page.Doc.Find("[data-testid=app-passwords-off]").Length() != 1 || page.Doc.Find("form[data-testid=app-password-form]").Length() != 0 {
		t.Fatal("the app passwords page still offers the form")
	}
	if res := ada.Post(appPasswordsPage, formOf(page, map[string]string{"name": "CRM"})); res.Status != http.StatusForbidden {
		t.Fatalf("create while off: %d", res.Status)
	}
	events, _ := e.Store().Audit.ForAccount(context.Background(), acct, 10)
	if events[0].Action != "account.security_changed" || !strings.Contains(string(events[0].Details), `"app_passwords_revoked":1`) {
		t.Fatalf("audit: %s %s", events[0].Action, events[0].Details)
	}
	// On again: old ones stay revoked, new ones work.
	ada.Submit(ada.Get("/admin/security"), "form[data-testid=security-form]", map[string]string{"app_passwords": "on"})
	wantProblem(t, "old one after turning on", basic(t, e.Client(), http.MethodGet, "/api/v1/me", basicOf("ada", secret)), http.StatusUnauthorized)
	if res := basic(t, e.Client(), http.MethodGet, "/api/v1/me", basicOf("ada", makeAppPassword(t, ada, "CRM 2"))); res.Status != http.StatusOK {
		t.Fatalf("new one: %d", res.Status)
	}
}

// TestAppPasswordRefusedForSuspendedOrTurnedOff checks the sign-in's own
// checks, with rows changed underneath it without the revocations that
// normally come along.
func TestAppPasswordRefusedForSuspendedOrTurnedOff(t *testing.T) {
	e, ada, _ := signedIn(t, models.SQLite)
	ctx := context.Background()
	u := e.User("ada")
	secret := makeAppPassword(t, ada, "CRM")
	api := e.Client()
	if err := e.Store().Accounts.SetAppPasswords(ctx, u.AccountID, false, e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	p := wantProblem(t, "setting off", basic(t, api, http.MethodGet, "/api/v1/me", basicOf("ada", secret)), http.StatusUnauthorized)
	if !strings.Contains(p["detail"].(string), "turned app passwords off") {
		t.Fatalf("detail %q", p["detail"])
	}
	if err := e.Store().Accounts.SetAppPasswords(ctx, u.AccountID, true, e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	if err := e.Store().Users.SetStatus(ctx, u.ID, models.StatusSuspended, e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	p = wantProblem(t, "user suspended", basic(t, api, http.MethodPost, "/api/v1/crm/sign-in", basicOf("ada", secret)), http.StatusUnauthorized)
	if !strings.Contains(p["detail"].(string), "suspended") {
		t.Fatalf("detail %q", p["detail"])
	}
}
