package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"accountportal/app/apptest"
	"accountportal/app/provider"
	"accountportal/app/security"
	"accountportal/models"
)

// A Primary Admin who forgot their security question's answer has nobody
// above them to clear it. Five wrong answers block their reset, and the
// page sends them to the provider's support desk rather than to "your
// account administrator" (themself), who is not emailed to help
// themself. Once the desk has verified them, the operator's reset link
// does not ask the question, and they choose a new password.
func TestPrimaryAdminWhoForgotTheAnswerGetsBackInThroughTheProvider(t *testing.T) {
	w := newStatusWorld(t, models.SQLite)
	ada := w.e.User("ada")
	hash, _ := security.NewHasher(security.Argon2Params(w.e.App.Config.Argon2), 1, 0).Hash(context.Background(), "port talbot")
	if err := w.e.Store().Users.SetSecurityQuestion(context.Background(), ada.ID, "In what city were you born?", hash, w.e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	w.e.Drain()
	mailBefore := len(w.e.MailTo(w.admin.Email))
	c := w.e.Client()
	c.Get(resetLink(t, w.e, c, "ada", w.admin.Email))
	var res *apptest.Response
	for range 5 {
		res = c.Submit(c.Get("/reset"), "form[data-testid=reset-answer-form]", map[string]string{"answer": "Cardiff"})
	}
	if res.Status != http.StatusForbidden || !strings.Contains(res.Body, "call your phone service provider&#39;s support desk") ||
		strings.Contains(res.Body, "your account administrator must help you") {
		t.Fatalf("blocked Primary Admin: %d %s", res.Status, res.Doc.Find("main").Text())
	}
	w.e.Drain()
	for _, m := range w.e.MailTo(w.admin.Email)[mailBefore:] {
		if m.Subject == "A user cannot reset their password" {
			t.Fatal("the Primary Admin was emailed to help themself")
		}
	}

	// The desk checks the caller's passphrase; the operator sends a link.
	if got := outcomeOf(w.verify("ada", "account.info", w.admin.Passphrase, "")); got != "verified" {
		t.Fatalf("desk verification: %q", got)
	}
	if res := w.rescue(provider.RescueReset, "Forgot the answer, ticket 4712"); res.Status != http.StatusSeeOther {
		t.Fatalf("send reset: %d %s", res.Status, res.Doc.Find("main").Text())
	}
	w.e.Drain()
	mail := w.e.MailTo(w.admin.Email)
	link := apptest.LinkIn(mail[len(mail)-1].TextBody, w.e.URL+"/reset/")
	c = w.e.Client()
	c.Get(c.Path(link))
	page := c.Get("/reset")
	if page.Doc.Find("form[data-testid=reset-answer-form]").Length() != 0 || page.Doc.Find("form[data-testid=reset-password-form]").Length() != 1 {
		t.Fatalf("the provider's link still asks the question: %d %s", page.Status, page.Doc.Find("main").Text())
	}
	done := c.Submit(page, "form[data-testid=reset-password-form]", map[string]string{"password": "Otter+Moss58", "password_confirm": "Otter+Moss58"})
	if done.Status != http.StatusSeeOther {
		t.Fatalf("new password: %d %s", done.Status, done.Doc.Find("main").Text())
	}
	if res := w.e.Client().SignIn("ada", "Otter+Moss58"); res.Status != http.StatusSeeOther {
		t.Fatalf("sign in with the new password: %d", res.Status)
	}
}
