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
		{"ada", "/profile", 2},
		{"ada", "/admin/users", 4},
		{"ada", "/", 2},
		// Bob's rows also need what he may do to each user: their
		// effective permissions, read with their roles and areas.
		{"bob", "/admin/users", 3},
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
			checkBudget(t, log, c, b.who+" "+b.path, b.path, b.budget)
		}
		// A visitor's pages read nothing and write nothing: their session
		// lives in the cookie until they give a username.
		visitor := e.Client()
		for _, path := range []string{"/login", "/forgot", "/forgot/password", "/forgot/username"} {
			visitor.Get(path)
			checkBudget(t, log, visitor, "a visitor's "+path, path, 0)
		}
	})
}

func checkBudget(t *testing.T, log *apptest.SyncBuffer, c *apptest.Client, what, path string, budget int) {
	t.Helper()
	before := len(log.String())
	if res := c.Get(path); res.Status != http.StatusOK {
		t.Fatalf("%s: %d", what, res.Status)
	}
	m := loggedStatements.FindStringSubmatch(log.String()[before:])
	if m == nil {
		t.Fatalf("%s: no access log line with db_statements in:\n%s", what, log.String()[before:])
	}
	n, _ := strconv.Atoi(m[3])
	t.Logf("%s: %d statements", what, n)
	if testing.Verbose() {
		t.Log(log.String()[before:])
	}
	if n > budget {
		t.Errorf("%s ran %d statements, budget %d", what, n, budget)
	}
	if budget > 0 && n == 0 {
		t.Errorf("%s counted no statement: a signed-in page reads its session at least, so the count is broken", what)
	}
}

// TestAPIQueryBudget counts the statements of the API's commonest calls.
// Each call reads its token's row (so a revocation holds on every replica
// at once), its owner's standing, and counts the token's rate limit, before
// the console's own read. On PostgreSQL the count's transaction also says
// its commit need not wait for the disk (one SET LOCAL), which costs a
// statement and saves a flush.
func TestAPIQueryBudget(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		log := &apptest.SyncBuffer{}
		w := newAPIWorld(t, d, apptest.Options{Log: log, Debug: true})
		api := w.api.with(createToken(t, w.ada, "Budget", "", identity.PermUsersManage))
		for _, b := range []struct {
			path   string
			budget int
		}{
			{w.tessP, 6},
			{"/api/v1/users?limit=50", 6},
		} {
			api.get(b.path) // the first use records the token's last use
			before := len(log.String())
			if res := api.get(b.path); res.Status != http.StatusOK {
				t.Fatalf("%s: %d", b.path, res.Status)
			}
			m := apiStatements.FindStringSubmatch(log.String()[before:])
			if m == nil {
				t.Fatalf("%s: no access log line with db_statements in:\n%s", b.path, log.String()[before:])
			}
			n, _ := strconv.Atoi(m[1])
			t.Logf("GET %s: %d statements", b.path, n)
			if testing.Verbose() {
				t.Log(log.String()[before:])
			}
			if n > b.budget || n == 0 {
				t.Errorf("GET %s ran %d statements, budget %d", b.path, n, b.budget)
			}
		}
	})
}

var apiStatements = regexp.MustCompile(`msg=request method=GET route=/api/v1/\S+ status=200 .*db_statements=(\d+)`)
