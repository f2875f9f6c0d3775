package web_test

import (
	"net/http"
	"strings"
	"testing"

	"accountportal/app/apptest"
	"accountportal/models"
)

// A wrong code while setting up an authenticator asks for the app's newest
// code only: there are no backup codes yet to offer instead.
func TestWrongSetupCodeOffersNoBackupCodes(t *testing.T) {
	e, a := signedUp(t, models.SQLite, apptest.Options{})
	e.SetMFAPolicy(e.User(a.Username).AccountID, models.MFAEveryone)
	c := e.Client()
	if res := c.SignIn(a.Username, a.Password); res.Location != "/login/mfa/setup" {
		t.Fatalf("sign-in went to %q", res.Location)
	}
	res := c.Submit(c.Get("/login/mfa/setup"), "form[data-testid=mfa-setup-form]", map[string]string{"code": "000000"})
	msg := res.Doc.Find("[data-testid=error-code]").Text()
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(msg, "newest 6-digit code") || strings.Contains(msg, "backup") {
		t.Fatalf("wrong setup code: %d %q", res.Status, msg)
	}
}
