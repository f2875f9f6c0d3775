package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"accountportal/app/apptest"
	"accountportal/models"
)

// With the keyboard alone, an admin deactivates a user from the user's
// page through its confirmation, and the message saying it was done is in
// view at the top of the page they land on.
func TestBrowserDeactivateThroughConfirmationByKeyboard(t *testing.T) {
	browser := apptest.Browser(t)
	e := apptest.Start(t, models.SQLite, apptest.Options{RealTime: true})
	a := apptest.DefaultAdmin()
	e.Setup(a)
	sam := e.AddUser(e.User("ada").AccountID, "sam", deskPassword, models.StatusActive)
	k := keyboard{t: t, tab: apptest.Tab(t, browser)}
	k.signIn(e.URL, "ada", a.Password)
	path := "/admin/users/" + apptest.Itoa(sam.ID)
	k.run("open the user page", chromedp.Navigate(e.URL+path), chromedp.WaitVisible(chromedp.CSS("[data-testid=deactivate]")))
	k.tabTo("[data-testid=deactivate]")
	k.press(kb.Enter, "[data-testid=deactivate-form]")
	if got := apptest.Text(t, k.tab, "h1"); got != "Deactivate User sam?" {
		t.Fatalf("confirmation heading %q", got)
	}
	k.fill("#reason", "Left the company")
	k.tabTo("[data-testid=confirm-submit]")
	if got := apptest.Text(t, k.tab, "[data-testid=confirm-submit]"); got != "Deactivate User sam" {
		t.Fatalf("the button says %q", got)
	}
	k.press(kb.Enter, "[data-testid=flash]")
	where, _ := chromedp.Run(k.tab, chromedp.Location())
	if where != e.URL+path {
		t.Fatalf("landed on %s, want the top of %s", where, path)
	}
	if got := apptest.Text(t, k.tab, "[data-testid=flash]"); !strings.HasPrefix(got, "User sam deactivated.") {
		t.Fatalf("flash %q", got)
	}
	inView, err := chromedp.Run(k.tab, chromedp.Evaluate[bool](`(() => {
		const r = document.querySelector("[data-testid=flash]").getBoundingClientRect();
		return window.scrollY === 0 && r.top >= 0 && r.bottom <= window.innerHeight;
	})()`))
	if err != nil || !inView {
		t.Fatalf("the flash is not in view at the top of the page (%v)", err)
	}
	if e.User("sam").Status != models.StatusSuspended {
		t.Fatal("sam is not suspended")
	}
}
