package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"accountportal/app/apptest"
	"accountportal/app/support"
	"accountportal/models"
)

// TestOperatorConsoleIsTheirsAlone: an operator must set up a second
// factor, lands on the customer accounts, and sees neither the support
// desk nor any customer page; agents and customers never see theirs.
func TestOperatorConsoleIsTheirsAlone(t *testing.T) {
	for _, d := range []models.Dialect{models.SQLite, models.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			e := apptest.Start(t, d, apptest.Options{})
			admin := apptest.DefaultAdmin()
			e.Setup(admin)
			e.AddOperator("Olga Ops", "olga@provider.example", deskPassword)
			e.AddAgent("Sam Support", "sam@desk.example", deskPassword)

			ops := e.Client()
			if _, res := ops.SignInEnrolling("olga@provider.example", deskPassword, e.Clock); res.Location != "/" {
				t.Fatalf("operator sign-in ended at %q", res.Location)
			}
			if res := ops.Get("/"); res.Status != http.StatusSeeOther || res.Location != "/operator" {
				t.Fatalf("operator's home: %d %q", res.Status, res.Location)
			}
			list := ops.Get("/operator")
			if list.Status != http.StatusOK || list.Doc.Find("[data-testid=operator-accounts]").Text() == "" {
				t.Fatalf("accounts list: %d", list.Status)
			}
			for _, path := range []string{"/support", "/profile", "/admin/users"} {
				if res := ops.Get(path); res.Status != http.StatusForbidden {
					t.Errorf("operator on %s: %d, want 403", path, res.Status)
				}
			}

			agent := e.Client()
			agent.SignInEnrolling("sam@desk.example", deskPassword, e.Clock)
			if res := agent.Get("/operator"); res.Status != http.StatusForbidden {
				t.Errorf("agent on /operator: %d, want 403", res.Status)
			}
			if res := agent.Get("/support"); res.Status != http.StatusOK {
				t.Errorf("agent on /support: %d", res.Status)
			}
			customer := e.Client()
			customer.SignIn(admin.Username, admin.Password)
			if res := customer.Get("/operator"); res.Status != http.StatusForbidden {
				t.Errorf("Primary Admin on /operator: %d, want 403", res.Status)
			}
		})
	}
}

// TestStaffSecondFactorResetFromTheCommandLine: a member of staff who lost
// their phone and codes is told who can help, and once reset (as
// `accountportal operator reset-mfa` does) is signed out and sets up a
// new authenticator at their next sign-in.
func TestStaffSecondFactorResetFromTheCommandLine(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	e.Setup(apptest.DefaultAdmin())
	e.AddOperator("Olga Ops", "olga@provider.example", deskPassword)
	ops := e.Client()
	ops.SignInEnrolling("olga@provider.example", deskPassword, e.Clock)

	c := e.Client()
	c.Submit(c.Get("/login"), "form[data-testid=login-username-form]", map[string]string{"username": "olga@provider.example"})
	c.Submit(c.Get("/login/password"), "form[data-testid=login-password-form]", map[string]string{"password": deskPassword})
	if help := c.Get("/login/mfa").Doc.Find("[data-testid=mfa-lost-help]").Text(); !strings.Contains(help, "operator reset-mfa") {
		t.Errorf("an operator is told %q", help)
	}
	if _, err := e.App.Support.ResetStaffMFA(context.Background(), support.RoleOperator, "olga@provider.example"); err != nil {
		t.Fatal(err)
	}
	if res := ops.Get("/operator"); res.Status != http.StatusSeeOther || res.Location != "/login" {
		t.Errorf("the operator's session after the reset: %d %q", res.Status, res.Location)
	}
	if res := e.Client().SignIn("olga@provider.example", deskPassword); res.Location != "/login/mfa/setup" {
		t.Errorf("next sign-in: %d %q, want the authenticator set-up", res.Status, res.Location)
	}
	if _, err := e.App.Support.ResetStaffMFA(context.Background(), support.RoleAgent, "olga@provider.example"); err == nil {
		t.Error("an operator's second factor was reset as an agent's")
	}
}
