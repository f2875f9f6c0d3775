package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"accountportal/app/apptest"
	"accountportal/models"
)

func TestCSRFTokenRequired(t *testing.T) {
	e, _ := signedUp(t, models.SQLite, apptest.Options{})
	other := e.Client()
	foreignToken := apptest.CSRF(other.Get("/login"))

	cases := []struct {
		name  string
		token string
	}{
		{"missing", ""},
		{"wrong", "not-the-token"},
		{"another session's", foreignToken},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := e.Client()
			c.Get("/login")
			v := url.Values{"username": {"ada"}}
			if tc.token != "" {
				v.Set("csrf_token", tc.token)
			}
			res := c.Post("/login", v)
			if res.Status != http.StatusForbidden {
				t.Fatalf("status %d, want 403", res.Status)
			}
			if !strings.Contains(res.Body, "This form has expired") {
				t.Error("no explanation on the 403 page")
			}
		})
	}
	// A form posted without any session at all is refused the same way.
	if res := e.Client().Post("/login", url.Values{"username": {"ada"}, "csrf_token": {foreignToken}}); res.Status != http.StatusForbidden {
		t.Fatalf("no session: %d", res.Status)
	}
}

func TestCrossOriginPostRefused(t *testing.T) {
	e, _ := signedUp(t, models.SQLite, apptest.Options{})
	for name, header := range map[string][2]string{
		"Sec-Fetch-Site": {"Sec-Fetch-Site", "cross-site"},
		"Origin":         {"Origin", "https://evil.example"},
	} {
		t.Run(name, func(t *testing.T) {
			c := e.Client()
			page := c.Get("/login")
			c.Header.Set(header[0], header[1])
			res := c.Post("/login", formOf(page, map[string]string{"username": "ada"}))
			if res.Status != http.StatusForbidden {
				t.Fatalf("status %d, want 403", res.Status)
			}
		})
	}
	// The same form from the portal's own origin goes through.
	c := e.Client()
	page := c.Get("/login")
	c.Header.Set("Origin", e.URL)
	c.Header.Set("Sec-Fetch-Site", "same-origin")
	if res := c.Post("/login", formOf(page, map[string]string{"username": "ada"})); res.Status != http.StatusSeeOther {
		t.Fatalf("same-origin post: %d", res.Status)
	}
}

func TestSecurityHeaders(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	res := e.Client().Get("/setup")
	want := map[string]string{
		"X-Content-Type-Options": "nosniff",
		"X-Frame-Options":        "DENY",
		"Referrer-Policy":        "same-origin",
		"Cache-Control":          "no-store",
	}
	for k, v := range want {
		if got := res.Header.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	csp := res.Header.Get("Content-Security-Policy")
	for _, part := range []string{"script-src 'self'", "frame-ancestors 'none'", "default-src 'self'"} {
		if !strings.Contains(csp, part) {
			t.Errorf("CSP %q lacks %q", csp, part)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP allows inline code: %q", csp)
	}
	if res.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS sent over plain HTTP in dev")
	}
	if res.Header.Get("X-Request-Id") == "" {
		t.Error("no request ID")
	}
	if res.Doc.Find("script:not([src])").Length() != 0 {
		t.Error("page has inline script")
	}
	ck := res.Header.Get("Set-Cookie")
	for _, attr := range []string{"portal=", "HttpOnly", "SameSite=Lax", "Path=/"} {
		if !strings.Contains(ck, attr) {
			t.Errorf("session cookie %q lacks %s", ck, attr)
		}
	}
}

func TestProductionCookieAndHSTS(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{Env: map[string]string{
		"PORTAL_ENV": "prod", "PORTAL_PUBLIC_URL": "https://portal.example.com", "PORTAL_SMTP_URL": "smtp://127.0.0.1:1?tls=none",
	}})
	res := e.Client().Get("/setup")
	if got := res.Header.Get("Strict-Transport-Security"); !strings.HasPrefix(got, "max-age=") {
		t.Errorf("HSTS %q", got)
	}
	ck := res.Header.Get("Set-Cookie")
	if !strings.HasPrefix(ck, "__Host-portal=") || !strings.Contains(ck, "Secure") || strings.Contains(ck, "Domain=") {
		t.Errorf("production cookie %q", ck)
	}
}

func TestErrorPages(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	c := e.Client()
	res := c.Get("/no-such-page")
	if res.Status != http.StatusNotFound || res.Doc.Find("[data-testid=error-page] h1").Text() != "Page not found" {
		t.Fatalf("404 page: %d %q", res.Status, res.Doc.Find("h1").Text())
	}
	big := url.Values{"username": {strings.Repeat("a", 100<<10)}}
	if res := c.Post("/login", big); res.Status != http.StatusRequestEntityTooLarge {
		t.Fatalf("oversized body: %d", res.Status)
	}
}

func TestHealthAndStatic(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	c := e.Client()
	if res := c.Get("/healthz"); res.Status != http.StatusOK {
		t.Fatalf("healthz %d", res.Status)
	}
	if res := c.Get("/readyz"); res.Status != http.StatusOK {
		t.Fatalf("readyz %d", res.Status)
	}
	page := c.Get("/setup")
	href, _ := page.Doc.Find("link[rel=stylesheet]").Attr("href")
	if !strings.HasPrefix(href, "/static/css/app.") || href == "/static/css/app.css" {
		t.Fatalf("stylesheet not content-hashed: %q", href)
	}
	css := c.Get(href)
	if css.Status != http.StatusOK || !strings.Contains(css.Header.Get("Cache-Control"), "immutable") ||
		!strings.HasPrefix(css.Header.Get("Content-Type"), "text/css") {
		t.Fatalf("stylesheet: %d %v", css.Status, css.Header)
	}
	if res := c.Get("/static/css/app.css"); res.Status != http.StatusNotFound {
		t.Fatalf("unhashed asset name: %d", res.Status)
	}
	for _, src := range page.Doc.Find("script[src]").Map(func(_ int, s *goquery.Selection) string { return s.AttrOr("src", "") }) {
		if res := c.Get(src); res.Status != http.StatusOK {
			t.Errorf("script %s: %d", src, res.Status)
		}
	}
}

func TestReadyzFailsWithoutDatabase(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	_ = e.App.Store.Close()
	if res := e.Client().Get("/readyz"); res.Status != http.StatusServiceUnavailable {
		t.Fatalf("readyz with closed database: %d", res.Status)
	}
}

func TestClientIPFromTrustedProxyOnly(t *testing.T) {
	for _, tc := range []struct {
		name    string
		trusted string
		want    string
	}{
		{"no trusted proxy: the socket's address", "", "127.0.0.1"},
		{"trusted proxy: the forwarded address", "127.0.0.1/32", "203.0.113.9"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, _ := signedUp(t, models.SQLite, apptest.Options{Env: map[string]string{"PORTAL_TRUSTED_PROXIES": tc.trusted}})
			c := e.Client()
			c.Header.Set("X-Forwarded-For", "198.51.100.1, 203.0.113.9")
			c.SignIn("ada", "Wrong+Pass99")
			events, _ := e.Store().Audit.ForAccount(context.Background(), e.User("ada").AccountID, 1)
			if len(events) != 1 || events[0].Action != "sign_in.failed" || events[0].IP != tc.want {
				t.Fatalf("audit %+v, want IP %s", events, tc.want)
			}
		})
	}
}
