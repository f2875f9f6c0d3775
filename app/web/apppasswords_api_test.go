package web_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"accountportal/app/apptest"
	"accountportal/app/identity"
	"accountportal/app/profile"
	"accountportal/models"
)

// TestIntegrationSignInBadInput sends what a broken plug-in or a prober
// might: each gets a clear 4xx problem, never a 500.
func TestIntegrationSignInBadInput(t *testing.T) {
	e, ada, _ := signedIn(t, models.SQLite)
	secret := makeAppPassword(t, ada, "CRM")
	raw := func(s string) string { return "Basic " + base64.StdEncoding.EncodeToString([]byte(s)) }
	for _, c := range []struct {
		name, auth string
		status     int
	}{
		{"no header", "", http.StatusUnauthorized},
		{"bearer", "Bearer abc", http.StatusBadRequest},
		{"scheme alone", "Basic", http.StatusBadRequest},
		{"not base64", "Basic !!!notbase64", http.StatusBadRequest},
		{"no colon", raw("ada"), http.StatusBadRequest},
		{"empty username", raw(":" + secret), http.StatusBadRequest},
		{"empty password", raw("ada:"), http.StatusBadRequest},
		{"NUL in username", raw("ad\x00a:" + secret), http.StatusBadRequest},
		{"NUL in password", raw("ada:" + secret + "\x00"), http.StatusBadRequest},
		{"invalid UTF-8", raw("ada\xff:" + secret), http.StatusBadRequest},
		{"bidi override", raw("ada\u202e:" + secret), http.StatusBadRequest},
		{"huge header", raw("ada:" + strings.Repeat("a", 8000)), http.StatusBadRequest},
		{"wrong format password", raw("ada:" + strings.Repeat("&<>", 5)), http.StatusUnauthorized},
		{"lower-case scheme works", "basic " + base64.StdEncoding.EncodeToString([]byte("ada:"+secret)), http.StatusOK},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := basic(t, e.Client(), http.MethodGet, "/api/v1/me", c.auth)
			if c.status == http.StatusOK {
				if res.Status != http.StatusOK {
					t.Fatalf("%d %s", res.Status, jsonOf(res))
				}
				return
			}
			wantProblem(t, c.name, res, c.status)
		})
	}
	// A browser's cross-site POST is refused, as a problem too.
	res := basic(t, e.Client(), http.MethodPost, "/api/v1/crm/sign-in", raw("ada:"+secret))
	if res.Status != http.StatusOK {
		t.Fatalf("CRM sign-in: %d", res.Status)
	}
	res = e.Client().Request(http.MethodPost, "/api/v1/crm/sign-in", nil, func(r *http.Request) {
		r.Header.Set("Authorization", raw("ada:"+secret))
		r.Header.Set("Sec-Fetch-Site", "cross-site")
	})
	wantProblem(t, "cross-site POST", res, http.StatusForbidden)
	// Wrong methods and unknown paths keep their plain statuses.
	if res := basic(t, e.Client(), http.MethodPost, "/api/v1/me", raw("ada:"+secret)); res.Status != http.StatusMethodNotAllowed {
		t.Fatalf("POST /api/v1/me: %d", res.Status)
	}
	if res := basic(t, e.Client(), http.MethodGet, "/api/v1/crm/sign-in", raw("ada:"+secret)); res.Status != http.StatusMethodNotAllowed {
		t.Fatalf("GET /api/v1/crm/sign-in: %d", res.Status)
	}
}

// TestIntegrationSignInThrottledUnderParallelGuesses fires 30 wrong app
// passwords for one username at once on PostgreSQL: exactly the limit's 5
// are compared (and answered 401), the rest are refused with 429 before
// any comparison. The console sign-in keeps counts of its own, so the
// plug-in's failures do not lock its user out of the portal.
func TestIntegrationSignInThrottledUnderParallelGuesses(t *testing.T) {
	limits := identity.DefaultSignInConfig()
	limits.PerIP.Max = 1000
	e := apptest.Start(t, models.Postgres, apptest.Options{SignIn: &limits})
	a := apptest.DefaultAdmin()
	ada := e.Setup(a)
	secret := makeAppPassword(t, ada, "CRM")
	wrong := "abcd-efgh-jkmn-pqrs"
	statuses := atOnce(30, func(int) int {
		return basic(t, e.Client(), http.MethodGet, "/api/v1/me", basicOf("ada", wrong)).Status
	})
	got := tally(t, statuses)
	if got[http.StatusUnauthorized] != limits.PerUsername.Max || got[http.StatusTooManyRequests] != 30-limits.PerUsername.Max {
		t.Fatalf("30 parallel wrong app passwords: %v; want %d compared (401), the rest 429", got, limits.PerUsername.Max)
	}
	res := basic(t, e.Client(), http.MethodGet, "/api/v1/me", basicOf("ada", secret))
	wantProblem(t, "right app password while locked", res, http.StatusTooManyRequests)
	if ra, _ := strconv.Atoi(res.Header.Get("Retry-After")); ra < 800 || ra > 901 {
		t.Fatalf("429 with Retry-After %d; want the seconds left of a 15-minute lock", ra)
	}
	// Another username from the same address is not locked.
	if res := basic(t, e.Client(), http.MethodGet, "/api/v1/me", basicOf("bob", wrong)); res.Status != http.StatusUnauthorized {
		t.Fatalf("another username: %d", res.Status)
	}
	// The console's own counts are untouched.
	if res := e.Client().SignIn("ada", a.Password); res.Status != http.StatusSeeOther || res.Location != "/" {
		t.Fatalf("console sign-in after the plug-in's failures: %d %q", res.Status, res.Location)
	}
	// When the lock ends, the right app password works and clears nothing
	// it should not.
	e.Clock.Advance(limits.PerUsername.Lock + time.Second)
	if res := basic(t, e.Client(), http.MethodGet, "/api/v1/me", basicOf("ada", secret)); res.Status != http.StatusOK {
		t.Fatalf("after the lock: %d", res.Status)
	}
}

// TestAppPasswordLastUseWrittenAtMostOnceAMinute uses an app password
// from two addresses within a minute: only the first use is written.
func TestAppPasswordLastUseWrittenAtMostOnceAMinute(t *testing.T) {
	e, ada, _ := signedIn(t, models.SQLite)
	secret := makeAppPassword(t, ada, "CRM")
	digest := digestOf(strings.ReplaceAll(secret, "-", ""))
	use := func() {
		t.Helper()
		if res := basic(t, e.Client(), http.MethodGet, "/api/v1/me", basicOf("ada", secret)); res.Status != http.StatusOK {
			t.Fatalf("use: %d", res.Status)
		}
	}
	lastUse := func() time.Time {
		t.Helper()
		p, err := e.Store().AppPasswords().ByDigest(context.Background(), digest)
		if err != nil || p.LastUsedAt == nil {
			t.Fatalf("last use: %+v %v", p, err)
		}
		return *p.LastUsedAt
	}
	use()
	first := lastUse()
	e.Clock.Advance(30 * time.Second)
	use()
	if got := lastUse(); !got.Equal(first) {
		t.Fatalf("written again after 30 seconds: %v, first %v", got, first)
	}
	e.Clock.Advance(31 * time.Second)
	use()
	if got := lastUse(); !got.After(first) {
		t.Fatalf("not written after a minute: %v", got)
	}
}

// TestAppPasswordLimitHoldsUnderParallelCreations sends five creations
// at once to a user one short of the limit, on PostgreSQL: one is made.
func TestAppPasswordLimitHoldsUnderParallelCreations(t *testing.T) {
	e := apptest.Start(t, models.Postgres, apptest.Options{})
	ada := e.Setup(apptest.DefaultAdmin())
	for i := range profile.MaxAppPasswords - 1 {
		makeAppPassword(t, ada, "CRM "+apptest.Itoa(int64(i)))
	}
	form := formOf(ada.Get(appPasswordsPage), map[string]string{"name": "one of five"})
	got := tally(t, atOnce(5, func(int) int { return ada.Post(appPasswordsPage, form).Status }))
	if got[http.StatusOK] != 1 || got[http.StatusUnprocessableEntity] != 4 {
		t.Fatalf("five parallel creations at %d: %v", profile.MaxAppPasswords-1, got)
	}
	if n, _ := e.Store().AppPasswords().CountLive(context.Background(), e.User("ada").ID); n != profile.MaxAppPasswords {
		t.Fatalf("%d app passwords kept", n)
	}
}
