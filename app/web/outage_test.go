package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"accountportal/app/apptest"
	"accountportal/models"
	"accountportal/models/modelstest"
)

// A database that stops answering gets 503 with Retry-After and a plain
// page, never a 500; the outage is logged once with a count, not once per
// request; and the portal recovers by itself. The database is taken away
// by cutting a proxy in front of it, not by stopping the shared server.
func TestDatabaseOutage(t *testing.T) {
	raw := modelstest.NewURL(t, models.Postgres)
	dbURL, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	proxy := apptest.NewProxy(t, dbURL.Host)
	dbURL.Host = proxy.Addr()
	log := &apptest.SyncBuffer{}
	e := apptest.Start(t, models.Postgres, apptest.Options{Log: log,
		Env: map[string]string{"PORTAL_DATABASE_URL": dbURL.String()}})
	a := apptest.DefaultAdmin()
	signedIn := e.Setup(a)
	visitor := e.Client()
	visitor.Submit(visitor.Get("/login"), "form[data-testid=login-username-form]", map[string]string{"username": "ada"})
	password := formOf(visitor.Get("/login/password"), map[string]string{"password": a.Password})

	proxy.Cut()
	const workers, each = 10, 20
	var mu sync.Mutex
	statuses := map[string]map[int]int{}
	note := func(what string, res *apptest.Response) {
		mu.Lock()
		defer mu.Unlock()
		if statuses[what] == nil {
			statuses[what] = map[int]int{}
		}
		statuses[what][res.Status]++
		if res.Status == http.StatusServiceUnavailable && what != "readyz" {
			heading := strings.TrimSpace(res.Doc.Find("h1").First().Text())
			if res.Header.Get("Retry-After") != "5" || heading != "The service is unavailable" {
				t.Errorf("%s: Retry-After %q, heading %q", what, res.Header.Get("Retry-After"), heading)
			}
		}
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range each {
				note("profile", signedIn.Get("/profile"))
				note("password", visitor.Post("/login/password", password))
				note("readyz", signedIn.Get("/readyz"))
			}
		})
	}
	wg.Wait()
	for what, got := range statuses {
		if got[http.StatusServiceUnavailable] != workers*each {
			t.Errorf("%s while the database was away: %v, want %d × 503", what, got, workers*each)
		}
	}
	if lines := logLines(log.String()); len(lines) != 1 || !strings.Contains(lines[0], "level=ERROR") ||
		!strings.Contains(lines[0], "database unreachable") {
		t.Errorf("%d requests while the database was away logged:\n%s", 3*workers*each, strings.Join(lines, "\n"))
	}

	proxy.Restore()
	deadline := time.Now().Add(5 * time.Second)
	for signedIn.Get("/profile").Status != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatal("the portal did not recover within 5 s of the database's return")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if res := signedIn.Get("/readyz"); res.Status != http.StatusOK {
		t.Fatalf("readyz after the return: %d", res.Status)
	}
	if res := visitor.Post("/login/password", password); res.Status != http.StatusSeeOther {
		t.Fatalf("sign-in after the return: %d", res.Status)
	}
	lines := logLines(log.String())
	if len(lines) != 2 || !strings.Contains(lines[1], "database answers again") || !strings.Contains(lines[1], "failed_calls=") {
		t.Fatalf("log after the return:\n%s", strings.Join(lines, "\n"))
	}
}

// logLines returns the log's non-empty lines.
func logLines(log string) []string {
	var out []string
	for _, l := range strings.Split(log, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}
