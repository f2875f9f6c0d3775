package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"accountportal/app/apptest"
	"accountportal/models"
	"accountportal/models/modelstest"
)

// mfaWorld is a portal whose account offers MFA, with bob (a plain user)
// enrolled; it returns bob's key and backup codes.
func mfaWorld(t *testing.T, d models.Dialect, policy string) (*apptest.Env, string, []string) {
	t.Helper()
	e := apptest.Start(t, d, apptest.Options{})
	e.Setup(apptest.DefaultAdmin())
	acct := e.User("ada").AccountID
	e.SetMFAPolicy(acct, policy)
	e.AddUser(acct, "bob", personaPassword, models.StatusActive)
	c := e.Client()
	c.SignIn("bob", personaPassword)
	key, codes := c.Enrol(e.Clock)
	return e, key, codes
}

// toCode signs in as bob up to the second-factor step.
func toCode(t *testing.T, e *apptest.Env) *apptest.Client {
	t.Helper()
	c := e.Client()
	res := c.Submit(c.Get("/login"), "form[data-testid=login-username-form]", map[string]string{"username": "bob"})
	res = c.Submit(c.Get(res.Location), "form[data-testid=login-password-form]", map[string]string{"password": personaPassword})
	if res.Status != http.StatusSeeOther || res.Location != "/login/mfa" {
		t.Fatalf("password step: %d %q", res.Status, res.Location)
	}
	return c
}

func enterCode(c *apptest.Client, code string) *apptest.Response {
	return c.Submit(c.Get("/login/mfa"), "form[data-testid=mfa-form]", map[string]string{"code": code})
}

func TestSignInWithCodeAndReplay(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e, key, _ := mfaWorld(t, d, models.MFAOptional)
		e.Clock.Advance(30 * time.Second)
		c := toCode(t, e)
		if res := c.Get("/"); res.Status != http.StatusSeeOther || res.Location != "/login" {
			t.Fatalf("home before the code: %d", res.Status)
		}
		if res := c.Get("/login/agreement"); res.Location != "/login/mfa" {
			t.Fatalf("agreement reachable before the code: %d %q", res.Status, res.Location)
		}
		if res := enterCode(c, "000000"); res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("wrong code: %d", res.Status)
		}
		code := apptest.TOTP(key, e.Clock.Now())
		res := enterCode(c, code)
		if res.Status != http.StatusSeeOther || res.Location != "/" {
			t.Fatalf("right code: %d %q", res.Status, res.Location)
		}
		if res := c.Get("/"); res.Status != http.StatusOK {
			t.Fatalf("home: %d", res.Status)
		}
		// The same code again, from another browser: a replay.
		if res := enterCode(toCode(t, e), code); res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("replayed code: %d", res.Status)
		}
		e.Clock.Advance(30 * time.Second)
		if res := enterCode(toCode(t, e), apptest.TOTP(key, e.Clock.Now())); res.Status != http.StatusSeeOther {
			t.Fatalf("next step's code: %d", res.Status)
		}
	})
}

func TestParallelCodeAcceptedOnce(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e, key, _ := mfaWorld(t, d, models.MFAOptional)
		e.Clock.Advance(60 * time.Second)
		const n = 20
		clients := make([]*apptest.Client, n)
		forms := make([]url.Values, n)
		for i := range clients {
			clients[i] = toCode(t, e)
			forms[i] = url.Values{"csrf_token": {apptest.CSRF(clients[i].Get("/login/mfa"))}}
		}
		code := apptest.TOTP(key, e.Clock.Now())
		statuses := make([]int, n)
		var wg sync.WaitGroup
		for i := range clients {
			forms[i].Set("code", code)
			wg.Go(func() { statuses[i] = clients[i].Post("/login/mfa", forms[i]).Status })
		}
		wg.Wait()
		passed := 0
		for _, s := range statuses {
			if s == http.StatusSeeOther {
				passed++
			}
		}
		if passed != 1 {
			t.Fatalf("%d of %d parallel submissions passed: %v", passed, n, statuses)
		}
	})
}

func TestBackupCodes(t *testing.T) {
	e, key, codes := mfaWorld(t, models.SQLite, models.MFAOptional)
	acct := e.User("ada").AccountID
	if res := enterCode(toCode(t, e), strings.ToLower(codes[0])); res.Status != http.StatusSeeOther {
		t.Fatalf("backup code: %d", res.Status)
	}
	if res := enterCode(toCode(t, e), codes[0]); res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("backup code twice: %d", res.Status)
	}
	// Another user's code does not work for bob.
	e.AddUser(acct, "cal", personaPassword, models.StatusActive)
	cal := e.Client()
	cal.SignIn("cal", personaPassword)
	_, calCodes := cal.Enrol(e.Clock)
	if res := enterCode(toCode(t, e), calCodes[0]); res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("cal's code for bob: %d", res.Status)
	}
	// New codes void the old set.
	e.Clock.Advance(time.Minute)
	c := toCode(t, e)
	enterCode(c, apptest.TOTP(key, e.Clock.Now()))
	res := c.Submit(c.Get("/profile/mfa"), "form[data-testid=mfa-codes-form]", map[string]string{"password": personaPassword})
	fresh := res.Doc.Find("[data-testid=backup-codes] code").First().Text()
	if res.Status != http.StatusOK || fresh == "" {
		t.Fatalf("regenerate: %d", res.Status)
	}
	if res := enterCode(toCode(t, e), codes[1]); res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("old code after regeneration: %d", res.Status)
	}
	if res := enterCode(toCode(t, e), fresh); res.Status != http.StatusSeeOther {
		t.Fatalf("new code: %d", res.Status)
	}
	e.Drain()
	subjects := ""
	for _, m := range e.MailTo("bob@example.com") {
		subjects += m.Subject + "|"
	}
	if !strings.Contains(subjects, "Multi-factor authentication is on") || !strings.Contains(subjects, "A backup code was used") ||
		!strings.Contains(subjects, "New backup codes were made") {
		t.Fatalf("notices: %s", subjects)
	}
}

func TestPolicyForcesEnrolment(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	e.Setup(apptest.DefaultAdmin())
	acct := e.User("ada").AccountID
	sam := e.AddUser(acct, "sam", personaPassword, models.StatusActive)
	e.Grant(sam.ID, "billing.info")
	e.AddUser(acct, "pat", personaPassword, models.StatusActive)
	e.SetMFAPolicy(acct, models.MFAAdmins)

	pat := e.Client()
	if res := pat.SignIn("pat", personaPassword); res.Status != http.StatusSeeOther || res.Location != "/" {
		t.Fatalf("plain user under required-for-admins: %d %q", res.Status, res.Location)
	}
	c := e.Client()
	res := c.Submit(c.Get("/login"), "form[data-testid=login-username-form]", map[string]string{"username": "sam"})
	res = c.Submit(c.Get(res.Location), "form[data-testid=login-password-form]", map[string]string{"password": personaPassword})
	if res.Location != "/login/mfa/setup" {
		t.Fatalf("secondary admin not sent to set up: %q", res.Location)
	}
	for _, path := range []string{"/", "/profile", "/login/agreement"} {
		if res := c.Get(path); res.Status != http.StatusSeeOther || res.Location == path {
			t.Fatalf("%s before enrolling: %d %q", path, res.Status, res.Location)
		}
	}
	setup := c.Get("/login/mfa/setup")
	expectHeldOnSetup(t, "sign-in's setup", setup)
	key := setup.Doc.Find("[data-testid=totp-secret]").Text()
	res = c.Submit(setup, "form[data-testid=mfa-setup-form]", map[string]string{"code": apptest.TOTP(key, e.Clock.Now())})
	if res.Status != http.StatusOK || res.Doc.Find("[data-testid=backup-codes] li").Length() != 10 {
		t.Fatalf("forced enrolment: %d", res.Status)
	}
	res = c.Submit(res, "form:has([data-testid=codes-continue])", nil)
	if res.Status != http.StatusSeeOther || res.Location != "/login/agreement" {
		t.Fatalf("after the codes: %d %q", res.Status, res.Location)
	}
	// Everyone: the plain user, already signed in, is held at setup.
	e.SetMFAPolicy(acct, models.MFAEveryone)
	if res := pat.Get("/profile"); res.Status != http.StatusSeeOther || res.Location != "/profile/mfa/setup" {
		t.Fatalf("signed-in user after the policy change: %d %q", res.Status, res.Location)
	}
	res = pat.Get("/profile/mfa/setup")
	if res.Status != http.StatusOK {
		t.Fatalf("setup page: %d", res.Status)
	}
	expectHeldOnSetup(t, "My Profile's forced setup", res)
	// Once enrolled, the navigation is back, and My Profile's own setup
	// (choosing to change the app) keeps it.
	key = res.Doc.Find("[data-testid=totp-secret]").Text()
	pat.Submit(res, "form[data-testid=mfa-setup-form]", map[string]string{"code": apptest.TOTP(key, e.Clock.Now())})
	if res := pat.Get("/profile"); res.Status != http.StatusOK || res.Doc.Find("nav.admin-nav a").Length() == 0 {
		t.Fatalf("after enrolling: %d, %d navigation links", res.Status, res.Doc.Find("nav.admin-nav a").Length())
	}
}

// expectHeldOnSetup checks a forced setup page: it shows why, offers no
// navigation to pages that would only send the person back, and puts no
// autofocus on the code field, which would scroll the reason out of view
// on a narrow screen.
func expectHeldOnSetup(t *testing.T, name string, page *apptest.Response) {
	t.Helper()
	if !strings.Contains(page.Doc.Find("main").Text(), "multi-factor authentication") {
		t.Errorf("%s: no reason shown", name)
	}
	if n := page.Doc.Find("nav.admin-nav, nav.admin-nav a").Length(); n != 0 {
		t.Errorf("%s: navigation shown (%d elements)", name, n)
	}
	if n := page.Doc.Find("form[data-testid=mfa-setup-form] [autofocus]").Length(); n != 0 {
		t.Errorf("%s: %d autofocused fields", name, n)
	}
}

func TestRemoveAndChange(t *testing.T) {
	e, key, codes := mfaWorld(t, models.SQLite, models.MFAOptional)
	e.Clock.Advance(time.Minute)
	c := toCode(t, e)
	enterCode(c, apptest.TOTP(key, e.Clock.Now()))
	page := c.Get("/profile/mfa")
	res := c.Submit(page, "form[data-testid=mfa-remove-form]", map[string]string{"remove_password": "wrong", "code": codes[0], "then": "remove"})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("wrong password: %d", res.Status)
	}
	res = c.Submit(page, "form[data-testid=mfa-remove-form]", map[string]string{"remove_password": personaPassword, "code": "000000", "then": "remove"})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("wrong code: %d", res.Status)
	}
	e.SetMFAPolicy(e.User("ada").AccountID, models.MFAEveryone)
	res = c.Submit(c.Get("/profile/mfa"), "form[data-testid=mfa-remove-form]", map[string]string{"remove_password": personaPassword, "code": codes[1], "then": "remove"})
	if res.Status != http.StatusForbidden {
		t.Fatalf("remove where required: %d", res.Status)
	}
	res = c.Submit(c.Get("/profile/mfa"), "form[data-testid=mfa-remove-form]", map[string]string{"remove_password": personaPassword, "code": codes[2], "then": "change"})
	if res.Status != http.StatusSeeOther || res.Location != "/profile/mfa/setup" {
		t.Fatalf("change: %d %q", res.Status, res.Location)
	}
	if e.User("bob").MFAEnrolledAt != nil {
		t.Fatal("old authenticator kept")
	}
}

func TestWrongCodesAfterRightPasswordWarnTheUser(t *testing.T) {
	e, _, _ := mfaWorld(t, models.SQLite, models.MFAOptional)
	for range 3 {
		enterCode(toCode(t, e), "000000")
	}
	e.Drain()
	found := false
	for _, m := range e.MailTo("bob@example.com") {
		found = found || m.Subject == "Someone has your password"
	}
	if !found {
		t.Fatal("no warning after failing codes")
	}
}

func TestPasswordResetDoesNotSkipMFA(t *testing.T) {
	e, _, _ := mfaWorld(t, models.SQLite, models.MFAOptional)
	c := e.Client()
	c.Get(resetLink(t, e, c, "bob", "bob@example.com"))
	c.Submit(c.Get("/reset"), "form[data-testid=reset-password-form]", map[string]string{"password": newPassword, "password_confirm": newPassword})
	c2 := e.Client()
	res := c2.Submit(c2.Get("/login"), "form[data-testid=login-username-form]", map[string]string{"username": "bob"})
	res = c2.Submit(c2.Get(res.Location), "form[data-testid=login-password-form]", map[string]string{"password": newPassword})
	if res.Location != "/login/mfa" {
		t.Fatalf("after a reset, sign-in went to %q", res.Location)
	}
}

func TestSecuritySettingsPage(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	pa := e.Setup(apptest.DefaultAdmin())
	page := pa.Get("/admin/security")
	res := pa.Submit(page, "form[data-testid=security-form]", map[string]string{"idle_minutes": "2", "absolute_minutes": "x"})
	if res.Status != http.StatusUnprocessableEntity || res.Doc.Find("[data-testid=error-idle_minutes]").Length() != 1 ||
		res.Doc.Find("[data-testid=error-absolute_minutes]").Length() != 1 {
		t.Fatalf("bad minutes: %d", res.Status)
	}
	res = post(pa, "/admin/security", url.Values{"mfa_policy": {"admins"}, "password_preset": {"nist"}, "integration_safe": {"yes"},
		"require_security_question": {"yes"}, "idle_minutes": {"20"}, "absolute_minutes": {"600"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", res.Status, res.Doc.Find("[data-testid=error-summary]").Text())
	}
	a, _ := e.Store().Accounts.ByID(context.Background(), e.User("ada").AccountID)
	if a.MFAPolicy != "admins" || a.PasswordPreset != "nist" || !a.IntegrationSafe || !a.RequireSecurityQuestion ||
		*a.SessionIdleMinutes != 20 || *a.SessionAbsoluteMinutes != 600 {
		t.Fatalf("saved %+v", a)
	}
	// The Primary Admin is an admin: the next request asks them to enrol.
	if res := pa.Get("/"); res.Status != http.StatusSeeOther || res.Location != "/profile/mfa/setup" {
		t.Fatalf("admin after required-for-admins: %d %q", res.Status, res.Location)
	}
}

// An empty code field is asked for, and costs no attempt: as many empty
// submissions as the limit allows still leave the right code working.
func TestEmptyCodeIsAskedFor(t *testing.T) {
	e, key, _ := mfaWorld(t, models.SQLite, models.MFAOptional)
	e.Clock.Advance(30 * time.Second)
	c := toCode(t, e)
	for range 12 {
		res := enterCode(c, "  ")
		if got := res.Doc.Find("[data-testid=error-code]").Text(); res.Status != http.StatusUnprocessableEntity ||
			!strings.Contains(got, "Enter the 6-digit code from your authenticator app, or a backup code") {
			t.Fatalf("empty code: %d %q", res.Status, got)
		}
	}
	if res := enterCode(c, apptest.TOTP(key, e.Clock.Now())); res.Status != http.StatusSeeOther {
		t.Fatalf("right code after empty ones: %d", res.Status)
	}
}
