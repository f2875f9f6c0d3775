package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"accountportal/app/apptest"
	"accountportal/models"
)

// profileTask is one of My Profile's task pages as a user meets it.
type profileTask struct {
	name, path, form string
	// recent says the page changes a credential, so it needs the password
	// typed within the recent sign-in window.
	recent bool
	// empty leaves a required field empty; emptyField shows "Enter …".
	empty      map[string]string
	emptyField string
	good       map[string]string
	flash      string
	// saved reports whether good was saved.
	saved func(e *apptest.Env) bool
}

func profileTasks() []profileTask {
	return []profileTask{
		{name: "name", path: "/profile/details", form: "details-form",
			empty: map[string]string{"display_name": ""}, emptyField: "display_name",
			good: map[string]string{"display_name": "Ada Lovelace"}, flash: "Your name is saved.",
			saved: func(e *apptest.Env) bool { return e.User("ada").DisplayName == "Ada Lovelace" }},
		{name: "password", path: "/profile/password", form: "password-form", recent: true,
			empty: map[string]string{"password": "", "password_confirm": ""}, emptyField: "password",
			good: map[string]string{"password": newPassword, "password_confirm": newPassword}, flash: "Your password is changed.",
			saved: func(e *apptest.Env) bool { return e.Client().SignIn("ada", newPassword).Status == http.StatusSeeOther }},
		{name: "security question", path: "/profile/question", form: "question-form", recent: true,
			empty: map[string]string{"security_question": "In what city were you born?", "security_answer": ""}, emptyField: "security_answer",
			good:  map[string]string{"security_question": "custom", "security_question_custom": "Favourite lighthouse?", "security_answer": "Port Talbot"},
			flash: "Your security question is saved.",
			saved: func(e *apptest.Env) bool { return e.User("ada").SecurityQuestion == "Favourite lighthouse?" }},
		{name: "email", path: "/profile/email", form: "email-form", recent: true,
			empty: map[string]string{"new_email": ""}, emptyField: "new_email",
			good:  map[string]string{"new_email": "ada.new@example.com"},
			flash: "We sent a confirmation link to ada.new@example.com. Your email address changes when you follow it.",
			saved: func(e *apptest.Env) bool { e.Drain(); return len(e.MailTo("ada.new@example.com")) == 1 }},
	}
}

// Each task page shows one form at its own address; a saved form returns
// to the top of the summary with a flash saying what changed; a rejected
// one stays at its address with 422, "Error: " in the title and an error
// summary; none asks for the current password.
func TestProfileTaskPages(t *testing.T) {
	for _, tc := range profileTasks() {
		t.Run(tc.name, func(t *testing.T) {
			e, c, _ := signedIn(t, models.SQLite)
			summary := c.Get("/profile")
			link := summary.Doc.Find("[data-testid=profile-summary] a[href='" + tc.path + "']")
			if link.Length() != 1 || !strings.HasPrefix(link.Find(".visually-hidden").Text(), " ") {
				t.Fatalf("the summary has %d links to %s (hidden words %q)", link.Length(), tc.path, link.Find(".visually-hidden").Text())
			}
			page := c.Get(tc.path)
			if page.Status != http.StatusOK || page.Doc.Find("main form[method=post]").Length() != 1 ||
				page.Doc.Find("form[data-testid="+tc.form+"]").Length() != 1 {
				t.Fatalf("GET %s: %d, %d forms", tc.path, page.Status, page.Doc.Find("main form[method=post]").Length())
			}
			if page.Doc.Find("input[autocomplete=current-password]").Length() != 0 || strings.Contains(page.Body, "Current password") {
				t.Fatal("the task page asks for the current password")
			}
			if href := page.Doc.Find("[data-testid=back-to-profile]").AttrOr("href", ""); href != "/profile" {
				t.Errorf("Back to My Profile leads to %q", href)
			}
			bad := c.Submit(page, "form[data-testid="+tc.form+"]", tc.empty)
			if bad.Status != http.StatusUnprocessableEntity || !strings.HasPrefix(bad.Doc.Find("title").Text(), "Error: ") ||
				bad.Doc.Find("[data-testid=error-summary]").Length() != 1 || bad.Doc.Find("form[data-testid="+tc.form+"]").AttrOr("action", "") != tc.path {
				t.Fatalf("empty form: %d %q", bad.Status, bad.Doc.Find("title").Text())
			}
			if msg := bad.Doc.Find("[data-testid=error-" + tc.emptyField + "]").Text(); !strings.Contains(msg, "Enter ") {
				t.Errorf("empty %s says %q, not \"Enter …\"", tc.emptyField, msg)
			}
			res := c.Submit(c.Get(tc.path), "form[data-testid="+tc.form+"]", tc.good)
			if res.Status != http.StatusSeeOther || res.Location != "/profile" {
				t.Fatalf("save: %d %q", res.Status, res.Location)
			}
			back := c.Get(res.Location)
			if first := back.Doc.Find("main").Children().First(); first.AttrOr("data-testid", "") != "flash" || first.Text() != tc.flash {
				t.Fatalf("the summary does not start with the flash %q: %q", tc.flash, first.Text())
			}
			if !tc.saved(e) {
				t.Fatal("not saved")
			}
		})
	}
}

// The credential pages need the password typed within the recent sign-in
// window: otherwise the page sends the user to "confirm it's you" and back,
// and a POST sent straight to it changes nothing.
func TestProfileTaskPagesNeedRecentSignIn(t *testing.T) {
	for _, tc := range profileTasks() {
		t.Run(tc.name, func(t *testing.T) {
			e, c, a := signedIn(t, models.SQLite)
			summary := c.Get("/profile")
			e.Clock.Advance(6 * time.Minute)
			if !tc.recent {
				if res := c.Get(tc.path); res.Status != http.StatusOK {
					t.Fatalf("%s after 6 minutes: %d", tc.path, res.Status)
				}
				return
			}
			res := c.Post(tc.path, formOf(summary, tc.good))
			if res.Status != http.StatusSeeOther || res.Location != "/confirm?next="+url.QueryEscape(tc.path) {
				t.Fatalf("direct POST: %d %q", res.Status, res.Location)
			}
			if tc.saved(e) {
				t.Fatal("a POST without a recent sign-in was saved")
			}
			confirmItsYou(t, c, tc.path, a.Password)
			page := c.Get(tc.path)
			if page.Status != http.StatusOK || page.Doc.Find("input[autocomplete=current-password]").Length() != 0 {
				t.Fatalf("after confirming: %d", page.Status)
			}
			if res := c.Submit(page, "form[data-testid="+tc.form+"]", tc.good); res.Status != http.StatusSeeOther || res.Location != "/profile" {
				t.Fatalf("save after confirming: %d %q", res.Status, res.Location)
			}
			if !tc.saved(e) {
				t.Fatal("not saved after confirming")
			}
		})
	}
}

// "Confirm it's you" asks for an empty password and names a wrong one in
// GOV.UK's words.
func TestConfirmWording(t *testing.T) {
	_, c, _ := signedIn(t, models.SQLite)
	for password, want := range map[string]string{"": "Enter your password", "wrong": "The current password is incorrect"} {
		res := c.Submit(c.Get("/confirm?next=/profile/password"), "form[data-testid=confirm-form]", map[string]string{"password": password})
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Doc.Find("[data-testid=error-password]").Text(), want) {
			t.Errorf("password %q: %d %q", password, res.Status, res.Doc.Find("[data-testid=error-password]").Text())
		}
	}
}

// The summary says what is set without showing a secret, and each row
// names itself to screen readers in its link.
func TestProfileSummary(t *testing.T) {
	e, c, a := signedIn(t, models.SQLite)
	e.SetMFAPolicy(e.User("ada").AccountID, models.MFAOptional)
	page := c.Get("/profile")
	want := map[string]string{
		"profile-name": a.DisplayName, "profile-username": "ada", "profile-email": "ada@example.com",
		"passphrase-status": "Set", "no-question": "Not set", "profile-mfa-off": "Off",
		"profile-sessions": "Signed in on this device only",
	}
	for id, text := range want {
		if got := strings.Join(strings.Fields(page.Doc.Find("[data-testid="+id+"]").Text()), " "); !strings.Contains(got, text) {
			t.Errorf("%s: %q, want %q", id, got, text)
		}
	}
	if !strings.HasPrefix(page.Doc.Find("[data-testid=profile-password]").Text(), "Last changed") {
		t.Errorf("password row: %q", page.Doc.Find("[data-testid=profile-password]").Text())
	}
	if strings.Contains(page.Body, a.Passphrase) {
		t.Fatal("the summary shows a secret")
	}
	for _, link := range []string{"Change name", "Change email address", "Change password", "Show or change support passphrase",
		"Set up multi-factor authentication", "Set security question", "Manage devices and sessions"} {
		found := false
		page.Doc.Find("[data-testid=profile-summary] a").Each(func(_ int, s *goquery.Selection) {
			found = found || s.Text() == link
		})
		if !found {
			t.Errorf("no link %q", link)
		}
	}
	if page.Doc.Find("main form").Length() != 0 {
		t.Error("the summary holds a form")
	}
}

// The sessions row counts the user's live sessions and names this device
// from its own session, whichever device asks.
func TestProfileSummaryCountsDevices(t *testing.T) {
	e, firefox, a := signedIn(t, models.SQLite)
	iphone := e.Client()
	iphone.Header.Set("User-Agent", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0 Mobile Safari/604.1")
	iphone.SignIn(a.Username, a.Password)
	firefox.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0")
	for _, tc := range []struct {
		c    *apptest.Client
		want string
	}{{iphone, "Signed in on 2 devices, including this one (Chrome on iPhone)"}, {firefox, "Signed in on 2 devices, including this one ("}} {
		got := strings.Join(strings.Fields(tc.c.Get("/profile").Doc.Find("[data-testid=profile-sessions]").Text()), " ")
		if !strings.Contains(got, tc.want) {
			t.Errorf("sessions row %q, want %q", got, tc.want)
		}
	}
	iphone.Submit(iphone.Get("/profile"), `header form[action="/logout"]`, nil)
	if got := firefox.Get("/profile").Doc.Find("[data-testid=profile-sessions]").Text(); !strings.Contains(got, "this device only") {
		t.Errorf("after the other device signed out: %q", got)
	}
}

// With fewer than three backup codes left, the summary's multi-factor
// authentication row says to make new ones, and its link leads to the
// page that does.
func TestProfileSummaryWarnsOfFewBackupCodes(t *testing.T) {
	e, c, _ := signedIn(t, models.SQLite)
	ada := e.User("ada")
	e.SetMFAPolicy(ada.AccountID, models.MFAOptional)
	c.Enrol(e.Clock)
	if c.Get("/profile").Doc.Find("[data-testid=profile-mfa-few-codes]").Length() != 0 {
		t.Fatal("warned with ten codes left")
	}
	two := []models.BackupCode{{UserID: ada.ID, Prefix: "ABCD", CodeHash: "x", CreatedAt: e.Clock.Now()},
		{UserID: ada.ID, Prefix: "EFGH", CodeHash: "y", CreatedAt: e.Clock.Now()}}
	if err := e.Store().MFA.ReplaceBackupCodes(context.Background(), ada.ID, two); err != nil {
		t.Fatal(err)
	}
	page := c.Get("/profile")
	if got := page.Doc.Find("[data-testid=profile-mfa-on]").Text(); !strings.Contains(got, "with 2 unused backup codes") {
		t.Errorf("row says %q", got)
	}
	if got := page.Doc.Find("[data-testid=profile-mfa-few-codes]").Text(); !strings.Contains(got, "Make new ones") {
		t.Errorf("warning %q", got)
	}
	manage := page.Doc.Find("[data-testid=profile-mfa-manage]").AttrOr("href", "")
	if c.Get(manage).Doc.Find("form[data-testid=mfa-codes-form]").Length() != 1 {
		t.Errorf("Manage (%q) has no form to make new backup codes", manage)
	}
}
