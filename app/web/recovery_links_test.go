package web_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"accountportal/app/apptest"
	"accountportal/app/audit"
	"accountportal/app/security"
	"accountportal/models"
	"accountportal/models/modelstest"
)

func TestResetLinkFailures(t *testing.T) {
	e, _ := signedUp(t, models.SQLite, apptest.Options{})
	ctx := context.Background()
	admin := e.User("ada")
	raw, digest := security.NewToken()
	if err := e.Store().Tokens.Create(ctx, &models.Token{UserID: admin.ID, Purpose: models.PurposeWelcome, SHA256: digest,
		CreatedAt: e.Clock.Now(), ExpiresAt: e.Clock.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	unknown, _ := security.NewToken()
	cases := map[string]func() string{
		"malformed":      func() string { return "/reset/abc" },
		"unknown":        func() string { return "/reset/" + unknown },
		"other purpose":  func() string { return "/reset/" + raw },
		"path traversal": func() string { return "/reset/..%2F..%2Fsetup" },
		"superseded by a newer link": func() string {
			c := e.Client()
			old := resetLink(t, e, c, "ada", "ada@example.com")
			resetLink(t, e, c, "ada", "ada@example.com")
			return old
		},
		"expired": func() string {
			link := resetLink(t, e, e.Client(), "ada", "ada@example.com")
			e.Clock.Advance(61 * time.Minute)
			return link
		},
	}
	for name, mk := range cases {
		t.Run(name, func(t *testing.T) {
			res := e.Client().Get(mk())
			if res.Status != http.StatusNotFound || !strings.Contains(res.Body, "This link has expired or was already used") {
				t.Fatalf("status %d", res.Status)
			}
			if href, _ := res.Doc.Find("[data-testid=message-link]").Attr("href"); href != "/forgot/password" {
				t.Fatalf("no way to ask for a new link (%q)", href)
			}
		})
	}
}

func TestPasswordChangeVoidsOutstandingLinks(t *testing.T) {
	e, _ := signedUp(t, models.SQLite, apptest.Options{})
	c1, c2 := e.Client(), e.Client()
	first := resetLink(t, e, c1, "ada", "ada@example.com")
	c1.Get(first)
	c1.Submit(c1.Get("/reset"), "form[data-testid=reset-password-form]", map[string]string{"password": newPassword, "password_confirm": newPassword})
	// A link sent before the change, then (in another browser) one that was
	// open when the change happened.
	if res := c2.Get(first); res.Status != http.StatusNotFound {
		t.Fatalf("used link in another browser: %d", res.Status)
	}
}

func TestResetWizardStateStaysInItsBrowser(t *testing.T) {
	e, _ := signedUp(t, models.SQLite, apptest.Options{})
	a, b := e.Client(), e.Client()
	link := resetLink(t, e, a, "ada", "ada@example.com")
	a.Get(link)
	if res := b.Get("/reset"); res.Status != http.StatusNotFound {
		t.Fatalf("wizard without the link in another browser: %d", res.Status)
	}
	b.Get(link)
	if res := a.Submit(a.Get("/reset"), "form[data-testid=reset-password-form]", map[string]string{
		"password": newPassword, "password_confirm": newPassword}); res.Status != http.StatusSeeOther {
		t.Fatalf("first browser: %d", res.Status)
	}
	res := b.Post("/reset/password", formOf(b.Get("/forgot/password"), map[string]string{"password": "Other+Pass99x", "password_confirm": "Other+Pass99x"}))
	if res.Status != http.StatusNotFound {
		t.Fatalf("second browser after the first finished: %d", res.Status)
	}
}

func TestParallelSubmissionsChangePasswordOnce(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e, _ := signedUp(t, d, apptest.Options{Env: map[string]string{"PORTAL_HASH_CONCURRENCY": "64"}})
		first := e.Client()
		link := resetLink(t, e, first, "ada", "ada@example.com")
		const n = 50
		clients := make([]*apptest.Client, n)
		pages := make([]*apptest.Response, n)
		for i := range clients {
			clients[i] = e.Client()
			clients[i].Get(link)
			pages[i] = clients[i].Get("/reset")
		}
		statuses := make([]int, n)
		var wg sync.WaitGroup
		for i := range clients {
			wg.Go(func() {
				statuses[i] = clients[i].Submit(pages[i], "form[data-testid=reset-password-form]", map[string]string{
					"password": newPassword, "password_confirm": newPassword}).Status
			})
		}
		wg.Wait()
		won := 0
		for _, s := range statuses {
			switch s {
			case http.StatusSeeOther:
				won++
			case http.StatusNotFound:
			default:
				t.Errorf("unexpected status %d", s)
			}
		}
		if won != 1 {
			t.Fatalf("%d submissions succeeded, want exactly 1", won)
		}
		if n := auditCount(t, e, e.User("ada").AccountID, audit.ActionResetCompleted); n != 1 {
			t.Fatalf("%d password changes recorded", n)
		}
	})
}

func TestSignOutEverywhereOnReset(t *testing.T) {
	for _, signOut := range []bool{false, true} {
		e, a := signedUp(t, models.SQLite, apptest.Options{})
		laptop := e.Client()
		laptop.SignIn("ada", a.Password)
		c := e.Client()
		c.Get(resetLink(t, e, c, "ada", "ada@example.com"))
		fields := map[string]string{"password": newPassword, "password_confirm": newPassword}
		if signOut {
			fields["sign_out_everywhere"] = "yes"
		}
		c.Submit(c.Get("/reset"), "form[data-testid=reset-password-form]", fields)
		status := laptop.Get("/").Status
		if signOut && status != http.StatusSeeOther || !signOut && status != http.StatusOK {
			t.Fatalf("sign out everywhere %v: laptop got %d", signOut, status)
		}
	}
}

func TestResetLinkIgnoresHostHeader(t *testing.T) {
	e, _ := signedUp(t, models.SQLite, apptest.Options{})
	c := e.Client()
	page := c.Get("/forgot/password")
	res := c.Request(http.MethodPost, "/forgot/password", formOf(page, map[string]string{"username": "ada"}), func(r *http.Request) {
		r.Host = "evil.example"
		r.Header.Set("X-Forwarded-Host", "evil.example")
		// Go's client picks cookies by Host when it is set; send the real ones.
		r.AddCookie(c.Cookie("portal"))
	})
	if res.Status != http.StatusOK {
		t.Fatalf("status %d", res.Status)
	}
	e.Drain()
	msg := e.MailTo("ada@example.com")[0]
	if strings.Contains(msg.TextBody+msg.HTMLBody, "evil.example") || apptest.LinkIn(msg.TextBody, e.URL+"/reset/") == "" {
		t.Fatalf("link not built from the public URL:\n%s", msg.TextBody)
	}
}
