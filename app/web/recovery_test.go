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
	"accountportal/app/audit"
	"accountportal/app/security"
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
	events, err := e.Store().AuditForAccount(context.Background(), accountID, 1000)
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

func TestWrongAnswersBlockResetForTheDay(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	a := apptest.DefaultAdmin()
	a.Question, a.Answer = "In what city were you born?", "Port Talbot"
	e.Setup(a)
	admin := e.User("ada")
	bob := e.AddUser(admin.AccountID, "bob", "Walrus+Tide42", models.StatusActive)
	hash, _ := security.NewHasher(security.Argon2Params(e.App.Config.Argon2), 1, 0).Hash(context.Background(), "port talbot")
	if err := e.Store().InTx(context.Background(), func(tx *models.Store) error {
		return tx.SetSecurityQuestion(context.Background(), bob.ID, "In what city were you born?", hash, e.Clock.Now())
	}); err != nil {
		t.Fatal(err)
	}
	c := e.Client()
	link := resetLink(t, e, c, "bob", "bob@example.com")
	c.Get(link)
	var res *apptest.Response
	for i := 1; i <= 5; i++ {
		res = c.Submit(c.Get("/reset"), "form[data-testid=reset-answer-form]", map[string]string{"answer": "Cardiff"})
		if i < 5 && res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("wrong answer %d: %d", i, res.Status)
		}
	}
	if res.Status != http.StatusForbidden || !strings.Contains(res.Body, "your account administrator must help you") {
		t.Fatalf("fifth wrong answer: %d", res.Status)
	}
	if r := c.Get(link); r.Status != http.StatusNotFound {
		t.Fatalf("link still works after the lock: %d", r.Status)
	}
	e.Drain()
	notices := e.MailTo("ada@example.com")
	if len(notices) == 0 || notices[len(notices)-1].Subject != "A user cannot reset their password" ||
		!strings.Contains(notices[len(notices)-1].TextBody, "(bob)") {
		t.Fatal("Primary Admin not told")
	}
	// A new request today sends nothing, and says so in the audit log only.
	before := len(e.MailTo("bob@example.com"))
	requestReset(t, e.Client(), "bob")
	e.Drain()
	if len(e.MailTo("bob@example.com")) != before {
		t.Fatal("blocked user got a new link")
	}
	if auditCount(t, e, admin.AccountID, audit.ActionResetAnswerLocked) != 1 || auditCount(t, e, admin.AccountID, audit.ActionResetRefused) != 1 {
		t.Fatal("lock not audited")
	}
	// Tomorrow it works again.
	e.Clock.Advance(25 * time.Hour)
	resetLink(t, e, e.Client(), "bob", "bob@example.com")
}

func TestRequiredQuestionMissingIsAudited(t *testing.T) {
	e, _ := signedUp(t, models.SQLite, apptest.Options{})
	admin := e.User("ada")
	if err := e.Store().SetRequireSecurityQuestion(context.Background(), admin.AccountID, true); err != nil {
		t.Fatal(err)
	}
	c := e.Client()
	c.Get(resetLink(t, e, c, "ada", "ada@example.com"))
	res := c.Submit(c.Get("/reset"), "form[data-testid=reset-password-form]", map[string]string{
		"password": newPassword, "password_confirm": newPassword})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("reset: %d", res.Status)
	}
	if auditCount(t, e, admin.AccountID, audit.ActionResetQuestionSkipped) != 1 {
		t.Fatal("skipped question not audited")
	}
}

func TestResetLinkFailures(t *testing.T) {
	e, _ := signedUp(t, models.SQLite, apptest.Options{})
	ctx := context.Background()
	admin := e.User("ada")
	raw, digest := security.NewToken()
	if err := e.Store().CreateToken(ctx, &models.Token{UserID: admin.ID, Purpose: models.PurposeWelcome, SHA256: digest,
		CreatedAt: e.Clock.Now(), ExpiresAt: e.Clock.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	unknown, _ := security.NewToken()
	cases := map[string]func() string{
		"malformed":      func() string { return "/reset/abc" },
		"unknown":        func() string { return "/reset/" + unknown },
		"other purpose":  func() string { return "/reset/" + raw },
		"path traversal": func() string { return "/reset/..%2F..%2Fsetup" },
		"superseded by a newer link": func() string {
			c := e.Client()
			old := resetLink(t, e, c, "ada", "ada@example.com")
			resetLink(t, e, c, "ada", "ada@example.com")
			return old
		},
		"expired": func() string {
			link := resetLink(t, e, e.Client(), "ada", "ada@example.com")
			e.Clock.Advance(61 * time.Minute)
			return link
		},
	}
	for name, mk := range cases {
		t.Run(name, func(t *testing.T) {
			res := e.Client().Get(mk())
			if res.Status != http.StatusNotFound || !strings.Contains(res.Body, "This link has expired or was already used") {
				t.Fatalf("status %d", res.Status)
			}
			if href, _ := res.Doc.Find("[data-testid=message-link]").Attr("href"); href != "/forgot/password" {
				t.Fatalf("no way to ask for a new link (%q)", href)
			}
		})
	}
}

func TestPasswordChangeVoidsOutstandingLinks(t *testing.T) {
	e, _ := signedUp(t, models.SQLite, apptest.Options{})
	c1, c2 := e.Client(), e.Client()
	first := resetLink(t, e, c1, "ada", "ada@example.com")
	c1.Get(first)
	c1.Submit(c1.Get("/reset"), "form[data-testid=reset-password-form]", map[string]string{"password": newPassword, "password_confirm": newPassword})
	// A link sent before the change, then (in another browser) one that was
	// open when the change happened.
	if res := c2.Get(first); res.Status != http.StatusNotFound {
		t.Fatalf("used link in another browser: %d", res.Status)
	}
}

func TestResetWizardStateStaysInItsBrowser(t *testing.T) {
	e, _ := signedUp(t, models.SQLite, apptest.Options{})
	a, b := e.Client(), e.Client()
	link := resetLink(t, e, a, "ada", "ada@example.com")
	a.Get(link)
	if res := b.Get("/reset"); res.Status != http.StatusNotFound {
		t.Fatalf("wizard without the link in another browser: %d", res.Status)
	}
	b.Get(link)
	if res := a.Submit(a.Get("/reset"), "form[data-testid=reset-password-form]", map[string]string{
		"password": newPassword, "password_confirm": newPassword}); res.Status != http.StatusSeeOther {
		t.Fatalf("first browser: %d", res.Status)
	}
	res := b.Post("/reset/password", formOf(b.Get("/forgot/password"), map[string]string{"password": "Other+Pass99x", "password_confirm": "Other+Pass99x"}))
	if res.Status != http.StatusNotFound {
		t.Fatalf("second browser after the first finished: %d", res.Status)
	}
}

func TestParallelSubmissionsChangePasswordOnce(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e, _ := signedUp(t, d, apptest.Options{Env: map[string]string{"PORTAL_HASH_CONCURRENCY": "64"}})
		first := e.Client()
		link := resetLink(t, e, first, "ada", "ada@example.com")
		const n = 50
		clients := make([]*apptest.Client, n)
		pages := make([]*apptest.Response, n)
		for i := range clients {
			clients[i] = e.Client()
			clients[i].Get(link)
			pages[i] = clients[i].Get("/reset")
		}
		statuses := make([]int, n)
		var wg sync.WaitGroup
		for i := range clients {
			wg.Go(func() {
				statuses[i] = clients[i].Submit(pages[i], "form[data-testid=reset-password-form]", map[string]string{
					"password": newPassword, "password_confirm": newPassword}).Status
			})
		}
		wg.Wait()
		won := 0
		for _, s := range statuses {
			switch s {
			case http.StatusSeeOther:
				won++
			case http.StatusNotFound:
			default:
				t.Errorf("unexpected status %d", s)
			}
		}
		if won != 1 {
			t.Fatalf("%d submissions succeeded, want exactly 1", won)
		}
		if n := auditCount(t, e, e.User("ada").AccountID, audit.ActionResetCompleted); n != 1 {
			t.Fatalf("%d password changes recorded", n)
		}
	})
}

func TestSignOutEverywhereOnReset(t *testing.T) {
	for _, signOut := range []bool{false, true} {
		e, a := signedUp(t, models.SQLite, apptest.Options{})
		laptop := e.Client()
		laptop.SignIn("ada", a.Password)
		c := e.Client()
		c.Get(resetLink(t, e, c, "ada", "ada@example.com"))
		fields := map[string]string{"password": newPassword, "password_confirm": newPassword}
		if signOut {
			fields["sign_out_everywhere"] = "yes"
		}
		c.Submit(c.Get("/reset"), "form[data-testid=reset-password-form]", fields)
		status := laptop.Get("/").Status
		if signOut && status != http.StatusSeeOther || !signOut && status != http.StatusOK {
			t.Fatalf("sign out everywhere %v: laptop got %d", signOut, status)
		}
	}
}

func TestResetLinkIgnoresHostHeader(t *testing.T) {
	e, _ := signedUp(t, models.SQLite, apptest.Options{})
	c := e.Client()
	page := c.Get("/forgot/password")
	res := c.Request(http.MethodPost, "/forgot/password", formOf(page, map[string]string{"username": "ada"}), func(r *http.Request) {
		r.Host = "evil.example"
		r.Header.Set("X-Forwarded-Host", "evil.example")
		// Go's client picks cookies by Host when it is set; send the real ones.
		r.AddCookie(c.Cookie("portal"))
	})
	if res.Status != http.StatusOK {
		t.Fatalf("status %d", res.Status)
	}
	e.Drain()
	msg := e.MailTo("ada@example.com")[0]
	if strings.Contains(msg.TextBody+msg.HTMLBody, "evil.example") || apptest.LinkIn(msg.TextBody, e.URL+"/reset/") == "" {
		t.Fatalf("link not built from the public URL:\n%s", msg.TextBody)
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

func TestForgotUsername(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e, _ := signedUp(t, d, apptest.Options{})
		admin := e.User("ada")
		second := e.AddUser(admin.AccountID, "ada-billing", "Walrus+Tide42", models.StatusActive)
		if err := e.Store().SetEmail(context.Background(), second.ID, "ADA@example.com", "ada@example.com", e.Clock.Now()); err != nil {
			t.Fatal(err)
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
		if msg.Subject != "Your Account Portal username" || !strings.Contains(msg.TextBody, "  ada\n") ||
			!strings.Contains(msg.TextBody, "ada-billing") || apptest.LinkIn(msg.TextBody, e.URL+"/login") == "" {
			t.Fatalf("username email: %q\n%s", msg.Subject, msg.TextBody)
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
	res := c.Submit(c.Get("/profile"), "form[data-testid=password-form]", map[string]string{
		"pw_current_password": "not my password", "password": "ab cd", "password_confirm": "ab ce"})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", res.Status)
	}
	want := map[string][]string{
		"pw_current_password": {"not right"},
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

// lockedOutBob is a portal where bob gave five wrong answers to his
// security question; it returns the Primary Admin's client and the link
// the notice to her holds.
func lockedOutBob(t *testing.T, d models.Dialect) (*apptest.Env, *apptest.Client, string) {
	t.Helper()
	e := apptest.Start(t, d, apptest.Options{})
	pa := e.Setup(apptest.DefaultAdmin())
	bob := e.AddUser(e.User("ada").AccountID, "bob", "Walrus+Tide42", models.StatusActive)
	hash, _ := security.NewHasher(security.Argon2Params(e.App.Config.Argon2), 1, 0).Hash(context.Background(), "port talbot")
	if err := e.Store().InTx(context.Background(), func(tx *models.Store) error {
		return tx.SetSecurityQuestion(context.Background(), bob.ID, "In what city were you born?", hash, e.Clock.Now())
	}); err != nil {
		t.Fatal(err)
	}
	c := e.Client()
	c.Get(resetLink(t, e, c, "bob", "bob@example.com"))
	for range 5 {
		c.Submit(c.Get("/reset"), "form[data-testid=reset-answer-form]", map[string]string{"answer": "Cardiff"})
	}
	e.Drain()
	notices := e.MailTo("ada@example.com")
	notice := notices[len(notices)-1]
	link := apptest.LinkIn(notice.TextBody, e.URL+"/admin/users/")
	if notice.Subject != "A user cannot reset their password" || link == "" {
		t.Fatalf("notice to the Primary Admin: %q\n%s", notice.Subject, notice.TextBody)
	}
	return e, pa, pa.Path(link)
}

// The Primary Admin does what the notice says: clears bob's question and
// sends a reset; bob then resets his password with that link.
func TestAdminHelpsAfterWrongAnswersByClearingTheQuestion(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e, pa, userPage := lockedOutBob(t, d)
		page := pa.Get(userPage)
		if !strings.Contains(page.Doc.Find("[data-testid=reset-blocked]").Text(), "Password reset is blocked until") {
			t.Fatalf("user page does not say reset is blocked: %d", page.Status)
		}
		if res := pa.Submit(page, "form:has([data-testid=clear-question])", nil); res.Status != http.StatusSeeOther {
			t.Fatalf("clear question: %d", res.Status)
		}
		page = pa.Get(userPage)
		if page.Doc.Find("[data-testid=reset-blocked]").Length() != 0 {
			t.Fatal("still shown as blocked after clearing the question")
		}
		if res := pa.Submit(page, "form:has([data-testid=send-reset])", nil); res.Status != http.StatusSeeOther {
			t.Fatalf("send reset: %d", res.Status)
		}
		e.Drain()
		mails := e.MailTo("bob@example.com")
		link := apptest.LinkIn(mails[len(mails)-1].TextBody, e.URL+"/reset/")
		c := e.Client()
		c.Get(c.Path(link))
		form := c.Get("/reset")
		if form.Doc.Find("form[data-testid=reset-password-form]").Length() != 1 {
			t.Fatalf("bob's reset after the admin's help: %d %q", form.Status, form.Doc.Find("h1").Text())
		}
		res := c.Submit(form, "form[data-testid=reset-password-form]", map[string]string{"password": newPassword, "password_confirm": newPassword})
		if res.Status != http.StatusSeeOther || res.Location != "/reset/done" {
			t.Fatalf("bob sets his password: %d %q", res.Status, res.Location)
		}
		if r := e.Client().SignIn("bob", newPassword); r.Status != http.StatusSeeOther {
			t.Fatalf("bob signs in: %d", r.Status)
		}
	})
}

// If bob remembers the answer after all, the Primary Admin unblocks him;
// he asks for a reset himself and answers his question.
func TestAdminUnblocksPasswordReset(t *testing.T) {
	e, pa, userPage := lockedOutBob(t, models.SQLite)
	res := pa.Submit(pa.Get(userPage), "form:has([data-testid=unblock-reset])", nil)
	if res.Status != http.StatusSeeOther {
		t.Fatalf("unblock: %d", res.Status)
	}
	if again := post(pa, userPage+"/reset/unblock", url.Values{}); again.Status != http.StatusConflict {
		t.Fatalf("unblocking an unblocked user: %d", again.Status)
	}
	e.Drain()
	mails := e.MailTo("bob@example.com")
	if mails[len(mails)-1].Subject != "You can reset your password again" {
		t.Fatalf("bob told: %q", mails[len(mails)-1].Subject)
	}
	c := e.Client()
	c.Get(resetLink(t, e, c, "bob", "bob@example.com"))
	res = c.Submit(c.Get("/reset"), "form[data-testid=reset-answer-form]", map[string]string{"answer": "Port Talbot"})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("right answer after the unblock: %d %s", res.Status, res.Doc.Find("main").Text())
	}
	res = c.Submit(c.Get("/reset"), "form[data-testid=reset-password-form]", map[string]string{"password": newPassword, "password_confirm": newPassword})
	if res.Status != http.StatusSeeOther || res.Location != "/reset/done" {
		t.Fatalf("set password: %d %q", res.Status, res.Location)
	}
}

// While wrong answers block bob's reset, an administrator cannot send him a
// link that would only lead to "Password reset is blocked": the page offers
// none, and sending one, alone or in bulk, is refused with what to do.
func TestNoResetLinkWhileBlocked(t *testing.T) {
	e, pa, userPage := lockedOutBob(t, models.SQLite)
	before := len(e.MailTo("bob@example.com"))
	if pa.Get(userPage).Doc.Find("[data-testid=send-reset]").Length() != 0 {
		t.Error("the user page offers a reset while reset is blocked")
	}
	res := post(pa, userPage+"/reset", url.Values{})
	if res.Status != http.StatusConflict || !strings.Contains(res.Doc.Find("main").Text(), "clear their question or unblock password reset first") {
		t.Errorf("sending a reset while blocked: %d %s", res.Status, res.Doc.Find("main").Text())
	}
	id := strings.TrimPrefix(userPage, "/admin/users/")
	job := pa.RunBulk(url.Values{"action": {"reset"}, "scope": {"selected"}, "id": {id}, "reason": {"x"}})
	if got := job.Doc.Find("[data-testid=bulk-outcome]").Text(); !strings.Contains(got, "skipped: password reset is blocked") {
		t.Errorf("bulk reset while blocked: %q", got)
	}
	e.Drain()
	if n := len(e.MailTo("bob@example.com")); n != before {
		t.Errorf("%d links sent to a blocked user", n-before)
	}
}
