package web_test

import (
	"net/http"
	"strings"
	"testing"

	"accountportal/app/apptest"
	"accountportal/models"
)

// A page that answers a form with its errors says so first in its title,
// which a screen reader reads before anything else; the same page without
// errors does not.
func TestTitleStartsWithErrorOnlyWhenTheFormHasErrors(t *testing.T) {
	e, _ := signedUp(t, models.SQLite, apptest.Options{})
	c := e.Client()
	c.Submit(c.Get("/login"), "form[data-testid=login-username-form]", map[string]string{"username": "ada"})
	page := c.Get("/login/password")
	if title := page.Doc.Find("title").Text(); strings.HasPrefix(title, "Error") {
		t.Fatalf("title without errors: %q", title)
	}
	wrong := c.Submit(page, "form[data-testid=login-password-form]", map[string]string{"password": "Wrong+Pass99"})
	title := wrong.Doc.Find("title").Text()
	if wrong.Status != http.StatusUnprocessableEntity || !strings.HasPrefix(title, "Error: ") || strings.Contains(title, "Error: Error") {
		t.Fatalf("%d %q", wrong.Status, title)
	}
}

// A name far longer than any username is said to be too long, at sign-in
// and on the reset form alike, not "Enter your username" as if the field
// were empty.
func TestOverlongUsernameIsSaidToBeTooLong(t *testing.T) {
	e, _ := signedUp(t, models.SQLite, apptest.Options{})
	long := strings.Repeat("a", 5000)
	for _, f := range []struct{ page, form, want string }{
		{"/login", "form[data-testid=login-username-form]", "That is too long for a username or email address"},
		{"/login", "form[data-testid=login-username-form]", ""},
		{"/forgot/password", "form[data-testid=forgot-password-form]", "That is too long for a username or email address"},
		{"/forgot/password", "form[data-testid=forgot-password-form]", ""},
	} {
		c := e.Client()
		value, want := long, f.want
		if want == "" {
			value, want = "  ", "Enter your username"
		}
		res := c.Submit(c.Get(f.page), f.form, map[string]string{"username": value})
		if got := strings.TrimSpace(res.Doc.Find(".field-error").Text()); res.Status != http.StatusUnprocessableEntity || !strings.Contains(got, want) {
			t.Errorf("%s with %d characters: %d %q", f.page, len(value), res.Status, got)
		}
	}
}
