package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"accountportal/app/apptest"
	"accountportal/app/identity"
	"accountportal/app/security"
	"accountportal/models"
	"accountportal/models/modelstest"
)

// sessionRows counts every row of the sessions table, signed in or not.
func sessionRows(t *testing.T, e *apptest.Env) int {
	t.Helper()
	db, err := e.Store().SQLDB()
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.QueryRow("SELECT count(*) FROM sessions").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Looking at pages with forms, and the sign-in form's first step, costs
// a visitor no database write: their CSRF seed and typed values ride in
// the cookie.
func TestVisitorsWriteNoSessionRows(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e := apptest.Start(t, d, apptest.Options{})
		look := func(path string) {
			t.Helper()
			returning := e.Client()
			for i := range 200 {
				c := returning
				if i%2 == 0 {
					c = e.Client()
				}
				if res := c.Get(path); res.Status != http.StatusOK || apptest.CSRF(res) == "" {
					t.Fatalf("GET %s: %d", path, res.Status)
				}
			}
			if n := sessionRows(t, e); n != 0 {
				t.Fatalf("200 GETs of %s wrote %d session rows", path, n)
			}
		}
		look("/setup")
		a := apptest.DefaultAdmin()
		ada := e.Setup(a)
		ada.Submit(ada.Get("/"), "form[action='/logout']", nil)
		look("/login")
		look("/forgot/password")
		look("/forgot/username")

		c := e.Client()
		if res := c.Get("/profile"); res.Status != http.StatusSeeOther || res.Location != "/login" {
			t.Fatalf("anonymous /profile: %d %q", res.Status, res.Location)
		}
		res := c.Submit(c.Get("/login"), "form[data-testid=login-username-form]", map[string]string{"username": "ada"})
		if res.Status != http.StatusSeeOther || c.Get("/login/password").Doc.Find("[data-testid=login-as]").Text() != "ada" {
			t.Fatalf("username step: %d", res.Status)
		}
		if n := sessionRows(t, e); n != 0 {
			t.Fatalf("the username step wrote %d session rows", n)
		}
		// The password proves who this is: now there is a row, and the
		// visitor's values (where they were going) came along.
		res = c.Submit(c.Get("/login/password"), "form[data-testid=login-password-form]", map[string]string{"password": a.Password})
		if res.Status != http.StatusSeeOther || sessionRows(t, e) != 1 {
			t.Fatalf("password step: %d, %d rows", res.Status, sessionRows(t, e))
		}
		if res := c.Submit(c.Get("/login/agreement"), "form[action='/login/agreement']", nil); res.Location != "/profile" {
			t.Fatalf("after sign-in: %d %q", res.Status, res.Location)
		}
	})
}

// A visitor's form needs the token made for their own cookie: a missing,
// made-up or other visitor's token is refused, and so is a token with a
// cookie that was tampered with.
func TestVisitorCSRF(t *testing.T) {
	e, _ := signedUp(t, models.SQLite, apptest.Options{})
	other := e.Client()
	othersToken := apptest.CSRF(other.Get("/forgot/password"))
	for _, path := range []string{"/login", "/forgot/password"} {
		for name, token := range map[string]string{"missing": "", "made up": strings.Repeat("A", 43), "another visitor's": othersToken} {
			c := e.Client()
			c.Get(path)
			v := url.Values{"username": {"ada"}}
			if token != "" {
				v.Set("csrf_token", token)
			}
			if res := c.Post(path, v); res.Status != http.StatusForbidden {
				t.Errorf("%s with a %s token: %d", path, name, res.Status)
			}
		}
		c := e.Client()
		token := apptest.CSRF(c.Get(path))
		ck := c.Cookie("portal")
		forged := *ck
		forged.Value = ck.Value[:len(ck.Value)-4] + "AAAA"
		c.SetCookie(&forged)
		if res := c.Post(path, url.Values{"username": {"ada"}, "csrf_token": {token}}); res.Status != http.StatusForbidden {
			t.Errorf("%s with a tampered cookie: %d", path, res.Status)
		}
		c.SetCookie(ck)
		if res := c.Post(path, url.Values{"username": {"ada"}, "csrf_token": {token}}); res.Status != http.StatusSeeOther && res.Status != http.StatusOK {
			t.Errorf("%s with its own token: %d", path, res.Status)
		}
	}
}

// A visitor's cookie stays well under the 4 KB browsers keep, however long
// the address they asked for or the username they typed.
func TestVisitorCookieStaysSmall(t *testing.T) {
	e, a := signedUp(t, models.SQLite, apptest.Options{})
	c := e.Client()
	long := "/admin/users?q=" + strings.Repeat("x", 3000)
	if res := c.Get(long); res.Status != http.StatusSeeOther {
		t.Fatalf("anonymous long address: %d", res.Status)
	}
	c.Get("/?tab=kept")
	res := c.Submit(c.Get("/login"), "form[data-testid=login-username-form]",
		map[string]string{"username": strings.Repeat("é", 4*identity.UsernameMax/2)})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("long username: %d", res.Status)
	}
	if n := len(c.Cookie("portal").Value); n > 2000 {
		t.Fatalf("visitor cookie is %d bytes", n)
	}
	if res := c.SignIn("ada", a.Password); res.Location != "/?tab=kept" {
		t.Fatalf("sign-in went to %q", res.Location)
	}
}

// A password change renews the session but not its absolute lifetime: the
// session still ends 12 hours after the sign-in.
func TestRenewalKeepsAbsoluteTimeout(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e, a := signedUp(t, d, apptest.Options{})
		c := e.Client()
		if res := c.SignIn("ada", a.Password); res.Status != http.StatusSeeOther {
			t.Fatalf("sign in: %d", res.Status)
		}
		signedInAt := e.Clock.Now()
		stayActive := func(until time.Time) {
			t.Helper()
			for e.Clock.Now().Add(20 * time.Minute).Before(until) {
				e.Clock.Advance(20 * time.Minute)
				if res := c.Get("/"); res.Status != http.StatusOK {
					t.Fatalf("session ended %v after sign-in", e.Clock.Now().Sub(signedInAt))
				}
			}
		}
		stayActive(signedInAt.Add(6 * time.Hour))
		before := c.Cookie("portal").Value
		confirmItsYou(t, c, "/profile/password", a.Password)
		res := submitProfile(c, "password-form", map[string]string{"password": newPassword, "password_confirm": newPassword})
		if res.Status != http.StatusSeeOther || c.Cookie("portal").Value == before {
			t.Fatalf("password change: %d, renewed %v", res.Status, c.Cookie("portal").Value != before)
		}
		stayActive(signedInAt.Add(12 * time.Hour))
		e.Clock.Advance(signedInAt.Add(12*time.Hour + time.Minute).Sub(e.Clock.Now()))
		if res := c.Get("/"); res.Status != http.StatusSeeOther || res.Location != "/login" {
			t.Fatalf("session outlived the sign-in's absolute timeout: %d %q", res.Status, res.Location)
		}
	})
}

// addSessions writes n sessions of the user straight to the table, as n
// sign-ins on other devices over the last hours would have.
func addSessions(t *testing.T, e *apptest.Env, userID int64, n int) {
	t.Helper()
	now := e.Clock.Now()
	err := e.Store().InTx(context.Background(), func(tx *models.Store) error {
		for i := range n {
			_, hash := security.NewToken()
			seen := now.Add(-time.Duration(n-i) * time.Second)
			row := &models.Session{IDHash: hash, UserID: &userID, CreatedAt: seen, LastSeenAt: seen,
				IdleExpiresAt: now.Add(30 * time.Minute), AbsoluteExpiresAt: now.Add(12 * time.Hour), IdleTimeoutSeconds: 1800,
				IP: "198.51.100.7", UserAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0", Data: "{}"}
			if err := tx.Sessions.Create(context.Background(), row); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A user with a long history of sign-ins gets a short My Profile and user
// page; signing in again ends all but the newest sessions, audited, and the
// devices signed out are told why.
func TestSessionsPerUserAreCapped(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e, ada, a := signedIn(t, d)
		ctx := context.Background()
		u := e.User("ada")
		e.Clock.Advance(time.Minute)
		addSessions(t, e, u.ID, 800)

		if page := ada.Get("/profile"); page.Status != http.StatusOK || len(page.Body) > 30_000 ||
			!strings.Contains(page.Doc.Find("[data-testid=profile-sessions]").Text(), "801 devices") {
			t.Fatalf("My Profile with 801 sessions: %d, %d bytes", page.Status, len(page.Body))
		}
		page := ada.Get("/profile/sessions")
		if page.Status != http.StatusOK || len(page.Body) > 30_000 {
			t.Fatalf("sessions page with 801 sessions: %d, %d bytes", page.Status, len(page.Body))
		}
		rows := page.Doc.Find("[data-testid=session-row]")
		if rows.Length() != 10 || rows.First().Find("[data-testid=this-device]").Length() != 1 {
			t.Fatalf("listed %d sessions, this device first: %v", rows.Length(), rows.First().Find("[data-testid=this-device]").Length() == 1)
		}
		if got := page.Doc.Find("[data-testid=sessions-more]").Text(); !strings.Contains(got, "791 older sessions") {
			t.Fatalf("not-listed note %q", got)
		}
		if page.Doc.Find("form[action='/profile/sessions/signout-others']").Length() != 1 {
			t.Fatal("no sign out of all others")
		}
		admin := ada.Get("/admin/users/" + apptest.Itoa(u.ID))
		if admin.Status != http.StatusOK || len(admin.Body) > 40_000 ||
			admin.Doc.Find("[data-testid=user-sessions] tbody tr").Length() != 10 ||
			!strings.Contains(admin.Doc.Find("[data-testid=user-sessions-more]").Text(), "791 older sessions") {
			t.Fatalf("user page: %d, %d bytes, %d rows", admin.Status, len(admin.Body), admin.Doc.Find("[data-testid=user-sessions] tbody tr").Length())
		}

		// Signing in again keeps the nine most recently used sessions
		// (ada's browser among them) and the new one.
		phone := e.Client()
		if res := phone.SignIn("ada", a.Password); res.Status != http.StatusSeeOther {
			t.Fatalf("sign in: %d", res.Status)
		}
		if live, _ := e.Store().Sessions.CountOfUser(ctx, u.ID, e.Clock.Now()); live != identity.MaxSessionsPerUser {
			t.Fatalf("%d live sessions after sign-in, want %d", live, identity.MaxSessionsPerUser)
		}
		events, _ := e.Store().Audit.ForTarget(ctx, u.AccountID, u.ID, 5)
		var details struct {
			Ended int64 `json:"sessions_ended"`
			Limit int   `json:"limit"`
		}
		if len(events) == 0 || events[0].Action != identity.ActionSessionsLimited ||
			json.Unmarshal([]byte(events[0].Details), &details) != nil || details.Ended != 792 || details.Limit != 10 {
			t.Fatalf("audit: %+v", events)
		}
		if res := ada.Get("/"); res.Status != http.StatusOK {
			t.Fatalf("the most recently used session was ended: %d", res.Status)
		}

		// Ten more sign-ins push ada's first browser out; it is told why.
		for range identity.MaxSessionsPerUser {
			e.Clock.Advance(time.Minute)
			if res := e.Client().SignIn("ada", a.Password); res.Status != http.StatusSeeOther {
				t.Fatalf("sign in: %d", res.Status)
			}
		}
		if live, _ := e.Store().Sessions.CountOfUser(ctx, u.ID, e.Clock.Now()); live != identity.MaxSessionsPerUser {
			t.Fatalf("%d live sessions, want %d", live, identity.MaxSessionsPerUser)
		}
		res := ada.Get("/")
		if res.Status != http.StatusSeeOther || res.Location != "/login" {
			t.Fatalf("ended session: %d %q", res.Status, res.Location)
		}
		if got := ada.Get("/login").Doc.Find("[data-testid=flash]").Text(); !strings.Contains(got, "most recent sessions") {
			t.Fatalf("flash %q", got)
		}
	})
}

// An emailed link's wizard keeps its state in a row while it runs (one per
// valid opening, none for a dead link) and the row goes when it ends.
func TestResetWizardRowLastsWhileItRuns(t *testing.T) {
	e, _ := signedUp(t, models.SQLite, apptest.Options{})
	c := e.Client()
	link := resetLink(t, e, c, "ada", "ada@example.com")
	if res := e.Client().Get("/reset/" + strings.Repeat("x", 43)); res.Status != http.StatusNotFound || sessionRows(t, e) != 0 {
		t.Fatalf("dead link: %d, %d rows", res.Status, sessionRows(t, e))
	}
	if res := c.Get(link); res.Status != http.StatusSeeOther || sessionRows(t, e) != 1 {
		t.Fatalf("open link: %d, %d rows", res.Status, sessionRows(t, e))
	}
	res := c.Submit(c.Get("/reset"), "form[data-testid=reset-password-form]",
		map[string]string{"password": newPassword, "password_confirm": newPassword})
	if res.Status != http.StatusSeeOther || res.Location != "/reset/done" {
		t.Fatalf("new password: %d %q", res.Status, res.Location)
	}
	if n := sessionRows(t, e); n != 0 {
		t.Fatalf("%d rows after the wizard ended", n)
	}
	if res := c.SignIn("ada", newPassword); res.Status != http.StatusSeeOther {
		t.Fatalf("sign in with the new password: %d", res.Status)
	}
}

// A device signed out from another one's Devices and sessions is told why
// at its next request, as every other ending is.
func TestDeviceSignedOutElsewhereIsToldWhy(t *testing.T) {
	e, ada, a := signedIn(t, models.SQLite)
	phone := e.Client()
	if res := phone.SignIn("ada", a.Password); res.Status != http.StatusSeeOther {
		t.Fatalf("sign in on the phone: %d", res.Status)
	}
	page := ada.Get("/profile/sessions")
	if res := ada.Submit(page, "form[action='/profile/sessions/signout-others']", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("sign out the others: %d", res.Status)
	}
	res := phone.Get("/")
	if res.Status != http.StatusSeeOther || res.Location != "/login" {
		t.Fatalf("the phone's next request: %d %q", res.Status, res.Location)
	}
	if got := phone.Get("/login").Doc.Find("[data-testid=flash]").Text(); !strings.Contains(got, "You signed this device out from another one") {
		t.Fatalf("flash %q", got)
	}
}
