package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"accountportal/app/apptest"
	"accountportal/app/provider"
	"accountportal/models"
	"accountportal/models/modelstest"
)

// rescue submits the Primary Admin recovery page as the operator.
func (w *statusWorld) rescue(action, reason string) *apptest.Response {
	page := w.ops.Get(w.acme + "/primary-admin")
	return w.ops.Submit(page, "form[data-testid=rescue-form]", map[string]string{"action": action, "reason": reason})
}

// TestRescueNeedsARecentVerification: without the support desk's
// verification of the Primary Admin, or with one 31 minutes old, the page
// says the desk must verify the caller first, its buttons are disabled and
// both actions are refused with 409, changing nothing.
func TestRescueNeedsARecentVerification(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		w := newStatusWorld(t, d)
		check := func(when string) {
			t.Helper()
			page := w.ops.Get(w.acme + "/primary-admin")
			if page.Status != http.StatusOK || page.Doc.Find("[data-testid=rescue-unverified]").Length() != 1 {
				t.Fatalf("%s: page %d without the need for a verification", when, page.Status)
			}
			for _, b := range []string{"rescue-mfa", "rescue-reset"} {
				if _, disabled := page.Doc.Find("[data-testid=" + b + "]").Attr("disabled"); !disabled {
					t.Errorf("%s: %s is enabled", when, b)
				}
			}
			for _, action := range []string{provider.RescueMFA, provider.RescueReset} {
				res := w.rescue(action, "Lost phone, ticket 4711")
				if res.Status != http.StatusConflict || !strings.Contains(res.Doc.Find("[data-testid=rescue-refusal]").Text(), "support desk must first verify") {
					t.Errorf("%s: %s answered %d", when, action, res.Status)
				}
			}
			if n := auditCount(t, w.e, w.account.ID, provider.ActionPrimaryMFAReset) + auditCount(t, w.e, w.account.ID, provider.ActionPrimaryResetSent); n != 0 {
				t.Errorf("%s: %d recovery entries", when, n)
			}
		}
		check("never verified")
		if got := outcomeOf(w.verify("ada", "account.info", w.admin.Passphrase, "")); got != "verified" {
			t.Fatalf("desk verification: %q", got)
		}
		w.e.Clock.Advance(31 * time.Minute)
		w.ops = w.e.Client()
		w.ops.SignInTOTP("olga@provider.example", deskPassword, w.opsKey, w.e.Clock)
		check("verified 31 minutes ago")
		w.signInAgentAgain()
		// Another user's verification does not count for the Primary Admin.
		w.verify("bill", "billing.inquiries", billPassphrase, "")
		check("another caller verified")
	})
}

// TestRescueResetsThePrimaryAdminsSecondFactor: after the desk verified the
// Primary Admin, the operator's reset ends their sessions, removes their
// authenticator and backup codes, and their next sign-in asks them to set
// up a new authenticator; both logs record it with the reason.
func TestRescueResetsThePrimaryAdminsSecondFactor(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		w := newStatusWorld(t, d)
		w.e.SetMFAPolicy(w.account.ID, models.MFAOptional)
		ada := w.signedIn(t, "ada")
		ada.Enrol(w.e.Clock)
		w.verify("ada", "account.info", w.admin.Passphrase, "")
		if res := w.rescue(provider.RescueMFA, ""); res.Status != http.StatusUnprocessableEntity {
			t.Errorf("no reason: %d, want 422", res.Status)
		}
		if res := w.rescue("", "Lost phone"); res.Status != http.StatusUnprocessableEntity ||
			!strings.Contains(res.Doc.Find("[data-testid=error-summary]").Text(), "Choose to reset") {
			t.Errorf("no action: %d, want 422 saying what to choose", res.Status)
		}
		res := w.rescue(provider.RescueMFA, "Lost phone and codes, ticket 4711")
		if res.Status != http.StatusSeeOther || res.Location != w.acme {
			t.Fatalf("reset: %d %q", res.Status, res.Location)
		}
		if got := ada.Get("/"); got.Status != http.StatusSeeOther || got.Location != "/login" {
			t.Errorf("the Primary Admin's session: %d %q", got.Status, got.Location)
		}
		u := w.e.User("ada")
		if u.MFAEnrolledAt != nil || u.MFAResetAt == nil {
			t.Errorf("second factor after the reset: %+v", u)
		}
		if n, err := w.e.Store().MFA.CountUnusedBackupCodes(context.Background(), u.ID); err != nil || n != 0 {
			t.Errorf("backup codes left: %d %v", n, err)
		}
		next := w.e.Client().SignIn("ada", w.admin.Password)
		if next.Status != http.StatusSeeOther || next.Location != "/login/mfa/setup" {
			t.Errorf("next sign-in: %d %q, want the authenticator set-up", next.Status, next.Location)
		}
		for _, acct := range []int64{w.account.ID, staffAccountID(t, w.e)} {
			if n := auditCount(t, w.e, acct, provider.ActionPrimaryMFAReset); n != 1 {
				t.Errorf("account %d: %d reset entries", acct, n)
			}
		}
		w.e.Drain()
		mail := w.e.MailTo(w.admin.Email)
		if len(mail) == 0 || mail[len(mail)-1].Subject != "Your multi-factor authentication was reset" {
			t.Error("the Primary Admin was not told")
		}
	})
}

// supportCode makes a one-time support code as c, signed in as an admin
// a moment ago.
func supportCode(t *testing.T, c *apptest.Client) string {
	t.Helper()
	res := c.Submit(c.Get("/profile/support-code"), "form[data-testid=support-code-form]", nil)
	if res.Status != http.StatusOK {
		t.Fatalf("make a code: %d %q", res.Status, res.Location)
	}
	return strings.TrimSpace(res.Doc.Find("[data-testid=support-code]").Text())
}

// TestRescueSendsThePrimaryAdminAResetLink: after a verification by
// one-time support code, the operator's reset link reaches the Primary
// Admin and works.
func TestRescueSendsThePrimaryAdminAResetLink(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		w := newStatusWorld(t, d)
		ada := w.signedIn(t, "ada")
		code := supportCode(t, ada)
		if got := outcomeOf(w.verify("ada", "account.info", "", code)); got != "verified" {
			t.Fatalf("verification by code: %q", got)
		}
		if res := w.rescue(provider.RescueReset, "Forgot password and answer"); res.Status != http.StatusSeeOther {
			t.Fatalf("send reset: %d", res.Status)
		}
		w.e.Drain()
		mail := w.e.MailTo(w.admin.Email)
		link := apptest.LinkIn(mail[len(mail)-1].TextBody, w.e.URL+"/reset/")
		if link == "" || !strings.Contains(mail[len(mail)-1].TextBody, "Olga Ops, an operator of your phone service provider") ||
			mail[len(mail)-1].Subject != "Your phone service provider sent you a password reset link" {
			t.Fatalf("no reset link naming the operator in:\n%s", mail[len(mail)-1].TextBody)
		}
		c := w.e.Client()
		if res := c.Get(c.Path(link)); res.Status != http.StatusSeeOther || res.Location != "/reset" {
			t.Errorf("open the link: %d %q", res.Status, res.Location)
		}
		if n := auditCount(t, w.e, staffAccountID(t, w.e), provider.ActionPrimaryResetSent); n != 1 {
			t.Errorf("%d entries in the provider's log", n)
		}
	})
}

// TestRescueOffersOnlyWhatCanBeDone: a Primary Admin with no second factor
// is offered only the password reset (a reset of nothing would promise an
// authenticator set-up that never comes); in a closed account, or one
// still waiting for its Primary Admin, nothing is offered.
func TestRescueOffersOnlyWhatCanBeDone(t *testing.T) {
	w := newStatusWorld(t, models.SQLite)
	w.verify("ada", "account.info", w.admin.Passphrase, "")
	page := w.ops.Get(w.acme + "/primary-admin")
	if page.Doc.Find("[data-testid=rescue-no-second-factor]").Length() != 1 {
		t.Error("the page does not say there is no second factor to reset")
	}
	if _, disabled := page.Doc.Find("[data-testid=rescue-mfa]").Attr("disabled"); !disabled {
		t.Error("Reset second factor is offered for a Primary Admin without one")
	}
	if _, disabled := page.Doc.Find("[data-testid=rescue-reset]").Attr("disabled"); disabled {
		t.Error("Send password reset is not offered")
	}
	if res := w.rescue(provider.RescueMFA, "Lost phone"); res.Status != http.StatusConflict ||
		!strings.Contains(res.Doc.Find("[data-testid=rescue-refusal]").Text(), "do not use multi-factor authentication") {
		t.Errorf("resetting nothing: %d", res.Status)
	}
	if n := auditCount(t, w.e, w.account.ID, provider.ActionPrimaryMFAReset); n != 0 {
		t.Errorf("%d reset entries for nothing reset", n)
	}

	pending := "/operator/accounts/" + apptest.Itoa(apptest.OnboardedID(t, w.ops.Onboard("Zeta Co", "Zed Zeta", "zed@zeta.example")))
	w.change(w.acme, "close", "Contract ended")
	for _, path := range []string{w.acme, pending} {
		page := w.ops.Get(path + "/primary-admin")
		if page.Doc.Find("[data-testid=rescue-unusable]").Length() != 1 {
			t.Errorf("%s: the page does not say nothing can be done", path)
		}
		for _, b := range []string{"rescue-mfa", "rescue-reset"} {
			if _, disabled := page.Doc.Find("[data-testid=" + b + "]").Attr("disabled"); !disabled {
				t.Errorf("%s: %s is offered", path, b)
			}
		}
	}
}
