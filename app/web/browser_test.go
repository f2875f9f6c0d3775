package web_test

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"accountportal/app/apptest"
	"accountportal/app/identity"
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
		chromedp.SendKeys(chromedp.CSS("#setup_code"), e.App.Setup.Code()),
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
	// A common password meets every rule the browser judges alone; the
	// server's estimator, asked while typing, says it is too easy to guess.
	clearPassword := func() {
		if _, err := chromedp.Run(tab, chromedp.Evaluate[bool](`(document.getElementById("password").value = "", true)`)); err != nil {
			t.Fatal(err)
		}
	}
	clearPassword()
	apptest.Step(t, tab, "common password",
		chromedp.SendKeys(chromedp.CSS("#password"), "Password1!"),
		chromedp.WaitReady(chromedp.CSS(`li[data-rule=common][data-answered="not met"]`)))
	if got := met(); got != "length,upper,lower,digit,nospace,notusername" {
		t.Fatalf("rules met after a common password: %q", got)
	}
	clearPassword()
	apptest.Step(t, tab, "full password",
		chromedp.SendKeys(chromedp.CSS("#password"), "Zebra+Lamp7–x"),
		chromedp.WaitReady(chromedp.CSS(`li[data-rule=common][data-answered=met]`)))
	if got := met(); got != "length,upper,lower,digit,special,nospace,notusername,common" {
		t.Fatalf("rules met after a good password with an en dash: %q", got)
	}
	clearPassword()
	apptest.Step(t, tab, "type the admin's password", chromedp.SendKeys(chromedp.CSS("#password"), a.Password))

	apptest.Step(t, tab, "submit setup",
		chromedp.SendKeys(chromedp.CSS("#password_confirm"), a.Password),
		chromedp.SendKeys(chromedp.CSS("#passphrase"), a.Passphrase),
		chromedp.Click(chromedp.CSS("[data-testid=setup-submit]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=greeting]")),
	)
	text := func(sel string) string { return apptest.Text(t, tab, sel) }
	if got := text("[data-testid=greeting]"); got != "Welcome, Ada Admin" {
		t.Fatalf("greeting %q", got)
	}
	if got := text("[data-testid=account-name]"); got != a.Company {
		t.Fatalf("header account name %q", got)
	}

	apptest.Step(t, tab, "sign out", apptest.SignOut())
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

// A user who forgot their password follows the emailed link from the
// development mailbox, answers their security question, chooses a new
// password and signs in with it.
func TestBrowserPasswordResetWithQuestion(t *testing.T) {
	browser := apptest.Browser(t)
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	a := apptest.DefaultAdmin()
	a.Question, a.Answer = "What was the name of your first pet?", "Rex the dog"
	e.Setup(a)
	tab := apptest.Tab(t, browser)
	text := func(sel string) string { return apptest.Text(t, tab, sel) }

	apptest.Step(t, tab, "ask for a reset",
		chromedp.Navigate(e.URL+"/login"),
		chromedp.SendKeys(chromedp.CSS("#username"), "ada"),
		chromedp.Click(chromedp.CSS("[data-testid=login-continue]")),
		chromedp.WaitVisible(chromedp.CSS("a.label-link")),
		chromedp.Click(chromedp.CSS("a.label-link")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=forgot-password-link]")),
		chromedp.Click(chromedp.CSS("[data-testid=forgot-password-link]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=forgot-password-form]")),
	)
	// The username typed at sign-in is already there.
	if typed, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.querySelector("#username").value`)); err != nil || typed != "ada" {
		t.Fatalf("the reset form holds %q (%v)", typed, err)
	}
	apptest.Step(t, tab, "send the reset link",
		chromedp.Click(chromedp.CSS("[data-testid=send-reset]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=message]")),
	)
	if got := text("[data-testid=message]"); !strings.HasPrefix(got, "If that account exists, we have sent a reset link") {
		t.Fatalf("answer %q", got)
	}
	e.Drain()
	apptest.Step(t, tab, "follow the emailed link",
		chromedp.Navigate(e.URL+"/dev/mailbox"),
		chromedp.Click(chromedp.CSS("[data-testid=mailbox-message]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=mail-text] a")),
		chromedp.Click(chromedp.CSS("[data-testid=mail-text] a")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=reset-answer-form]")),
	)
	loc, _ := chromedp.Run(tab, chromedp.Location())
	if loc != e.URL+"/reset" {
		t.Fatalf("the token stayed in the address bar: %s", loc)
	}
	apptest.Step(t, tab, "answer the question",
		chromedp.SendKeys(chromedp.CSS("#answer"), "rex  THE dog"),
		chromedp.Click(chromedp.CSS("[data-testid=reset-answer-submit]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=reset-password-form]")),
	)
	apptest.Step(t, tab, "choose a new password",
		chromedp.SendKeys(chromedp.CSS("#password"), newPassword),
		chromedp.SendKeys(chromedp.CSS("#password_confirm"), newPassword),
		chromedp.Click(chromedp.CSS("[data-testid=reset-password-submit]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=message-link]")),
	)
	if got := text("h1"); got != "Your password has been updated" {
		t.Fatalf("confirmation %q", got)
	}
	apptest.Step(t, tab, "sign in with it",
		chromedp.Click(chromedp.CSS("[data-testid=message-link]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=login-username-form]")),
		// The username typed before the reset is remembered.
		chromedp.SetValue(chromedp.CSS("#username"), "ada"),
		chromedp.Click(chromedp.CSS("[data-testid=login-continue]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=login-password-form]")),
		chromedp.SendKeys(chromedp.CSS("#password"), newPassword),
		chromedp.Click(chromedp.CSS("[data-testid=login-submit]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=agree]")),
		chromedp.Click(chromedp.CSS("[data-testid=agree]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=greeting]")),
	)
}

// oathtool prints the code a real authenticator app shows for key at t.
func oathtool(t *testing.T, key string, at time.Time) string {
	t.Helper()
	out, err := exec.Command("oathtool", "--totp", "-b", strings.ReplaceAll(key, " ", ""),
		"--now", at.UTC().Format("2006-01-02 15:04:05 UTC")).Output()
	if err != nil {
		if os.Getenv("E2E_REQUIRED") == "1" {
			t.Fatalf("oathtool: %v (apt-get install oathtool)", err)
		}
		t.Skipf("oathtool unavailable: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// Under "required for everyone" a user enrols with a real authenticator's
// codes, saves backup codes, signs in with a code and then with a backup
// code; after an administrator resets their second factor they enrol again.
func TestBrowserMFAJourney(t *testing.T) {
	browser := apptest.Browser(t)
	e := apptest.Start(t, models.SQLite, apptest.Options{RealTime: true})
	a := apptest.DefaultAdmin()
	adaClient := e.Setup(a)
	acct := e.User("ada").AccountID
	e.AddUser(acct, "bob", "Walrus+Tide42", models.StatusActive)
	e.SetMFAPolicy(acct, models.MFAEveryone)
	tab := apptest.Tab(t, browser)
	text := func(sel string) string { return apptest.Text(t, tab, sel) }
	password := func() {
		apptest.Step(t, tab, "username and password",
			chromedp.Navigate(e.URL+"/login"),
			chromedp.SetValue(chromedp.CSS("#username"), "bob"),
			chromedp.Click(chromedp.CSS("[data-testid=login-continue]")),
			chromedp.WaitVisible(chromedp.CSS("#password")),
			chromedp.SendKeys(chromedp.CSS("#password"), "Walrus+Tide42"),
			chromedp.Click(chromedp.CSS("[data-testid=login-submit]")),
		)
	}
	enrol := func() string {
		apptest.Step(t, tab, "setup page", chromedp.WaitVisible(chromedp.CSS("[data-testid=mfa-setup-form]")))
		key := text("[data-testid=totp-secret]")
		apptest.Step(t, tab, "enrol with oathtool's code",
			chromedp.SendKeys(chromedp.CSS("#code"), oathtool(t, key, time.Now())),
			chromedp.Click(chromedp.CSS("[data-testid=mfa-setup-submit]")),
			chromedp.WaitVisible(chromedp.CSS("[data-testid=backup-codes]")),
		)
		return key
	}
	password()
	key := enrol()
	codes, err := chromedp.Run(tab, chromedp.Evaluate[[]string](`[...document.querySelectorAll("[data-testid=backup-codes] code")].map(c => c.textContent)`))
	if err != nil || len(codes) != 10 {
		t.Fatalf("%d backup codes (%v)", len(codes), err)
	}
	// On a phone the codes stand in one column: in two, the second
	// column's numbers ran into the first column's codes.
	apptest.Step(t, tab, "a phone's width", chromedp.EmulateViewport(390, 844))
	overlaps, err := chromedp.Run(tab, chromedp.Evaluate[int](`(() => {
		const boxes = [...document.querySelectorAll("[data-testid=backup-codes] li")].map(li => li.getBoundingClientRect());
		let n = 0;
		for (const a of boxes) for (const b of boxes)
			if (a !== b && a.left < b.left && a.right > b.left - 32 && Math.abs(a.top - b.top) < a.height) n++;
		return n;
	})()`))
	if err != nil || overlaps != 0 {
		t.Errorf("at 390 pixels %d backup codes run into their neighbours (%v)", overlaps, err)
	}
	apptest.Step(t, tab, "back to a wide window", chromedp.EmulateViewport(1280, 900))
	href, _ := chromedp.Run(tab, chromedp.AttributeValue(chromedp.CSS("[data-testid=codes-download]"), "href"))
	if !strings.HasPrefix(href.Value, "data:text/plain") || !strings.Contains(href.Value, codes[0]) {
		t.Fatalf("download link %q", href.Value)
	}
	apptest.Step(t, tab, "continue to the agreement and in",
		chromedp.Click(chromedp.CSS("[data-testid=codes-continue]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=agree]")),
		chromedp.Click(chromedp.CSS("[data-testid=agree]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=greeting]")),
	)
	signOut := func() {
		apptest.Step(t, tab, "sign out", apptest.SignOut())
	}
	signOut()
	password()
	// The code of the next time step: the enrolment's own would be a replay.
	apptest.Step(t, tab, "a code from the app",
		chromedp.WaitVisible(chromedp.CSS("[data-testid=mfa-form]")),
		chromedp.SendKeys(chromedp.CSS("#code"), oathtool(t, key, time.Now().Add(30*time.Second))),
		chromedp.Click(chromedp.CSS("[data-testid=mfa-submit]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=greeting]")),
	)
	signOut()
	password()
	apptest.Step(t, tab, "code step", chromedp.WaitVisible(chromedp.CSS("[data-testid=mfa-form]")))
	apptest.Step(t, tab, "a backup code",
		chromedp.SendKeys(chromedp.CSS("#code"), codes[3]),
		chromedp.Click(chromedp.CSS("[data-testid=mfa-submit]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=greeting]")),
	)
	signOut()

	// Ada, also under "everyone", enrols and resets bob's second factor.
	res := adaClient.Get("/profile/mfa/setup")
	adaKey := res.Doc.Find("[data-testid=totp-secret]").Text()
	adaClient.Submit(res, "form[data-testid=mfa-setup-form]", map[string]string{"code": apptest.TOTP(adaKey, e.Clock.Now())})
	bobPage := "/admin/users/" + apptest.Itoa(e.User("bob").ID)
	e.Clock.Advance(30 * time.Second)
	res = adaClient.Submit(adaClient.Get(bobPage+"/mfa"), "form[data-testid=mfa-reset-form]", map[string]string{"admin_code": apptest.TOTP(adaKey, e.Clock.Now())})
	if res.Status != 303 {
		t.Fatalf("admin reset: %d %s", res.Status, res.Doc.Find("main").Text())
	}
	password()
	enrol()
}

// TestBrowserSupportDesk: an agent signs in (setting up the second factor
// the support desk requires), finds the account, and checks a Billing
// Admin for billing changes (verified), for phone system changes (no
// privilege), then with a wrong passphrase.
func TestBrowserSupportDesk(t *testing.T) {
	browser := apptest.Browser(t)
	e := apptest.Start(t, models.SQLite, apptest.Options{RealTime: true})
	e.Setup(apptest.DefaultAdmin())
	acct := e.User("ada").AccountID
	bill := e.AddUser(acct, "bill", "Walrus+Tide42", models.StatusActive)
	e.GiveRole(bill.ID, "billing_admin")
	e.SetPassphrase(bill.ID, "copper kettle morning")
	account, err := e.Store().Accounts.ByID(context.Background(), acct)
	if err != nil {
		t.Fatal(err)
	}
	e.AddAgent("Sam Support", "sam@desk.example", "Walrus+Tide42")
	tab := apptest.Tab(t, browser)
	text := func(sel string) string { return apptest.Text(t, tab, sel) }
	apptest.Step(t, tab, "agent signs in",
		chromedp.Navigate(e.URL+"/login"),
		chromedp.SetValue(chromedp.CSS("#username"), "sam@desk.example"),
		chromedp.Click(chromedp.CSS("[data-testid=login-continue]")),
		chromedp.WaitVisible(chromedp.CSS("#password")),
		chromedp.SendKeys(chromedp.CSS("#password"), "Walrus+Tide42"),
		chromedp.Click(chromedp.CSS("[data-testid=login-submit]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=mfa-setup-form]")),
	)
	key := text("[data-testid=totp-secret]")
	apptest.Step(t, tab, "the support desk requires a second factor",
		chromedp.SendKeys(chromedp.CSS("#code"), oathtool(t, key, time.Now())),
		chromedp.Click(chromedp.CSS("[data-testid=mfa-setup-submit]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=backup-codes]")),
		// Staff are not asked to accept the customers' agreement.
		chromedp.Click(chromedp.CSS("[data-testid=codes-continue]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=support-search]")),
	)
	apptest.Step(t, tab, "find the account by number",
		chromedp.SendKeys(chromedp.CSS("#q"), account.Number),
		chromedp.Click(chromedp.CSS("[data-testid=support-search-submit]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=support-verify]")),
	)
	if got := text("[data-testid=support-account-name]"); got != "Acme Telecom Ltd" {
		t.Fatalf("account %q", got)
	}
	check := func(what, area, passphrase, want string) {
		t.Helper()
		// The last answer goes first, so the wait below is for the new one.
		if _, err := chromedp.Run(tab, chromedp.Evaluate[bool](`document.querySelector("[data-testid=support-result]")?.remove(); true`)); err != nil {
			t.Fatal(err)
		}
		apptest.Step(t, tab, what,
			chromedp.Click(chromedp.CSS("[data-testid=caller-bill]")),
			chromedp.Click(chromedp.CSS("[data-testid=area-"+strings.ReplaceAll(area, ".", "\\.")+"]")),
			chromedp.SendKeys(chromedp.CSS("#passphrase"), passphrase),
			chromedp.Click(chromedp.CSS("[data-testid=support-verify-submit]")),
			chromedp.WaitVisible(chromedp.CSS("[data-testid=support-result]")),
		)
		if got := text("[data-testid=support-result-heading]"); got != want {
			t.Fatalf("%s: %q, want %q", what, got, want)
		}
		typed, err := chromedp.Run(tab, chromedp.Value(chromedp.CSS("#passphrase")))
		if err != nil || typed != "" {
			t.Fatalf("the passphrase stayed in the form: %q %v", typed, err)
		}
	}
	check("billing changes", identity.PermBillingChanges, "copper kettle morning", "Verified")
	if got := text("[data-testid=support-may-request]"); !strings.Contains(got, "Billing changes") || strings.Contains(got, "Phone system") {
		t.Fatalf("may request %q", got)
	}
	check("phone system changes", identity.PermPhoneSystem, "copper kettle morning",
		"Not verified: the caller has no privilege for this area")
	if got := text("[data-testid=support-holders]"); !strings.Contains(got, "Ada Admin") {
		t.Fatalf("holders %q", got)
	}
	check("a wrong passphrase", identity.PermBillingChanges, "copper kettle evening", "Not verified: passphrase does not match")
	if got := text("[data-testid=support-result-message]"); !strings.Contains(got, "4 more wrong attempts") {
		t.Fatalf("message %q", got)
	}
}
