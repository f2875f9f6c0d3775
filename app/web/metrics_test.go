package web_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"accountportal/app/apptest"
	"accountportal/models"
)

func scrape(t *testing.T, e *apptest.Env) string {
	t.Helper()
	rec := httptest.NewRecorder()
	e.App.Metrics.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("metrics: %d", rec.Code)
	}
	return rec.Body.String()
}

func TestMetricsCountSignInsByOutcomeAndRoutesByPattern(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	a := apptest.DefaultAdmin()
	e.Setup(a)
	c := e.Client()
	c.SignIn("ada", "wrong password")
	c.SignIn("nobody", "wrong password")
	c.SignIn("ada", a.Password)
	c.Get("/reset/secret-token-value")
	e.Client().Get("/no/such/page")
	wants := []string{
		`portal_sign_in_total{outcome="incorrect"} 2`,
		`portal_sign_in_total{outcome="password_ok"} 1`,
		`portal_sign_in_total{outcome="completed"} 1`,
		`portal_http_requests_total{method="GET",route="/reset/:token",status="404"} 1`,
		`portal_http_requests_total{method="POST",route="/login/password",status="422"} 2`,
		`portal_http_requests_total{method="GET",route="(unmatched)",status="404"} 1`,
		`portal_outbox_pending 0`,
	}
	// A request is counted just after its answer is written: scrape until
	// every count is in (or long enough to know one never will be).
	var body string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		body = scrape(t, e)
		if !slices.ContainsFunc(wants, func(w string) bool { return !strings.Contains(body, w) }) {
			break
		}
	}
	for _, want := range wants {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if strings.Contains(body, "secret-token-value") || strings.Contains(body, "/no/such/page") {
		t.Error("a raw path reached the metrics")
	}
}
