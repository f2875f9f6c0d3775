package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"accountportal/app/apptest"
	"accountportal/models"
)

// A Secondary Admin without a passphrase is reminded on every page until
// they set one, and can see it again after confirming their password.
func TestBrowserSecondaryAdminSetsPassphrase(t *testing.T) {
	browser := apptest.Browser(t)
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	e.Setup(apptest.DefaultAdmin())
	sam := e.AddUser(e.User("ada").AccountID, "sam", "Walrus+Tide42", models.StatusActive)
	if err := e.Store().Privileges.Grant(context.Background(), &models.UserPermission{
		UserID: sam.ID, Permission: "billing.changes", GrantedAt: e.Clock.Now()}); err != nil {
		t.Fatal(err)
	}
	tab := apptest.Tab(t, browser)
	text := func(sel string) string { return apptest.Text(t, tab, sel) }
	count := func(sel string) int {
		n, err := chromedp.Run(tab, chromedp.Evaluate[int](`document.querySelectorAll("`+sel+`").length`))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	apptest.Step(t, tab, "sign in",
		chromedp.Navigate(e.URL+"/login"),
		chromedp.SendKeys(chromedp.CSS("#username"), "sam"),
		chromedp.Click(chromedp.CSS("[data-testid=login-continue]")),
		chromedp.WaitVisible(chromedp.CSS("#password")),
		chromedp.SendKeys(chromedp.CSS("#password"), "Walrus+Tide42"),
		chromedp.Click(chromedp.CSS("[data-testid=login-submit]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=agree]")),
		chromedp.Click(chromedp.CSS("[data-testid=agree]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=greeting]")),
	)
	if got := text("[data-testid=banner]"); !strings.Contains(got, "Set your support passphrase") {
		t.Fatalf("banner %q", got)
	}
	apptest.Step(t, tab, "set the passphrase from the banner",
		chromedp.Click(chromedp.CSS("[data-testid=banner] a")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=passphrase-form]")),
		chromedp.SendKeys(chromedp.CSS("#passphrase"), "silver canal morning"),
		chromedp.Click(chromedp.CSS("[data-testid=passphrase-submit]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=flash]")),
	)
	if count("[data-testid=banner]") != 0 {
		t.Fatal("banner still shown")
	}
	e.Clock.Advance(10 * time.Minute)
	apptest.Step(t, tab, "reveal after confirming",
		chromedp.Click(chromedp.CSS("[data-testid=passphrase-show]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=confirm-form]")),
		chromedp.SendKeys(chromedp.CSS("#password"), "Walrus+Tide42"),
		chromedp.Click(chromedp.CSS("[data-testid=confirm-submit]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=passphrase-value]")),
	)
	if got := text("[data-testid=passphrase-value]"); got != "silver canal morning" {
		t.Fatalf("revealed %q", got)
	}
}

// The Primary Admin makes a user a Secondary Admin for billing; the user
// sets a passphrase when reminded; the Primary Admin sees it is no longer
// pending.
func TestBrowserPrimaryAdminAppointsBillingAdmin(t *testing.T) {
	browser := apptest.Browser(t)
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	a := apptest.DefaultAdmin()
	e.Setup(a)
	bea := e.AddUser(e.User("ada").AccountID, "bea", "Walrus+Tide42", models.StatusActive)
	signIn := func(tab context.Context, user, pw string) {
		apptest.Step(t, tab, "sign in "+user,
			chromedp.Navigate(e.URL+"/login"),
			chromedp.SendKeys(chromedp.CSS("#username"), user),
			chromedp.Click(chromedp.CSS("[data-testid=login-continue]")),
			chromedp.WaitVisible(chromedp.CSS("#password")),
			chromedp.SendKeys(chromedp.CSS("#password"), pw),
			chromedp.Click(chromedp.CSS("[data-testid=login-submit]")),
			chromedp.WaitVisible(chromedp.CSS("[data-testid=agree]")),
			chromedp.Click(chromedp.CSS("[data-testid=agree]")),
			chromedp.WaitVisible(chromedp.CSS("[data-testid=greeting]")),
		)
	}
	pending := func(tab context.Context) int {
		n, err := chromedp.Run(tab, chromedp.Evaluate[int](`document.querySelectorAll("[data-testid=admin-bea] [data-testid=passphrase-pending]").length`))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	ada := apptest.Tab(t, browser)
	signIn(ada, "ada", a.Password)
	apptest.Step(t, ada, "make bea a billing admin",
		chromedp.Click(chromedp.CSS(".admin-nav a[href='/admin/privileges']")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=add-admin-form]")),
		chromedp.SendKeys(chromedp.CSS("[data-testid=add-admin-form] #admin_username"), bea.Username),
		chromedp.Click(chromedp.CSS("#new-area-billing\\.inquiries")),
		chromedp.Click(chromedp.CSS("#new-area-billing\\.changes")),
		chromedp.Click(chromedp.CSS("#new-area-billing\\.info")),
		chromedp.Click(chromedp.CSS("[data-testid=add-admin-submit]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=admin-bea]")),
	)
	if pending(ada) != 1 {
		t.Fatal("no pending badge for the new Secondary Admin")
	}
	beaTab := apptest.Tab(t, browser)
	signIn(beaTab, "bea", "Walrus+Tide42")
	apptest.Step(t, beaTab, "set the passphrase from the banner",
		chromedp.Click(chromedp.CSS("[data-testid=banner] a")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=passphrase-form]")),
		chromedp.SendKeys(chromedp.CSS("#passphrase"), "amber lighthouse tea"),
		chromedp.Click(chromedp.CSS("[data-testid=passphrase-submit]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=flash]")),
	)
	apptest.Step(t, ada, "reload the privileges page",
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=admin-bea]")),
	)
	if pending(ada) != 0 {
		t.Fatal("still pending after the passphrase was set")
	}
}

// An admin finds three users, deactivates them together with a reason, and
// one of them, signed in elsewhere, is stopped at their next click.
func TestBrowserBulkDeactivate(t *testing.T) {
	browser := apptest.Browser(t)
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	a := apptest.DefaultAdmin()
	e.Setup(a)
	acct := e.User("ada").AccountID
	for _, n := range []string{"temp-amy", "temp-ben", "temp-cat", "staff-dan"} {
		e.AddUser(acct, n, "Walrus+Tide42", models.StatusActive)
	}
	signIn := func(tab context.Context, user, pw string) {
		apptest.Step(t, tab, "sign in "+user,
			chromedp.Navigate(e.URL+"/login"),
			chromedp.SendKeys(chromedp.CSS("#username"), user),
			chromedp.Click(chromedp.CSS("[data-testid=login-continue]")),
			chromedp.WaitVisible(chromedp.CSS("#password")),
			chromedp.SendKeys(chromedp.CSS("#password"), pw),
			chromedp.Click(chromedp.CSS("[data-testid=login-submit]")),
			chromedp.WaitVisible(chromedp.CSS("[data-testid=agree]")),
			chromedp.Click(chromedp.CSS("[data-testid=agree]")),
			chromedp.WaitVisible(chromedp.CSS("[data-testid=greeting]")),
		)
	}
	benTab := apptest.Tab(t, browser)
	signIn(benTab, "temp-ben", "Walrus+Tide42")
	tab := apptest.Tab(t, browser)
	signIn(tab, "ada", a.Password)
	apptest.Step(t, tab, "search",
		chromedp.Click(chromedp.CSS(".admin-nav a[href='/admin/users']")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=user-filters]")),
		chromedp.SendKeys(chromedp.CSS("#q"), "temp-"),
		chromedp.Click(chromedp.CSS("[data-testid=apply-filters]")),
		chromedp.WaitNotPresent(chromedp.CSS("[data-testid=select-staff-dan]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=select-temp-amy]")),
	)
	rows, err := chromedp.Run(tab, chromedp.Evaluate[int](`document.querySelectorAll("[data-testid=user-row]").length`))
	if err != nil || rows != 3 {
		t.Fatalf("%d rows after search (%v)", rows, err)
	}
	apptest.Step(t, tab, "select all and choose the action",
		chromedp.Click(chromedp.CSS("[data-select-all]")),
		chromedp.SetValue(chromedp.CSS("[data-testid=bulk-action]"), "deactivate"),
	)
	count, _ := chromedp.Run(tab, chromedp.Text(chromedp.CSS("[data-selection-count]")))
	if count != "(3 selected)" {
		t.Fatalf("selection count %q", count)
	}
	apptest.Step(t, tab, "preview and run",
		chromedp.Click(chromedp.CSS("[data-testid=bulk-continue]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=bulk-run-form]")),
		chromedp.SendKeys(chromedp.CSS("#reason"), "contract ended"),
		chromedp.Click(chromedp.CSS("[data-testid=bulk-run]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=bulk-summary]")),
	)
	apptest.WaitForJobPage(t, tab)
	summary, _ := chromedp.Run(tab, chromedp.Text(chromedp.CSS("[data-testid=bulk-summary]")))
	if summary != "3 done, 0 skipped, 0 failed." {
		t.Fatalf("summary %q", summary)
	}
	apptest.Step(t, benTab, "ben's next click",
		chromedp.Navigate(e.URL+"/profile"),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=suspended]")),
	)
	text, _ := chromedp.Run(benTab, chromedp.Text(chromedp.CSS("[data-testid=suspended]")))
	if !strings.Contains(text, "Account Suspended") || !strings.Contains(text, "This session will now be terminated") {
		t.Fatalf("ben sees %q", text)
	}
}
