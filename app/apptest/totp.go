package apptest

import (
	"github.com/PuerkitoBio/goquery"

	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// TOTP returns the code an authenticator app shows for the key (as the
// setup page prints it, in groups) at t.
func TOTP(key string, t time.Time) string {
	code, err := totp.GenerateCodeCustom(strings.ReplaceAll(key, " ", ""), t,
		totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		panic(err)
	}
	return code
}

// Enrol sets up two-step verification for the signed-in client through
// My Profile and returns the key and the backup codes.
func (c *Client) Enrol(clock *Clock) (string, []string) {
	c.t.Helper()
	page := c.Get("/profile/mfa")
	res := c.Submit(page, "form[action='/profile/mfa/start']", nil)
	if res.Status != 303 {
		c.t.Fatalf("start enrolment: %d", res.Status)
	}
	setup := c.Get("/profile/mfa/setup")
	key := setup.Doc.Find("[data-testid=totp-secret]").Text()
	if key == "" {
		c.t.Fatalf("no key on the setup page (%d)", setup.Status)
	}
	res = c.Submit(setup, "form[data-testid=mfa-setup-form]", map[string]string{"code": TOTP(key, clock.Now())})
	var codes []string
	res.Doc.Find("[data-testid=backup-codes] code").Each(func(_ int, s *goquery.Selection) { codes = append(codes, s.Text()) })
	if len(codes) != 10 {
		c.t.Fatalf("enrolment gave %d backup codes (%d)", len(codes), res.Status)
	}
	return key, codes
}
