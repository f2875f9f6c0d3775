package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"accountportal/app/apptest"
	"accountportal/app/profile"
	"accountportal/models"
	"accountportal/models/modelstest"
)

// signedIn sets up the portal and returns its Primary Admin's browser,
// signed in just now.
func signedIn(t *testing.T, d models.Dialect) (*apptest.Env, *apptest.Client, apptest.Admin) {
	t.Helper()
	e := apptest.Start(t, d, apptest.Options{})
	a := apptest.DefaultAdmin()
	return e, e.Setup(a), a
}

// profileTaskPages are the addresses of My Profile's task pages, by the
// data-testid of their form.
var profileTaskPages = map[string]string{"details-form": "/profile/details", "password-form": "/profile/password",
	"question-form": "/profile/question", "email-form": "/profile/email"}

// submitProfile sends the form of one of My Profile's task pages.
func submitProfile(c *apptest.Client, form string, fields map[string]string) *apptest.Response {
	return c.Submit(c.Get(profileTaskPages[form]), "form[data-testid="+form+"]", fields)
}

// confirmItsYou types the password on "confirm it's you", as a user sent
// there from the task page next.
func confirmItsYou(t *testing.T, c *apptest.Client, next, password string) {
	t.Helper()
	res := c.Get(next)
	if res.Status != http.StatusSeeOther || res.Location != "/confirm?next="+url.QueryEscape(next) {
		t.Fatalf("%s with a sign-in that is not recent: %d %q", next, res.Status, res.Location)
	}
	res = c.Submit(c.Get(res.Location), "form[data-testid=confirm-form]", map[string]string{"password": password})
	if res.Status != http.StatusSeeOther || res.Location != next {
		t.Fatalf("confirm it's you: %d %q", res.Status, res.Location)
	}
}

func TestProfileRoutes(t *testing.T) {
	e, c, _ := signedIn(t, models.SQLite)
	if res := c.Get("/profile/edit"); res.Status != http.StatusSeeOther || res.Location != "/profile" {
		t.Fatalf("/profile/edit: %d %q", res.Status, res.Location)
	}
	page := c.Get("/profile")
	if page.Status != http.StatusOK || page.Doc.Find("[data-testid=profile-username]").Text() != "ada" {
		t.Fatalf("profile: %d", page.Status)
	}
	if href, _ := c.Get("/").Doc.Find("[data-testid=my-profile]").Attr("href"); href != "/profile" {
		t.Fatal("no My Profile in the user menu")
	}
	if res := e.Client().Get("/profile"); res.Status != http.StatusSeeOther || res.Location != "/login" {
		t.Fatalf("anonymous: %d", res.Status)
	}
	v := url.Values{"display_name": {"Mallory"}}
	if res := c.Post("/profile/details", v); res.Status != http.StatusForbidden {
		t.Fatalf("no CSRF token: %d", res.Status)
	}
}

func TestProfileDetails(t *testing.T) {
	e, c, _ := signedIn(t, models.SQLite)
	if res := submitProfile(c, "details-form", map[string]string{"display_name": " "}); res.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Doc.Find("[data-testid=error-display_name]").Text(), "Enter your name") {
		t.Fatalf("empty name: %d", res.Status)
	}
	res := submitProfile(c, "details-form", map[string]string{"display_name": "Ada Lovelace"})
	if res.Status != http.StatusSeeOther || res.Location != "/profile" {
		t.Fatalf("save: %d %q", res.Status, res.Location)
	}
	if e.User("ada").DisplayName != "Ada Lovelace" {
		t.Fatal("name not saved")
	}
	if got := c.Get("/profile").Doc.Find("[data-testid=flash]").Text(); got != "Your name is saved." {
		t.Fatalf("flash %q", got)
	}
}

func TestPassphraseRevealNeedsRecentPassword(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e, c, a := signedIn(t, d)
		// Just signed in at setup: shown at once.
		res := c.Get("/profile/passphrase")
		if res.Status != http.StatusOK || res.Doc.Find("[data-testid=passphrase-value]").Text() != a.Passphrase {
			t.Fatalf("fresh session: %d", res.Status)
		}
		if c.Get("/profile").Doc.Find("[data-testid=passphrase-status]").Text() != "Set" ||
			strings.Contains(c.Get("/profile").Body, a.Passphrase) {
			t.Fatal("the summary does not say the passphrase is set, or shows it")
		}
		e.Clock.Advance(6 * time.Minute)
		res = c.Get("/profile/passphrase")
		if res.Status != http.StatusSeeOther || res.Location != "/confirm?next=%2Fprofile%2Fpassphrase" {
			t.Fatalf("stale session: %d %q", res.Status, res.Location)
		}
		confirm := c.Get(res.Location)
		if wrong := c.Submit(confirm, "form[data-testid=confirm-form]", map[string]string{"password": "nope"}); wrong.Status != http.StatusUnprocessableEntity {
			t.Fatalf("wrong password: %d", wrong.Status)
		}
		res = c.Submit(c.Get(res.Location), "form[data-testid=confirm-form]", map[string]string{"password": a.Password})
		if res.Status != http.StatusSeeOther || res.Location != "/profile/passphrase" {
			t.Fatalf("confirm: %d %q", res.Status, res.Location)
		}
		if got := c.Get("/profile/passphrase").Doc.Find("[data-testid=passphrase-value]").Text(); got != a.Passphrase {
			t.Fatalf("after confirming: %q", got)
		}
		if n := auditCount(t, e, e.User("ada").AccountID, profile.ActionPassphraseShown); n != 2 {
			t.Fatalf("%d reveals audited, want 2", n)
		}
	})
}

func TestConfirmStaysOnSite(t *testing.T) {
	_, c, a := signedIn(t, models.SQLite)
	for _, next := range []string{"https://evil.example/", "//evil.example", "/\\evil.example", "/confirm?next=x"} {
		page := c.Get("/confirm?next=" + url.QueryEscape(next))
		res := c.Submit(page, "form[data-testid=confirm-form]", map[string]string{"password": a.Password, "next": next})
		if res.Location != "/" {
			t.Errorf("next=%q went to %q", next, res.Location)
		}
	}
}

// "Confirm it's you" offers a way back, to the page above where the user
// was going and never off the site, and a way to reset a forgotten
// password; both stay on the page when the password is refused.
func TestConfirmCancelAndForgot(t *testing.T) {
	_, c, _ := signedIn(t, models.SQLite)
	cases := map[string]string{"/profile/password": "/profile", "/profile/support-code?x=1": "/profile",
		"/admin/users/7/mfa": "/admin/users/7", "/": "/profile", "/profile": "/profile",
		"https://evil.example/a/b": "/profile", "//evil.example/a/b": "/profile", "/\\evil.example/a": "/profile",
		"/%2F/evil.example/a": "/profile", "/confirm?next=/admin/x": "/profile"}
	for next, want := range cases {
		page := c.Get("/confirm?next=" + url.QueryEscape(next))
		refused := c.Submit(page, "form[data-testid=confirm-form]", map[string]string{"password": ""})
		for _, res := range []*apptest.Response{page, refused} {
			cancel := res.Doc.Find("form[data-testid=confirm-form] a[data-testid=confirm-cancel]")
			forgot := res.Doc.Find("a[data-testid=confirm-forgot]")
			if cancel.AttrOr("href", "") != want || strings.TrimSpace(cancel.Text()) != "Cancel" ||
				forgot.AttrOr("href", "") != "/forgot/password" || forgot.Text() != "Forgot your password?" {
				t.Errorf("next=%q (%d): cancel %q %q, forgot %q %q", next, res.Status, cancel.AttrOr("href", ""), cancel.Text(),
					forgot.AttrOr("href", ""), forgot.Text())
			}
		}
	}
	if res := c.Get("/forgot/password"); res.Status != http.StatusOK {
		t.Fatalf("forgot page for a signed-in user: %d", res.Status)
	}
}

func TestPassphraseChange(t *testing.T) {
	e, c, a := signedIn(t, models.SQLite)
	cases := []struct{ value, msg string }{
		{"short", "8 to 64"},
		{a.Password, "different from your password"},
		{"  " + a.Password + " ", "different from your password"},
		{"ada@example.com", "not be your username"},
		{strings.Repeat("x", 65), "8 to 64"},
	}
	for _, tc := range cases {
		res := c.Submit(c.Get("/profile/passphrase"), "form[data-testid=passphrase-form]", map[string]string{"passphrase": tc.value})
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Doc.Find("[data-testid=error-passphrase]").Text(), tc.msg) {
			t.Errorf("%q: %d %q", tc.value, res.Status, res.Doc.Find("[data-testid=error-passphrase]").Text())
		}
		// The page must match the state: a passphrase is set and unchanged.
		if res.Doc.Find("[data-testid=passphrase-unchanged]").Length() != 1 || strings.Contains(res.Body, "not set a passphrase") {
			t.Errorf("%q: a rejected change does not say the passphrase is still set", tc.value)
		}
	}
	res := c.Submit(c.Get("/profile/passphrase"), "form[data-testid=passphrase-form]", map[string]string{"passphrase": "green meadow kettle"})
	if res.Status != http.StatusSeeOther || res.Location != "/profile" {
		t.Fatalf("save: %d %q", res.Status, res.Location)
	}
	if got := c.Get("/profile").Doc.Find("[data-testid=flash]").Text(); !strings.HasPrefix(got, "Your support passphrase is saved.") {
		t.Fatalf("flash %q", got)
	}
	if got := c.Get("/profile/passphrase").Doc.Find("[data-testid=passphrase-value]").Text(); got != "green meadow kettle" {
		t.Fatalf("new passphrase: %q", got)
	}
	e.Drain()
	notices := e.MailTo("ada@example.com")
	if len(notices) != 1 || notices[0].Subject != "Your support passphrase was changed" ||
		strings.Contains(notices[0].TextBody+notices[0].HTMLBody, "green meadow kettle") {
		t.Fatalf("notice: %+v", notices)
	}
	if auditCount(t, e, e.User("ada").AccountID, profile.ActionPassphraseChanged) != 1 {
		t.Fatal("change not audited")
	}
	// After five minutes, saving needs the password again too.
	e.Clock.Advance(6 * time.Minute)
	page := c.Get("/profile")
	res = c.Post("/profile/passphrase", formOf(page, map[string]string{"passphrase": "another long phrase"}))
	if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Location, "/confirm") {
		t.Fatalf("stale save: %d %q", res.Status, res.Location)
	}
}

func TestPasswordChange(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e, c, a := signedIn(t, d)
		laptop := e.Client()
		laptop.SignIn("ada", a.Password)
		resetLink(t, e, e.Client(), "ada", "ada@example.com")

		bad := []struct {
			fields map[string]string
			field  string
			msg    string
		}{
			{map[string]string{"password": "weak", "password_confirm": "weak"}, "password", "Your password needs"},
			{map[string]string{"password": newPassword, "password_confirm": "x"}, "password_confirm", "do not match"},
		}
		for _, b := range bad {
			res := submitProfile(c, "password-form", b.fields)
			if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Doc.Find("[data-testid=error-"+b.field+"]").Text(), b.msg) {
				t.Fatalf("%v: %d %q", b.fields, res.Status, res.Doc.Find("[data-testid=error-summary]").Text())
			}
		}
		before := c.Cookie("portal").Value
		res := submitProfile(c, "password-form", map[string]string{"password": newPassword, "password_confirm": newPassword})
		if res.Status != http.StatusSeeOther || res.Location != "/profile" {
			t.Fatalf("change: %d %q", res.Status, res.Location)
		}
		if c.Cookie("portal").Value == before {
			t.Fatal("session ID not renewed after the password change")
		}
		if res := c.Get("/profile"); res.Status != http.StatusOK {
			t.Fatalf("this session ended: %d", res.Status)
		}
		if res := laptop.Get("/"); res.Status != http.StatusOK {
			t.Fatalf("other device signed out without asking: %d", res.Status)
		}
		tokens, _ := e.Store().Tokens.OfUser(context.Background(), e.User("ada").ID, models.PurposeReset, 5)
		if len(tokens) != 1 || tokens[0].VoidedAt == nil {
			t.Fatalf("reset link not voided: %+v", tokens)
		}
		e.Drain()
		msgs := e.MailTo("ada@example.com")
		if msgs[len(msgs)-1].Subject != "Your password was changed" {
			t.Fatalf("notice %q", msgs[len(msgs)-1].Subject)
		}
		// Again, signing the other devices out: the change counts as typing
		// the password, so no "confirm it's you" in between.
		res = submitProfile(c, "password-form", map[string]string{
			"password": "Other+Pass99x", "password_confirm": "Other+Pass99x", "sign_out_others": "yes"})
		if res.Status != http.StatusSeeOther {
			t.Fatalf("second change: %d", res.Status)
		}
		if res := laptop.Get("/"); res.Status != http.StatusSeeOther {
			t.Fatalf("other device still signed in: %d", res.Status)
		}
		if res := c.Get("/profile"); res.Status != http.StatusOK {
			t.Fatalf("this device signed out too: %d", res.Status)
		}
	})
}

func TestPasswordMayNotBePassphrase(t *testing.T) {
	_, c, _ := signedIn(t, models.SQLite)
	c.Submit(c.Get("/profile/passphrase"), "form[data-testid=passphrase-form]", map[string]string{"passphrase": "Blue+Harbour9x"})
	res := submitProfile(c, "password-form", map[string]string{"password": "blue+harbour9X", "password_confirm": "blue+harbour9X"})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "different from your support passphrase") {
		t.Fatalf("password equal to passphrase: %d", res.Status)
	}
}

// The profile's password form refuses the current password as the new one
// in the reset page's words, and changes, emails and audits nothing.
func TestPasswordMayNotBeTheCurrentOne(t *testing.T) {
	e, c, a := signedIn(t, models.SQLite)
	e.Drain()
	mails := len(e.MailTo("ada@example.com"))
	hash := e.User("ada").PasswordHash
	res := submitProfile(c, "password-form", map[string]string{"password": a.Password, "password_confirm": a.Password})
	action := res.Doc.Find("form[data-testid=password-form]").AttrOr("action", "")
	if res.Status != http.StatusUnprocessableEntity || action != "/profile/password" ||
		!strings.Contains(res.Doc.Find("[data-testid=error-password]").Text(), "Choose a password different from your current one") {
		t.Fatalf("current password as the new one: %d %q %q", res.Status, action, res.Doc.Find("[data-testid=error-summary]").Text())
	}
	e.Drain()
	if e.User("ada").PasswordHash != hash || len(e.MailTo("ada@example.com")) != mails ||
		auditCount(t, e, e.User("ada").AccountID, profile.ActionPasswordChanged) != 0 {
		t.Fatal("refused change saved, emailed or audited")
	}
}

func TestSecurityQuestionChange(t *testing.T) {
	e, c, _ := signedIn(t, models.SQLite)
	res := submitProfile(c, "question-form", map[string]string{"security_question": "In what city were you born?", "security_answer": "ab"})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Doc.Find("[data-testid=error-security_answer]").Text(), "at least 3") {
		t.Fatalf("short answer: %d", res.Status)
	}
	res = submitProfile(c, "question-form", map[string]string{"security_question": "custom", "security_question_custom": "", "security_answer": "abc"})
	if res.Status != http.StatusUnprocessableEntity || res.Doc.Find("[data-testid=error-security_question_custom]").Length() != 1 {
		t.Fatalf("empty own question: %d", res.Status)
	}
	res = submitProfile(c, "question-form", map[string]string{"security_question": "custom", "security_question_custom": "Favourite lighthouse?", "security_answer": "Port Talbot"})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", res.Status, res.Doc.Find("[data-testid=error-summary]").Text())
	}
	if got := c.Get("/profile").Doc.Find("[data-testid=current-question]").Text(); got != "Favourite lighthouse?" {
		t.Fatalf("question shown: %q", got)
	}
	e.Drain()
	msgs := e.MailTo("ada@example.com")
	if len(msgs) != 1 || msgs[0].Subject != "Your security question was changed" || strings.Contains(msgs[0].TextBody, "Port Talbot") {
		t.Fatalf("notice: %+v", msgs)
	}
}

func TestOwnSessions(t *testing.T) {
	e, c, a := signedIn(t, models.SQLite)
	phone := e.Client()
	phone.Header.Set("User-Agent", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1")
	phone.SignIn("ada", a.Password)
	if got := c.Get("/profile").Doc.Find("[data-testid=profile-sessions]").Text(); !strings.Contains(got, "Signed in on 2 devices") {
		t.Fatalf("summary row: %q", got)
	}
	page := c.Get("/profile/sessions")
	rows := page.Doc.Find("[data-testid=session-row]")
	if rows.Length() != 2 || page.Doc.Find("[data-testid=this-device]").Length() != 1 ||
		!strings.Contains(rows.Text(), "Safari on iPhone") {
		t.Fatalf("sessions: %d rows\n%s", rows.Length(), rows.Text())
	}
	// Another user's session cannot be signed out by its handle.
	admin := e.User("ada")
	e.AddUser(admin.AccountID, "bob", "Walrus+Tide42", models.StatusActive)
	bob := e.Client()
	bob.SignIn("bob", "Walrus+Tide42")
	handle := page.Doc.Find("[data-testid=session-row] input[name=session]").AttrOr("value", "")
	if res := bob.Post("/profile/sessions/signout", formOf(bob.Get("/profile/sessions"), map[string]string{"session": handle})); res.Status != http.StatusNotFound {
		t.Fatalf("signing out another user's session: %d", res.Status)
	}
	if res := phone.Get("/"); res.Status != http.StatusOK {
		t.Fatal("phone signed out by another user")
	}
	res := c.Submit(page, "[data-testid=session-row] form", nil)
	if res.Status != http.StatusSeeOther || res.Location != "/profile/sessions" {
		t.Fatalf("sign out: %d %q", res.Status, res.Location)
	}
	if got := c.Get(res.Location).Doc.Find("[data-testid=flash]").Text(); got != "That session is signed out." {
		t.Fatalf("flash %q", got)
	}
	if res := phone.Get("/"); res.Status != http.StatusSeeOther {
		t.Fatalf("phone still signed in: %d", res.Status)
	}
	phone.SignIn("ada", a.Password)
	res = c.Submit(c.Get("/profile/sessions"), "form[action='/profile/sessions/signout-others']", nil)
	if res.Status != http.StatusSeeOther || phone.Get("/").Status != http.StatusSeeOther || c.Get("/").Status != http.StatusOK {
		t.Fatalf("sign out others: %d", res.Status)
	}
}

// A stale list's sign-out of the user's own ended session goes back to the
// list with a note; a session that is unknown or another user's answers the
// same 404 for both, which leads back to the list.
func TestSigningOutAnEndedSession(t *testing.T) {
	e, c, a := signedIn(t, models.SQLite)
	phone := e.Client()
	phone.SignIn("ada", a.Password)
	stale := c.Get("/profile/sessions")
	handle := stale.Doc.Find("[data-testid=session-row]:not(:has([data-testid=this-device])) input[name=session]").AttrOr("value", "")
	if res := c.Submit(stale, "[data-testid=session-row]:has(input[value='"+handle+"']) form", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("first sign-out: %d", res.Status)
	}
	res := c.Submit(stale, "[data-testid=session-row]:has(input[value='"+handle+"']) form", nil)
	if res.Status != http.StatusSeeOther || res.Location != "/profile/sessions" {
		t.Fatalf("signing out an ended session: %d %q", res.Status, res.Location)
	}
	flash := c.Get(res.Location).Doc.Find("[data-testid=flash]")
	if flash.Text() != "That session had already ended." || !flash.HasClass("flash-info") {
		t.Fatalf("flash %q %q", flash.Text(), flash.AttrOr("class", ""))
	}
	e.AddUser(e.User("ada").AccountID, "bob", "Walrus+Tide42", models.StatusActive)
	bob := e.Client()
	bob.SignIn("bob", "Walrus+Tide42")
	live := c.Get("/profile/sessions").Doc.Find("[data-testid=this-device]").Closest("[data-testid=session-row]").
		Find("input[name=session]").AttrOr("value", "")
	for name, h := range map[string]string{"ended, ada's": handle, "live, ada's": live, "unknown": strings.Repeat("ab", 32), "bad": "zz"} {
		res := bob.Post("/profile/sessions/signout", formOf(bob.Get("/profile/sessions"), map[string]string{"session": h}))
		back := res.Doc.Find("[data-testid=error-page] a[href='/profile/sessions']")
		if res.Status != http.StatusNotFound || back.Length() != 1 ||
			!strings.Contains(res.Doc.Find("[data-testid=error-page]").Text(), "That session has already ended.") {
			t.Fatalf("%s session signed out by bob: %d %q", name, res.Status, res.Doc.Find("main").Text())
		}
	}
	if res := c.Get("/"); res.Status != http.StatusOK {
		t.Fatalf("ada signed out by bob: %d", res.Status)
	}
}

func TestBannerForAdminsWithoutPassphrase(t *testing.T) {
	e, _, _ := signedIn(t, models.SQLite)
	ctx := context.Background()
	admin := e.User("ada")
	sec := e.AddUser(admin.AccountID, "sam", "Walrus+Tide42", models.StatusActive)
	e.AddUser(admin.AccountID, "pat", "Walrus+Tide42", models.StatusActive)
	if err := e.Store().Privileges.Grant(ctx, &models.UserPermission{UserID: sec.ID, Permission: "billing.changes", GrantedAt: e.Clock.Now()}); err != nil {
		t.Fatal(err)
	}
	c := e.Client()
	c.SignIn("sam", "Walrus+Tide42")
	home := c.Get("/")
	if got := home.Doc.Find("[data-testid=banner]").Text(); !strings.Contains(got, "Set your support passphrase") {
		t.Fatalf("banner %q", got)
	}
	p := e.Client()
	p.SignIn("pat", "Walrus+Tide42")
	if p.Get("/").Doc.Find("[data-testid=banner]").Length() != 0 {
		t.Fatal("banner shown to a user with no privileges")
	}
	res := c.Submit(c.Get("/profile/passphrase"), "form[data-testid=passphrase-form]", map[string]string{"passphrase": "quiet orchard lamp"})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("set passphrase: %d", res.Status)
	}
	if c.Get("/").Doc.Find("[data-testid=banner]").Length() != 0 {
		t.Fatal("banner stays after setting the passphrase")
	}
}

func TestProfileNoticesArriveOverSMTP(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{SMTP: true})
	c := e.Setup(apptest.DefaultAdmin())
	c.Submit(c.Get("/profile/passphrase"), "form[data-testid=passphrase-form]", map[string]string{"passphrase": "green meadow kettle"})
	e.Drain()
	got := e.Mail.WaitFor(1, 5*time.Second)[0]
	if got.To[0] != "ada@example.com" || got.Subject != "Your support passphrase was changed" ||
		strings.Contains(got.Text+got.HTML, "green meadow kettle") || !strings.Contains(got.Text, "127.0.0.1") {
		t.Fatalf("notice %q to %v:\n%s", got.Subject, got.To, got.Text)
	}
}
