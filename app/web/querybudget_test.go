package web_test

import (
	"net/http"
	"regexp"
	"strconv"
	"testing"

	"accountportal/app/apptest"
	"accountportal/app/identity"
	"accountportal/models"
	"accountportal/models/modelstest"
)

var loggedStatements = regexp.MustCompile(`msg=request method=GET route=(\S+) status=(\d+) .*db_statements=(\d+)`)

// TestSignedInPagesQueryBudget holds the pages opened most to a number of
// round trips to the database: each costs the portal and the database more
// CPU than the rest of the request (docs/performance.md). The access log's
// db_statements field is what is counted, so the figure a test sees is the
// one an operator sees.
func TestSignedInPagesQueryBudget(t *testing.T) {
	budgets := []struct {
		who    string // "ada" the Primary Admin, "bob" a helpdesk admin
		path   string
		budget int
	}{
		{"ada", "/profile", 5},
		{"ada", "/admin/users", 6},
		{"ada", "/", 3},
		// Bob's rows also need what he may do to each user: their
		// effective permissions, read with their roles and areas.
		{"bob", "/admin/users", 5},
	}
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		log := &apptest.SyncBuffer{}
		e := apptest.Start(t, d, apptest.Options{Log: log, Debug: true})
		clients := map[string]*apptest.Client{"ada": e.Setup(apptest.DefaultAdmin()), "bob": e.Client()}
		bob := e.AddUser(e.User("ada").AccountID, "bob", homeUserPassword, models.StatusActive)
		e.GiveRoleID(bob.ID, e.AddRole(bob.AccountID, "Helpdesk", identity.PermUsersManage))
		if res := clients["bob"].SignIn("bob", homeUserPassword); res.Status != http.StatusSeeOther {
			t.Fatalf("bob signs in: %d", res.Status)
		}
		for _, b := range budgets {
			c := clients[b.who]
			c.Get(b.path) // the first visit may renew the session
			before := len(log.String())
			if res := c.Get(b.path); res.Status != http.StatusOK {
				t.Fatalf("%s %s: %d", b.who, b.path, res.Status)
			}
			m := loggedStatements.FindStringSubmatch(log.String()[before:])
			if m == nil {
				t.Fatalf("%s %s: no access log line with db_statements in:\n%s", b.who, b.path, log.String()[before:])
			}
			n, _ := strconv.Atoi(m[3])
			t.Logf("%s %s: %d statements", b.who, b.path, n)
			if testing.Verbose() {
				t.Log(log.String()[before:])
			}
			if n > b.budget {
				t.Errorf("%s %s ran %d statements, budget %d", b.who, b.path, n, b.budget)
			}
		}
	})
}
