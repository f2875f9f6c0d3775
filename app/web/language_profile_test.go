package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/PuerkitoBio/goquery"

	"accountportal/app/apptest"
	"accountportal/models"
	"accountportal/views/i18n"
)

// Words the profile, two-step and home pages write alike in a language
// and in English: names of things (an "Agent", a "Version", "Action" and
// "Question" in French), and UTC, the support code's zone.
func init() {
	for _, lang := range []string{"es", "fr", "de"} {
		// November, as the test's clock has it, abbreviated alike; the
		// authenticator apps and CRM plug-ins (ACT!, Sugar CRM) by their names.
		addCognates(lang, "utc", "nov", "google", "microsoft", "authenticator", "crm", "act", "sugar")
	}
	// The navigation's "API tokens": Spanish "Tokens de API", German
	// "API-Tokens".
	addCognates("es", "api", "tokens")
	addCognates("de", "api", "tokens")
	addCognates("fr", "agent", "version", "action", "question", "session", "sessions", "parents", "attention",
		"pages", "confirmation", "code", "codes", "minutes", "change")
	addCognates("de", "version", "name", "links", "app", "code", "codes", "backup", "administrator", "passphrase", "support", "computer", "laptop", "text")
}

// testData are the words of this test's data a page shows as they are in
// every language: the company, the users' names, a passphrase.
var testData = map[string]bool{"acme": true, "telecom": true, "ltd": true, "bob": true, "carol": true, "strict": true,
	"green": true, "meadow": true, "lantern": true}

// secrets are the elements that show a secret (backup codes, a key, a
// code, an app password, a passphrase): random letters, no language.
const secrets = "[data-testid=backup-codes], [data-testid=totp-secret], [data-testid=support-code], " +
	"[data-testid=app-password-secret], [data-testid=passphrase-value]"

// zoneWords are the words of the time zones' IANA names, which the zone
// list shows as they are.
func zoneWords() map[string]bool {
	out := map[string]bool{}
	for _, z := range i18n.Zones {
		for _, w := range strings.FieldsFunc(strings.ToLower(z), func(r rune) bool { return !unicode.IsLetter(r) }) {
			out[w] = true
		}
	}
	return out
}

// pageWords lists a page's words as visibleWords does (text nodes of
// three letters or more, the product's words aside), and those of the
// attributes a reader meets too: aria-label, alt, placeholder, and title
// (but not the title of a <time>, which names its month and weekday, not
// yet translated). A word joined to digits ("1Password") is a name, and
// so are the words of the time zones and of the test's data.
func pageWords(res *apptest.Response) map[string]bool {
	var parts []string
	res.Doc.Find("title, body *").Contents().Each(func(_ int, s *goquery.Selection) {
		if goquery.NodeName(s) == "#text" {
			parts = append(parts, s.Text())
		}
	})
	res.Doc.Find("[aria-label], [alt], [placeholder], [title]").Each(func(_ int, s *goquery.Selection) {
		for _, a := range []string{"aria-label", "alt", "placeholder", "title"} {
			if v, ok := s.Attr(a); ok && !(a == "title" && goquery.NodeName(s) == "time") {
				parts = append(parts, v)
			}
		}
	})
	zones := zoneWords()
	out := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(strings.Join(parts, " ")), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '’' && r != '\''
	}) {
		if len([]rune(w)) < 3 || productWords[w] || testData[w] || zones[w] || strings.ContainsAny(w, "0123456789") {
			continue
		}
		out[w] = true
	}
	return out
}

// A signed-in user whose language is Spanish, French or German reads My
// Profile, each of its task pages, their refusals and flashes, the
// two-step pages (set up from My Profile and at sign-in, a wrong code, the
// backup codes, the status page and its forms) and the home page with no
// English left.
func TestProfilePagesLeaveNoEnglish(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	ada := e.Setup(apptest.DefaultAdmin())
	acct := e.User("ada").AccountID
	e.SetMFAPolicy(acct, models.MFAOptional)
	// A second account requires a second factor: its users set one up as
	// they sign in.
	ada.Submit(ada.Get("/profile/details"), "form[data-testid=details-form]", map[string]string{"display_name": "Ada"})
	strict, _ := e.AddAccount("90020001", "Strict Ltd", "strict-admin", personaPassword)
	e.SetMFAPolicy(strict.ID, models.MFAEveryone)

	pages := func(lang string) []map[string]bool {
		var out []map[string]bool
		see := func(res *apptest.Response, want int) {
			t.Helper()
			if res.Status != want {
				t.Fatalf("%s: %s: %d, want %d", lang, res.Doc.Find("h1").Text(), res.Status, want)
			}
			if got := res.Doc.Find("html").AttrOr("lang", ""); got != lang {
				t.Errorf("%s: %s says lang %q", lang, res.Doc.Find("h1").Text(), got)
			}
			// Secrets are random letters, which can spell an English word.
			res.Doc.Find(secrets).Remove()
			out = append(out, pageWords(res))
		}
		// followed sees the page a POST sends the user to, with its flash.
		followed := func(c *apptest.Client, res *apptest.Response) {
			t.Helper()
			if res.Status != http.StatusSeeOther {
				t.Fatalf("%s: %d %q, want a redirect", lang, res.Status, res.Doc.Find(".field-error, .error-summary").Text())
			}
			page := c.Get(res.Location)
			if page.Doc.Find("[data-testid=flash]").Length() == 0 {
				t.Errorf("%s: no flash on %s", lang, res.Location)
			}
			see(page, http.StatusOK)
		}
		refused := func(c *apptest.Client, path, form string, fields map[string]string) {
			t.Helper()
			see(c.Submit(c.Get(path), "form[data-testid="+form+"]", fields), http.StatusUnprocessableEntity)
		}

		// A user of the first account, in their own language.
		name := "bob-" + lang
		bob := e.AddUser(acct, name, personaPassword, models.StatusActive)
		c := e.Client()
		c.Get("/login?lang=" + lang)
		if res := c.SignIn(name, personaPassword); res.Status != http.StatusSeeOther {
			t.Fatalf("%s: sign in: %d", lang, res.Status)
		}
		c.Submit(c.Get("/profile/language"), "form[data-testid=language-form]", map[string]string{"language": lang})
		// Named plainly: the test's users are "User bob-es" and "Ada Admin".
		c.Submit(c.Get("/profile/details"), "form[data-testid=details-form]", map[string]string{"display_name": "Bob"})
		// A second session, to sign out from the first.
		other := e.Client()
		other.SignIn(name, personaPassword)

		see(c.Get("/"), http.StatusOK)
		// The license agreement: the built-in version comes translated.
		agreement := c.Get("/agreement")
		agreement.Doc.Find("[data-testid=agreement-title]").Remove() // its product name
		see(agreement, http.StatusOK)
		for _, path := range []string{"/profile", "/profile/details", "/profile/language", "/profile/passphrase", "/profile/password",
			"/profile/question", "/profile/email", "/profile/sessions", "/profile/mfa"} {
			see(c.Get(path), http.StatusOK)
		}

		// Each form refused.
		refused(c, "/profile/details", "details-form", map[string]string{"display_name": ""})
		refused(c, "/profile/details", "details-form", map[string]string{"display_name": strings.Repeat("x", 101)})
		refused(c, "/profile/details", "details-form", map[string]string{"display_name": "Bo\x07b"})
		refused(c, "/profile/language", "language-form", map[string]string{"language": "xx", "time_zone": "Mars/Olympus_Mons"})
		refused(c, "/profile/passphrase", "passphrase-form", map[string]string{"passphrase": ""})
		refused(c, "/profile/passphrase", "passphrase-form", map[string]string{"passphrase": "short"})
		refused(c, "/profile/passphrase", "passphrase-form", map[string]string{"passphrase": personaPassword})
		refused(c, "/profile/passphrase", "passphrase-form", map[string]string{"passphrase": name + "@example.com"})
		refused(c, "/profile/question", "question-form", map[string]string{"security_question": "", "security_answer": ""})
		refused(c, "/profile/question", "question-form", map[string]string{"security_question": "custom",
			"security_question_custom": strings.Repeat("q", 201), "security_answer": "ab"})
		refused(c, "/profile/question", "question-form", map[string]string{"security_question": "In what city were you born?",
			"security_answer": strings.Repeat("a", 101)})
		refused(c, "/profile/email", "email-form", map[string]string{"new_email": ""})
		refused(c, "/profile/email", "email-form", map[string]string{"new_email": "not an address"})
		refused(c, "/profile/email", "email-form", map[string]string{"new_email": bob.Email})
		refused(c, "/profile/password", "password-form", map[string]string{"password": "", "password_confirm": ""})
		refused(c, "/profile/password", "password-form", map[string]string{"password": "short", "password_confirm": "other"})
		refused(c, "/profile/password", "password-form", map[string]string{"password": "green meadow lantern 7", "password_confirm": "Green-Meadow-Lantern-8"})
		refused(c, "/confirm?next=%2Fprofile%2Fpassword", "confirm-form", map[string]string{"password": ""})
		refused(c, "/confirm?next=%2Fprofile%2Fpassword", "confirm-form", map[string]string{"password": "Wrong-Horse-1"})
		see(c.Get("/confirm?next=%2Fprofile%2Fpassword"), http.StatusOK)

		// Each form saved: the flash on the page it leads to.
		followed(c, c.Submit(c.Get("/profile/details"), "form[data-testid=details-form]", map[string]string{"display_name": "Bob B"}))
		followed(c, c.Submit(c.Get("/profile/language"), "form[data-testid=language-form]", map[string]string{"language": lang, "time_zone": "Europe/Madrid"}))
		followed(c, c.Submit(c.Get("/profile/passphrase"), "form[data-testid=passphrase-form]", map[string]string{"passphrase": "green meadow lantern"}))
		see(c.Get("/profile/passphrase"), http.StatusOK)
		followed(c, c.Submit(c.Get("/profile/question"), "form[data-testid=question-form]", map[string]string{
			"security_question": "What was the name of your first pet?", "security_answer": "Rex"}))
		see(c.Get("/profile/question"), http.StatusOK)
		newEmail := name + "-b@example.com"
		followed(c, c.Submit(c.Get("/profile/email"), "form[data-testid=email-form]", map[string]string{"new_email": newEmail}))
		see(c.Get("/profile/email"), http.StatusOK)
		link := c.Path(apptest.LinkIn(e.MailTo(newEmail)[0].TextBody, e.URL+"/profile/email/confirm/"))
		followed(c, c.Get(link))

		followed(c, c.Submit(c.Get("/profile/password"), "form[data-testid=password-form]", map[string]string{
			"password": "Quiet-Orchard-Lamp-62", "password_confirm": "Quiet-Orchard-Lamp-62"}))
		personaNow := "Quiet-Orchard-Lamp-62"

		// Devices and sessions: one signed out, then all the others.
		sessions := c.Get("/profile/sessions")
		see(sessions, http.StatusOK)
		followed(c, c.Submit(sessions, "form:has([data-testid=session-signout])", nil))
		followed(c, c.Submit(sessions, "form:has([data-testid=session-signout])", nil))
		e.Client().SignIn(name, personaNow)
		followed(c, c.Submit(c.Get("/profile/sessions"), "form:has([data-testid=signout-others])", nil))

		// App passwords: refused, made, revoked, and revoked again.
		see(c.Get("/profile/app-passwords"), http.StatusOK)
		refused(c, "/profile/app-passwords", "app-password-form", map[string]string{"name": ""})
		see(c.Submit(c.Get("/profile/app-passwords"), "form[data-testid=app-password-form]", map[string]string{"name": "Click2Pop"}), http.StatusOK)
		apps := c.Get("/profile/app-passwords")
		see(apps, http.StatusOK)
		followed(c, c.Submit(apps, "form:has([data-testid=app-password-revoke])", nil))
		followed(c, c.Submit(apps, "form:has([data-testid=app-password-revoke])", nil))

		// Two-step set up from My Profile: a wrong code, a right one, the
		// backup codes, the status page and its forms.
		if res := c.Submit(c.Get("/profile/mfa"), "form[action='/profile/mfa/start']", nil); res.Location != "/profile/mfa/setup" {
			t.Fatalf("%s: set up: %d %q", lang, res.Status, res.Location)
		}
		setup := c.Get("/profile/mfa/setup")
		key := setup.Doc.Find("[data-testid=totp-secret]").Text()
		see(setup, http.StatusOK)
		see(c.Submit(setup, "form[data-testid=mfa-setup-form]", map[string]string{"code": ""}), http.StatusUnprocessableEntity)
		see(c.Submit(setup, "form[data-testid=mfa-setup-form]", map[string]string{"code": "000000"}), http.StatusUnprocessableEntity)
		see(c.Submit(setup, "form[data-testid=mfa-setup-form]", map[string]string{"code": apptest.TOTP(key, e.Clock.Now())}), http.StatusOK)
		status := c.Get("/profile/mfa")
		see(status, http.StatusOK)
		see(c.Get("/profile"), http.StatusOK)
		see(c.Submit(status, "form[data-testid=mfa-codes-form]", map[string]string{"password": ""}), http.StatusUnprocessableEntity)
		see(c.Submit(status, "form[data-testid=mfa-codes-form]", map[string]string{"password": "Wrong-Horse-1"}), http.StatusUnprocessableEntity)
		see(c.Submit(status, "form[data-testid=mfa-codes-form]", map[string]string{"password": personaNow}), http.StatusOK)
		see(c.Submit(status, "form[data-testid=mfa-remove-form]", map[string]string{"remove_password": "", "code": ""}), http.StatusUnprocessableEntity)
		see(c.Submit(status, "form[data-testid=mfa-remove-form]", map[string]string{"remove_password": personaNow, "code": "000000"}), http.StatusUnprocessableEntity)
		// Signing in again, on a browser that never chose a language, asks
		// for a code in the user's own: a wrong one first.
		again := e.Client()
		again.SignIn(name, personaNow)
		verify := again.Get("/login/mfa")
		see(verify, http.StatusOK)
		see(again.Submit(verify, "form[data-testid=mfa-form]", map[string]string{"code": ""}), http.StatusUnprocessableEntity)
		see(again.Submit(verify, "form[data-testid=mfa-form]", map[string]string{"code": "000000"}), http.StatusUnprocessableEntity)
		e.Clock.Advance(30 * time.Second)
		res := c.Submit(c.Get("/profile/mfa"), "form[data-testid=mfa-remove-form]", map[string]string{
			"remove_password": personaNow, "code": apptest.TOTP(key, e.Clock.Now()), "then": "remove"})
		followed(c, res)

		// An admin's pages: the support code, and the home page's account
		// items and sections.
		ada.Submit(ada.Get("/profile/language"), "form[data-testid=language-form]", map[string]string{"language": lang})
		see(ada.Get("/"), http.StatusOK)
		see(ada.Get("/profile/support-code"), http.StatusOK)
		see(ada.Submit(ada.Get("/profile/support-code"), "form[data-testid=support-code-form]", nil), http.StatusOK)

		// A user of the strict account sets a second factor up as they
		// sign in: the reason, a wrong code, the backup codes.
		strictName := "carol-" + lang
		e.AddUser(strict.ID, strictName, personaPassword, models.StatusActive)
		s := e.Client()
		s.Get("/login?lang=" + lang)
		if res := s.SignIn(strictName, personaPassword); res.Location != "/login/mfa/setup" {
			t.Fatalf("%s: strict sign-in: %d %q", lang, res.Status, res.Location)
		}
		forced := s.Get("/login/mfa/setup")
		strictKey := forced.Doc.Find("[data-testid=totp-secret]").Text()
		see(forced, http.StatusOK)
		see(s.Submit(forced, "form[data-testid=mfa-setup-form]", map[string]string{"code": "123456"}), http.StatusUnprocessableEntity)
		see(s.Submit(forced, "form[data-testid=mfa-setup-form]", map[string]string{"code": apptest.TOTP(strictKey, e.Clock.Now())}), http.StatusOK)
		return out
	}
	assertNoEnglishLeft(t, pages)
}
