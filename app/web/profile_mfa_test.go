package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

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
	if got := profile.Doc.Find("[data-testid=profile-mfa-off]").Text(); got != "Off" {
		t.Fatalf("My Profile does not say multi-factor authentication is off: %q", got)
	}
	setUp := profile.Doc.Find("[data-testid=profile-mfa-setup]")
	if href := setUp.AttrOr("href", ""); href != "/profile/mfa" || setUp.Text() != "Set up multi-factor authentication" {
		t.Fatalf("the summary's Set up link: %q %q", href, setUp.Text())
	}
	res := c.Submit(c.Get("/profile/mfa"), "form[action='/profile/mfa/start']", nil)
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
	// Since when, in the tables' short form, in full in the title, on the
	// summary and on the page.
	for _, since := range []*goquery.Selection{profile.Doc.Find("[data-testid=profile-mfa-on] time"),
		c.Get("/profile/mfa").Doc.Find("[data-testid=mfa-on] time")} {
		if since.Length() != 1 || strings.Contains(since.Text(), "UTC") || !strings.HasSuffix(since.AttrOr("title", ""), "UTC") ||
			!strings.Contains(since.Parent().Text(), "since "+since.Text()) {
			t.Errorf("on since: %d %q %q", since.Length(), since.Parent().Text(), since.AttrOr("title", ""))
		}
	}
	// Manage leads to the page with both forms.
	if href := profile.Doc.Find("[data-testid=profile-mfa-manage]").AttrOr("href", ""); href != "/profile/mfa" {
		t.Fatalf("Manage links to %q", href)
	}
	mfaPage := c.Get("/profile/mfa")
	for _, form := range []string{"#codes form[data-testid=mfa-codes-form]", "#change form[data-testid=mfa-remove-form]"} {
		if mfaPage.Doc.Find(form).Length() != 1 {
			t.Errorf("/profile/mfa has no %s", form)
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
		{models.MFAOff, false, "profile-mfa-unavailable", "profile-mfa-setup"},
		{models.MFAOptional, false, "profile-mfa-setup", "profile-mfa-unavailable"},
		{models.MFAEveryone, true, "profile-mfa-on", "profile-mfa-setup"},
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
			section := c.Get("/profile").Doc.Find("[data-testid=profile-summary]")
			if section.Find("[data-testid="+tc.want+"]").Length() != 1 || section.Find("[data-testid="+tc.forbid+"]").Length() != 0 {
				t.Fatalf("policy %s: summary %q", tc.policy, strings.Join(strings.Fields(section.Text()), " "))
			}
			if tc.policy == models.MFAEveryone {
				if c.Get("/profile/mfa").Doc.Find("[data-testid=mfa-remove]").Length() != 0 {
					t.Errorf("required policy shows a Turn off button")
				}
			}
		})
	}
}
