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
		{"/profile", 5},
		{"/admin/users", 6},
		{"/", 3},
	}
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		log := &apptest.SyncBuffer{}
		e := apptest.Start(t, d, apptest.Options{Log: log, Debug: true})
		ada := e.Setup(apptest.DefaultAdmin())
		for _, b := range budgets {
			ada.Get(b.path) // the first visit may renew the session
			before := len(log.String())
			if res := ada.Get(b.path); res.Status != http.StatusOK {
				t.Fatalf("%s: %d", b.path, res.Status)
			}
			m := loggedStatements.FindStringSubmatch(log.String()[before:])
			if m == nil {
				t.Fatalf("%s: no access log line with db_statements in:\n%s", b.path, log.String()[before:])
			}
			n, _ := strconv.Atoi(m[3])
			t.Logf("%s: %d statements", b.path, n)
			if testing.Verbose() {
				t.Log(log.String()[before:])
			}
			if n > b.budget {
				t.Errorf("%s ran %d statements, budget %d", b.path, n, b.budget)
			}
		}
	})
}
