package web_test

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"accountportal/app/apptest"
	"accountportal/app/identity"
	"accountportal/models"
)

// axeSource returns axe-core, installed by `npm ci --prefix tools/a11y`
// (make test and .ci/run do it). Without it the test is skipped, unless
// E2E_REQUIRED=1.
func axeSource(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "tools", "a11y", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		if os.Getenv("E2E_REQUIRED") == "1" {
			t.Fatalf("E2E_REQUIRED=1 but axe-core is not installed (npm ci --prefix tools/a11y): %v", err)
		}
		t.Skip("axe-core not installed")
	}
	return string(raw)
}

// axeViolation is what axe reports of one broken rule.
type axeViolation struct {
	ID    string `json:"id"`
	Help  string `json:"help"`
	Nodes []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// wcagTags are the rules checked: WCAG 2.0, 2.1 and 2.2 at levels A and AA.
const axeRun = `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}})
	.then(r => JSON.stringify(r.violations))`

// checkA11y runs axe on the tab's current page and fails the test on any
// violation.
func checkA11y(t *testing.T, tab context.Context, axe, page string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, 30*time.Second)
	defer cancel()
	has, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof axe !== "undefined"`))
	if err != nil {
		t.Fatalf("%s: %v", page, err)
	}
	if !has {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](axe+";0")); err != nil {
			t.Fatalf("%s: inject axe: %v", page, err)
		}
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: axe: %v", page, err)
	}
	var found []axeViolation
	if err := json.Unmarshal([]byte(raw), &found); err != nil {
		t.Fatalf("%s: %v", page, err)
	}
	for _, v := range found {
		var where []string
		for _, n := range v.Nodes {
			where = append(where, n.HTML)
		}
		t.Errorf("%s: %s (%s):\n  %s", page, v.ID, v.Help, strings.Join(where, "\n  "))
	}
}

// TestAccessibilityOfEveryPage checks every page, signed out, as a user,
// as an admin and as a support agent, with axe-core at WCAG 2.2 AA, at a
// desktop's width and a phone's; `make screenshots` keeps the pictures.
func TestAccessibilityOfEveryPage(t *testing.T) {
	axe := axeSource(t)
	browser := apptest.Browser(t)
	e := apptest.Start(t, models.SQLite, apptest.Options{RealTime: true})
	tab := apptest.Tab(t, browser)
	look := pageChecker(t, tab, axe, "pages")
	visit := func(path string) {
		t.Helper()
		apptest.Step(t, tab, "open "+path, chromedp.Navigate(e.URL+path), chromedp.WaitReady(chromedp.CSS("main")))
		// A page that redirected (to sign-in, say) would be checked in
		// place of the one asked for.
		if where, err := chromedp.Run(tab, chromedp.Location()); err != nil || where != e.URL+path {
			t.Fatalf("opening %s ended on %s (%v)", path, where, err)
		}
		look(path)
	}
	submit := func(what, form string, fields map[string]string) {
		t.Helper()
		var steps []chromedp.Action[chromedp.Void]
		for name, value := range fields {
			steps = append(steps, chromedp.SetValue(chromedp.CSS(form+" [name="+name+"]"), value))
		}
		steps = append(steps, apptest.NewPage(chromedp.Submit(chromedp.CSS(form))), chromedp.WaitReady(chromedp.CSS("main")))
		apptest.Step(t, tab, what, steps...)
		look(what)
	}

	// Signed out, before and after setup.
	visit("/setup")
	submit("setup with errors (422)", "form[data-testid=setup-form]", nil)
	a := apptest.DefaultAdmin()
	ada := e.Setup(a)
	acct := e.User("ada").AccountID
	pat := e.AddUser(acct, "pat", deskPassword, models.StatusActive)
	bill := e.AddUser(acct, "bill", deskPassword, models.StatusActive)
	e.GiveRole(bill.ID, "billing_admin")
	e.SetPassphrase(bill.ID, billPassphrase)
	for _, p := range []string{"/login", "/forgot", "/forgot/password", "/forgot/username", "/reset/done", "/no/such/page", "/reset/not-a-token"} {
		visit(p)
	}
	visit("/login")
	submit("sign-in username", "form[data-testid=login-username-form]", map[string]string{"username": "pat"})
	submit("wrong password (422)", "form[data-testid=login-password-form]", map[string]string{"password": "wrong"})
	visit("/forgot/password")
	submit("forgot password sent", "form[action='/forgot/password']", map[string]string{"username": "pat"})

	// A reset link, as its owner follows it.
	ada.Submit(ada.Get("/admin/users/"+apptest.Itoa(pat.ID)), "form[action$='/reset']", nil)
	e.Drain()
	msgs := e.MailTo("pat@example.com")
	link := apptest.LinkIn(msgs[len(msgs)-1].TextBody, e.URL+"/reset/")
	apptest.Step(t, tab, "open the reset link", chromedp.Navigate(link), chromedp.WaitReady(chromedp.CSS("main")))
	look("/reset")
	visit("/dev/mailbox")

	// A plain user.
	signIn := func(username, password string) {
		t.Helper()
		apptest.Step(t, tab, "sign in as "+username,
			chromedp.Navigate(e.URL+"/login"),
			chromedp.SetValue(chromedp.CSS("#username"), username),
			chromedp.Click(chromedp.CSS("[data-testid=login-continue]")),
			chromedp.WaitVisible(chromedp.CSS("#password")),
			chromedp.SendKeys(chromedp.CSS("#password"), password),
			apptest.NewPage(chromedp.Click(chromedp.CSS("[data-testid=login-submit]"))),
			chromedp.WaitReady(chromedp.CSS("main")),
		)
		if where, _ := chromedp.Run(tab, chromedp.Location()); where == e.URL+"/login/question" {
			look("security question at sign-in")
			submit("security question at sign-in with errors (422)", "form[data-testid=login-question-form]", nil)
			apptest.Step(t, tab, "set the question",
				chromedp.SetValue(chromedp.CSS("#security_question"), "custom"),
				chromedp.SendKeys(chromedp.CSS("#security_question_custom"), "First ferry?"),
				chromedp.SendKeys(chromedp.CSS("#security_answer"), "Spirit of Kent"),
				apptest.NewPage(chromedp.Click(chromedp.CSS("[data-testid=login-question-submit]"))),
				chromedp.WaitReady(chromedp.CSS("main")))
		}
		if where, _ := chromedp.Run(tab, chromedp.Location()); where == e.URL+"/login/agreement" {
			look("license agreement")
			apptest.Step(t, tab, "agree", chromedp.Click(chromedp.CSS("[data-testid=agree]")),
				chromedp.WaitVisible(chromedp.CSS("[data-testid=greeting]")))
		}
	}
	signOut := func() {
		apptest.Step(t, tab, "sign out", chromedp.Navigate(e.URL+"/"), apptest.SignOut())
	}
	signIn("pat", deskPassword)
	for _, p := range []string{"/", "/profile", "/profile/details", "/profile/password", "/profile/question", "/profile/email",
		"/profile/sessions", "/profile/passphrase", "/profile/mfa", "/confirm?next=/profile", "/admin/users", "/agreement",
		"/profile/app-passwords", "/profile/language"} {
		visit(p)
	}
	visit("/profile/app-passwords")
	submit("app password without a name (422)", "form[data-testid=app-password-form]", nil) // the name starts empty
	visit("/profile/password")
	submit("profile password errors (422)", "form[data-testid=password-form]", map[string]string{"password": "short"})
	// A second session gives the list a sign-out form to send an unknown
	// session with.
	e.Client().SignIn("pat", deskPassword)
	visit("/profile/sessions")
	submit("sign out a session that is unknown (404)", "[data-testid=session-row] form", map[string]string{"session": strings.Repeat("ab", 32)})
	visit("/profile/question")
	submit("profile security question saved", "form[data-testid=question-form]", map[string]string{
		"security_question": "In what city were you born?", "security_answer": "Port Talbot"})
	signOut()

	// A user whose account requires a security question she has not set.
	e.RequireSecurityQuestion(acct, true)
	e.AddUser(acct, "quin", deskPassword, models.StatusActive)
	signIn("quin", deskPassword)
	signOut()
	e.RequireSecurityQuestion(acct, false)

	// The Primary Admin.
	signIn("ada", a.Password)
	role := e.AddRole(acct, "Auditor", identity.PermAuditView)
	for _, p := range []string{"/", "/admin/privileges", "/admin/users", "/admin/users?q=pat", "/admin/users/new",
		"/admin/users/" + apptest.Itoa(pat.ID), "/admin/users/" + apptest.Itoa(pat.ID) + "/delete",
		"/admin/users/" + apptest.Itoa(pat.ID) + "/mfa",
		"/admin/roles", "/admin/roles/new", "/admin/roles/" + apptest.Itoa(role), "/admin/roles/" + apptest.Itoa(role) + "/edit",
		"/admin/security", "/admin/audit", "/admin/audit?view=support",
		"/admin/privileges/remove?user_id=" + apptest.Itoa(bill.ID), "/profile/support-code"} {
		visit(p)
	}
	// The confirmations of a user's page, a refused one, and the shared
	// email address warning.
	_ = e.Store().Users.SetSecurityQuestion(context.Background(), pat.ID, "Pet?", "$argon2id$x", e.Clock.Now())
	patPage := "/admin/users/" + apptest.Itoa(pat.ID)
	for _, p := range []string{patPage + "/deactivate", patPage + "/question/clear", patPage + "/sessions/signout"} {
		visit(p)
	}
	visit(patPage + "/deactivate")
	submit("deactivate without a reason (422)", "form[data-testid=deactivate-form]", nil)
	// The username fields, answering a name that finds nobody.
	visit("/admin/privileges")
	submit("add a secondary admin with an unknown username (422)", "form[data-testid=add-admin-form]",
		map[string]string{"admin_username": "nobody.at.all"})
	visit("/admin/roles/" + apptest.Itoa(role))
	submit("give a role to an unknown username (422)", "form[data-testid=assign-form]",
		map[string]string{"member_username": "nobody.at.all"})
	visit("/admin/users/new")
	submit("create user with a shared email address (422)", "form[data-testid=new-user-form]",
		map[string]string{"display_name": "Pat Again", "email": "pat@example.com", "username": "pat2"})
	ada.Submit(ada.Get("/admin/users/new"), "form[data-testid=new-user-form]", map[string]string{
		"display_name": "Nina New", "email": "nina@example.com", "username": "nina"})
	ninaPage := "/admin/users/" + apptest.Itoa(e.User("nina").ID)
	visit(ninaPage)
	visit(ada.Get(ninaPage).Doc.Find("[data-testid=void-link]").AttrOr("href", ""))
	visit("/profile/support-code")
	submit("make a support code", "form[data-testid=support-code-form]", nil)
	// The API tokens page: a refused form, then a new token's secret and
	// the list with it.
	visit("/admin/api-tokens")
	submit("create an API token without a name (422)", "form[data-testid=token-form]", nil)
	visit("/admin/api-tokens")
	submit("create an API token (its secret shown once)", "form[data-testid=token-form]", map[string]string{"name": "CRM sync"})
	visit("/admin/audit")
	apptest.Step(t, tab, "open an audit event's raw entry",
		chromedp.Focus(chromedp.CSS("[data-testid=audit-row] summary")),
		chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=audit-row] pre")))
	look("/admin/audit with a raw entry open")
	// The dashboard with what waits on the Primary Admin: an admin without
	// a support passphrase, an invited user and a bulk action still running.
	nora := e.AddUser(acct, "nora", deskPassword, models.StatusActive)
	e.GiveRole(nora.ID, "billing_admin")
	e.AddUser(acct, "ina", deskPassword, models.StatusInvited)
	running := &models.BulkJob{AccountID: acct, Action: "signout", Selection: "{}", Status: models.BulkRunning, Total: 1}
	if err := e.Store().BulkJobs.Create(context.Background(), running); err != nil {
		t.Fatal(err)
	}
	visit("/")
	e.SetPassphrase(nora.ID, billPassphrase)
	sqlExec(t, e, "UPDATE bulk_jobs SET status = ? WHERE id = ?", models.BulkDone, running.ID)
	ada.RunBulk(url.Values{"action": {"signout"}, "scope": {"selected"}, "id": {apptest.Itoa(pat.ID), apptest.Itoa(e.User("ada").ID)}, "reason": {"a11y"}})
	visit("/admin/users/jobs")
	visit(ada.Get("/admin/users/jobs").Doc.Find("[data-testid=job-row] a").AttrOr("href", ""))
	visit("/admin/users")
	submit("bulk action with nothing chosen (422)", "form[data-testid=bulk-form]", map[string]string{"action": "signout"})
	apptest.Step(t, tab, "choose users for a bulk action",
		chromedp.Click(chromedp.CSS("input[name=id][value='"+apptest.Itoa(pat.ID)+"']")),
		chromedp.Click(chromedp.CSS("input[name=id][value='"+apptest.Itoa(e.User("ada").ID)+"']")))
	submit("bulk preview with a skipped row", "form[data-testid=bulk-form]", map[string]string{"action": "signout"})
	e.SetMFAPolicy(acct, models.MFAOptional)
	visit("/profile/mfa")
	submit("start multi-factor authentication", "form[action='/profile/mfa/start']", nil)
	signOut()

	// A transfer offered to pat, who has no passphrase, and an IT Admin who
	// may see but not change the Primary Admin or pat.
	offerTo(t, ada, pat.Username, a.Password)
	signIn("pat", deskPassword)
	visit("/")
	visit("/admin/transfer")
	submit("accept the transfer with errors (422)", "form[data-testid=transfer-accept-form]", nil)
	signOut()
	ivan := e.AddUser(acct, "ivan", deskPassword, models.StatusActive)
	e.GiveRole(ivan.ID, "it_admin")
	e.SetPassphrase(ivan.ID, billPassphrase)
	vic := e.AddUser(acct, "vic", deskPassword, models.StatusActive)
	signIn("ivan", deskPassword)
	visit("/admin/users/" + apptest.Itoa(e.User("ada").ID))
	visit("/admin/users/" + apptest.Itoa(pat.ID))
	// The privileges page read-only, with areas held through roles; a role
	// the IT Admin may not give (the reason in place of the form); and a
	// role given from a page that went stale: vic became a Billing Admin.
	visit("/admin/privileges")
	billingRole, err := e.Store().Roles.Builtin(context.Background(), "billing_admin")
	if err != nil {
		t.Fatal(err)
	}
	visit("/admin/roles/" + apptest.Itoa(billingRole.ID))
	visit("/admin/roles/" + apptest.Itoa(role))
	e.GiveRole(vic.ID, "billing_admin")
	submit("give a role from a stale page (403)", "form[data-testid=assign-form]", map[string]string{"member_username": vic.Username})
	signOut()

	// A support agent: the forced second factor, then the console.
	e.AddAgent("Sam Support", "sam@desk.example", deskPassword)
	signIn("sam@desk.example", deskPassword)
	look("forced multi-factor authentication setup")
	key, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS("[data-testid=totp-secret]")))
	if err != nil {
		t.Fatal(err)
	}
	submit("backup codes", "form[data-testid=mfa-setup-form]", map[string]string{"code": apptest.TOTP(key, time.Now())})
	// Staff are not asked to accept the customers' agreement.
	apptest.Step(t, tab, "continue", chromedp.Click(chromedp.CSS("[data-testid=codes-continue]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=support-search]")))
	look("/support")
	visit("/support?q=Nobody")
	visit("/support/accounts/" + apptest.Itoa(acct))
	visit("/support/accounts/" + apptest.Itoa(acct) + "?username=pat")
	apptest.Step(t, tab, "verify bill",
		chromedp.Click(chromedp.CSS("[data-testid=caller-bill]")),
		chromedp.Click(chromedp.CSS(`[data-testid=area-billing\.changes]`)),
		chromedp.SendKeys(chromedp.CSS("#passphrase"), billPassphrase),
		chromedp.Click(chromedp.CSS("[data-testid=support-verify-submit]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=support-result]")))
	look("verified")
	submit("verify with errors (422)", "form[data-testid=support-verify]", nil)
	visit("/admin/users")
}
