package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"accountportal/app/apptest"
	"accountportal/models"
	"accountportal/views/i18n"
)

// The emailed reset's pages and the error pages in every language: axe at
// WCAG 2.2 AA at a desktop's width and a phone's, with pictures under
// E2E_SCREENSHOTS to see that German's longer words fit. Each user's own
// language says the wizard; the switcher's cookie the spent link and the 404.
func TestAccessibilityOfResetInEveryLanguage(t *testing.T) {
	axe := axeSource(t)
	browser := apptest.Browser(t)
	e := apptest.Start(t, models.SQLite, apptest.Options{RealTime: true})
	e.Setup(apptest.DefaultAdmin())
	tab := apptest.Tab(t, browser)
	look := pageChecker(t, tab, axe, "reset languages")
	submit := func(what, form string, fields map[string]string, then string) {
		t.Helper()
		actions := []chromedp.Action[chromedp.Void]{}
		for k, v := range fields {
			actions = append(actions, chromedp.SetValue(chromedp.CSS("form[data-testid="+form+"] [name="+k+"]"), v))
		}
		actions = append(actions, apptest.NewPage(chromedp.Submit(chromedp.CSS("form[data-testid="+form+"]"))),
			chromedp.WaitReady(chromedp.CSS(then)))
		apptest.Step(t, tab, what, actions...)
	}
	for _, l := range i18n.Languages {
		name := "a11y-" + l.Code
		resetUser(t, e, name, l.Code, "What was the name of your first pet?")
		link := resetLink(t, e, e.Client(), name, name+"@example.com")
		apptest.Step(t, tab, "open the link in "+l.Name, chromedp.Navigate(e.URL+link),
			chromedp.WaitReady(chromedp.CSS("form[data-testid=reset-answer-form]")))
		look(l.Code + " question")
		submit("wrong answer", "reset-answer-form", map[string]string{"answer": "Swansea"}, "[data-testid=error-summary]")
		look(l.Code + " wrong answer")
		submit("right answer", "reset-answer-form", map[string]string{"answer": "Port Talbot"}, "form[data-testid=reset-password-form]")
		look(l.Code + " new password")
		submit("refused password", "reset-password-form", map[string]string{"password": "abc", "password_confirm": "abd"}, "[data-testid=error-summary]")
		look(l.Code + " refused password")
		submit("new password", "reset-password-form", map[string]string{"password": "Quartz+Meadow9", "password_confirm": "Quartz+Meadow9"}, "[data-testid=message-page]")
		look(l.Code + " done")
		// The spent link has no user to speak for: the switcher's choice says it.
		apptest.Step(t, tab, "choose "+l.Name, chromedp.Navigate(e.URL+"/login?lang="+l.Code), chromedp.WaitReady(chromedp.CSS("main")))
		apptest.Step(t, tab, "the spent link in "+l.Name, chromedp.Navigate(e.URL+link), chromedp.WaitReady(chromedp.CSS("[data-testid=message-page]")))
		look(l.Code + " spent link")
		apptest.Step(t, tab, "a page not found in "+l.Name, chromedp.Navigate(e.URL+"/no-such-page"),
			chromedp.WaitReady(chromedp.CSS("[data-testid=error-page]")))
		look(l.Code + " not found")
	}
}
