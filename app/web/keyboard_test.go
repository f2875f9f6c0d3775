package web_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"accountportal/app/apptest"
	"accountportal/models"
)

// keyboard drives a tab with key presses only: Tab to move, typing, Space
// and the arrow keys for radio buttons, Enter to follow and submit.
type keyboard struct {
	t   *testing.T
	tab context.Context
}

func (k keyboard) run(what string, steps ...chromedp.Action[chromedp.Void]) {
	k.t.Helper()
	apptest.Step(k.t, k.tab, what, steps...)
}

// focused reports whether the focused element matches selector.
func (k keyboard) focused(selector string) bool {
	ok, err := chromedp.Run(k.tab, chromedp.Evaluate[bool](`!!document.activeElement && document.activeElement.matches(`+strconv.Quote(selector)+`)`))
	return err == nil && ok
}

// tabTo presses Tab until selector has the focus.
func (k keyboard) tabTo(selector string) {
	k.t.Helper()
	for range 120 {
		if k.focused(selector) {
			return
		}
		k.run("Tab towards "+selector, chromedp.KeyEvent(kb.Tab))
	}
	k.t.Fatalf("Tab never reached %s", selector)
}

func (k keyboard) fill(selector, text string) {
	k.t.Helper()
	k.tabTo(selector)
	k.run("type into "+selector, chromedp.KeyEvent(text))
}

// press sends one key that leaves the page and waits for the next one.
func (k keyboard) press(key, waitFor string) {
	k.t.Helper()
	k.run("press and wait for "+waitFor, apptest.NewPage(chromedp.KeyEvent(key)), chromedp.WaitVisible(chromedp.CSS(waitFor)))
}

// signIn goes through both sign-in steps with the keyboard, and the
// license agreement when it is asked, ending on the home page.
func (k keyboard) signIn(base, username, password string) {
	k.t.Helper()
	k.run("open sign-in", chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.CSS("#username")))
	k.fill("#username", username)
	k.press(kb.Enter, "#password")
	k.fill("#password", password)
	k.agree()
}

// agree submits the password step's answer and accepts the license
// agreement when it is asked.
func (k keyboard) agree() {
	k.t.Helper()
	k.press(kb.Enter, "[data-testid=agree], [data-testid=greeting]")
	if asks, _ := chromedp.Run(k.tab, chromedp.Evaluate[bool](`!!document.querySelector("[data-testid=agree]")`)); asks {
		k.tabTo("[data-testid=agree]")
		k.press(kb.Enter, "[data-testid=greeting]")
	}
}

// TestKeyboardOnlyJourneys completes the main journeys without a mouse:
// sign-in, My Profile, creating a user, and the support desk's check; a
// rejected form puts the focus on its error summary.
func TestKeyboardOnlyJourneys(t *testing.T) {
	browser := apptest.Browser(t)
	e := apptest.Start(t, models.SQLite, apptest.Options{RealTime: true})
	a := apptest.DefaultAdmin()
	e.Setup(a)
	acct := e.User("ada").AccountID
	bill := e.AddUser(acct, "bill", deskPassword, models.StatusActive)
	e.GiveRole(bill.ID, "billing_admin")
	e.SetPassphrase(bill.ID, billPassphrase)
	k := keyboard{t: t, tab: apptest.Tab(t, browser)}

	k.run("open sign-in", chromedp.Navigate(e.URL+"/login"), chromedp.WaitVisible(chromedp.CSS("#username")))
	k.tabTo(".skip-link")
	k.run("skip to main", chromedp.KeyEvent(kb.Enter))
	if !k.focused("main") {
		t.Fatal("the skip link did not move the focus to the main content")
	}
	k.fill("#username", "ada")
	k.press(kb.Enter, "#password")
	k.press(kb.Enter, "[data-testid=error-summary]")
	if !k.focused("[data-testid=error-summary]") {
		t.Fatal("a rejected form did not focus its error summary")
	}
	k.fill("#password", a.Password)
	k.agree()

	// My Profile through the user menu.
	k.tabTo("[data-testid=user-menu]")
	k.run("open the user menu", chromedp.KeyEvent(kb.Enter))
	k.tabTo("[data-testid=my-profile]")
	k.press(kb.Enter, "[data-testid=profile-summary]")
	k.tabTo("[data-testid=change-details]")
	k.press(kb.Enter, "[data-testid=details-form]")
	k.tabTo("#display_name")
	k.run("add to the name", chromedp.KeyEvent(kb.End), chromedp.KeyEvent(" Jr"))
	k.tabTo("[data-testid=details-submit]")
	k.press(kb.Enter, "[data-testid=flash]")
	if got := e.User("ada").DisplayName; got != "Ada Admin Jr" {
		t.Fatalf("name after the keyboard edit: %q", got)
	}

	// Create a user.
	k.run("open create user", chromedp.Navigate(e.URL+"/admin/users/new"), chromedp.WaitVisible(chromedp.CSS("main")))
	k.fill("#display_name", "Kim Keys")
	k.fill("#email", "kim@example.com")
	k.tabTo("button[type=submit].button")
	k.press(kb.Enter, "[data-testid=flash]")
	if _, err := e.Store().Users.ByUsernameKey(context.Background(), "kim@example.com"); err != nil {
		t.Fatalf("user not created from the keyboard: %v", err)
	}

	// The support desk: radio buttons by Space and arrow keys.
	e.AddAgent("Sam Support", "sam@desk.example", deskPassword)
	agent := e.Client()
	key, _ := agent.SignInEnrolling("sam@desk.example", deskPassword, e.Clock)
	desk := keyboard{t: t, tab: apptest.Tab(t, browser)}
	desk.run("agent signs in", chromedp.Navigate(e.URL+"/login"), chromedp.WaitVisible(chromedp.CSS("#username")))
	desk.fill("#username", "sam@desk.example")
	desk.press(kb.Enter, "#password")
	desk.fill("#password", deskPassword)
	desk.press(kb.Enter, "#code")
	desk.fill("#code", apptest.TOTP(key, time.Now().Add(30*time.Second)))
	desk.press(kb.Enter, "[data-testid=support-search]")
	desk.fill("#q", "Acme Telecom Ltd")
	desk.press(kb.Enter, "[data-testid=support-verify]")
	desk.tabTo("input[name=caller]")
	for !desk.focused("[data-testid=caller-bill]") {
		desk.run("next caller", chromedp.KeyEvent(kb.ArrowDown))
	}
	desk.tabTo("input[name=area]")
	for !desk.focused(`[data-testid=area-billing\.changes]`) {
		desk.run("next area", chromedp.KeyEvent(kb.ArrowDown))
	}
	desk.fill("#passphrase", billPassphrase)
	desk.press(kb.Enter, "[data-testid=support-result]")
	if !desk.focused("[data-testid=support-result]") {
		t.Fatal("the answer did not take the focus")
	}
	got, err := chromedp.Run(desk.tab, chromedp.Text(chromedp.CSS("[data-testid=support-result-heading]")))
	if err != nil || got != "Verified" {
		t.Fatalf("keyboard verification: %q %v", got, err)
	}
}
