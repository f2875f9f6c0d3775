package web_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"accountportal/app/apptest"
	"accountportal/models"
)

// TestAccessibilityOfOnboarding checks the onboarding form (with and
// without errors), the invitation's page, the invited Primary Admin's form
// (with and without errors) and the expired-invitation page with axe-core
// at WCAG 2.2 AA.
func TestAccessibilityOfOnboarding(t *testing.T) {
	axe := axeSource(t)
	browser := apptest.Browser(t)
	e := apptest.Start(t, models.SQLite, apptest.Options{RealTime: true})
	e.Setup(apptest.DefaultAdmin())
	e.AddOperator("Olga Ops", opsEmail, deskPassword)
	ops := e.Client()
	key, _ := ops.SignInEnrolling(opsEmail, deskPassword, e.Clock)
	id := apptest.OnboardedID(t, ops.Onboard("Beta Ltd", "Bea Boss", "bea@beta.example"))
	link := e.InvitationLink("bea@beta.example")

	tab := apptest.Tab(t, browser)
	look := pageChecker(t, tab, axe, "operator")
	check := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		apptest.Step(t, tab, what, append(steps, chromedp.WaitReady(chromedp.CSS("main")))...)
		look(what)
	}
	check("invitation form", chromedp.Navigate(e.URL+link))
	check("invitation form with errors (422)", apptest.NewPage(chromedp.Submit(chromedp.CSS("form[data-testid=invitation-form]"))))
	check("unknown invitation", chromedp.Navigate(e.URL+"/invite/not-a-token"))

	e.Clock.Advance(31 * time.Second) // the next code of the operator's authenticator
	apptest.Step(t, tab, "operator signs in",
		chromedp.Navigate(e.URL+"/login"),
		chromedp.SetValue(chromedp.CSS("#username"), opsEmail),
		chromedp.Click(chromedp.CSS("[data-testid=login-continue]")),
		chromedp.WaitVisible(chromedp.CSS("#password")),
		chromedp.SendKeys(chromedp.CSS("#password"), deskPassword),
		chromedp.Click(chromedp.CSS("[data-testid=login-submit]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=mfa-form]")),
		chromedp.SendKeys(chromedp.CSS("#code"), apptest.TOTP(key, e.Clock.Now())),
		chromedp.Click(chromedp.CSS("[data-testid=mfa-submit]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=operator-accounts]")),
	)
	check("onboarding form", chromedp.Navigate(e.URL+"/operator/accounts/new"))
	check("onboarding form with errors (422)", apptest.NewPage(chromedp.Submit(chromedp.CSS("form[data-testid=onboard-form]"))))
	check("invitation's page", chromedp.Navigate(e.URL+"/operator/accounts/"+apptest.Itoa(id)+"/invitation"))

	// The rest of the operator's console.
	active := e.URL + "/operator/accounts/" + apptest.Itoa(e.User("ada").AccountID)
	check("accounts list", chromedp.Navigate(e.URL+"/operator"))
	check("accounts list, searched", chromedp.Navigate(e.URL+"/operator?q=beta&status=pending&sort=created&order=desc"))
	check("bad accounts query (400)", chromedp.Navigate(e.URL+"/operator?sort=nonsense"))
	check("pending account's page", chromedp.Navigate(e.URL+"/operator/accounts/"+apptest.Itoa(id)))
	check("active account's page", chromedp.Navigate(active))
	check("suspend confirmation", chromedp.Navigate(active+"/suspend"))
	check("suspend with errors (422)", apptest.NewPage(chromedp.Submit(chromedp.CSS("form[data-testid=status-form]"))))
	check("close confirmation", chromedp.Navigate(active+"/close"))
	check("Primary Admin recovery", chromedp.Navigate(active+"/primary-admin"))
	check("who has not accepted", chromedp.Navigate(active+"/agreement"))
	check("provider's log", chromedp.Navigate(e.URL+"/operator/audit"))
	check("agreement versions", chromedp.Navigate(e.URL+"/operator/license"))
	check("agreement version", chromedp.Navigate(e.URL+"/operator/license/2026-01"))
	check("publish form", chromedp.Navigate(e.URL+"/operator/license/new"))
	check("publish form with errors (422)", apptest.NewPage(chromedp.Submit(chromedp.CSS("form[data-testid=license-form]"))))
}
