package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"accountportal/app/apptest"
	"accountportal/models"
	"accountportal/models/modelstest"
)

func TestEmailChange(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e, c, _ := signedIn(t, d)
		res := submitProfile(c, "email-form", map[string]string{"new_email": "nope"})
		if res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("bad address: %d", res.Status)
		}
		res = submitProfile(c, "email-form", map[string]string{"new_email": "ada.new@example.com"})
		if res.Status != http.StatusSeeOther || res.Location != "/profile" {
			t.Fatalf("request: %d %q", res.Status, res.Location)
		}
		if e.User("ada").Email != "ada@example.com" {
			t.Fatal("address changed before confirmation")
		}
		if got := c.Get("/profile").Doc.Find("[data-testid=pending-email]").Text(); !strings.Contains(got, "ada.new@example.com") {
			t.Fatalf("pending change not shown: %q", got)
		}
		e.Drain()
		msgs := e.MailTo("ada.new@example.com")
		if len(msgs) != 1 || msgs[0].Subject != "Confirm your new email address" {
			t.Fatalf("confirmation mail: %+v", msgs)
		}
		link := c.Path(apptest.LinkIn(msgs[0].TextBody, e.URL+"/profile/email/confirm/"))

		// Another signed-in user cannot use it.
		admin := e.User("ada")
		e.AddUser(admin.AccountID, "bob", "Walrus+Tide42", models.StatusActive)
		bob := e.Client()
		bob.SignIn("bob", "Walrus+Tide42")
		if res := bob.Get(link); res.Status != http.StatusNotFound {
			t.Fatalf("another user's confirmation: %d", res.Status)
		}
		res = c.Get(link)
		if res.Status != http.StatusSeeOther || res.Location != "/profile" {
			t.Fatalf("confirm: %d %q", res.Status, res.Location)
		}
		if got := c.Get("/profile").Doc.Find("[data-testid=flash]").Text(); got != "Your email address is now ada.new@example.com." {
			t.Fatalf("flash %q", got)
		}
		if u := e.User("ada"); u.Email != "ada.new@example.com" || u.Username != "ada" {
			t.Fatalf("after confirming: %s %s", u.Email, u.Username)
		}
		if res := c.Get(link); res.Status != http.StatusNotFound {
			t.Fatalf("link used twice: %d", res.Status)
		}
		e.Drain()
		old := e.MailTo("ada@example.com")
		if len(old) == 0 || old[len(old)-1].Subject != "Your email address was changed" ||
			!strings.Contains(old[len(old)-1].TextBody, "ada.new@example.com") {
			t.Fatal("old address not told")
		}
	})
}

func TestEmailChangeLinkExpires(t *testing.T) {
	e, c, a := signedIn(t, models.SQLite)
	submitProfile(c, "email-form", map[string]string{"new_email": "ada.new@example.com"})
	e.Drain()
	link := c.Path(apptest.LinkIn(e.MailTo("ada.new@example.com")[0].TextBody, e.URL+"/profile/email/confirm/"))
	e.Clock.Advance(25 * time.Hour)
	c.SignIn("ada", a.Password)
	if res := c.Get(link); res.Status != http.StatusNotFound {
		t.Fatalf("expired link: %d", res.Status)
	}
	// Signed out, the link leads through sign-in and back.
	anon := e.Client()
	if res := anon.Get(link); res.Status != http.StatusSeeOther || res.Location != "/login" {
		t.Fatalf("anonymous: %d %q", res.Status, res.Location)
	}
}
