package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"accountportal/app/apptest"
	"accountportal/app/identity"
	"accountportal/models"
	"accountportal/models/modelstest"
)

func TestAdminResetsMFA(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e, _, _ := mfaWorld(t, d, models.MFAOptional)
		e.SetMFAPolicy(e.User("ada").AccountID, models.MFAEveryone)
		ada := e.Client()
		// Ada must enrol first (everyone), then reset bob with her own code.
		res := ada.SignIn("ada", apptest.DefaultAdmin().Password)
		if res.Location != "/login/mfa/setup" {
			t.Fatalf("ada: %q", res.Location)
		}
		setup := ada.Get("/login/mfa/setup")
		adaKey := setup.Doc.Find("[data-testid=totp-secret]").Text()
		res = ada.Submit(setup, "form[data-testid=mfa-setup-form]", map[string]string{"code": apptest.TOTP(adaKey, e.Clock.Now())})
		ada.Submit(res, "form:has([data-testid=codes-continue])", nil)
		ada.Submit(ada.Get("/login/agreement"), "form[action='/login/agreement']", nil)

		bob := e.User("bob")
		e.Clock.Advance(30 * time.Second)
		path := "/admin/users/" + apptest.Itoa(bob.ID)
		if res := ada.Submit(ada.Get(path+"/mfa"), "form[data-testid=mfa-reset-form]", map[string]string{"admin_code": "000000"}); res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("wrong admin code: %d", res.Status)
		}
		// The wrong code is Ada's own, typed signed in: not a sign-in's.
		eventSaying(t, ada.Get("/admin/audit?action=mfa.admin_code_failed"), "audit-table",
			"Ada Admin typed a wrong multi-factor authentication code to confirm an action")
		if n := ada.Get("/admin/audit?action=mfa.code_failed").Doc.Find("[data-testid=audit-row]").Length(); n != 0 {
			t.Fatalf("%d wrong sign-in codes logged", n)
		}
		res = ada.Submit(ada.Get(path+"/mfa"), "form[data-testid=mfa-reset-form]", map[string]string{"admin_code": apptest.TOTP(adaKey, e.Clock.Now())})
		if res.Status != http.StatusSeeOther {
			t.Fatalf("reset: %d %s", res.Status, res.Doc.Find("[data-testid=error-page] p").First().Text())
		}
		ctx := context.Background()
		if _, err := e.Store().Secrets.Of(ctx, bob.ID, models.SecretTOTPSeed); err == nil {
			t.Fatal("seed kept")
		}
		if n, _ := e.Store().MFA.CountUnusedBackupCodes(ctx, bob.ID); n != 0 {
			t.Fatalf("%d backup codes kept", n)
		}
		c := e.Client()
		res = c.Submit(c.Get("/login"), "form[data-testid=login-username-form]", map[string]string{"username": "bob"})
		res = c.Submit(c.Get(res.Location), "form[data-testid=login-password-form]", map[string]string{"password": personaPassword})
		if res.Location != "/login/mfa/setup" {
			t.Fatalf("bob after the reset: %q", res.Location)
		}
		e.Drain()
		msgs := e.MailTo("bob@example.com")
		if msgs[len(msgs)-1].Subject != "Your multi-factor authentication was reset" {
			t.Fatalf("notice %q", msgs[len(msgs)-1].Subject)
		}
	})
}

// The reset's screen and email promise "at your next sign-in you will set up
// an authenticator again": under the optional policy too, the user is made
// to, addressed by name, and afterwards signs in with the new one.
func TestAdminMFAResetBringsReEnrolment(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e, oldKey, _ := mfaWorld(t, d, models.MFAOptional)
		e.Clock.Advance(30 * time.Second)
		bobLaptop := e.Client()
		if res := bobLaptop.SignInTOTP("bob", personaPassword, oldKey, e.Clock); res.Status != http.StatusSeeOther {
			t.Fatalf("bob signs in before the reset: %d", res.Status)
		}
		ada := e.Client()
		ada.SignIn("ada", apptest.DefaultAdmin().Password)
		bob := e.User("bob")
		// From the users list's options menu, straight to a confirmation
		// that names bob and says what will happen.
		list := ada.Get("/admin/users")
		href := list.Doc.Find("[data-testid=row-mfa-reset][href$='/"+apptest.Itoa(bob.ID)+"/mfa']").AttrOr("href", "")
		if href == "" {
			t.Fatalf("bob's options menu offers no MFA reset")
		}
		confirm := ada.Get(href)
		if h1 := confirm.Doc.Find("h1").Text(); h1 != "Reset multi-factor authentication for User bob?" {
			t.Fatalf("confirmation page: %d %q", confirm.Status, h1)
		}
		if !strings.Contains(confirm.Doc.Find("[data-testid=mfa-reset-consequences]").Text(), "set up an authenticator app again") {
			t.Errorf("confirmation does not say what happens next")
		}
		if res := ada.Submit(confirm, "form[data-testid=mfa-reset-form]", nil); res.Status != http.StatusSeeOther {
			t.Fatalf("reset: %d", res.Status)
		}
		// His signed-in laptop is told why it was signed out.
		if res := bobLaptop.Get("/profile"); res.Status != http.StatusSeeOther || res.Location != "/login" {
			t.Fatalf("bob's laptop after the reset: %d %q", res.Status, res.Location)
		}
		if got := bobLaptop.Get("/login").Doc.Find("[data-testid=flash]").Text(); !strings.Contains(got, "An administrator reset your multi-factor authentication") {
			t.Errorf("bob's laptop is told %q", got)
		}
		e.Drain()
		msgs := e.MailTo("bob@example.com")
		notice := msgs[len(msgs)-1]
		for _, want := range []string{"Hello User bob,", "Ada Admin", "set up an authenticator app again", "signed out everywhere"} {
			if !strings.Contains(notice.TextBody, want) || !strings.Contains(notice.HTMLBody, want) {
				t.Errorf("notice lacks %q:\n%s", want, notice.TextBody)
			}
		}
		if strings.Contains(notice.TextBody, "[[") {
			t.Errorf("notice kept a placeholder:\n%s", notice.TextBody)
		}

		c := e.Client()
		res := c.Submit(c.Get("/login"), "form[data-testid=login-username-form]", map[string]string{"username": "bob"})
		res = c.Submit(c.Get(res.Location), "form[data-testid=login-password-form]", map[string]string{"password": personaPassword})
		if res.Location != "/login/mfa/setup" {
			t.Fatalf("bob after the reset went to %q, not to set up an authenticator", res.Location)
		}
		if res := c.Get("/"); res.Status != http.StatusSeeOther || res.Location != "/login" {
			t.Fatalf("home before enrolling: %d %q", res.Status, res.Location)
		}
		setup := c.Get("/login/mfa/setup")
		if got := setup.Doc.Find("[data-testid=mfa-setup-reason]").Text(); !strings.Contains(got, "An administrator reset your multi-factor authentication") {
			t.Errorf("setup page says %q", got)
		}
		if setup.Doc.Find("form[action='/logout'] [data-testid=sign-out-instead]").Length() != 1 {
			t.Error("the forced setup offers no way to sign out instead")
		}
		key := setup.Doc.Find("[data-testid=totp-secret]").Text()
		res = c.Submit(setup, "form[data-testid=mfa-setup-form]", map[string]string{"code": apptest.TOTP(key, e.Clock.Now())})
		res = c.Submit(res, "form:has([data-testid=codes-continue])", nil)
		if res.Status != http.StatusSeeOther || res.Location != "/" {
			t.Fatalf("after enrolling again: %d %q", res.Status, res.Location)
		}
		if u := e.User("bob"); u.MFAEnrolledAt == nil || u.MFAResetAt != nil {
			t.Fatalf("after enrolling: enrolled %v, reset %v", u.MFAEnrolledAt, u.MFAResetAt)
		}
		// From now on the new authenticator is asked for.
		e.Clock.Advance(30 * time.Second)
		if res := enterCode(toCode(t, e), apptest.TOTP(key, e.Clock.Now())); res.Status != http.StatusSeeOther {
			t.Fatalf("sign-in with the new authenticator: %d", res.Status)
		}
	})
}

// Under the Off policy a reset authenticator is not set up again: the email
// says the user signs in with the password alone, and they do.
func TestAdminMFAResetUnderPolicyOff(t *testing.T) {
	e, _, _ := mfaWorld(t, models.SQLite, models.MFAOptional)
	e.SetMFAPolicy(e.User("ada").AccountID, models.MFAOff)
	ada := e.Client()
	ada.SignIn("ada", apptest.DefaultAdmin().Password)
	path := "/admin/users/" + apptest.Itoa(e.User("bob").ID)
	if res := ada.Submit(ada.Get(path+"/mfa"), "form[data-testid=mfa-reset-form]", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("reset: %d", res.Status)
	}
	e.Drain()
	msgs := e.MailTo("bob@example.com")
	if !strings.Contains(msgs[len(msgs)-1].TextBody, "sign in with your password alone") {
		t.Errorf("notice under Off:\n%s", msgs[len(msgs)-1].TextBody)
	}
	if res := e.Client().SignIn("bob", personaPassword); res.Location != "/" {
		t.Fatalf("bob under Off after the reset went to %q", res.Location)
	}
}

// An administrator who resets a user's second factor while the user is at
// the code step sends them on to set up a new authenticator, as the
// reset's notice promises, rather than leaving them at a code that cannot
// be right.
func TestMFAResetDuringSignInLeadsToSetup(t *testing.T) {
	e, _, _ := mfaWorld(t, models.SQLite, models.MFAOptional)
	e.Clock.Advance(30 * time.Second)
	bob := toCode(t, e)
	ada := e.Client()
	ada.SignIn("ada", apptest.DefaultAdmin().Password)
	confirm := ada.Get("/admin/users/" + apptest.Itoa(e.User("bob").ID) + "/mfa")
	if res := ada.Submit(confirm, "form[data-testid=mfa-reset-form]", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("reset: %d", res.Status)
	}
	if res := bob.Get("/login/mfa"); res.Status != http.StatusSeeOther || res.Location != "/login/mfa/setup" {
		t.Fatalf("code step after the reset: %d %q", res.Status, res.Location)
	}
	setup := bob.Get("/login/mfa/setup")
	key := setup.Doc.Find("[data-testid=totp-secret]").Text()
	res := bob.Submit(setup, "form[data-testid=mfa-setup-form]", map[string]string{"code": apptest.TOTP(key, e.Clock.Now())})
	if res.Status != http.StatusOK || res.Doc.Find("[data-testid=backup-codes] li").Length() != 10 {
		t.Fatalf("setting up again: %d", res.Status)
	}
	res = bob.Submit(res, "form:has([data-testid=codes-continue])", nil)
	if res.Location == "/login/agreement" {
		res = bob.Submit(bob.Get(res.Location), "form:has([data-testid=agree])", nil)
	}
	if res.Status != http.StatusSeeOther || res.Location != "/" {
		t.Fatalf("after setting up again: %d %q", res.Status, res.Location)
	}
	if home := bob.Get("/"); home.Status != http.StatusOK {
		t.Fatalf("home after sign-in: %d", home.Status)
	}
}

// Wrong codes an admin types to confirm an MFA reset count against the
// sign-in limit of their username, as wrong sign-in codes do, though the
// log words them apart.
func TestAdminCodeFailuresCountAgainstTheSignInLimit(t *testing.T) {
	cfg := identity.DefaultSignInConfig()
	cfg.PerUsername = models.ThrottleLimit{Window: 15 * time.Minute, Max: 3, Lock: 15 * time.Minute}
	e := apptest.Start(t, models.SQLite, apptest.Options{SignIn: &cfg})
	admin := apptest.DefaultAdmin()
	ada := e.Setup(admin)
	acct := e.User("ada").AccountID
	e.SetMFAPolicy(acct, models.MFAOptional)
	e.AddUser(acct, "bob", personaPassword, models.StatusActive)
	bob := e.Client()
	bob.SignIn("bob", personaPassword)
	bob.Enrol(e.Clock)
	ada.Enrol(e.Clock)
	path := "/admin/users/" + apptest.Itoa(e.User("bob").ID) + "/mfa"
	for i := range 3 {
		res := ada.Submit(ada.Get(path), "form[data-testid=mfa-reset-form]", map[string]string{"admin_code": "000000"})
		if res.Status != http.StatusUnprocessableEntity && res.Status != http.StatusTooManyRequests {
			t.Fatalf("wrong admin code %d: %d", i+1, res.Status)
		}
	}
	if res := e.Client().SignIn("ada", admin.Password); res.Status != http.StatusTooManyRequests {
		t.Fatalf("sign-in after three wrong admin codes: %d", res.Status)
	}
	if n := ada.Get("/admin/audit?action=mfa.admin_code_failed").Doc.Find("[data-testid=audit-row]").Length(); n != 3 {
		t.Fatalf("%d wrong admin codes logged, want 3", n)
	}
}
