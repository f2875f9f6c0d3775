package web_test

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"accountportal/app/apptest"
	"accountportal/app/identity"
	"accountportal/models"
)

// The admin console's privileges, roles, security and API tokens pages
// in German, whose words are the longest: axe at WCAG 2.2 AA at a
// desktop's width and a phone's, nothing wider than the window, with
// pictures under E2E_SCREENSHOTS to see that every label and button fits.
func TestAccessibilityOfAdminPagesInGerman(t *testing.T) {
	axe := axeSource(t)
	browser := apptest.Browser(t)
	e := apptest.Start(t, models.SQLite, apptest.Options{RealTime: true})
	a := apptest.DefaultAdmin()
	e.Setup(a)
	ada := e.User("ada")
	ctx := context.Background()
	if err := e.Store().Users.SetLanguage(ctx, ada.ID, "de", "Europe/Berlin", e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	tess := e.AddUser(ada.AccountID, "tess", personaPassword, models.StatusActive)
	e.GiveRole(tess.ID, "billing_admin")
	e.Grant(tess.ID, identity.PermPhoneSystem)
	role := e.AddRole(ada.AccountID, "Prüfer", identity.PermAuditView)

	tab := apptest.Tab(t, browser)
	look := pageChecker(t, tab, axe, "admin-de")
	apptest.Step(t, tab, "sign in as ada",
		chromedp.Navigate(e.URL+"/login"),
		chromedp.SetValue(chromedp.CSS("#username"), "ada"),
		chromedp.Click(chromedp.CSS("[data-testid=login-continue]")),
		chromedp.WaitVisible(chromedp.CSS("#password")),
		chromedp.SendKeys(chromedp.CSS("#password"), a.Password),
		apptest.NewPage(chromedp.Click(chromedp.CSS("[data-testid=login-submit]"))),
		chromedp.WaitReady(chromedp.CSS("main")))
	if where, _ := chromedp.Run(tab, chromedp.Location()); where == e.URL+"/login/agreement" {
		apptest.Step(t, tab, "agree", chromedp.Click(chromedp.CSS("[data-testid=agree]")),
			chromedp.WaitVisible(chromedp.CSS("[data-testid=greeting]")))
	}
	visit := func(path string) {
		t.Helper()
		apptest.Step(t, tab, "open "+path, chromedp.Navigate(e.URL+path), chromedp.WaitReady(chromedp.CSS("main")))
		if lang, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.documentElement.lang`)); err != nil || lang != "de" {
			t.Errorf("%s: lang %q (%v)", path, lang, err)
		}
		look(path)
	}
	submit := func(name, form string) {
		t.Helper()
		apptest.Step(t, tab, name, apptest.NewPage(chromedp.Submit(chromedp.CSS(form))), chromedp.WaitReady(chromedp.CSS("main")))
		look(name)
	}
	for _, p := range []string{"/admin/privileges", "/admin/privileges/remove?user_id=" + apptest.Itoa(tess.ID), "/admin/roles",
		"/admin/roles/" + apptest.Itoa(role), "/admin/roles/new", "/admin/security", "/admin/api-tokens"} {
		visit(p)
	}
	visit("/admin/roles/new")
	submit("role form refused (422)", "form[data-testid=role-form]")
	visit("/admin/api-tokens")
	submit("token form refused (422)", "form[data-testid=token-form]")
	visit("/admin/privileges")
	submit("transfer form refused (422)", "form[data-testid=transfer-form]")
}
