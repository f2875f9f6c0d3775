package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"accountportal/app/apptest"
	"accountportal/models"
)

// The password checklist's live text, announced while a Spanish user types
// their new password on an emailed reset link, is Spanish, with the
// plural form of its count.
func TestBrowserChecklistSpeaksSpanish(t *testing.T) {
	browser := apptest.Browser(t)
	e := apptest.Start(t, models.SQLite, apptest.Options{RealTime: true})
	e.Setup(apptest.DefaultAdmin())
	u := e.AddUser(e.User("ada").AccountID, "rosa", apptest.DefaultAdmin().Password, models.StatusActive)
	if err := e.Store().Users.SetLanguage(context.Background(), u.ID, "es", "", e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	link := resetLink(t, e, e.Client(), "rosa", "rosa@example.com")
	tab := apptest.Tab(t, browser)
	apptest.Step(t, tab, "open the link",
		chromedp.Navigate(e.URL+link),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=reset-password-form]")),
		chromedp.SendKeys(chromedp.CSS("#password"), "Zebra"))
	live := func() string {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for {
			s, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.querySelector('[data-password-checklist] [aria-live]').textContent`))
			if err != nil {
				t.Fatal(err)
			}
			if s != "" || time.Now().After(deadline) {
				return s
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	// Zebra meets upper, lower, no spaces and not the username: four.
	if got := live(); got != "Se cumplen 4 de 8 requisitos de la contraseña" {
		t.Fatalf("live text after Zebra: %q", got)
	}
	if got := apptest.Text(t, tab, "[data-password-checklist] .checklist-title"); !strings.HasPrefix(got, "Requisitos") {
		t.Fatalf("checklist title: %q", got)
	}
}
