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
