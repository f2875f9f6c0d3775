package web_test

import (
	"net/http"
	"strings"
	"testing"

	"accountportal/app/apptest"
	"accountportal/models"
)

// The Security page tells admins that "each user decides in My Profile":
// a user finds two-step verification from their own menu and My Profile,
// sets it up there, and sees it on afterwards with what they can do next.
func TestCustomerFindsTwoStepInMyProfile(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	e.Setup(apptest.DefaultAdmin())
	acct := e.User("ada").AccountID
	e.SetMFAPolicy(acct, models.MFAOptional)
	e.AddUser(acct, "bob", personaPassword, models.StatusActive)
	c := e.Client()
	c.SignIn("bob", personaPassword)

	home := c.Get("/")
	if href, _ := home.Doc.Find("[data-testid=my-mfa]").Attr("href"); href != "/profile/mfa" {
		t.Fatalf("user menu has no two-step verification link (%q)", href)
	}
	profile := c.Get(home.Doc.Find("[data-testid=my-profile]").AttrOr("href", ""))
	if !strings.Contains(profile.Doc.Find("[data-testid=profile-mfa-off]").Text(), "Off.") {
		t.Fatalf("My Profile does not say two-step verification is off:\n%s", profile.Doc.Find("#two-step").Text())
	}
	if profile.Doc.Find("nav.toc a[href='#two-step']").Length() != 1 {
		t.Errorf("My Profile's contents do not list two-step verification")
	}
	res := c.Submit(profile, "#two-step form[action='/profile/mfa/start']", nil)
	if res.Status != http.StatusSeeOther || res.Location != "/profile/mfa/setup" {
		t.Fatalf("set up from My Profile: %d %q", res.Status, res.Location)
	}
	setup := c.Get(res.Location)
	key := setup.Doc.Find("[data-testid=totp-secret]").Text()
	codes := c.Submit(setup, "form[data-testid=mfa-setup-form]", map[string]string{"code": apptest.TOTP(key, e.Clock.Now())})
	if n := codes.Doc.Find("[data-testid=backup-codes] code").Length(); n != 10 {
		t.Fatalf("backup codes after setting up from My Profile: %d", n)
	}

	profile = c.Get("/profile")
	on := profile.Doc.Find("[data-testid=profile-mfa-on]").Text()
	if !strings.Contains(on, "On since") || !strings.Contains(on, "10 unused backup codes") {
		t.Fatalf("My Profile after setting up: %q", on)
	}
	// Each link leads to a form that does what it says.
	mfaPage := c.Get("/profile/mfa")
	for _, tc := range []struct{ link, section, form string }{
		{"profile-mfa-codes", "#codes", "form[data-testid=mfa-codes-form]"},
		{"profile-mfa-change", "#change", "form[data-testid=mfa-remove-form]"},
	} {
		href := profile.Doc.Find("[data-testid="+tc.link+"]").AttrOr("href", "")
		if href != "/profile/mfa"+tc.section || mfaPage.Doc.Find(tc.section+" "+tc.form).Length() != 1 {
			t.Errorf("%s links to %q, which has no %s", tc.link, href, tc.form)
		}
	}
	if mfaPage.Doc.Find("[data-testid=mfa-remove]").Length() != 1 {
		t.Errorf("under the optional policy the user can turn it off")
	}
}

// What My Profile offers follows the account's policy.
func TestMyProfileTwoStepFollowsPolicy(t *testing.T) {
	for _, tc := range []struct {
		policy string
		enrol  bool
		want   string
		forbid string
	}{
		{models.MFAOff, false, "profile-mfa-unavailable", "profile-mfa-start"},
		{models.MFAOptional, false, "profile-mfa-start", "profile-mfa-unavailable"},
		{models.MFAEveryone, true, "profile-mfa-on", "profile-mfa-start"},
	} {
		t.Run(tc.policy, func(t *testing.T) {
			e := apptest.Start(t, models.SQLite, apptest.Options{})
			e.Setup(apptest.DefaultAdmin())
			acct := e.User("ada").AccountID
			e.AddUser(acct, "bob", personaPassword, models.StatusActive)
			c := e.Client()
			if tc.enrol {
				e.SetMFAPolicy(acct, models.MFAOptional)
				c.SignIn("bob", personaPassword)
				c.Enrol(e.Clock)
			}
			e.SetMFAPolicy(acct, tc.policy)
			if !tc.enrol {
				c.SignIn("bob", personaPassword)
			}
			section := c.Get("/profile").Doc.Find("#two-step")
			if section.Find("[data-testid="+tc.want+"]").Length() != 1 || section.Find("[data-testid="+tc.forbid+"]").Length() != 0 {
				t.Fatalf("policy %s: section %q", tc.policy, strings.Join(strings.Fields(section.Text()), " "))
			}
			if tc.policy == models.MFAEveryone {
				link := section.Find("[data-testid=profile-mfa-change]")
				if strings.Contains(link.Text(), "turn it off") {
					t.Errorf("required policy offers turning it off: %q", link.Text())
				}
				if c.Get("/profile/mfa").Doc.Find("[data-testid=mfa-remove]").Length() != 0 {
					t.Errorf("required policy shows a Turn off button")
				}
			}
		})
	}
}
