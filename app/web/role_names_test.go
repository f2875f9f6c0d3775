package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"accountportal/models"
)

// A custom role may not take a built-in role's name, nor another role's of
// the account, whatever its case and spaces, on create or rename.
func TestRoleNamesAreUnique(t *testing.T) {
	w := newWorld(t, models.SQLite)
	pa := w.client(t, primary)
	check := func(what, path, name string, want int) {
		t.Helper()
		res := post(pa, path, url.Values{"name": {name}, "permission": {"audit.view"}})
		if res.Status != want {
			t.Fatalf("%s %q: %d, want %d", what, name, res.Status, want)
		}
		if want == http.StatusUnprocessableEntity {
			if got := res.Doc.Find("[data-testid=error-name]").Text(); !strings.Contains(got, "This account already has a role with that name") {
				t.Fatalf("%s %q: error %q", what, name, got)
			}
		}
	}
	check("create", "/admin/roles", "IT Admin", http.StatusUnprocessableEntity)
	check("create", "/admin/roles", "  billing ADMIN ", http.StatusUnprocessableEntity)
	check("create", "/admin/roles", "auditor", http.StatusUnprocessableEntity)
	role := "/admin/roles/" + w.roleID
	check("rename", role, "Company Admin", http.StatusUnprocessableEntity)
	check("rename to its own name in another case", role, "AUDITOR", http.StatusSeeOther)
}

// An unknown privilege code is bad input (422), not a privilege problem.
func TestRoleUnknownPrivilegeIsInvalid(t *testing.T) {
	w := newWorld(t, models.SQLite)
	res := post(w.client(t, primary), "/admin/roles", url.Values{"name": {"Root"}, "permission": {"root"}})
	if got := res.Doc.Find("[data-testid=error-permissions]").Text(); res.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(got, "Choose privileges from the list") {
		t.Fatalf("unknown privilege: %d %q", res.Status, got)
	}
}
