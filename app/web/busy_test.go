package web_test

import (
	"net/http"
	"strings"
	"testing"

	"accountportal/app/apptest"
	"accountportal/models"
)

// expectBusy checks the answer to a request made while every hashing slot
// was taken: 503, Retry-After and the plain busy page.
func expectBusy(t *testing.T, what string, res *apptest.Response) {
	t.Helper()
	heading := strings.TrimSpace(res.Doc.Find("h1").First().Text())
	if res.Status != http.StatusServiceUnavailable || res.Header.Get("Retry-After") != "2" || heading != "The service is busy" {
		t.Errorf("%s while the hasher is busy: %d, Retry-After %q, heading %q", what, res.Status, res.Header.Get("Retry-After"), heading)
	}
}

// Every page that hashes a password, answer or backup code answers a busy
// hasher the same way, whichever service it calls, and none of them logs
// an error or counts the attempt against a limit.
func TestBusyHasherAnswers503Everywhere(t *testing.T) {
	log := &apptest.SyncBuffer{}
	e := apptest.Start(t, models.SQLite, apptest.Options{Log: log})
	a := apptest.DefaultAdmin()
	a.Question, a.Answer = "In what city were you born?", "Port Talbot"
	busy := func(what string, prepare func() *apptest.Response, send func(*apptest.Response) *apptest.Response) {
		t.Helper()
		page := prepare()
		release := e.App.Hasher.Saturate()
		defer release()
		expectBusy(t, what, send(page))
	}

	setup := e.Client()
	busy("setup", func() *apptest.Response { return setup.Get("/setup") }, func(p *apptest.Response) *apptest.Response {
		return setup.Submit(p, "form[data-testid=setup-form]", map[string]string{
			"setup_code": e.App.Setup.Code(), "company_name": a.Company, "display_name": a.DisplayName, "email": a.Email, "username": a.Username,
			"password": a.Password, "password_confirm": a.Password, "passphrase": a.Passphrase,
			"security_question": a.Question, "security_answer": a.Answer})
	})
	c := e.Setup(a)
	e.SetMFAPolicy(e.User("ada").AccountID, models.MFAOptional)
	c.Enrol(e.Clock)

	busy("profile password", func() *apptest.Response { return c.Get("/profile/password") }, func(p *apptest.Response) *apptest.Response {
		return c.Submit(p, "form[data-testid=password-form]", map[string]string{"password": newPassword, "password_confirm": newPassword})
	})
	busy("confirm", func() *apptest.Response { return c.Get("/confirm?next=/profile") }, func(p *apptest.Response) *apptest.Response {
		return c.Submit(p, "form[data-testid=confirm-form]", map[string]string{"password": a.Password})
	})
	busy("backup codes", func() *apptest.Response { return c.Get("/profile/mfa") }, func(p *apptest.Response) *apptest.Response {
		return c.Submit(p, "form[data-testid=mfa-codes-form]", map[string]string{"password": a.Password})
	})
	for i := range 6 {
		signIn := e.Client()
		busy("sign-in "+apptest.Itoa(int64(i+1)), func() *apptest.Response {
			signIn.Submit(signIn.Get("/login"), "form[data-testid=login-username-form]", map[string]string{"username": "ada"})
			return signIn.Get("/login/password")
		}, func(p *apptest.Response) *apptest.Response {
			return signIn.Submit(p, "form[data-testid=login-password-form]", map[string]string{"password": a.Password})
		})
	}

	r := e.Client()
	r.Get(resetLink(t, e, r, "ada", "ada@example.com"))
	for range 6 {
		busy("security answer", func() *apptest.Response { return r.Get("/reset") }, func(p *apptest.Response) *apptest.Response {
			return r.Submit(p, "form[data-testid=reset-answer-form]", map[string]string{"answer": a.Answer})
		})
	}
	if res := r.Submit(r.Get("/reset"), "form[data-testid=reset-answer-form]", map[string]string{"answer": a.Answer}); res.Status != http.StatusSeeOther {
		t.Fatalf("right answer after the busy ones: %d", res.Status)
	}
	busy("new password", func() *apptest.Response { return r.Get("/reset") }, func(p *apptest.Response) *apptest.Response {
		return r.Submit(p, "form[data-testid=reset-password-form]", map[string]string{"password": newPassword, "password_confirm": newPassword})
	})

	// Busy answers used up no limit: six of them, then the right password.
	if res := e.Client().SignIn("ada", a.Password); res.Status != http.StatusSeeOther {
		t.Fatalf("sign-in after the busy ones: %d", res.Status)
	}
	if strings.Contains(log.String(), "level=ERROR") {
		t.Fatalf("busy answers logged errors:\n%s", log.String())
	}
}
