package web_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"accountportal/app/apptest"
	"accountportal/app/identity"
	"accountportal/models"
	"accountportal/models/modelstest"
)

// marker is in every refused value, so a search of the whole database
// shows whether any of them was stored. The tildes keep it out of random
// tokens, and it is lower case because keys are stored lower-cased.
const marker = "~qz7~"

// badTexts are the kinds of text every field and query parameter must
// refuse (or, for query parameters, ignore), each around the marker.
var badTexts = []struct{ name, value string }{
	{"NUL", marker + "\x00cd"},
	{"invalid UTF-8", marker + "\xff\xfecd"},
	{"right-to-left override", marker + "\u202Ecd"},
	{"control character", marker + "\x01cd"},
	{"tab", tabText},
}

// tabText is the bad text a text area takes as text.
const tabText = marker + "\tcd"

// requireNothingStored fails the test when any refused value reached the
// database.
func requireNothingStored(t *testing.T, e *apptest.Env) {
	t.Helper()
	if found := e.StoredText(marker); len(found) > 0 {
		t.Fatalf("refused input was stored:\n%s", strings.Join(found, "\n"))
	}
}

// requireClean fails when a page holds a raw NUL, invalid UTF-8 or a
// direction override: what SQLite used to store and show.
func requireClean(t *testing.T, what string, res *apptest.Response) {
	t.Helper()
	if res.Status >= 500 {
		t.Errorf("%s: %d", what, res.Status)
	}
	if strings.ContainsAny(res.Body, "\x00\u202E") || strings.Contains(res.Body, "\xff\xfe") {
		t.Errorf("%s: the page holds a raw control, invalid or direction character", what)
	}
}

// TestBadTextFromTheIssue replays the requests of issue 14 that answered
// 500 on PostgreSQL, or stored and showed the text on SQLite.
func TestBadTextFromTheIssue(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e := apptest.Start(t, d, apptest.Options{})
		c := e.Setup(apptest.DefaultAdmin())
		for _, name := range []string{marker + "R\x00Z", marker + "R\xff\xfe", marker + "R\u202EZ"} {
			page := c.Get("/admin/roles/new")
			res := c.Post("/admin/roles", formOf(page, map[string]string{"name": name, "permission": identity.PermAuditView}))
			if res.Status != http.StatusUnprocessableEntity {
				t.Errorf("role named %q: %d, want 422", name, res.Status)
			}
			requireClean(t, "role form", res)
			if res.Doc.Find("[data-testid=error-name]").Length() == 0 {
				t.Errorf("role named %q: no message beside the name", name)
			}
		}
		anon := e.Client()
		page := anon.Get("/forgot/password")
		res := anon.Post("/forgot/password", formOf(page, map[string]string{"username": marker + "ab\x00cd"}))
		if res.Status != http.StatusUnprocessableEntity {
			t.Errorf("forgot password for ab%%00cd: %d, want 422", res.Status)
		}
		requireClean(t, "forgot password", res)
		for _, path := range []string{"/admin/users?q=%00", "/admin/users?q=%FF%FE", "/admin/audit?action=%00",
			"/admin/audit?action=%FF%FE", "/admin/audit?actor=%00&target=%E2%80%AE"} {
			res := c.Get(path)
			if res.Status != http.StatusOK {
				t.Errorf("GET %s: %d, want 200 with the parameter ignored", path, res.Status)
			}
			requireClean(t, path, res)
		}
		requireNothingStored(t, e)
	})
}

// TestUserAgentIsStoredClean: a User-Agent that is not valid UTF-8 is kept,
// cleaned, with the session and the audit entry of the sign-in, instead
// of failing the request on PostgreSQL. (Go's server already refuses NUL
// and line breaks in headers.)
func TestUserAgentIsStoredClean(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e := apptest.Start(t, d, apptest.Options{})
		a := apptest.DefaultAdmin()
		e.Setup(a)
		c := e.Client()
		c.Header.Set("User-Agent", marker+"Browser\xff\xfe\t\u202E/1.0")
		if res := c.SignIn(a.Username, a.Password); res.Status != http.StatusSeeOther || res.Location != "/" {
			t.Fatalf("sign in: %d %q\n%s", res.Status, res.Location, res.Body)
		}
		found := e.StoredText(marker)
		if len(found) == 0 {
			t.Fatal("the user agent was not kept at all")
		}
		for _, v := range found {
			if !strings.Contains(v, marker+"Browser\uFFFD\uFFFD\uFFFD/1.0") && !strings.Contains(v, `Browser\ufffd\ufffd\ufffd/1.0`) {
				t.Errorf("stored %q", v)
			}
		}
		requireClean(t, "profile", c.Get("/profile"))
	})
}

// TestFormsReadOnlyFormBodies: a JSON body (which the binder would read
// too, past the form checks) is refused with 415, and a field sent in the
// query string instead of the body is not bound.
func TestFormsReadOnlyFormBodies(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e := apptest.Start(t, d, apptest.Options{})
		c := e.Setup(apptest.DefaultAdmin())
		csrf := apptest.CSRF(c.Get("/admin/roles/new"))
		res := c.Request(http.MethodPost, "/admin/roles", nil, func(r *http.Request) {
			r.Body = io.NopCloser(strings.NewReader(`{"name":"` + marker + `R\u0000Z","permissions":["audit.view"]}`))
			r.ContentLength = -1
			r.Header.Set("Content-Type", "application/json")
			r.Header.Set("X-CSRF-Token", csrf)
		})
		if res.Status != http.StatusUnsupportedMediaType {
			t.Errorf("role as JSON: %d, want 415", res.Status)
		}
		page := c.Get("/profile")
		res = c.Post("/profile/details?display_name="+marker+"Query", formOf(page, nil))
		if res.Status != http.StatusUnprocessableEntity || res.Doc.Find("[data-testid=error-display_name]").Length() == 0 {
			t.Errorf("name in the query string only: %d, want 422 asking for the name", res.Status)
		}
		requireNothingStored(t, e)
	})
}
