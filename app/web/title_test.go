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
