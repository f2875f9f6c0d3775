package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"accountportal/app/apptest"
	"accountportal/app/identity"
	"accountportal/models"
	"accountportal/models/modelstest"
)

// signedUp starts a portal with its Primary Admin set up and signed out.
func signedUp(t *testing.T, d models.Dialect, opt apptest.Options) (*apptest.Env, apptest.Admin) {
	t.Helper()
	e := apptest.Start(t, d, opt)
	a := apptest.DefaultAdmin()
	c := e.Setup(a)
	c.Submit(c.Get("/"), "form[action='/logout']", nil)
	return e, a
}

func TestSignInThroughBothStepsAndAgreement(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e, a := signedUp(t, d, apptest.Options{})
		c := e.Client()
		res := c.Submit(c.Get("/login"), "form[data-testid=login-username-form]", map[string]string{"username": "ADA"})
		if res.Status != http.StatusSeeOther || res.Location != "/login/password" {
			t.Fatalf("username step: %d %q", res.Status, res.Location)
		}
		page := c.Get("/login/password")
		if got := page.Doc.Find("[data-testid=login-as]").Text(); got != "ADA" {
			t.Errorf("password page names %q", got)
		}
		if href, _ := page.Doc.Find("a.label-link").Attr("href"); href != "/forgot" {
			t.Errorf("Forgot? link goes to %q", href)
		}
		res = c.Submit(page, "form[data-testid=login-password-form]", map[string]string{"password": a.Password})
		if res.Status != http.StatusSeeOther || res.Location != "/login/agreement" {
			t.Fatalf("password step: %d %q", res.Status, res.Location)
		}
		// Not signed in until the agreement is accepted.
		if res := c.Get("/"); res.Status != http.StatusSeeOther || res.Location != "/login" {
			t.Fatalf("home before agreement: %d %q", res.Status, res.Location)
		}
		agreement := c.Get("/login/agreement")
		if agreement.Status != http.StatusOK || agreement.Doc.Find("[data-testid=agreement-text]").Length() != 1 {
			t.Fatalf("agreement page: %d", agreement.Status)
		}
		res = c.Submit(agreement, "form[action='/login/agreement']", nil)
		if res.Status != http.StatusSeeOther || res.Location != "/" {
			t.Fatalf("agree: %d %q", res.Status, res.Location)
		}
		if home := c.Get("/"); home.Status != http.StatusOK || home.Doc.Find("[data-testid=user-menu]").Text() != "Ada Admin" {
			t.Fatalf("home after sign-in: %d", home.Status)
		}
		u := e.User("ada")
		if u.LastSignInAt == nil || !u.LastSignInAt.Equal(e.Clock.Now()) {
			t.Errorf("last sign-in not recorded: %v", u.LastSignInAt)
		}
		ok, _ := e.Store().Users.HasAcceptedLicense(context.Background(), u.ID, "2026-01")
		if !ok {
			t.Error("acceptance not recorded")
		}

		// The agreement is asked for once per version.
		c.Submit(c.Get("/"), "form[action='/logout']", nil)
		res = c.SignIn("ada", a.Password)
		if res.Status != http.StatusSeeOther || res.Location != "/" {
			t.Fatalf("second sign-in: %d %q", res.Status, res.Location)
		}
	})
}

func TestAgreementAskedAgainForNewVersion(t *testing.T) {
	e, a := signedUp(t, models.SQLite, apptest.Options{})
	u := e.User("ada")
	if err := e.Store().Users.AcceptLicense(context.Background(), &models.LicenseAcceptance{
		UserID: u.ID, Version: "2020-01", AcceptedAt: e.Clock.Now()}); err != nil {
		t.Fatal(err)
	}
	c := e.Client()
	res := c.Submit(c.Get("/login"), "form[data-testid=login-username-form]", map[string]string{"username": "ada"})
	res = c.Submit(c.Get(res.Location), "form[data-testid=login-password-form]", map[string]string{"password": a.Password})
	if res.Location != "/login/agreement" {
		t.Fatalf("old acceptance skipped the agreement: %d %q", res.Status, res.Location)
	}
}

func TestWrongPasswordAndUnknownUserLookTheSame(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e, _ := signedUp(t, d, apptest.Options{})
		answers := map[string]*apptest.Response{}
		for _, who := range []string{"ada", "nobody-here"} {
			c := e.Client()
			answers[who] = c.SignIn(who, "Wrong+Pass99")
		}
		for who, res := range answers {
			if res.Status != http.StatusUnprocessableEntity {
				t.Errorf("%s: status %d", who, res.Status)
			}
			if got := res.Doc.Find("[data-testid=error-password]").Text(); !strings.Contains(got, "Incorrect username or password") {
				t.Errorf("%s: error %q", who, got)
			}
		}
		strip := func(r *apptest.Response) string {
			r.Doc.Find("input[name=csrf_token]").RemoveAttr("value")
			r.Doc.Find("[data-testid=login-as]").SetText("")
			r.Doc.Find("input[name=username]").RemoveAttr("value")
			h, _ := r.Doc.Html()
			return h
		}
		if strip(answers["ada"]) != strip(answers["nobody-here"]) {
			t.Fatal("wrong password and unknown user pages differ")
		}
	})
}

func TestSuspendedUser(t *testing.T) {
	e, a := signedUp(t, models.SQLite, apptest.Options{})
	admin := e.User("ada")
	bob := e.AddUser(admin.AccountID, "bob", "Walrus+Tide42", models.StatusSuspended)

	wrong := e.Client().SignIn("bob", "Walrus+Tide43")
	if wrong.Status != http.StatusUnprocessableEntity || strings.Contains(wrong.Body, "Suspended") {
		t.Fatalf("suspended user with wrong password: %d", wrong.Status)
	}
	right := e.Client().SignIn("bob", "Walrus+Tide42")
	if right.Status != http.StatusForbidden {
		t.Fatalf("suspended user with right password: %d", right.Status)
	}
	if got := right.Doc.Find("[data-testid=suspended] h1").Text(); got != "Account Suspended" {
		t.Fatalf("page heading %q", got)
	}
	if !strings.Contains(right.Body, "Contact the administrator of your account") {
		t.Error("no advice on the suspended page")
	}
	if n, _ := e.Store().Sessions.OfUser(context.Background(), bob.ID, e.Clock.Now()); len(n) != 0 {
		t.Fatal("suspended user got a session")
	}
	_ = a
}

func TestThrottlePerUsername(t *testing.T) {
	cfg := identity.DefaultSignInConfig()
	cfg.PerUsername = models.ThrottleLimit{Window: 15 * time.Minute, Max: 3, Lock: 15 * time.Minute}
	e, a := signedUp(t, models.SQLite, apptest.Options{SignIn: &cfg})
	for i := range 3 {
		if res := e.Client().SignIn("ada", "Wrong+Pass99"); res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("failure %d: %d", i+1, res.Status)
		}
	}
	res := e.Client().SignIn("ada", a.Password)
	if res.Status != http.StatusTooManyRequests {
		t.Fatalf("right password while locked: %d", res.Status)
	}
	if res.Header.Get("Retry-After") != "901" {
		t.Errorf("Retry-After %q", res.Header.Get("Retry-After"))
	}
	if !strings.Contains(res.Doc.Find("[data-testid=retry-at]").Text(), "09:15 UTC") {
		t.Errorf("retry time missing: %q", res.Doc.Find("[data-testid=retry-at]").Text())
	}
	// An unknown username is throttled the same way, so locks reveal nothing.
	for range 3 {
		e.Client().SignIn("ghost", "Wrong+Pass99")
	}
	if res := e.Client().SignIn("ghost", "Wrong+Pass99"); res.Status != http.StatusTooManyRequests {
		t.Fatalf("unknown username not throttled: %d", res.Status)
	}
	e.Clock.Advance(16 * time.Minute)
	if res := e.Client().SignIn("ada", a.Password); res.Status != http.StatusSeeOther {
		t.Fatalf("after the lock: %d", res.Status)
	}
}

func TestThrottlePerIP(t *testing.T) {
	cfg := identity.DefaultSignInConfig()
	cfg.PerIP = models.ThrottleLimit{Window: 15 * time.Minute, Max: 4, Lock: 15 * time.Minute}
	e, a := signedUp(t, models.SQLite, apptest.Options{SignIn: &cfg})
	for _, name := range []string{"u1", "u2", "u3", "u4"} {
		e.Client().SignIn(name, "Wrong+Pass99")
	}
	if res := e.Client().SignIn("ada", a.Password); res.Status != http.StatusTooManyRequests {
		t.Fatalf("fifth attempt from the address: %d", res.Status)
	}
}

func TestLogoutEndsSessionEverywhere(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e, a := signedUp(t, d, apptest.Options{})
		c := e.Client()
		if res := c.SignIn("ada", a.Password); res.Status != http.StatusSeeOther {
			t.Fatalf("sign in: %d", res.Status)
		}
		stolen := *c.Cookie("portal")
		thief := e.Client()
		thief.SetCookie(&stolen)
		if res := thief.Get("/"); res.Status != http.StatusOK {
			t.Fatalf("copied cookie before logout: %d", res.Status)
		}
		uid := e.User("ada").ID
		before, _ := e.Store().Sessions.OfUser(context.Background(), uid, e.Clock.Now())

		res := c.Submit(c.Get("/"), "form[action='/logout']", nil)
		if res.Status != http.StatusSeeOther || res.Location != "/login?signed_out=1" {
			t.Fatalf("logout: %d %q", res.Status, res.Location)
		}
		after, _ := e.Store().Sessions.OfUser(context.Background(), uid, e.Clock.Now())
		if len(after) != len(before)-1 {
			t.Fatalf("sessions before %d after %d", len(before), len(after))
		}
		if res := thief.Get("/"); res.Status != http.StatusSeeOther || res.Location != "/login" {
			t.Fatalf("copied cookie after logout: %d %q", res.Status, res.Location)
		}
		if res := c.Get("/login?signed_out=1"); !strings.Contains(res.Doc.Find("[data-testid=flash]").Text(), "signed out") {
			t.Error("no signed-out message")
		}
	})
}

func TestLogoutIsPostOnly(t *testing.T) {
	e, _ := signedUp(t, models.SQLite, apptest.Options{})
	if res := e.Client().Get("/logout"); res.Status != http.StatusMethodNotAllowed {
		t.Fatalf("GET /logout: %d", res.Status)
	}
}

func TestSessionFixation(t *testing.T) {
	e, a := signedUp(t, models.SQLite, apptest.Options{})
	victim := e.Client()
	victim.Get("/login")
	planted := *victim.Cookie("portal")

	if res := victim.SignIn("ada", a.Password); res.Status != http.StatusSeeOther {
		t.Fatalf("sign in: %d", res.Status)
	}
	if victim.Cookie("portal").Value == planted.Value {
		t.Fatal("session ID kept across sign-in")
	}
	attacker := e.Client()
	attacker.SetCookie(&planted)
	if res := attacker.Get("/"); res.Status != http.StatusSeeOther {
		t.Fatalf("pre-sign-in cookie opens the account: %d", res.Status)
	}
}

func TestIdleAndAbsoluteExpiry(t *testing.T) {
	e, a := signedUp(t, models.SQLite, apptest.Options{})
	c := e.Client()
	c.SignIn("ada", a.Password)

	// Activity keeps the session alive past one idle period...
	for range 3 {
		e.Clock.Advance(25 * time.Minute)
		if res := c.Get("/"); res.Status != http.StatusOK {
			t.Fatalf("active session ended: %d", res.Status)
		}
	}
	// ...but not past an idle gap.
	e.Clock.Advance(31 * time.Minute)
	if res := c.Get("/"); res.Status != http.StatusSeeOther {
		t.Fatalf("idle session still open: %d", res.Status)
	}

	c.SignIn("ada", a.Password)
	for elapsed := time.Duration(0); elapsed < 11*time.Hour+40*time.Minute; elapsed += 20 * time.Minute {
		e.Clock.Advance(20 * time.Minute)
		if res := c.Get("/"); res.Status != http.StatusOK {
			t.Fatalf("session ended after %v", elapsed+20*time.Minute)
		}
	}
	e.Clock.Advance(20 * time.Minute)
	if res := c.Get("/"); res.Status != http.StatusSeeOther {
		t.Fatalf("session outlived the absolute timeout: %d", res.Status)
	}
}

func TestRevokedSessionSaysSuspendedOnce(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e, _ := signedUp(t, d, apptest.Options{})
		admin := e.User("ada")
		bob := e.AddUser(admin.AccountID, "bob", "Walrus+Tide42", models.StatusActive)
		phone, laptop := e.Client(), e.Client()
		phone.SignIn("bob", "Walrus+Tide42")
		laptop.SignIn("bob", "Walrus+Tide42")

		ctx := context.Background()
		if err := e.Store().Users.SetStatus(ctx, bob.ID, models.StatusSuspended, e.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		if n, err := e.Store().Sessions.RevokeUser(ctx, bob.ID, "suspended", e.Clock.Now()); err != nil || n != 2 {
			t.Fatalf("revoked %d (%v)", n, err)
		}
		for name, c := range map[string]*apptest.Client{"phone": phone, "laptop": laptop} {
			res := c.Get("/")
			if res.Status != http.StatusForbidden || !strings.Contains(res.Body, "This session will now be terminated.") {
				t.Fatalf("%s: %d", name, res.Status)
			}
			if res := c.Get("/"); res.Status != http.StatusSeeOther || res.Location != "/login" {
				t.Fatalf("%s second request: %d %q", name, res.Status, res.Location)
			}
		}
	})
}

// A user suspended without their sessions being revoked (as by a direct
// database change) is still stopped at the next request.
func TestSuspendedWithoutRevocationIsStopped(t *testing.T) {
	e, _ := signedUp(t, models.SQLite, apptest.Options{})
	admin := e.User("ada")
	bob := e.AddUser(admin.AccountID, "bob", "Walrus+Tide42", models.StatusActive)
	c := e.Client()
	c.SignIn("bob", "Walrus+Tide42")
	_ = e.Store().Users.SetStatus(context.Background(), bob.ID, models.StatusSuspended, e.Clock.Now())
	if res := c.Get("/"); res.Status != http.StatusForbidden || !strings.Contains(res.Body, "Account Suspended") {
		t.Fatalf("suspended user's session: %d", res.Status)
	}
	if res := c.Get("/"); res.Status != http.StatusSeeOther {
		t.Fatalf("session not ended: %d", res.Status)
	}
}

func TestReturnToAfterSignIn(t *testing.T) {
	e, a := signedUp(t, models.SQLite, apptest.Options{})
	c := e.Client()
	if res := c.Get("/?tab=x"); res.Status != http.StatusSeeOther {
		t.Fatalf("anonymous home: %d", res.Status)
	}
	if res := c.SignIn("ada", a.Password); res.Location != "/?tab=x" {
		t.Fatalf("return to %q", res.Location)
	}
}

// The Security page's "Require a security question" makes a user without
// one set it at their next sign-in, after the second factor and before the
// agreement; the next emailed reset then asks it.
func TestRequiredQuestionIsSetAtNextSignIn(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e := apptest.Start(t, d, apptest.Options{})
		pa := e.Setup(apptest.DefaultAdmin())
		acct := e.User("ada").AccountID
		e.AddUser(acct, "bob", personaPassword, models.StatusActive)
		sec := pa.Get("/admin/security")
		res := pa.Submit(sec, "form[data-testid=security-form]", map[string]string{"require_security_question": "yes"})
		if res.Status != http.StatusSeeOther {
			t.Fatalf("save settings: %d", res.Status)
		}

		c := e.Client()
		res = c.Submit(c.Get("/login"), "form[data-testid=login-username-form]", map[string]string{"username": "bob"})
		res = c.Submit(c.Get(res.Location), "form[data-testid=login-password-form]", map[string]string{"password": personaPassword})
		if res.Location != "/login/question" {
			t.Fatalf("sign-in went to %q, not to the security question", res.Location)
		}
		// No way around it: the agreement and the home page send it back.
		if res := c.Get("/login/agreement"); res.Location != "/login/question" {
			t.Fatalf("agreement before the question: %d %q", res.Status, res.Location)
		}
		if res := c.Get("/"); res.Status != http.StatusSeeOther || res.Location != "/login" {
			t.Fatalf("home before the question: %d %q", res.Status, res.Location)
		}
		page := c.Get("/login/question")
		// The way out: sign out, and the step is owed at the next sign-in.
		quitter := e.Client()
		quitter.SignIn("bob", personaPassword)
		if res := quitter.Submit(quitter.Get("/login/question"), "form:has([data-testid=sign-out-instead])", nil); res.Status != http.StatusSeeOther {
			t.Fatalf("cancel and sign out: %d", res.Status)
		}
		if res := quitter.Get("/login/question"); res.Status != http.StatusSeeOther || res.Location != "/login" {
			t.Fatalf("after cancelling, the step is still open: %d %q", res.Status, res.Location)
		}
		res = c.Submit(page, "form[data-testid=login-question-form]", map[string]string{"security_question": "custom", "security_answer": "ab"})
		if res.Status != http.StatusUnprocessableEntity || res.Doc.Find("[data-testid=error-security_question_custom]").Length() != 1 ||
			res.Doc.Find("[data-testid=error-security_answer]").Length() != 1 {
			t.Fatalf("bad question: %d", res.Status)
		}
		res = c.Submit(res, "form[data-testid=login-question-form]", map[string]string{
			"security_question": "custom", "security_question_custom": "Name of my first ferry?", "security_answer": "Spirit of Kent"})
		if res.Status != http.StatusSeeOther || res.Location != "/login/agreement" {
			t.Fatalf("after the question: %d %q", res.Status, res.Location)
		}
		res = c.Submit(c.Get("/login/agreement"), "form[action='/login/agreement']", nil)
		if res.Status != http.StatusSeeOther || res.Location != "/" {
			t.Fatalf("agreement: %d %q", res.Status, res.Location)
		}
		if u := e.User("bob"); u.SecurityQuestion != "Name of my first ferry?" || u.SecurityAnswerHash == "" {
			t.Fatalf("question not saved: %q", u.SecurityQuestion)
		}
		// The next sign-in does not ask again.
		if res := e.Client().SignIn("bob", personaPassword); res.Location != "/" {
			t.Fatalf("second sign-in went to %q", res.Location)
		}
	})
}

// "Confirm it's you" tells an empty field from a wrong password: the first
// asks for it, the second names the current password as incorrect.
func TestConfirmNamesTheProblem(t *testing.T) {
	_, c, _ := signedIn(t, models.SQLite)
	for _, tc := range []struct{ typed, want string }{
		{"", "Enter your password"},
		{"Wrong+Guess1", "The current password is incorrect"},
	} {
		res := c.Submit(c.Get("/confirm?next=/profile"), "form[data-testid=confirm-form]", map[string]string{"password": tc.typed})
		got := res.Doc.Find("[data-testid=error-password]").Text()
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(got, tc.want) {
			t.Errorf("%q: %d %q, want %q", tc.typed, res.Status, got, tc.want)
		}
		if !strings.HasPrefix(res.Doc.Find("title").Text(), "Error: ") {
			t.Errorf("%q: title %q", tc.typed, res.Doc.Find("title").Text())
		}
	}
}
