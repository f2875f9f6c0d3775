package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"accountportal/app/apptest"
	"accountportal/models"
)

// The first journey of every portal: set it up, sign out, sign back in
// through both steps and the license agreement.
func TestBrowserSetupSignOutSignIn(t *testing.T) {
	browser := apptest.Browser(t)
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	tab := apptest.Tab(t, browser)
	a := apptest.DefaultAdmin()

	apptest.Step(t, tab, "open setup",
		chromedp.Navigate(e.URL+"/setup"),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=setup-form]")),
		chromedp.SendKeys(chromedp.CSS("#company_name"), a.Company),
		chromedp.SendKeys(chromedp.CSS("#display_name"), a.DisplayName),
		chromedp.SendKeys(chromedp.CSS("#email"), a.Email),
		chromedp.SendKeys(chromedp.CSS("#username"), a.Username),
		chromedp.SendKeys(chromedp.CSS("#password"), "Zebra"),
	)
	// The checklist ticks rules as the password is typed.
	met := func() string {
		s, err := chromedp.Run(tab, chromedp.Evaluate[string](
			`[...document.querySelectorAll('li.rule-met')].map(li => li.dataset.rule).join(',')`))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if got := met(); got != "upper,lower,nospace,notusername" {
		t.Fatalf("rules met after typing Zebra: %q", got)
	}
	apptest.Step(t, tab, "finish password", chromedp.SendKeys(chromedp.CSS("#password"), "+Lamp7x"))
	if got := met(); got != "length,upper,lower,digit,special,nospace,notusername" {
		t.Fatalf("rules met after full password: %q", got)
	}

	apptest.Step(t, tab, "submit setup",
		chromedp.SendKeys(chromedp.CSS("#password_confirm"), a.Password),
		chromedp.SendKeys(chromedp.CSS("#passphrase"), a.Passphrase),
		chromedp.Click(chromedp.CSS("[data-testid=setup-submit]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=greeting]")),
	)
	text := func(sel string) string {
		s, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return strings.TrimSpace(s)
	}
	if got := text("[data-testid=greeting]"); got != "Welcome, Ada Admin" {
		t.Fatalf("greeting %q", got)
	}
	if got := text("[data-testid=account-name]"); got != a.Company {
		t.Fatalf("header account name %q", got)
	}

	apptest.Step(t, tab, "sign out",
		chromedp.Click(chromedp.CSS("[data-testid=user-menu]")),
		chromedp.Click(chromedp.CSS("[data-testid=sign-out]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=login-username-form]")),
	)
	apptest.Step(t, tab, "username step",
		chromedp.SendKeys(chromedp.CSS("#username"), a.Username),
		chromedp.Click(chromedp.CSS("[data-testid=login-continue]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=login-password-form]")),
	)
	if got := text("[data-testid=login-as]"); got != a.Username {
		t.Fatalf("password page for %q", got)
	}
	apptest.Step(t, tab, "password step",
		chromedp.SendKeys(chromedp.CSS("#password"), a.Password),
		chromedp.Click(chromedp.CSS("[data-testid=login-submit]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=agreement-text]")),
	)
	apptest.Step(t, tab, "agree",
		chromedp.Click(chromedp.CSS("[data-testid=agree]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=greeting]")),
	)
	loc, err := chromedp.Run(tab, chromedp.Location())
	if err != nil || loc != e.URL+"/" {
		t.Fatalf("ended at %q (%v)", loc, err)
	}
}
