package web_test

import (
	"net/http"
	"strings"
	"testing"

	"accountportal/app/apptest"
)

// confirmThrough follows the link (or submits the form) selector on page
// to the action's confirmation page, checks it names the person with
// cancel going back, and submits the confirmation form with fields. It
// returns the confirmation page and the answer to it.
func confirmThrough(t *testing.T, c *apptest.Client, page *apptest.Response, selector, name string, fields map[string]string) (*apptest.Response, *apptest.Response) {
	t.Helper()
	href, ok := page.Doc.Find(selector).Attr("href")
	if !ok {
		t.Fatalf("no link %s on the user page: %s", selector, page.Doc.Find("#actions").Text())
	}
	confirm := c.Get(href)
	if confirm.Status != http.StatusOK || !strings.Contains(confirm.Doc.Find("h1").Text(), name) {
		t.Fatalf("confirmation %s: %d %q", href, confirm.Status, confirm.Doc.Find("h1").Text())
	}
	button := strings.TrimSpace(confirm.Doc.Find("[data-testid=confirm-submit], [data-testid=delete-submit], [data-testid=mfa-reset-submit]").Text())
	if !strings.Contains(button, name) || strings.Contains(button, "Go ahead") {
		t.Fatalf("the confirmation's button says %q", button)
	}
	if back, _ := confirm.Doc.Find("[data-testid=confirm-cancel]").Attr("href"); back == "" || !strings.HasPrefix(href, back) {
		t.Fatalf("cancel goes to %q", back)
	}
	return confirm, c.Submit(confirm, "main form[method=post]", fields)
}

// flashAtTop checks res redirects to the top of the user page (no anchor)
// and returns the flash that page shows first in its main content.
func flashAtTop(t *testing.T, c *apptest.Client, res *apptest.Response, userPath string) string {
	t.Helper()
	if res.Status != http.StatusSeeOther || res.Location != userPath {
		t.Fatalf("action: %d to %q, want 303 to %q (%s)", res.Status, res.Location, userPath, res.Doc.Find("[data-testid=error-summary]").Text())
	}
	page := c.Get(res.Location)
	first := page.Doc.Find("main > *").First()
	if v, _ := first.Attr("data-testid"); v != "flash" {
		t.Fatalf("the page does not start with the flash: %q", first.Text())
	}
	return first.Text()
}

// confirmed takes the action selector of the user page of the user with
// id through its confirmation, and returns the answer.
func confirmed(t *testing.T, c *apptest.Client, id, selector string, fields map[string]string) *apptest.Response {
	t.Helper()
	page := c.Get("/admin/users/" + id)
	_, res := confirmThrough(t, c, page, selector, page.Doc.Find("h1").Text(), fields)
	return res
}
