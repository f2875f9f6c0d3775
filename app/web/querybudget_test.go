package web_test

import (
	"net/http"
	"regexp"
	"strconv"
	"testing"

	"accountportal/app/apptest"
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
		path   string
		budget int
	}{
		{"/profile", 7},
		{"/admin/users", 7},
		{"/", 5},
	}
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		log := &apptest.SyncBuffer{}
		e := apptest.Start(t, d, apptest.Options{Log: log, Debug: true})
		ada := e.Setup(apptest.DefaultAdmin())
		for _, b := range budgets {
			ada.Get(b.path) // the first visit may renew the session
			checkBudget(t, log, ada, b.path, b.budget)
		}
		// A visitor's pages read nothing and write nothing: their session
		// lives in the cookie until they give a username.
		visitor := e.Client()
		for _, path := range []string{"/login", "/forgot", "/forgot/password", "/forgot/username"} {
			visitor.Get(path)
			checkBudget(t, log, visitor, path, 0)
		}
	})
}

func checkBudget(t *testing.T, log *apptest.SyncBuffer, c *apptest.Client, path string, budget int) {
	t.Helper()
	before := len(log.String())
	if res := c.Get(path); res.Status != http.StatusOK {
		t.Fatalf("%s: %d", path, res.Status)
	}
	m := loggedStatements.FindStringSubmatch(log.String()[before:])
	if m == nil {
		t.Fatalf("%s: no access log line with db_statements in:\n%s", path, log.String()[before:])
	}
	n, _ := strconv.Atoi(m[3])
	t.Logf("%s: %d statements", path, n)
	if testing.Verbose() {
		t.Log(log.String()[before:])
	}
	if n > budget {
		t.Errorf("%s ran %d statements, budget %d", path, n, budget)
	}
	if budget > 0 && n == 0 {
		t.Errorf("%s counted no statement: a signed-in page reads its session at least, so the count is broken", path)
	}
}
