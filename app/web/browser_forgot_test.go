package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"accountportal/app/apptest"
	"accountportal/models"
)

// TestKeyboardForgotPasswordKeepsTheUsername follows "Forgot?" from the
// password step with the keyboard alone: the choice page's "Forgot your
// password" opens the reset form with the username already in it, and
// "Send reset link" sends it.
func TestKeyboardForgotPasswordKeepsTheUsername(t *testing.T) {
	browser := apptest.Browser(t)
	e := apptest.Start(t, models.SQLite, apptest.Options{RealTime: true})
	e.Setup(apptest.DefaultAdmin())
	k := keyboard{t: t, tab: apptest.Tab(t, browser)}

	k.run("open sign-in", chromedp.Navigate(e.URL+"/login"), chromedp.WaitVisible(chromedp.CSS("#username")))
	k.fill("#username", "ada")
	k.press(kb.Enter, "#password")
	k.tabTo(".label-row a")
	if got := apptest.Text(t, k.tab, ".label-row a"); got != "Forgot?" {
		t.Fatalf("the password step's link says %q", got)
	}
	k.press(kb.Enter, "[data-testid=forgot-password-link]")
	k.tabTo("[data-testid=forgot-password-link]")
	if got := apptest.Text(t, k.tab, "[data-testid=forgot-password-link]"); got != "Forgot your password" {
		t.Fatalf("the choice page offers %q", got)
	}
	k.press(kb.Enter, "[data-testid=forgot-password-form]")
	typed, err := chromedp.Run(k.tab, chromedp.Evaluate[string](`document.querySelector("[data-testid=forgot-password-form] #username").value`))
	if err != nil || typed != "ada" {
		t.Fatalf("the reset form's username holds %q (%v), want ada", typed, err)
	}
	k.tabTo("[data-testid=send-reset]")
	if got := apptest.Text(t, k.tab, "[data-testid=send-reset]"); got != "Send reset link" {
		t.Fatalf("the button says %q", got)
	}
	k.press(kb.Enter, "[data-testid=message-page]")
	if got := apptest.Text(t, k.tab, "main h1"); got != "Check your email" {
		t.Fatalf("after sending: %q", got)
	}
}
