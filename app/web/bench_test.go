package web_test

import (
	"io"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"accountportal/app/apptest"
	"accountportal/app/identity"
	"accountportal/app/recovery"
	"accountportal/models"
)

// BenchmarkForgotPassword compares the forgot-password page's answer time
// for a known and an unknown username: the handler must do the same work
// for both. It reports the median of all requests, which a few slow ones
// (garbage collection, a WAL checkpoint) do not move.
func BenchmarkForgotPassword(b *testing.B) {
	cfg := recovery.DefaultConfig()
	cfg.PerIdentifier.Max, cfg.PerIP.Max = 1<<30, 1<<30
	e := apptest.Start(b, models.SQLite, apptest.Options{Recovery: &cfg})
	e.Setup(apptest.DefaultAdmin())
	for _, who := range []string{"known", "unknown"} {
		name := map[string]string{"known": "ada", "unknown": "nobody-at-all"}[who]
		b.Run(who, func(b *testing.B) {
			c := e.Client()
			form := url.Values{"csrf_token": {apptest.CSRF(c.Get("/forgot/password"))}, "username": {name}}
			var times []time.Duration
			for b.Loop() {
				start := time.Now()
				if res := c.Post("/forgot/password", form); res.Status != 200 {
					b.Fatalf("status %d", res.Status)
				}
				times = append(times, time.Since(start))
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Microseconds()), "µs/median")
		})
	}
}

// BenchmarkSignedInPages measures My Profile and the users list for a
// signed-in Primary Admin, through the real router, on both databases.
func BenchmarkSignedInPages(b *testing.B) {
	for _, d := range []models.Dialect{models.SQLite, models.Postgres} {
		e := apptest.Start(b, d, apptest.Options{})
		c := e.Setup(apptest.DefaultAdmin())
		for _, path := range []string{"/profile", "/admin/users"} {
			b.Run(string(d)+path, func(b *testing.B) {
				for b.Loop() {
					if res := c.Get(path); res.Status != 200 {
						b.Fatalf("status %d", res.Status)
					}
				}
			})
		}
	}
}

// BenchmarkSignInPasswordStep measures the password step of sign-in
// without the hash (the test portal hashes with 64 KiB, one pass): what a
// sign-in costs besides argon2id.
func BenchmarkSignInPasswordStep(b *testing.B) {
	e := apptest.Start(b, models.SQLite, apptest.Options{})
	a := apptest.DefaultAdmin()
	e.Setup(a)
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		c := e.Client()
		page := c.Get("/login")
		c.Submit(page, "form[data-testid=login-username-form]", map[string]string{"username": "ada"})
		form := url.Values{"csrf_token": {apptest.CSRF(page)}, "password": {a.Password}}
		b.StartTimer()
		if res := c.Post("/login/password", form); res.Status != 303 {
			b.Fatalf("status %d", res.Status)
		}
	}
}

// BenchmarkAPIUserRead measures GET /api/v1/users/{id} against the
// console's page of the same user for the same Primary Admin, alternating
// them in one loop so both see the same machine; api/console is the
// ratio. Both are sent with a plain HTTP client and their bodies read, not
// parsed.
func BenchmarkAPIUserRead(b *testing.B) {
	for _, d := range []models.Dialect{models.SQLite, models.Postgres} {
		// The rate limit is the largest the setting takes, so the loop
		// measures answers, not 429s.
		w := newAPIWorld(b, d, apptest.Options{Env: map[string]string{"PORTAL_API_RATE_LIMIT": "100000"}})
		token := createToken(b, w.ada, "Bench", "", identity.PermUsersManage)
		api, _ := http.NewRequest(http.MethodGet, w.e.URL+w.tessP, nil)
		api.Header.Set("Authorization", "Bearer "+token)
		page, _ := http.NewRequest(http.MethodGet, w.e.URL+"/admin/users/"+apptest.Itoa(w.tess.ID), nil)
		b.Run(string(d), func(b *testing.B) {
			var apiTime, pageTime time.Duration
			for b.Loop() {
				apiTime += timed(b, w.ada.HTTP, api)
				pageTime += timed(b, w.ada.HTTP, page)
			}
			b.ReportMetric(float64(apiTime.Nanoseconds())/float64(b.N), "api-ns/op")
			b.ReportMetric(float64(pageTime.Nanoseconds())/float64(b.N), "console-ns/op")
			b.ReportMetric(float64(apiTime)/float64(pageTime), "api/console")
		})
	}
}

// timed sends req, reads its body, and returns how long that took.
func timed(b *testing.B, c *http.Client, req *http.Request) time.Duration {
	start := time.Now()
	res, err := c.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	_, err = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if err != nil || res.StatusCode != http.StatusOK {
		b.Fatalf("%s: %d %v", req.URL.Path, res.StatusCode, err)
	}
	return time.Since(start)
}
