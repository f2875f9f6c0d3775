package web_test

import (
	"net/http"
	"testing"

	"accountportal/app/apptest"
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
