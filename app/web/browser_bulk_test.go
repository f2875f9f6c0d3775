package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"accountportal/app/apptest"
	"accountportal/models"
)

// A bulk action with the keyboard alone, from a filtered users list:
// Continue waits for a choice, then names the action and count; the
// preview asks the same question; the result page says what happened and
// its link returns to the list with the filter.
func TestBrowserBulkKeyboardOnly(t *testing.T) {
	browser := apptest.Browser(t)
	e := apptest.Start(t, models.SQLite, apptest.Options{RealTime: true})
	a := apptest.DefaultAdmin()
	e.Setup(a)
	acct := e.User("ada").AccountID
	for _, n := range []string{"kim", "kit", "lee"} {
		e.AddUser(acct, n, deskPassword, models.StatusActive)
	}
	tab := apptest.Tab(t, browser)
	apptest.Step(t, tab, "sign in",
		chromedp.Navigate(e.URL+"/login"),
		chromedp.SetValue(chromedp.CSS("#username"), "ada"),
		chromedp.Click(chromedp.CSS("[data-testid=login-continue]")),
		chromedp.WaitVisible(chromedp.CSS("#password")),
		chromedp.SendKeys(chromedp.CSS("#password"), a.Password),
		apptest.NewPage(chromedp.Click(chromedp.CSS("[data-testid=login-submit]"))),
		chromedp.WaitReady(chromedp.CSS("main")),
	)
	if where, _ := chromedp.Run(tab, chromedp.Location()); where == e.URL+"/login/agreement" {
		apptest.Step(t, tab, "agree", apptest.NewPage(chromedp.Click(chromedp.CSS("[data-testid=agree]"))))
	}
	k := keyboard{t: t, tab: tab}
	k.run("open the filtered list", chromedp.Navigate(e.URL+"/admin/users?q=ki"), chromedp.WaitVisible(chromedp.CSS("[data-testid=select-kim]")))
	button := func() (string, bool) {
		t.Helper()
		text, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS("[data-testid=bulk-continue]")))
		disabled, err2 := chromedp.Run(tab, chromedp.Evaluate[bool](`document.querySelector("[data-testid=bulk-continue]").disabled`))
		if err != nil || err2 != nil {
			t.Fatal(err, err2)
		}
		return text, disabled
	}
	if text, disabled := button(); !disabled || text != "Continue" {
		t.Fatalf("with nothing chosen the button is %q (disabled %v)", text, disabled)
	}
	k.tabTo("[data-testid=select-kim]")
	k.run("tick kim", chromedp.KeyEvent(" "))
	k.tabTo("[data-testid=select-kit]")
	k.run("tick kit", chromedp.KeyEvent(" "))
	k.tabTo("#action")
	k.run("choose Deactivate", chromedp.KeyEvent("D"))
	if text, disabled := button(); disabled || text != "Deactivate 2 users" {
		t.Fatalf("with two chosen the button is %q (disabled %v)", text, disabled)
	}
	k.tabTo("[data-testid=bulk-continue]")
	k.press(kb.Enter, "[data-testid=bulk-run-form]")
	title, _ := chromedp.Run(tab, chromedp.Evaluate[string](`document.title`))
	run, _ := chromedp.Run(tab, chromedp.Text(chromedp.CSS("[data-testid=bulk-run]")))
	if !strings.HasPrefix(title, "Deactivate 2 users?") || run != "Deactivate 2 users" {
		t.Fatalf("preview titled %q with button %q", title, run)
	}
	k.fill("#reason", "left the company")
	k.tabTo("[data-testid=bulk-run]")
	k.press(kb.Enter, "[data-testid=job-title]")
	apptest.WaitForJobPage(t, tab)
	if got, _ := chromedp.Run(tab, chromedp.Text(chromedp.CSS("[data-testid=job-title]"))); got != "2 users deactivated" {
		t.Fatalf("result titled %q", got)
	}
	k.tabTo("[data-testid=job-back]")
	k.press(kb.Enter, "[data-testid=users]")
	if where, _ := chromedp.Run(tab, chromedp.Location()); where != e.URL+"/admin/users?q=ki" {
		t.Fatalf("back to %q, not the filtered list", where)
	}
	rows, _ := chromedp.Run(tab, chromedp.Evaluate[int](`document.querySelectorAll("[data-testid=user-status].status-suspended").length`))
	if rows != 2 {
		t.Fatalf("%d suspended users in the filtered list", rows)
	}
}
