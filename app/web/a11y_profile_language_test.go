package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"accountportal/app/apptest"
	"accountportal/models"
)

// My Profile, its task pages, the two-step pages and home for a user
// whose language is Spanish, French or German: axe at WCAG 2.2 AA at a
// desktop's width and a phone's (the page must fit 390 pixels: German's
// long words), with pictures under E2E_SCREENSHOTS.
func TestAccessibilityOfProfileInEveryLanguage(t *testing.T) {
	axe := axeSource(t)
	browser := apptest.Browser(t)
	e := apptest.Start(t, models.SQLite, apptest.Options{RealTime: true})
	e.Setup(apptest.DefaultAdmin())
	acct := e.User("ada").AccountID
	e.SetMFAPolicy(acct, models.MFAOptional)
	tab := apptest.Tab(t, browser)
	look := pageChecker(t, tab, axe, "profile languages")
	visit := func(lang, path string) {
		t.Helper()
		apptest.Step(t, tab, "open "+path+" in "+lang, chromedp.Navigate(e.URL+path), chromedp.WaitReady(chromedp.CSS("main")))
		look(lang + " " + path)
	}
	submit := func(lang, what, form string, fields map[string]string) {
		t.Helper()
		var steps []chromedp.Action[chromedp.Void]
		for name, value := range fields {
			steps = append(steps, chromedp.SetValue(chromedp.CSS(form+" [name="+name+"]"), value))
		}
		steps = append(steps, apptest.NewPage(chromedp.Submit(chromedp.CSS(form))), chromedp.WaitReady(chromedp.CSS("main")))
		apptest.Step(t, tab, what+" in "+lang, steps...)
		look(lang + " " + what)
	}
	for _, lang := range []string{"es", "fr", "de"} {
		name := "pat-" + lang
		e.AddUser(acct, name, personaPassword, models.StatusActive)
		// Her language, chosen in My Profile.
		c := e.Client()
		c.SignIn(name, personaPassword)
		c.Submit(c.Get("/profile/language"), "form[data-testid=language-form]", map[string]string{"language": lang})

		apptest.Step(t, tab, "sign in as "+name,
			chromedp.Navigate(e.URL+"/login?lang="+lang),
			chromedp.SetValue(chromedp.CSS("#username"), name),
			chromedp.Click(chromedp.CSS("[data-testid=login-continue]")),
			chromedp.WaitVisible(chromedp.CSS("#password")),
			chromedp.SendKeys(chromedp.CSS("#password"), personaPassword),
			apptest.NewPage(chromedp.Click(chromedp.CSS("[data-testid=login-submit]"))),
			chromedp.WaitReady(chromedp.CSS("main")),
		)
		for _, p := range []string{"/", "/profile", "/profile/details", "/profile/language", "/profile/passphrase",
			"/profile/question", "/profile/email", "/profile/sessions", "/profile/app-passwords", "/profile/mfa",
			"/confirm?next=/profile/password"} {
			visit(lang, p)
		}
		visit(lang, "/profile/details")
		submit(lang, "name refused (422)", "form[data-testid=details-form]", map[string]string{"display_name": " "})
		submit(lang, "name saved", "form[data-testid=details-form]", map[string]string{"display_name": "Pat " + lang})
		visit(lang, "/profile/mfa")
		submit(lang, "set up two-step", "form[action='/profile/mfa/start']", nil)
		submit(lang, "a wrong code (422)", "form[data-testid=mfa-setup-form]", map[string]string{"code": "000000"})
		apptest.Step(t, tab, "sign out in "+lang, chromedp.Navigate(e.URL+"/"), apptest.SignOut())
	}
}
