package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"accountportal/app/apptest"
	"accountportal/app/audit"
	"accountportal/models"
	"accountportal/models/modelstest"
)

const newPassword = "Walrus+Tide42x"

// requestReset asks for a reset for username through the page.
func requestReset(t *testing.T, c *apptest.Client, username string) *apptest.Response {
	t.Helper()
	return c.Submit(c.Get("/forgot/password"), "form[data-testid=forgot-password-form]", map[string]string{"username": username})
}

// resetLink requests a reset for username, runs the queue and returns the
// path of the link emailed to addr.
func resetLink(t *testing.T, e *apptest.Env, c *apptest.Client, username, addr string) string {
	t.Helper()
	if res := requestReset(t, c, username); res.Status != http.StatusOK {
		t.Fatalf("forgot password: %d", res.Status)
	}
	e.Drain()
	msgs := e.MailTo(addr)
	if len(msgs) == 0 {
		t.Fatalf("no mail to %s", addr)
	}
	link := apptest.LinkIn(msgs[len(msgs)-1].TextBody, e.URL+"/reset/")
	if link == "" {
		t.Fatalf("no reset link in:\n%s", msgs[len(msgs)-1].TextBody)
	}
	return c.Path(link)
}

func auditCount(t *testing.T, e *apptest.Env, accountID int64, action string) int {
	t.Helper()
	events, err := e.Store().Audit.ForAccount(context.Background(), accountID, 1000)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, ev := range events {
		if ev.Action == action {
			n++
		}
	}
	return n
}

func TestForgotPasswordAnswersTheSameForEveryUsername(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e, _ := signedUp(t, d, apptest.Options{})
		admin := e.User("ada")
		e.AddUser(admin.AccountID, "sam", "Walrus+Tide42", models.StatusSuspended)
		bodies := map[string]string{}
		for _, name := range []string{"ada", "nobody", "sam"} {
			res := requestReset(t, e.Client(), name)
			if res.Status != http.StatusOK {
				t.Fatalf("%s: status %d", name, res.Status)
			}
			bodies[name] = res.Body
		}
		if bodies["ada"] != bodies["nobody"] || bodies["ada"] != bodies["sam"] {
			t.Fatalf("answers differ:\nknown: %s\nunknown: %s\nsuspended: %s", bodies["ada"], bodies["nobody"], bodies["sam"])
		}
		if !strings.Contains(bodies["ada"], "If that account exists, we have sent a reset link to its email address") {
			t.Fatal("answer does not say what happened")
		}
		if len(e.Outbox()) != 0 {
			t.Fatal("mail queued on the request path")
		}
		e.Drain()
		if got := len(e.MailTo("ada@example.com")); got != 1 {
			t.Fatalf("%d mails to the known user", got)
		}
		if got := len(e.Outbox()); got != 1 {
			t.Fatalf("%d mails in all; unknown and suspended users must get none", got)
		}
		if auditCount(t, e, admin.AccountID, audit.ActionResetRefused) != 1 {
			t.Fatal("refused reset for the suspended user not audited")
		}
	})
}

func TestResetWizardWithoutQuestion(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e, a := signedUp(t, d, apptest.Options{})
		c := e.Client()
		link := resetLink(t, e, c, "ada", "ada@example.com")
		msg := e.MailTo("ada@example.com")[0]
		if msg.Subject != "Password Reset Request" || !strings.Contains(msg.HTMLBody, link) {
			t.Fatalf("reset email: %q", msg.Subject)
		}

		res := c.Get(link)
		if res.Status != http.StatusSeeOther || res.Location != "/reset" {
			t.Fatalf("open link: %d %q", res.Status, res.Location)
		}
		for _, r := range []*apptest.Response{res, c.Get("/reset")} {
			if r.Header.Get("Referrer-Policy") != "no-referrer" || r.Header.Get("Cache-Control") != "no-store" {
				t.Fatalf("reset page headers: %v", r.Header)
			}
		}
		form := c.Get("/reset")
		if form.Doc.Find("[data-testid=reset-username]").Text() != "ada" {
			t.Fatal("form does not name the account")
		}
		if form.Doc.Find("#sign_out_everywhere[checked]").Length() != 0 {
			t.Fatal("sign out everywhere is checked by default")
		}

		bad := []struct {
			name, pw, confirm, field, msg string
		}{
			{"empty", "", "", "password", "Enter a password"},
			{"unconfirmed", newPassword, "", "password_confirm", "Enter the password again to confirm it"},
			{"weak", "password", "password", "password", "Your password needs"},
			{"mismatch", newPassword, newPassword + "x", "password_confirm", "do not match"},
			{"same as current", a.Password, a.Password, "password", "different from your current one"},
		}
		for _, b := range bad {
			r := c.Submit(c.Get("/reset"), "form[data-testid=reset-password-form]", map[string]string{
				"password": b.pw, "password_confirm": b.confirm})
			if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Doc.Find("[data-testid=error-"+b.field+"]").Text(), b.msg) {
				t.Fatalf("%s: %d %q", b.name, r.Status, r.Doc.Find("[data-testid=error-summary]").Text())
			}
		}
		weak := c.Submit(c.Get("/reset"), "form[data-testid=reset-password-form]", map[string]string{"password": "password", "password_confirm": "password"})
		if weak.Doc.Find("li.rule-failed[data-rule=upper]").Length() != 1 {
			t.Fatal("checklist does not mark the broken rule")
		}

		res = c.Submit(c.Get("/reset"), "form[data-testid=reset-password-form]", map[string]string{
			"password": newPassword, "password_confirm": newPassword})
		if res.Status != http.StatusSeeOther || res.Location != "/reset/done" {
			t.Fatalf("submit: %d %q %s", res.Status, res.Location, res.Doc.Find("[data-testid=error-summary]").Text())
		}
		if done := c.Get("/reset/done"); !strings.Contains(done.Body, "Your password has been updated") {
			t.Fatal("no confirmation")
		}
		// The reset does not sign anyone in.
		if res := c.Get("/"); res.Status != http.StatusSeeOther {
			t.Fatalf("signed in by the reset: %d", res.Status)
		}
		if res := c.Get(link); res.Status != http.StatusNotFound || !strings.Contains(res.Body, "expired or was already used") {
			t.Fatalf("link used twice: %d", res.Status)
		}
		if res := e.Client().SignIn("ada", a.Password); res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("old password still works: %d", res.Status)
		}
		if res := e.Client().SignIn("ada", newPassword); res.Status != http.StatusSeeOther {
			t.Fatalf("new password refused: %d", res.Status)
		}
		e.Drain()
		notices := e.MailTo("ada@example.com")
		last := notices[len(notices)-1]
		if last.Subject != "Your password was changed" || !strings.Contains(last.TextBody, "127.0.0.1") ||
			!strings.Contains(last.TextBody, "23 November 2026 at 09:00 UTC") {
			t.Fatalf("change notice: %q\n%s", last.Subject, last.TextBody)
		}
		u := e.User("ada")
		if auditCount(t, e, u.AccountID, audit.ActionResetCompleted) != 1 || auditCount(t, e, u.AccountID, audit.ActionResetRequested) != 1 {
			t.Fatal("reset not audited")
		}
	})
}

func TestResetWithSecurityQuestion(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	a := apptest.DefaultAdmin()
	a.Question, a.Answer = "In what city were you born?", "Port Talbot"
	e.Setup(a)
	c := e.Client()
	link := resetLink(t, e, c, "ada", "ada@example.com")
	c.Get(link)
	page := c.Get("/reset")
	if page.Doc.Find("label[for=answer]").Text() != a.Question {
		t.Fatalf("question not asked: %s", page.Body)
	}
	// The password step cannot be reached by skipping the question.
	res := c.Post("/reset/password", formOf(page, map[string]string{"password": newPassword, "password_confirm": newPassword}))
	if res.Status != http.StatusForbidden {
		t.Fatalf("password before answer: %d", res.Status)
	}
	res = c.Submit(c.Get("/reset"), "form[data-testid=reset-answer-form]", map[string]string{"answer": "Swansea"})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "4 more times") {
		t.Fatalf("wrong answer: %d %s", res.Status, res.Doc.Find("[data-testid=error-answer]").Text())
	}
	res = c.Submit(c.Get("/reset"), "form[data-testid=reset-answer-form]", map[string]string{"answer": "  port   TALBOT "})
	if res.Status != http.StatusSeeOther || res.Location != "/reset" {
		t.Fatalf("right answer: %d", res.Status)
	}
	res = c.Submit(c.Get("/reset"), "form[data-testid=reset-password-form]", map[string]string{
		"password": newPassword, "password_confirm": newPassword})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("password after answer: %d", res.Status)
	}
}

func TestForgotFormsRejectOddParameters(t *testing.T) {
	e, _ := signedUp(t, models.SQLite, apptest.Options{})
	c := e.Client()
	page := c.Get("/forgot/password")
	arr := url.Values{"csrf_token": {apptest.CSRF(page)}, "username[]": {"ada"}, "user[email][]": {"ada@example.com"}}
	if res := c.Post("/forgot/password", arr); res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("array parameters: %d", res.Status)
	}
	dup := url.Values{"csrf_token": {apptest.CSRF(page)}, "username": {"ada", "eve"}}
	if res := c.Post("/forgot/password", dup); res.Status != http.StatusOK {
		t.Fatalf("repeated parameter: %d", res.Status)
	}
	e.Drain()
	if len(e.Outbox()) != 1 || e.Outbox()[0].ToAddr != "ada@example.com" {
		t.Fatalf("repeated parameter sent %d mails", len(e.Outbox()))
	}
	empty := c.Submit(c.Get("/forgot/username"), "form[data-testid=forgot-username-form]", map[string]string{"email": "not-an-email"})
	if empty.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad email: %d", empty.Status)
	}
}

// TestForgotUsername: the reminder lists every username of the address,
// in every customer account it is used in, each with its company.
func TestForgotUsername(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e, _ := signedUp(t, d, apptest.Options{})
		admin := e.User("ada")
		second := e.AddUser(admin.AccountID, "ada-billing", "Walrus+Tide42", models.StatusActive)
		_, elsewhere := e.AddAccount("31313131", "Harbour Freight Co", "ada-harbour", "Walrus+Tide42")
		for _, u := range []*models.User{second, elsewhere} {
			if err := e.Store().Users.SetEmail(context.Background(), u.ID, "ADA@example.com", "ada@example.com", e.Clock.Now()); err != nil {
				t.Fatal(err)
			}
		}
		bodies := map[string]string{}
		for _, addr := range []string{"Ada@Example.com", "nobody@example.com"} {
			c := e.Client()
			res := c.Submit(c.Get("/forgot/username"), "form[data-testid=forgot-username-form]", map[string]string{"email": addr})
			if res.Status != http.StatusOK {
				t.Fatalf("%s: %d", addr, res.Status)
			}
			bodies[addr] = res.Body
		}
		if bodies["Ada@Example.com"] != bodies["nobody@example.com"] {
			t.Fatal("answers differ for known and unknown addresses")
		}
		e.Drain()
		if len(e.Outbox()) != 1 {
			t.Fatalf("%d mails; the unknown address must get none", len(e.Outbox()))
		}
		msg := e.Outbox()[0]
		acct, err := e.Store().Accounts.ByID(context.Background(), admin.AccountID)
		if err != nil {
			t.Fatal(err)
		}
		home := "at " + acct.Name + " (account " + acct.Number + ")\n"
		for _, line := range []string{"  ada  " + home, "  ada-billing  " + home, "  ada-harbour  at Harbour Freight Co (account 31313131)\n"} {
			if !strings.Contains(msg.TextBody, line) {
				t.Errorf("username email lacks %q:\n%s", line, msg.TextBody)
			}
		}
		if msg.Subject != "Your Account Portal username" || apptest.LinkIn(msg.TextBody, e.URL+"/login") == "" ||
			!strings.Contains(msg.HTMLBody, "<strong>ada-harbour</strong> at Harbour Freight Co (account 31313131)") {
			t.Fatalf("username email: %q\n%s\n%s", msg.Subject, msg.TextBody, msg.HTMLBody)
		}
	})
}

func TestRecoveryRequestsAreThrottled(t *testing.T) {
	e, _ := signedUp(t, models.SQLite, apptest.Options{})
	for i := range 7 {
		if res := requestReset(t, e.Client(), "ada"); res.Status != http.StatusOK {
			t.Fatalf("request %d: %d", i+1, res.Status)
		}
	}
	e.Drain()
	if got := len(e.MailTo("ada@example.com")); got != 5 {
		t.Fatalf("%d reset mails for 7 requests, want the limit of 5", got)
	}
}

// A form that rejects a new password names every problem at once, in the
// checklist's words, not one per submission.
func TestNewPasswordProblemsComeAllAtOnce(t *testing.T) {
	_, c, _ := signedIn(t, models.SQLite)
	res := submitProfile(c, "password-form", map[string]string{"password": "ab cd", "password_confirm": "ab ce"})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", res.Status)
	}
	want := map[string][]string{
		"password": {"Your password needs", "8 to 25 characters", "an upper-case letter", "a number",
			"one of ~ @ #", "no spaces", "not a common or easily guessed password"},
		"password_confirm": {"do not match"},
	}
	for field, parts := range want {
		got := res.Doc.Find("[data-testid=error-" + field + "]").Text()
		for _, part := range parts {
			if !strings.Contains(got, part) {
				t.Errorf("%s error %q lacks %q", field, got, part)
			}
		}
		if res.Doc.Find("[data-testid=error-summary] a[href='#"+field+"']").Length() != 1 {
			t.Errorf("error summary has no link to %s", field)
		}
	}
	// The same at first-run setup of another portal.
	s := apptest.Start(t, models.SQLite, apptest.Options{})
	sc := s.Client()
	res = sc.Submit(sc.Get("/setup"), "form[data-testid=setup-form]", map[string]string{
		"setup_code": s.App.Setup.Code(), "company_name": "Acme", "display_name": "Ada", "email": "ada@example.com",
		"password": "short", "password_confirm": "other", "passphrase": "blue harbour lantern"})
	if !strings.Contains(res.Doc.Find("[data-testid=error-password]").Text(), "8 to 25 characters") ||
		!strings.Contains(res.Doc.Find("[data-testid=error-password_confirm]").Text(), "do not match") {
		t.Errorf("setup: %q", res.Doc.Find("[data-testid=error-summary]").Text())
	}
}

// "Forgot?" on the password step leads, through the choice page, to a
// reset form that already holds the username typed a step earlier; the
// name travels in the session, never in an address.
func TestForgotFromThePasswordStepKeepsTheUsername(t *testing.T) {
	e, _ := signedUp(t, models.SQLite, apptest.Options{})
	c := e.Client()
	res := c.Submit(c.Get("/login"), "form[data-testid=login-username-form]", map[string]string{"username": "ada"})
	if res.Status != http.StatusSeeOther || res.Location != "/login/password" {
		t.Fatalf("username step: %d %q", res.Status, res.Location)
	}
	forgot, ok := c.Get("/login/password").Doc.Find(".label-row a").Attr("href")
	if !ok || forgot != "/forgot" {
		t.Fatalf("Forgot? leads to %q", forgot)
	}
	choose := c.Get(forgot)
	link := choose.Doc.Find("[data-testid=forgot-password-link]")
	href, _ := link.Attr("href")
	if link.Text() != "Forgot your password" || href != "/forgot/password" {
		t.Fatalf("choice page offers %q → %q", link.Text(), href)
	}
	if got := choose.Doc.Find("[data-testid=forgot-username-link]").Text(); got != "Forgot your username" {
		t.Fatalf("choice page offers %q", got)
	}
	form := c.Get(href)
	if v, _ := form.Doc.Find("form[data-testid=forgot-password-form] input[name=username]").Attr("value"); v != "ada" {
		t.Fatalf("username field holds %q, want ada", v)
	}
	if got := strings.TrimSpace(form.Doc.Find("[data-testid=send-reset]").Text()); got != "Send reset link" {
		t.Fatalf("button %q", got)
	}
	if got := strings.TrimSpace(c.Get("/forgot/username").Doc.Find("[data-testid=send-username]").Text()); got != "Find your username" {
		t.Fatalf("button %q", got)
	}
	// Sent as it is, the form asks for the reset of that username.
	if sent := c.Submit(form, "form[data-testid=forgot-password-form]", nil); sent.Status != http.StatusOK {
		t.Fatalf("send: %d", sent.Status)
	}
	e.Drain()
	if len(e.MailTo("ada@example.com")) != 1 {
		t.Fatal("no reset link sent for the carried username")
	}
	// "Not you?" forgets the name, and the form starts empty again.
	c.Get("/login?change=1")
	if v, _ := c.Get("/forgot/password").Doc.Find("input[name=username]").Attr("value"); v != "" {
		t.Fatalf("after Not you? the form holds %q", v)
	}
}

// The reset's question and new-password steps are answered with "Submit",
// as 8x8's articles name them.
func TestResetStepsSubmitButtons(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	a := apptest.DefaultAdmin()
	a.Question, a.Answer = "In what city were you born?", "Port Talbot"
	e.Setup(a)
	c := e.Client()
	c.Get(resetLink(t, e, c, "ada", "ada@example.com"))
	if got := strings.TrimSpace(c.Get("/reset").Doc.Find("[data-testid=reset-answer-submit]").Text()); got != "Submit" {
		t.Fatalf("question step button %q", got)
	}
	c.Submit(c.Get("/reset"), "form[data-testid=reset-answer-form]", map[string]string{"answer": "Port Talbot"})
	if got := strings.TrimSpace(c.Get("/reset").Doc.Find("[data-testid=reset-password-submit]").Text()); got != "Submit" {
		t.Fatalf("password step button %q", got)
	}
}

// An answer posted for a user who has no security question (a stale or
// crafted form) goes back to the wizard's step, never a server error; the
// service refuses it too.
func TestAnswerWithoutAQuestionGoesBackToTheWizard(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	e.Setup(apptest.DefaultAdmin())
	c := e.Client()
	link := resetLink(t, e, c, "ada", "ada@example.com")
	c.Get(link)
	page := c.Get("/reset")
	res := c.Post("/reset/answer", formOf(page, map[string]string{"answer": "Swansea"}))
	if res.Status != http.StatusSeeOther || res.Location != "/reset" {
		t.Fatalf("answer without a question: %d %q", res.Status, res.Location)
	}
}
