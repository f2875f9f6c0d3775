package web_test

import (
	"context"
	"net/http"
	"testing"

	"accountportal/app/apptest"
	"accountportal/models"
	"accountportal/models/modelstest"
)

// pageBudget is the most any page may weigh, whatever the account's size.
const pageBudget = 30 << 10

// The privileges page and a role's page weigh the same with 10,000 users
// as with ten: they name a user by username rather than list the users.
// PostgreSQL only, where modelstest.SeedUsers seeds them in one statement.
func TestUserPickersWeighLittleWithManyUsers(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 10,000 users")
	}
	e := apptest.Start(t, models.Postgres, apptest.Options{})
	pa := e.Setup(apptest.DefaultAdmin())
	acct := e.User("ada").AccountID
	if err := modelstest.SeedUsers(context.Background(), e.Store(), acct, 10_000); err != nil {
		t.Fatal(err)
	}
	role := apptest.Itoa(e.AddRole(acct, "Auditor", "audit.view"))
	for _, path := range []string{"/admin/privileges", "/admin/roles/" + role} {
		res, body := pa.Raw(path)
		t.Logf("%s with 10,000 users: %d bytes", path, len(body))
		if res.StatusCode != http.StatusOK || len(body) > pageBudget {
			t.Errorf("%s: %d, %d bytes, want 200 and at most %d", path, res.StatusCode, len(body), pageBudget)
		}
	}
}
