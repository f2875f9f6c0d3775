package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"accountportal/app/apptest"
	"accountportal/models"
)

// A user sets their security question from My Profile's summary with the
// keyboard alone, on a phone-sized window, and the confirmation is in view
// when the summary comes back: the page is at its top, with no anchor.
func TestBrowserKeyboardSetsSecurityQuestionFromSummary(t *testing.T) {
	browser := apptest.Browser(t)
	e := apptest.Start(t, models.SQLite, apptest.Options{RealTime: true})
	a := apptest.DefaultAdmin()
	e.Setup(a)
	k := keyboard{t: t, tab: apptest.Tab(t, browser)}
	k.run("a phone-sized window", chromedp.EmulateViewport(390, 844))

	k.signIn(e.URL, "ada", a.Password)
	k.tabTo("[data-testid=user-menu]")
	k.run("open the user menu", chromedp.KeyEvent(kb.Enter))
	k.tabTo("[data-testid=my-profile]")
	k.press(kb.Enter, "[data-testid=profile-summary]")

	k.tabTo("[data-testid=change-question]")
	k.press(kb.Enter, "[data-testid=question-form]")
	k.tabTo("#security_question")
	k.run("choose the first question", chromedp.KeyEvent(kb.ArrowDown))
	k.fill("#security_answer", "Port Talbot")
	k.press(kb.Enter, "[data-testid=flash]")

	where, err := chromedp.Run(k.tab, chromedp.Location())
	if err != nil || where != e.URL+"/profile" {
		t.Fatalf("after saving: %q %v", where, err)
	}
	if got := apptest.Text(t, k.tab, "[data-testid=flash]"); got != "Your security question is saved." {
		t.Fatalf("flash %q", got)
	}
	inView, err := chromedp.Run(k.tab, chromedp.Evaluate[bool](`(() => {
		const r = document.querySelector("[data-testid=flash]").getBoundingClientRect();
		return scrollY === 0 && r.top >= 0 && r.bottom <= innerHeight;
	})()`))
	if err != nil || !inView {
		t.Fatalf("the confirmation is out of view (%v)", err)
	}
	if q := e.User("ada").SecurityQuestion; q == "" || apptest.Text(t, k.tab, "[data-testid=current-question]") != q {
		t.Fatalf("question saved %q, summary shows %q", q, apptest.Text(t, k.tab, "[data-testid=current-question]"))
	}
}

// The forced setup of multi-factor authentication opens at its top on a
// phone, with its heading and reason in view, and without the navigation,
// whose every link would only lead back to it: at sign-in (bob) and when
// a signed-in user is held by a new policy (ada).
func TestBrowserForcedMFASetupOpensAtItsTop(t *testing.T) {
	browser := apptest.Browser(t)
	e := apptest.Start(t, models.SQLite, apptest.Options{RealTime: true})
	a := apptest.DefaultAdmin()
	e.Setup(a)
	acct := e.User("ada").AccountID
	e.AddUser(acct, "bob", "Walrus+Tide42", models.StatusActive)
	tab := apptest.Tab(t, browser)
	apptest.Step(t, tab, "a phone-sized window", chromedp.EmulateViewport(390, 844))
	signIn := func(name, password, then string) {
		apptest.Step(t, tab, name+" signs in",
			chromedp.Navigate(e.URL+"/login"),
			chromedp.SetValue(chromedp.CSS("#username"), name),
			chromedp.Click(chromedp.CSS("[data-testid=login-continue]")),
			chromedp.WaitVisible(chromedp.CSS("#password")),
			chromedp.SendKeys(chromedp.CSS("#password"), password),
			chromedp.Click(chromedp.CSS("[data-testid=login-submit]")),
			chromedp.WaitVisible(chromedp.CSS(then)),
		)
	}
	atTop := func(who string) {
		t.Helper()
		ok, err := chromedp.Run(tab, chromedp.Evaluate[bool](`(() => {
			const h = document.querySelector("h1").getBoundingClientRect();
			const r = document.querySelector("[data-testid=mfa-setup-reason]").getBoundingClientRect();
			return scrollY === 0 && h.top >= 0 && r.bottom <= innerHeight;
		})()`))
		if err != nil || !ok {
			scrolled, _ := chromedp.Run(tab, chromedp.Evaluate[float64](`scrollY`))
			t.Errorf("%s: the heading or the reason is out of view (scrollY %v, %v)", who, scrolled, err)
		}
		if n, err := chromedp.Run(tab, chromedp.Evaluate[int](`document.querySelectorAll("nav.admin-nav a").length`)); err != nil || n != 0 {
			t.Errorf("%s: %d navigation links on the forced setup (%v)", who, n, err)
		}
	}

	signIn("ada", a.Password, "[data-testid=agree], [data-testid=greeting]")
	if asks, _ := chromedp.Run(tab, chromedp.Evaluate[bool](`!!document.querySelector("[data-testid=agree]")`)); asks {
		apptest.Step(t, tab, "agree", chromedp.Click(chromedp.CSS("[data-testid=agree]")),
			chromedp.WaitVisible(chromedp.CSS("[data-testid=greeting]")))
	}
	e.SetMFAPolicy(acct, models.MFAEveryone)
	apptest.Step(t, tab, "ada is held at setup", chromedp.Navigate(e.URL+"/profile"),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=mfa-setup-form]")))
	atTop("ada, held")

	// Signing out stays in reach while held.
	apptest.Step(t, tab, "ada signs out", apptest.SignOut())
	signIn("bob", "Walrus+Tide42", "[data-testid=mfa-setup-form]")
	atTop("bob, at sign-in")
}
