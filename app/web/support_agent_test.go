package web_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"accountportal/app/apptest"
	"accountportal/app/identity"
	"accountportal/app/support"
	"accountportal/models"
)

func TestSupportAgentDisabled(t *testing.T) {
	k := newDesk(t, models.SQLite)
	if _, err := k.e.App.Support.DisableAgent(context.Background(), "sam@desk.example"); err != nil {
		t.Fatal(err)
	}
	if res := k.agent.Get("/support"); res.Status == http.StatusOK {
		t.Fatalf("disabled agent still served: %d", res.Status)
	}
	if res := k.e.Client().SignIn("sam@desk.example", deskPassword); res.Status != http.StatusForbidden && res.Location == "/" {
		t.Fatalf("disabled agent signed in: %d %q", res.Status, res.Location)
	}
}

// TestAgentJoinsThroughTheirLink follows the link the support-agent
// command prints: the agent chooses a password under the staff account's
// length-first rules and must set up a second factor at sign-in.
func TestAgentJoinsThroughTheirLink(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	_, link, err := e.App.Support.CreateAgent(context.Background(), support.NewAgent{DisplayName: "Kim Desk", Email: "kim@desk.example"})
	if err != nil {
		t.Fatal(err)
	}
	c := e.Client()
	c.Get(c.Path(link))
	page := c.Get("/reset")
	if page.Doc.Find("h1").Text() != "Choose your password" {
		t.Fatalf("welcome page: %d %q", page.Status, page.Doc.Find("h1").Text())
	}
	short := "Walrus+Tide42"
	if res := c.Submit(page, "form[data-testid=reset-password-form]", map[string]string{"password": short, "password_confirm": short}); res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("13 characters under the length-first rules: %d", res.Status)
	}
	long := "walrus tide forty two harbour"
	res := c.Submit(c.Get("/reset"), "form[data-testid=reset-password-form]", map[string]string{"password": long, "password_confirm": long})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("set password: %d", res.Status)
	}
	if res := e.Client().SignIn("kim@desk.example", long); res.Status != http.StatusSeeOther || res.Location != "/login/mfa/setup" {
		t.Fatalf("first sign-in: %d %q", res.Status, res.Location)
	}
	if res := c.Get(c.Path(link)); res.Status != http.StatusNotFound && res.Status != http.StatusGone {
		t.Fatalf("the link a second time: %d", res.Status)
	}
}

// TestSupportAgentRateLimit: an agent trying verifications faster than
// their limit gets 429 with Retry-After, whatever the callers.
func TestSupportAgentRateLimit(t *testing.T) {
	cfg := support.DefaultConfig()
	cfg.PerAgent = models.ThrottleLimit{Window: 10 * time.Minute, Max: 3, Lock: 10 * time.Minute}
	k := newDeskWith(t, models.SQLite, &cfg)
	for i, caller := range []string{"bill", "ada", "bill"} {
		if res := k.verify(caller, identity.PermBillingInquiries, "wrong words here", ""); res.Status != http.StatusOK {
			t.Fatalf("attempt %d: %d", i+1, res.Status)
		}
	}
	res := k.verify("nora", identity.PermPhoneSystem, "anything at all", "")
	if res.Status != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Fatalf("fourth attempt: %d, Retry-After %q", res.Status, res.Header.Get("Retry-After"))
	}
	k.e.Clock.Advance(10*time.Minute + time.Second)
	k.signInAgentAgain()
	if res := k.verify("bill", identity.PermBillingInquiries, billPassphrase, ""); outcomeOf(res) != "verified" {
		t.Fatalf("after the lock: %d %q", res.Status, outcomeOf(res))
	}
}
