package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"accountportal/app/apptest"
	"accountportal/models"
	"accountportal/views/i18n"
)

// The sign-in and forgotten-password pages in every language, chosen on their switcher: axe at
// WCAG 2.2 AA (the lang attribute included) at a desktop's width and a
// phone's, with pictures under E2E_SCREENSHOTS to see that German's longer
// words fit.
func TestAccessibilityOfSignInInEveryLanguage(t *testing.T) {
	axe := axeSource(t)
	browser := apptest.Browser(t)
	e := apptest.Start(t, models.SQLite, apptest.Options{RealTime: true})
	e.Setup(apptest.DefaultAdmin())
	tab := apptest.Tab(t, browser)
	look := pageChecker(t, tab, axe, "languages")
	for _, l := range i18n.Languages {
		apptest.Step(t, tab, "sign in in "+l.Name, chromedp.Navigate(e.URL+"/login?lang="+l.Code),
			chromedp.WaitReady(chromedp.CSS("main")))
		look(l.Code + " sign in")
		apptest.Step(t, tab, "give a username in "+l.Name,
			chromedp.SetValue(chromedp.CSS("form[data-testid=login-username-form] [name=username]"), "ada"),
			apptest.NewPage(chromedp.Submit(chromedp.CSS("form[data-testid=login-username-form]"))),
			chromedp.WaitReady(chromedp.CSS("form[data-testid=login-password-form]")))
		look(l.Code + " password")
		for _, path := range []string{"/forgot", "/forgot/password", "/forgot/username"} {
			apptest.Step(t, tab, "open "+path+" in "+l.Name, chromedp.Navigate(e.URL+path), chromedp.WaitReady(chromedp.CSS("main")))
			look(l.Code + " " + path)
		}
	}
}
