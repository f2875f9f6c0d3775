package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"accountportal/app/apptest"
	"accountportal/models"
)

// The users list and a bulk action's preview in French and German: axe at
// WCAG 2.2 AA at a desktop's width and a phone's (pictures under
// E2E_SCREENSHOTS), no text clipped (German's longer words fit), and the list's script
// naming the selection and the action in the reader's language.
func TestAccessibilityOfUsersConsoleInFrenchAndGerman(t *testing.T) {
	axe := axeSource(t)
	browser := apptest.Browser(t)
	e := apptest.Start(t, models.SQLite, apptest.Options{RealTime: true})
	a := usersAdmin()
	ada := e.Setup(a)
	acct := e.User(a.Username).AccountID
	for _, u := range []string{"amy", "ben", "cy1"} {
		e.AddUser(acct, u, personaPassword, models.StatusActive)
	}
	tab := apptest.Tab(t, browser)
	look := lookInLanguage(t, tab, axe, "users-languages")
	apptest.Step(t, tab, "sign in as ada",
		chromedp.Navigate(e.URL+"/login"),
		chromedp.SetValue(chromedp.CSS("#username"), a.Username),
		chromedp.Click(chromedp.CSS("[data-testid=login-continue]")),
		chromedp.WaitVisible(chromedp.CSS("#password")),
		chromedp.SendKeys(chromedp.CSS("#password"), a.Password),
		apptest.NewPage(chromedp.Click(chromedp.CSS("[data-testid=login-submit]"))),
		chromedp.WaitReady(chromedp.CSS("main")))
	if loc, err := chromedp.Run(tab, chromedp.Location()); err == nil && strings.HasSuffix(loc, "/login/agreement") {
		apptest.Step(t, tab, "accept the license agreement",
			apptest.NewPage(chromedp.Click(chromedp.CSS("[data-testid=agree]"))), chromedp.WaitReady(chromedp.CSS("main")))
	}
	words := map[string][3]string{
		"fr": {"(2 sélectionnés)", "Désactiver 2 utilisateurs", "Désactiver toutes les personnes correspondant au filtre"},
		"de": {"(2 ausgewählt)", "2 Benutzer deaktivieren", "alle zum Filter passenden deaktivieren"},
	}
	for _, lang := range []string{"fr", "de"} {
		res := ada.Submit(ada.Get("/profile/language"), "form[data-testid=language-form]", map[string]string{"language": lang})
		if res.Status != http.StatusSeeOther {
			t.Fatalf("%s: language: %d", lang, res.Status)
		}
		apptest.Step(t, tab, "the users list in "+lang, chromedp.Navigate(e.URL+"/admin/users"),
			chromedp.WaitReady(chromedp.CSS("[data-testid=bulk-form]")))
		look(lang + " users")
		apptest.Step(t, tab, "choose two users and an action in "+lang,
			chromedp.Click(chromedp.CSS("[data-testid=select-amy]")),
			chromedp.Click(chromedp.CSS("[data-testid=select-ben]")),
			chromedp.SetValue(chromedp.CSS("[data-testid=bulk-action]"), "deactivate"))
		if _, err := chromedp.Run(tab, chromedp.Evaluate[any](
			`document.querySelector('[data-testid=bulk-action]').dispatchEvent(new Event('change', {bubbles: true}))`)); err != nil {
			t.Fatal(err)
		}
		want := words[lang]
		if got := strings.TrimSpace(apptest.Text(t, tab, "[data-selection-count]")); got != want[0] {
			t.Errorf("%s: count %q, want %q", lang, got, want[0])
		}
		if got := strings.TrimSpace(apptest.Text(t, tab, "[data-testid=bulk-continue]")); got != want[1] {
			t.Errorf("%s: button %q, want %q", lang, got, want[1])
		}
		look(lang + " users chosen")
		apptest.Step(t, tab, "everyone matching in "+lang,
			chromedp.Click(chromedp.CSS("[data-testid=scope-matching]")))
		if got := strings.TrimSpace(apptest.Text(t, tab, "[data-testid=bulk-continue]")); !strings.EqualFold(got, want[2]) {
			t.Errorf("%s: button %q, want %q", lang, got, want[2])
		}
		apptest.Step(t, tab, "preview in "+lang,
			apptest.NewPage(chromedp.Click(chromedp.CSS("[data-testid=bulk-continue]"))),
			chromedp.WaitReady(chromedp.CSS("[data-testid=bulk-run-form]")))
		look(lang + " bulk preview")
	}
}
