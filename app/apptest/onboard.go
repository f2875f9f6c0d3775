package apptest

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// Onboard onboards a customer account through the operator console as c,
// a signed-in operator, and returns the answer (303 to the account's page
// on success).
func (c *Client) Onboard(company, adminName, adminEmail string) *Response {
	c.t.Helper()
	return c.Submit(c.Get("/operator/accounts/new"), "form[data-testid=onboard-form]", map[string]string{
		"company_name": company, "admin_name": adminName, "admin_email": adminEmail})
}

// OnboardedID returns the id of the account an Onboard answer leads to.
func OnboardedID(t testing.TB, res *Response) int64 {
	t.Helper()
	rest, ok := strings.CutPrefix(res.Location, "/operator/accounts/")
	id, err := strconv.ParseInt(rest, 10, 64)
	if res.Status != http.StatusSeeOther || !ok || err != nil {
		t.Fatalf("onboarding: %d %q\n%s", res.Status, res.Location, res.Body)
	}
	return id
}

// InvitationLink returns the path of the newest invitation link emailed to
// addr, or fails the test.
func (e *Env) InvitationLink(addr string) string {
	e.T.Helper()
	msgs := e.MailTo(addr)
	for i := len(msgs) - 1; i >= 0; i-- {
		if link := LinkIn(msgs[i].TextBody, e.URL+"/invite/"); link != "" {
			return strings.TrimPrefix(link, e.URL)
		}
	}
	e.T.Fatalf("no invitation emailed to %s", addr)
	return ""
}

// AcceptInvitation follows the invitation link at path in a new browser,
// chooses password and passphrase, accepts the license agreement and
// returns the browser, signed in.
func (e *Env) AcceptInvitation(path, password, passphrase string) *Client {
	e.T.Helper()
	c := e.Client()
	if res := c.Get(path); res.Status != http.StatusSeeOther || res.Location != "/invite" {
		e.T.Fatalf("open invitation: %d %q", res.Status, res.Location)
	}
	res := c.Submit(c.Get("/invite"), "form[data-testid=invitation-form]", map[string]string{
		"password": password, "password_confirm": password, "passphrase": passphrase})
	if res.Status != http.StatusSeeOther || res.Location != "/login/agreement" {
		e.T.Fatalf("accept invitation: %d %q\n%s", res.Status, res.Location, res.Body)
	}
	if res = c.finish(res); res.Status != http.StatusSeeOther || res.Location != "/" {
		e.T.Fatalf("license agreement after the invitation: %d %q", res.Status, res.Location)
	}
	return c
}
