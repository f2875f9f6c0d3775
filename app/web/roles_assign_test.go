package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"accountportal/app/apptest"
	"accountportal/models"
)

// builtinRoleURL is the page of a built-in role.
func builtinRoleURL(t *testing.T, e *apptest.Env, key string) string {
	t.Helper()
	r, err := e.Store().Roles.Builtin(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	return "/admin/roles/" + apptest.Itoa(r.ID)
}

// A role the viewer may not give (it holds privileges they lack) offers no
// assign form and no Remove buttons but says why; a stale form posted anyway
// comes back to the role's page with the reason, not to a dead end.
func TestRoleAssignOfferedOnlyWhenAllowed(t *testing.T) {
	w := newWorld(t, models.SQLite)
	e := w.e
	ivan := w.client(t, itAdmin)
	billing := builtinRoleURL(t, e, "billing_admin")

	page := ivan.Get(billing)
	why := page.Doc.Find("[data-testid=assign-why-not]").Text()
	if page.Status != http.StatusOK || page.Doc.Find("[data-testid=assign-form]").Length() != 0 ||
		!strings.Contains(why, "only if you hold all its privileges") || !strings.Contains(why, "Billing changes") {
		t.Fatalf("IT Admin on Billing Admin: %d, form %d, why %q", page.Status, page.Doc.Find("[data-testid=assign-form]").Length(), why)
	}
	if n := page.Doc.Find("[data-testid^=unassign-]").Length(); n != 0 {
		t.Fatalf("%d Remove buttons offered", n)
	}
	// The Primary Admin holds everything: the form is offered.
	if pa := w.client(t, primary).Get(billing); pa.Doc.Find("[data-testid=assign-form]").Length() != 1 ||
		pa.Doc.Find("[data-testid=assign-why-not]").Length() != 0 {
		t.Fatal("the Primary Admin is not offered the assign form")
	}

	res := post(ivan, billing+"/members", url.Values{"user_id": {w.targetID}, "action": {"add"}})
	summary := res.Doc.Find("[data-testid=error-summary]")
	if res.Status != http.StatusForbidden || summary.Length() != 1 || res.Doc.Find("[data-testid=error-page]").Length() != 0 ||
		!strings.Contains(summary.Text(), "Billing changes") || res.Doc.Find("h1").Text() != "Billing Admin" {
		t.Fatalf("stale assign: %d, summary %q, h1 %q", res.Status, summary.Text(), res.Doc.Find("h1").Text())
	}
	if title := res.Doc.Find("title").Text(); !strings.HasPrefix(title, "Error: ") {
		t.Fatalf("title %q", title)
	}
	if href, _ := summary.Find("a").Attr("href"); href != "#role-assign" || res.Doc.Find("#role-assign").Length() != 1 {
		t.Fatalf("summary links to %q", href)
	}
	if got := permissionsOf(t, e, "tess"); got != "" {
		t.Fatalf("tess holds %q", got)
	}
}
