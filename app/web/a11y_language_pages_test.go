package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"accountportal/app/apptest"
	"accountportal/models"
	"accountportal/views/i18n"
)

// clippedText lists the visible controls, labels, headings and cells
// whose text is cut short (wider than a box that hides its overflow) or
// runs past the window's right edge (outside a region that scrolls
// sideways, as wide tables do on a phone): a German label that does not fit.
const clippedText = `[...document.querySelectorAll(
	'button, .button, label, legend, summary, th, td, a, h1, h2, h3, .flash, .hint, .field-error, .banner p, nav li')]
	.filter(e => e.offsetParent !== null && e.clientWidth > 0 && !e.closest('.skip-link, .visually-hidden'))
	.filter(e => {
		for (let a = e; a; a = a.parentElement) {
			const r = a.getBoundingClientRect();
			if (r.width <= 1 || r.height <= 1) return false; // hidden for screen readers only
		}
		return true;
	})
	.filter(e => {
		const s = getComputedStyle(e), r = e.getBoundingClientRect();
		const hides = s.overflowX !== 'visible' || s.textOverflow === 'ellipsis';
		let scrolls = false;
		for (let a = e.parentElement; a; a = a.parentElement) {
			if (['auto', 'scroll'].includes(getComputedStyle(a).overflowX)) { scrolls = true; break; }
		}
		return (hides && e.scrollWidth > e.clientWidth + 1) || (!scrolls && r.right > window.innerWidth + 1);
	})
	.map(e => e.tagName.toLowerCase() + ': ' + e.textContent.trim().slice(0, 60))`

// lookInLanguage checks the tab's page at both widths: axe, its pictures,
// and no text clipped.
func lookInLanguage(t *testing.T, tab context.Context, axe, journey string) func(name string) {
	look := pageChecker(t, tab, axe, journey)
	return func(name string) {
		t.Helper()
		look(name)
		for _, w := range widths {
			apptest.Step(t, tab, "width "+itoa(w), chromedp.EmulateViewport(w, 900))
			clipped, err := chromedp.Run(tab, chromedp.Evaluate[[]string](clippedText))
			if err != nil {
				t.Fatal(err)
			}
			if len(clipped) > 0 {
				t.Errorf("%s at %d pixels: text wider than its box: %q", name, w, clipped)
			}
		}
		apptest.Step(t, tab, "back to a wide window", chromedp.EmulateViewport(1280, 900))
	}
}

// A Primary Admin's signed-in pages in every language, theirs saved in My
// Profile: My Profile's pages, the users console, a bulk action's
// preview, and the other admin pages, at a desktop's width and a
// phone's, with axe at WCAG 2.2 AA and no text clipped.
func TestSignedInPagesInEveryLanguageFitAndPassAxe(t *testing.T) {
	axe := axeSource(t)
	browser := apptest.Browser(t)
	e := apptest.Start(t, models.SQLite, apptest.Options{RealTime: true})
	e.Setup(apptest.DefaultAdmin())
	for i, l := range i18n.Languages {
		acct, pa := e.AddAccount(strconv.Itoa(41000000+i), "Zoë Nuñez", "pa-"+l.Code, personaPassword)
		ctx := context.Background()
		if err := e.Store().Users.SetLanguage(ctx, pa.ID, l.Code, "Europe/Berlin", e.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		other := addNamed(t, e, acct.ID, "zoe-"+l.Code, models.StatusActive)
		tab := apptest.Tab(t, browser)
		look := lookInLanguage(t, tab, axe, "signed-in-"+l.Code)
		apptest.Step(t, tab, "sign in in "+l.Name, chromedp.Navigate(e.URL+"/login"),
			chromedp.SetValue(chromedp.CSS("#username"), "pa-"+l.Code),
			apptest.NewPage(chromedp.Submit(chromedp.CSS("form[data-testid=login-username-form]"))),
			chromedp.WaitReady(chromedp.CSS("#password")),
			chromedp.SetValue(chromedp.CSS("#password"), personaPassword),
			apptest.NewPage(chromedp.Submit(chromedp.CSS("form[data-testid=login-password-form]"))),
			chromedp.WaitReady(chromedp.CSS("main")))
		if where, _ := chromedp.Run(tab, chromedp.Location()); strings.HasSuffix(where, "/login/agreement") {
			look("license agreement")
			apptest.Step(t, tab, "agree", apptest.NewPage(chromedp.Click(chromedp.CSS("[data-testid=agree]"))),
				chromedp.WaitReady(chromedp.CSS("main")))
		}
		user := "/admin/users/" + apptest.Itoa(other.ID)
		for _, p := range []string{"/", "/profile", "/profile/details", "/profile/question", "/profile/sessions",
			"/profile/passphrase", "/profile/mfa", "/profile/language", "/profile/support-code",
			"/admin/users", "/admin/users/new", user, user + "/deactivate", "/admin/users/jobs",
			"/admin/roles", "/admin/roles/new", "/admin/security", "/admin/privileges", "/admin/api-tokens", "/admin/audit"} {
			apptest.Step(t, tab, "open "+p, chromedp.Navigate(e.URL+p), chromedp.WaitReady(chromedp.CSS("main")))
			look(p)
		}
		apptest.Step(t, tab, "preview a bulk reset", chromedp.Navigate(e.URL+"/admin/users"),
			chromedp.WaitReady(chromedp.CSS("[data-testid=select-zoe-"+l.Code+"]")),
			chromedp.Click(chromedp.CSS("[data-testid=select-zoe-"+l.Code+"]")),
			chromedp.SetValue(chromedp.CSS("[data-testid=bulk-action]"), "reset"),
			apptest.NewPage(chromedp.Submit(chromedp.CSS("form[data-testid=bulk-form]"))),
			chromedp.WaitReady(chromedp.CSS("main")))
		look("bulk preview")
		apptest.Step(t, tab, "sign out", chromedp.Navigate(e.URL+"/"), apptest.SignOut())
	}
}
