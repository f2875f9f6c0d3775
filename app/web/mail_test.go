package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"accountportal/app/apperr"
	"accountportal/app/apptest"
	"accountportal/app/audit"
	"accountportal/app/mail/mailtest"
	"accountportal/models"
	"accountportal/models/modelstest"
)

func TestDevMailboxShowsKeptMail(t *testing.T) {
	e, _ := signedUp(t, models.SQLite, apptest.Options{})
	c := e.Client()
	requestReset(t, c, "ada")
	e.Drain()
	list := c.Get("/dev/mailbox")
	if list.Status != http.StatusOK || list.Doc.Find("[data-testid=mailbox-message]").Text() != "Password Reset Request" {
		t.Fatalf("mailbox: %d\n%s", list.Status, list.Body)
	}
	href, _ := list.Doc.Find("[data-testid=mailbox-message]").Attr("href")
	msg := c.Get(href)
	link, _ := msg.Doc.Find("[data-testid=mail-text] a").Attr("href")
	if !strings.HasPrefix(link, e.URL+"/reset/") {
		t.Fatalf("link in the kept mail is not clickable: %q", link)
	}
	html := c.Get(href + "/html")
	if html.Status != http.StatusOK || !strings.Contains(html.Header.Get("Content-Security-Policy"), "sandbox") ||
		!strings.Contains(html.Body, "Choose a new password") {
		t.Fatalf("HTML part: %d %v", html.Status, html.Header)
	}
	if res := c.Get("/dev/mailbox/999999"); res.Status != http.StatusNotFound {
		t.Fatalf("missing message: %d", res.Status)
	}
	if res := c.Get("/dev/mailbox/abc"); res.Status != http.StatusNotFound {
		t.Fatalf("bad id: %d", res.Status)
	}
}

func TestDevMailboxAbsentWithSMTPAndInProduction(t *testing.T) {
	for name, opt := range map[string]apptest.Options{
		"smtp": {SMTP: true},
		"prod": {SMTP: true, Env: map[string]string{"PORTAL_ENV": "prod", "PORTAL_PUBLIC_URL": "https://portal.example.com"}},
	} {
		e := apptest.Start(t, models.SQLite, opt)
		if res := e.Client().Get("/dev/mailbox"); res.Status != http.StatusNotFound {
			t.Errorf("%s: /dev/mailbox answered %d", name, res.Status)
		}
	}
}

func TestResetMailArrivesOverSMTP(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e, _ := signedUp(t, d, apptest.Options{SMTP: true})
		requestReset(t, e.Client(), "ada")
		e.Drain()
		got := e.Mail.WaitFor(1, 5*time.Second)[0]
		if len(got.To) != 1 || got.To[0] != "ada@example.com" || got.Subject != "Password Reset Request" {
			t.Fatalf("received %q to %v", got.Subject, got.To)
		}
		links := mailtest.Links(got)
		if len(links) == 0 || !strings.HasPrefix(links[0], e.URL+"/reset/") {
			t.Fatalf("links %v", links)
		}
		if !strings.Contains(got.HTML, links[0]) {
			t.Fatal("HTML part lacks the link")
		}
		// The link works, and the ledger knows when it was sent.
		c := e.Client()
		if res := c.Get(c.Path(links[0])); res.Status != http.StatusSeeOther {
			t.Fatalf("emailed link: %d", res.Status)
		}
		tokens, _ := e.Store().Tokens.OfUser(context.Background(), e.User("ada").ID, models.PurposeReset, 5)
		if len(tokens) != 1 || tokens[0].SentAt == nil {
			t.Fatalf("ledger: %+v", tokens)
		}
	})
}

func TestSMTPOutageLosesNothing(t *testing.T) {
	e, _ := signedUp(t, models.SQLite, apptest.Options{SMTP: true})
	e.Mail.Stop()
	if res := requestReset(t, e.Client(), "ada"); res.Status != http.StatusOK {
		t.Fatalf("request during the outage: %d", res.Status)
	}
	e.Drain()
	if n, _ := e.Store().Outbox.Pending(context.Background()); n != 1 {
		t.Fatalf("%d messages pending during the outage", n)
	}
	e.Mail.Start()
	e.Clock.Advance(time.Minute)
	e.Drain()
	got := e.Mail.WaitFor(1, 5*time.Second)
	if got[0].Subject != "Password Reset Request" {
		t.Fatalf("after the outage: %q", got[0].Subject)
	}
	e.Clock.Advance(time.Hour)
	e.Drain()
	if n := len(e.Mail.Messages()); n != 1 {
		t.Fatalf("delivered %d times", n)
	}
}

func TestAdminInitiatedReset(t *testing.T) {
	e, _ := signedUp(t, models.SQLite, apptest.Options{})
	ctx := context.Background()
	admin := e.User("ada")
	bob := e.AddUser(admin.AccountID, "bob", "Walrus+Tide42", models.StatusActive)
	from := audit.Origin{IP: "192.0.2.4"}
	if err := e.App.Recovery.SendPasswordReset(ctx, admin, bob.ID, from); err != nil {
		t.Fatal(err)
	}
	e.Drain()
	msgs := e.MailTo("bob@example.com")
	if len(msgs) != 1 || msgs[0].Subject != "Your administrator asked you to reset your password" ||
		!strings.Contains(msgs[0].TextBody, "Ada Admin") {
		t.Fatalf("admin reset mail: %+v", msgs)
	}
	for _, secret := range []string{"Walrus+Tide42"} {
		if strings.Contains(msgs[0].TextBody+msgs[0].HTMLBody, secret) {
			t.Fatal("mail carries a password")
		}
	}
	tokens, _ := e.Store().Tokens.OfUser(ctx, bob.ID, models.PurposeReset, 5)
	if len(tokens) != 1 || tokens[0].RequestedByName != "Ada Admin" || tokens[0].RequestedByID == nil || *tokens[0].RequestedByID != admin.ID {
		t.Fatalf("ledger: %+v", tokens)
	}
	c := e.Client()
	c.Get(c.Path(apptest.LinkIn(msgs[0].TextBody, e.URL+"/reset/")))
	if res := c.Submit(c.Get("/reset"), "form[data-testid=reset-password-form]", map[string]string{
		"password": newPassword, "password_confirm": newPassword}); res.Status != http.StatusSeeOther {
		t.Fatalf("completing the admin's reset: %d", res.Status)
	}

	// Suspended users get nothing, and another account's user is out of reach.
	sam := e.AddUser(admin.AccountID, "sam", "Walrus+Tide42", models.StatusSuspended)
	if err := e.App.Recovery.SendPasswordReset(ctx, admin, sam.ID, from); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("suspended user: %v", err)
	}
	foreign := &models.User{ID: bob.ID, AccountID: admin.AccountID + 1000}
	if err := e.App.Recovery.SendPasswordReset(ctx, foreign, bob.ID, from); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("user of another account: %v", err)
	}
}
