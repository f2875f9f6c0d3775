package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"accountportal/app/apptest"
	"accountportal/models"
)

// TestBrowserOnboardTwoAccounts: an operator signs in (setting up the
// second factor operators must use) and onboards two accounts through the
// console; each Primary Admin follows their emailed invitation in their
// own browser, chooses password and passphrase (one also a security
// question), accepts the license agreement and lands signed in; one signs
// out and in again. The pages fit a phone's width as well as a desktop's.
func TestBrowserOnboardTwoAccounts(t *testing.T) {
	browser := apptest.Browser(t)
	e := apptest.Start(t, models.SQLite, apptest.Options{RealTime: true})
	e.Setup(apptest.DefaultAdmin())
	e.AddOperator("Olga Ops", opsEmail, deskPassword)
	ops := apptest.Tab(t, browser)
	apptest.Step(t, ops, "operator signs in",
		chromedp.Navigate(e.URL+"/login"),
		chromedp.SetValue(chromedp.CSS("#username"), opsEmail),
		chromedp.Click(chromedp.CSS("[data-testid=login-continue]")),
		chromedp.WaitVisible(chromedp.CSS("#password")),
		chromedp.SendKeys(chromedp.CSS("#password"), deskPassword),
		chromedp.Click(chromedp.CSS("[data-testid=login-submit]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=mfa-setup-form]")),
	)
	key := apptest.Text(t, ops, "[data-testid=totp-secret]")
	apptest.Step(t, ops, "operators must use a second factor",
		chromedp.SendKeys(chromedp.CSS("#code"), apptest.TOTP(key, e.Clock.Now())),
		chromedp.Click(chromedp.CSS("[data-testid=mfa-setup-submit]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=backup-codes]")),
		// Staff are not asked to accept the customers' agreement.
		chromedp.Click(chromedp.CSS("[data-testid=codes-continue]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=operator-accounts]")),
	)
	shots := screenshots(t)
	admins := []struct{ company, name, email, question string }{
		{"Beta Ltd", "Bea Boss", "bea@beta.example", ""},
		{"Gamma plc", "Gus Gamma", "gus@gamma.example", "What was your childhood nickname?"},
	}
	numbers := map[string]bool{}
	for i, a := range admins {
		apptest.Step(t, ops, "onboarding form for "+a.company,
			apptest.NewPage(chromedp.Click(chromedp.CSS(`nav a[href="/operator/accounts/new"]`))),
			chromedp.WaitVisible(chromedp.CSS("[data-testid=onboard-form]")),
		)
		if i == 0 {
			shots.both(ops, "onboard-form")
			apptest.Step(t, ops, "a form with nothing in it",
				apptest.NewPage(chromedp.Click(chromedp.CSS("[data-testid=onboard-submit]"))),
				chromedp.WaitVisible(chromedp.CSS("[data-testid=error-summary]")),
			)
			shots.both(ops, "onboard-errors")
		}
		apptest.Step(t, ops, "onboard "+a.company,
			chromedp.SetValue(chromedp.CSS("#company_name"), a.company),
			chromedp.SetValue(chromedp.CSS("#admin_name"), a.name),
			chromedp.SetValue(chromedp.CSS("#admin_email"), a.email),
			apptest.NewPage(chromedp.Click(chromedp.CSS("[data-testid=onboard-submit]"))),
		)
		flash := flashOrInvitationFlash(t, ops, e)
		number, _, _ := strings.Cut(strings.TrimPrefix(flash, "Account "), " ")
		if !strings.HasPrefix(flash, "Account ") || !accountNumber.MatchString(number) ||
			!strings.HasSuffix(flash, "the invitation was sent to "+a.email+".") || numbers[number] {
			t.Fatalf("after onboarding %s: %q", a.company, flash)
		}
		numbers[number] = true
		if i == 0 {
			shots.both(ops, "invitation-status")
		}
		if got := apptest.Text(t, ops, "[data-testid=invitation-state]"); got != "Waiting for the Primary Admin" {
			t.Errorf("%s: invitation state %q", a.company, got)
		}
	}

	for i, a := range admins {
		tab := apptest.Tab(t, browser)
		apptest.Step(t, tab, a.name+" follows the invitation",
			chromedp.Navigate(e.URL+e.InvitationLink(a.email)),
			chromedp.WaitVisible(chromedp.CSS("[data-testid=invitation-form]")),
		)
		if got := apptest.Text(t, tab, "[data-testid=invitation-company]"); got != a.company {
			t.Errorf("invitation for %q shows %q", a.company, got)
		}
		if i == 0 {
			shots.both(tab, "invitation-form")
		}
		steps := []chromedp.Action[chromedp.Void]{
			chromedp.SendKeys(chromedp.CSS("#password"), inviteePassword),
			chromedp.SendKeys(chromedp.CSS("#password_confirm"), inviteePassword),
			chromedp.SendKeys(chromedp.CSS("#passphrase"), inviteePassphrase),
		}
		if a.question != "" {
			steps = append(steps, chromedp.SetValue(chromedp.CSS("#security_question"), a.question),
				chromedp.SendKeys(chromedp.CSS("#security_answer"), "Sparky"))
		}
		steps = append(steps,
			chromedp.Click(chromedp.CSS("[data-testid=invitation-submit]")),
			chromedp.WaitVisible(chromedp.CSS("[data-testid=agree]")),
			chromedp.Click(chromedp.CSS("[data-testid=agree]")),
			chromedp.WaitVisible(chromedp.CSS("[data-testid=greeting]")),
		)
		apptest.Step(t, tab, a.name+" sets up the account", steps...)
		if got := apptest.Text(t, tab, "[data-testid=greeting]"); got != "Welcome, "+a.name {
			t.Errorf("greeting %q", got)
		}
		u := e.User(a.email)
		acct, err := e.Store().Accounts.ByID(context.Background(), u.AccountID)
		if err != nil || acct.Status != models.AccountActive || u.Status != models.StatusActive || u.SecurityQuestion != a.question {
			t.Errorf("%s after the invitation: account %v, user %q, question %q (%v)", a.company, acct, u.Status, u.SecurityQuestion, err)
		}
		if i == 0 {
			apptest.Step(t, tab, a.name+" signs out and in again", apptest.SignOut(),
				chromedp.SetValue(chromedp.CSS("#username"), a.email),
				chromedp.Click(chromedp.CSS("[data-testid=login-continue]")),
				chromedp.WaitVisible(chromedp.CSS("#password")),
				chromedp.SendKeys(chromedp.CSS("#password"), inviteePassword),
				chromedp.Click(chromedp.CSS("[data-testid=login-submit]")),
				chromedp.WaitVisible(chromedp.CSS("[data-testid=greeting]")),
			)
		}
	}
}

// flashOrInvitationFlash returns the flash shown after onboarding, on the
// account's page; where that page does not exist, the invitation's page
// shows it.
func flashOrInvitationFlash(t *testing.T, tab context.Context, e *apptest.Env) string {
	t.Helper()
	url, err := chromedp.Run(tab, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	n, err := chromedp.Run(tab, chromedp.Evaluate[int](`document.querySelectorAll("[data-testid=flash]").length`))
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		apptest.Step(t, tab, "the invitation's page",
			chromedp.Navigate(strings.TrimSuffix(url, "/")+"/invitation"),
			chromedp.WaitVisible(chromedp.CSS("[data-testid=invitation-status]")),
		)
		return apptest.Text(t, tab, "[data-testid=flash]")
	}
	flash := apptest.Text(t, tab, "[data-testid=flash]")
	apptest.Step(t, tab, "the invitation's page",
		chromedp.Navigate(strings.TrimSuffix(url, "/")+"/invitation"),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=invitation-status]")),
	)
	return flash
}

func itoa(n int64) string { return apptest.Itoa(n) }
