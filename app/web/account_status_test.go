package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"accountportal/app/apptest"
	"accountportal/app/provider"
	"accountportal/models"
	"accountportal/models/modelstest"
)

// statusWorld is the desk's portal (Acme with ada, bill, sue suspended by
// her admin, pat) plus Other Co with oscar, and an operator signed in.
type statusWorld struct {
	*desk
	ops    *apptest.Client
	opsKey string
	other  *models.Account
	acme   string
}

func newStatusWorld(t *testing.T, d models.Dialect) *statusWorld {
	t.Helper()
	k := newDesk(t, d)
	other, _ := k.e.AddAccount("23232323", "Other Co", "oscar", deskPassword)
	k.e.AddOperator("Olga Ops", "olga@provider.example", deskPassword)
	ops := k.e.Client()
	key, res := ops.SignInEnrolling("olga@provider.example", deskPassword, k.e.Clock)
	if res.Location != "/" {
		t.Fatalf("operator sign-in ended at %q", res.Location)
	}
	return &statusWorld{desk: k, ops: ops, opsKey: key, other: other, acme: "/operator/accounts/" + apptest.Itoa(k.account.ID)}
}

// change confirms verb on the account page path with reason.
func (w *statusWorld) change(path, verb, reason string) *apptest.Response {
	page := w.ops.Get(path + "/" + verb)
	return w.ops.Submit(page, "form[data-testid=status-form]", map[string]string{"reason": reason})
}

func (w *statusWorld) signedIn(t *testing.T, username string) *apptest.Client {
	t.Helper()
	c := w.e.Client()
	pw := deskPassword
	if username == "ada" {
		pw = w.admin.Password
	}
	if res := c.SignIn(username, pw); res.Status != http.StatusSeeOther || res.Location != "/" {
		t.Fatalf("sign in %s: %d %q", username, res.Status, res.Location)
	}
	return c
}

func (w *statusWorld) reload(t *testing.T, id int64) *models.Account {
	t.Helper()
	a, err := w.e.Store().Accounts.ByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func staffAccountID(t *testing.T, e *apptest.Env) int64 {
	t.Helper()
	a, err := e.Store().Accounts.Staff(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return a.ID
}

func requireSuspendedPage(t *testing.T, who string, res *apptest.Response) {
	t.Helper()
	if res.Status != http.StatusForbidden || res.Doc.Find("[data-testid=suspended] h1").Text() != "Account Suspended" {
		t.Fatalf("%s: %d, want the Account Suspended page", who, res.Status)
	}
}

// TestSuspendingAnAccountEndsItsSessionsOnly: the confirmation page names
// the account; suspending it ends every session of its users at their
// next request with "Account Suspended", and none of another account's;
// it is audited in both logs and the Primary Admin gets the notice.
func TestSuspendingAnAccountEndsItsSessionsOnly(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		w := newStatusWorld(t, d)
		ada, pat, oscar := w.signedIn(t, "ada"), w.signedIn(t, "pat"), w.signedIn(t, "oscar")

		page := w.ops.Get(w.acme + "/suspend")
		if got := page.Doc.Find("[data-testid=status-heading]").Text(); page.Status != http.StatusOK ||
			got != "Suspend Acme Telecom Ltd ("+w.account.Number+")?" {
			t.Fatalf("confirmation page: %d %q", page.Status, got)
		}
		if got := page.Doc.Find("[data-testid=status-submit]").Text(); got != "Suspend account" {
			t.Errorf("button says %q", got)
		}
		res := w.change(w.acme, "suspend", "Unpaid invoices since March")
		if res.Status != http.StatusSeeOther || res.Location != w.acme {
			t.Fatalf("suspend: %d %q", res.Status, res.Location)
		}
		if got := w.ops.Get("/operator").Doc.Find("[data-testid=flash]").Text(); !strings.Contains(got, "was suspended") {
			t.Errorf("flash %q", got)
		}
		a := w.reload(t, w.account.ID)
		if a.Status != models.AccountSuspended || a.StatusReason != "Unpaid invoices since March" || a.StatusChangedAt == nil || a.PurgeAfter != nil {
			t.Errorf("account after suspension: %+v", a)
		}
		for name, c := range map[string]*apptest.Client{"ada": ada, "pat": pat} {
			res := c.Get("/")
			requireSuspendedPage(t, name, res)
			if !strings.Contains(res.Body, "This session will now be terminated") {
				t.Errorf("%s was not told the session ends", name)
			}
			if again := c.Get("/"); again.Status != http.StatusSeeOther || again.Location != "/login" {
				t.Errorf("%s's session lives on: %d %q", name, again.Status, again.Location)
			}
		}
		if res := oscar.Get("/"); res.Status != http.StatusOK {
			t.Errorf("the other account's admin: %d, want 200", res.Status)
		}
		for _, acct := range []int64{w.account.ID, staffAccountID(t, w.e)} {
			if n := auditCount(t, w.e, acct, provider.ActionAccountSuspended); n != 1 {
				t.Errorf("account %d has %d suspension entries, want 1", acct, n)
			}
		}
		w.e.Drain()
		notice := w.e.MailTo(w.admin.Email)
		if len(notice) == 0 || notice[len(notice)-1].Subject != "Your Account Portal account was suspended" ||
			notice[len(notice)-1].SentAt == nil || !strings.Contains(notice[len(notice)-1].TextBody, "contact your phone service provider") {
			t.Errorf("no sent suspension notice to the Primary Admin: %+v", notice)
		}
	})
}

// TestSuspendedAccountRefusesSignInRecoveryAndMail: sign-in is refused as a
// suspended user's is; reset and username requests answer as always but
// send nothing; a link sent before does not open; mail queued before the
// suspension is withheld for good. Reactivation gives every user their
// own status back.
func TestSuspendedAccountRefusesSignInRecoveryAndMail(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		w := newStatusWorld(t, d)
		linkHolder := w.e.Client()
		link := resetLink(t, w.e, linkHolder, "pat", "pat@example.com")
		// An invited user's welcome link, sent before the suspension.
		ada := w.signedIn(t, "ada")
		if res := post(ada, "/admin/users", url.Values{"display_name": {"Nina New"}, "email": {"nina@example.com"}}); res.Status != http.StatusSeeOther {
			t.Fatalf("create a user: %d", res.Status)
		}
		w.e.Drain()
		welcome := w.e.Client()
		welcomeLink := welcome.Path(apptest.LinkIn(w.e.MailTo("nina@example.com")[0].TextBody, w.e.URL+"/welcome/"))
		// A reset asked for, its email queued but not yet sent.
		if res := requestReset(t, w.e.Client(), "bill"); res.Status != http.StatusOK {
			t.Fatalf("forgot password: %d", res.Status)
		}
		if _, err := w.e.App.Recovery.ProcessQueue(context.Background()); err != nil {
			t.Fatal(err)
		}
		w.change(w.acme, "suspend", "Fraud investigation")
		w.e.Drain()
		if res := welcome.Get(welcomeLink); res.Status != http.StatusNotFound {
			t.Errorf("a welcome link of a suspended account opened: %d %q", res.Status, res.Location)
		}

		requireSuspendedPage(t, "pat signing in", w.e.Client().SignIn("pat", deskPassword))
		wrong := w.e.Client().SignIn("pat", "Walrus+Tide43")
		if wrong.Status != http.StatusUnprocessableEntity || strings.Contains(wrong.Body, "Suspended") {
			t.Errorf("wrong password told the suspension: %d", wrong.Status)
		}
		if res := linkHolder.Get(link); res.Status != http.StatusNotFound {
			t.Errorf("a reset link of a suspended account opened: %d %q", res.Status, res.Location)
		}
		before := len(w.e.Outbox())
		unknown := requestReset(t, w.e.Client(), "nobody-here")
		known := requestReset(t, w.e.Client(), "pat")
		if known.Status != unknown.Status || known.Doc.Find("main").Text() != unknown.Doc.Find("main").Text() {
			t.Errorf("reset request tells a suspended account apart: %d vs %d", known.Status, unknown.Status)
		}
		forgot := w.e.Client()
		forgot.Submit(forgot.Get("/forgot/username"), "form", map[string]string{"email": "pat@example.com"})
		w.e.Drain()
		if after := len(w.e.Outbox()); after != before {
			t.Errorf("%d messages queued for a suspended account's users", after-before)
		}
		bill := w.e.MailTo("bill@example.com")
		if len(bill) != 1 || bill[0].SentAt != nil || bill[0].WithheldAt == nil {
			t.Fatalf("mail queued before the suspension: %+v", bill)
		}

		if res := w.change(w.acme, "reactivate", "Paid in full"); res.Status != http.StatusSeeOther {
			t.Fatalf("reactivate: %d", res.Status)
		}
		w.e.Drain()
		if bill := w.e.MailTo("bill@example.com"); bill[0].SentAt != nil {
			t.Error("withheld mail went out after reactivation")
		}
		if res := w.e.Client().SignIn("pat", deskPassword); res.Status != http.StatusSeeOther || res.Location != "/" {
			t.Errorf("active user after reactivation: %d %q", res.Status, res.Location)
		}
		requireSuspendedPage(t, "sue, suspended by her admin", w.e.Client().SignIn("sue", "Walrus+Tide42"))
		if n := auditCount(t, w.e, w.account.ID, provider.ActionAccountReactivated); n != 1 {
			t.Errorf("%d reactivation entries", n)
		}
	})
}

// TestAccountStatusTransitions: only valid changes pass; others re-render
// with 409; closing sets the purge date from the retention; a reason is
// required; unknown and staff accounts are 404.
func TestAccountStatusTransitions(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		w := newStatusWorld(t, d)
		page := w.ops.Get(w.acme + "/reactivate")
		if page.Status != http.StatusOK || page.Doc.Find("[data-testid=status-form]").Length() != 0 ||
			page.Doc.Find("[data-testid=status-not-allowed]").Text() == "" {
			t.Errorf("reactivating an active account offered: %d", page.Status)
		}
		empty := w.change(w.acme, "suspend", "  ")
		if empty.Status != http.StatusUnprocessableEntity || empty.Doc.Find("[data-testid=error-reason]").Text() == "" {
			t.Errorf("empty reason: %d", empty.Status)
		}
		long := w.change(w.acme, "suspend", strings.Repeat("x", 501))
		if long.Status != http.StatusUnprocessableEntity {
			t.Errorf("501-character reason: %d", long.Status)
		}
		// The form was opened, then someone else suspended the account.
		form := w.ops.Get(w.acme + "/suspend")
		w.change(w.acme, "suspend", "First operator")
		again := w.ops.Submit(form, "form[data-testid=status-form]", map[string]string{"reason": "Second operator"})
		if again.Status != http.StatusConflict || again.Doc.Find("[data-testid=status-now]").Text() != "Suspended" {
			t.Errorf("suspending a suspended account: %d", again.Status)
		}
		if res := w.change(w.acme, "close", "Contract ended"); res.Status != http.StatusSeeOther {
			t.Fatalf("close a suspended account: %d", res.Status)
		}
		a := w.reload(t, w.account.ID)
		if a.Status != models.AccountClosed || a.PurgeAfter == nil || !a.PurgeAfter.Equal(a.StatusChangedAt.Add(90*24*time.Hour)) {
			t.Errorf("closed account: %+v", a)
		}
		purge := w.ops.Get(w.acme).Doc.Find("[data-testid=account-purge-after]").Text()
		if !strings.Contains(purge, a.PurgeAfter.UTC().Format("2 January 2006")) {
			t.Errorf("the account page does not say when its data goes: %q", purge)
		}
		closedForm := w.ops.Get(w.acme + "/close")
		if closedForm.Doc.Find("[data-testid=status-form]").Length() != 0 {
			t.Error("closing a closed account offered")
		}
		w.e.Drain()
		if got := w.e.MailTo(w.admin.Email); got[len(got)-1].Subject != "Your Account Portal account was closed" {
			t.Errorf("closure notice: %q", got[len(got)-1].Subject)
		}
		staff := "/operator/accounts/" + apptest.Itoa(staffAccountID(t, w.e))
		for _, path := range []string{"/operator/accounts/999999/suspend", "/operator/accounts/x/close", staff + "/suspend"} {
			if res := w.ops.Get(path); res.Status != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404", path, res.Status)
			}
		}
		csrf := apptest.CSRF(w.ops.Get("/operator"))
		if res := w.ops.Post(staff+"/suspend", url.Values{"csrf_token": {csrf}, "reason": {"x"}}); res.Status != http.StatusNotFound {
			t.Errorf("suspending the staff account: %d, want 404", res.Status)
		}
	})
}

// TestSupportDeskVerifiesSuspendedAccountsCallers: the desk may need to
// talk to a suspended account's admins about the suspension, so it still
// verifies them, and the console tells the agent the account is suspended.
func TestSupportDeskVerifiesSuspendedAccountsCallers(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		w := newStatusWorld(t, d)
		if notice := w.agent.Get(w.consolePath()).Doc.Find("[data-testid=support-account-notice]"); notice.Length() != 0 {
			t.Errorf("an active account shows a notice: %q", notice.Text())
		}
		w.change(w.acme, "suspend", "Unpaid invoices")
		res := w.verify("bill", "billing.inquiries", billPassphrase, "")
		if got := outcomeOf(res); got != "verified" {
			t.Errorf("a suspended account's Billing Admin: %q, want verified", got)
		}
		if got := res.Doc.Find("[data-testid=support-account-notice]").Text(); !strings.Contains(got, "has suspended this account") {
			t.Errorf("the agent is not told the account is suspended: %q", got)
		}
	})
}

// TestSuspensionStopsASignInUnderWay: a user who gave the right password
// before the suspension gets no further.
func TestSuspensionStopsASignInUnderWay(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		w := newStatusWorld(t, d)
		c := w.e.Client()
		res := c.Submit(c.Get("/login"), "form[data-testid=login-username-form]", map[string]string{"username": "pat"})
		res = c.Submit(c.Get(res.Location), "form[data-testid=login-password-form]", map[string]string{"password": deskPassword})
		if res.Status != http.StatusSeeOther || res.Location != "/login/agreement" {
			t.Fatalf("password step: %d %q", res.Status, res.Location)
		}
		page := c.Get("/login/agreement")
		w.change(w.acme, "suspend", "Unpaid invoices")
		res = c.Submit(page, "form[action='/login/agreement']", nil)
		requireSuspendedPage(t, "agreement after the suspension", res)
		if res.Doc.Find("[data-testid=suspended-by-provider]").Length() != 1 {
			t.Error("the page does not say the provider suspended the company's account")
		}
		if res := c.Get("/"); res.Status != http.StatusSeeOther || res.Location != "/login" {
			t.Errorf("signed in after all: %d %q", res.Status, res.Location)
		}
	})
}

// TestReactivatedPendingAccountWaitsForItsPrimaryAdmin: an onboarded
// account suspended before its Primary Admin accepted goes back to waiting
// for them on reactivation, the invitation can be resent and its link
// still takes them in; nobody is told the account is active.
func TestReactivatedPendingAccountWaitsForItsPrimaryAdmin(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		w := newStatusWorld(t, d)
		id := apptest.OnboardedID(t, w.ops.Onboard("Zeta Co", "Zed Zeta", "zed@zeta.example"))
		link := w.e.InvitationLink("zed@zeta.example")
		page := "/operator/accounts/" + apptest.Itoa(id)
		if res := w.change(page, "suspend", "Fraud check"); res.Status != http.StatusSeeOther {
			t.Fatalf("suspend: %d", res.Status)
		}
		if res := w.change(page, "reactivate", "Cleared"); res.Status != http.StatusSeeOther {
			t.Fatalf("reactivate: %d", res.Status)
		}
		if a := w.reload(t, id); a.Status != models.AccountPending {
			t.Fatalf("after reactivation the account is %s, want pending", a.Status)
		}
		if res := w.ops.Get(page + "/invitation"); res.Status != http.StatusOK {
			t.Fatalf("the invitation's page: %d", res.Status)
		}
		w.e.Drain()
		for _, m := range w.e.MailTo("zed@zeta.example") {
			if strings.Contains(m.Subject, "active again") {
				t.Errorf("the invited Primary Admin was told %q", m.Subject)
			}
		}
		c := w.e.Client()
		if res := c.Get(link); res.Status != http.StatusSeeOther || res.Location != "/invite" {
			t.Fatalf("the invitation link after reactivation: %d %q", res.Status, res.Location)
		}
	})
}

// TestReactivationTellsThePrimaryAdmin: the notice the confirmation page
// promises is sent when an active account comes back.
func TestReactivationTellsThePrimaryAdmin(t *testing.T) {
	w := newStatusWorld(t, models.SQLite)
	pat := w.signedIn(t, "pat")
	w.change(w.acme, "suspend", "Unpaid invoices")
	// The users are told who suspended them, not sent to their own admin.
	for what, res := range map[string]*apptest.Response{"next request": pat.Get("/profile"),
		"sign-in": w.e.Client().SignIn("bill", deskPassword)} {
		requireSuspendedPage(t, what, res)
		if res.Doc.Find("[data-testid=suspended-by-provider]").Length() != 1 {
			t.Errorf("%s: the page does not say the provider suspended the company's account", what)
		}
	}
	if res := w.change(w.acme, "reactivate", "Paid"); res.Status != http.StatusSeeOther {
		t.Fatalf("reactivate: %d", res.Status)
	}
	if a := w.reload(t, w.account.ID); a.Status != models.AccountActive {
		t.Fatalf("status %s, want active", a.Status)
	}
	w.e.Drain()
	found := false
	for _, m := range w.e.MailTo(w.admin.Email) {
		found = found || m.Subject == "Your Account Portal account is active again"
	}
	if !found {
		t.Fatal("no notice of the reactivation to the Primary Admin")
	}
}
