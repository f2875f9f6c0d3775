package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"accountportal/models"
)

// TestConfirmLinkStaysOnSite follows a crafted "confirm it's you" link as
// a victim would: open it, type the password. Browsers drop the tab of
// "/\t/evil.example" and go to //evil.example; the portal must send them
// home instead.
func TestConfirmLinkStaysOnSite(t *testing.T) {
	_, c, a := signedIn(t, models.SQLite)
	for _, next := range []string{"/%09/evil.example", "/%0A/evil.example", "/%5Cevil.example", "/%2F/evil.example",
		"/%252F/evil.example", "%2F%2Fevil.example", "https:evil.example", "/%E2%88%95evil.example"} {
		page := c.Get("/confirm?next=" + next)
		if page.Status != http.StatusOK {
			t.Fatalf("GET /confirm?next=%s: %d", next, page.Status)
		}
		res := c.Submit(page, "form[data-testid=confirm-form]", map[string]string{"password": a.Password})
		if res.Status != http.StatusSeeOther || res.Location != "/" {
			t.Errorf("next=%s: %d to %q, want 303 to /", next, res.Status, res.Location)
		}
	}
}

// TestConfirmPostedNextStaysOnSite sends the bypasses in the form itself:
// each either goes home or is refused, never elsewhere.
func TestConfirmPostedNextStaysOnSite(t *testing.T) {
	_, c, a := signedIn(t, models.SQLite)
	for _, next := range []string{"/\t/evil.example", "/\n/evil.example", "/\\evil.example", "\\/evil.example",
		"/%2F/evil.example", "//evil.example", "https:evil.example", "/\u2215evil.example", "/\uFF0Fevil.example"} {
		page := c.Get("/confirm?next=/profile")
		res := c.Post("/confirm", formOf(page, map[string]string{"password": a.Password, "next": next}))
		switch {
		case res.Status == http.StatusSeeOther && res.Location == "/":
		case res.Status == http.StatusUnprocessableEntity:
		default:
			t.Errorf("next=%q: %d to %q, want 303 to / or 422", next, res.Status, res.Location)
		}
	}
}

// TestReturnToKeepsEncodedQuery: the stricter check still brings a user
// back to the page they asked for before signing in, its encoded query
// included.
func TestReturnToKeepsEncodedQuery(t *testing.T) {
	e, _, a := signedIn(t, models.SQLite)
	c := e.Client()
	c.Get("/admin/users?q=" + url.QueryEscape("Zoë Smith"))
	if res := c.SignIn(a.Username, a.Password); res.Location != "/admin/users?q=Zo%C3%AB+Smith" {
		t.Errorf("after visiting the users list: %d to %q", res.Status, res.Location)
	}
}
