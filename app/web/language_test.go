package web_test

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/PuerkitoBio/goquery"

	"accountportal/app/apptest"
	"accountportal/models"
	"accountportal/views/i18n"
)

// The sign-in pages speak the browser's language, or the one chosen on
// their switcher, which is kept; <html lang> says which.
func TestSignInPagesSpeakTheVisitorsLanguage(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	e.Setup(apptest.DefaultAdmin())
	c := e.Client()
	c.Header = http.Header{"Accept-Language": {"es-ES,es;q=0.9,en;q=0.5"}}
	page := func(path string) (lang, h1 string) {
		t.Helper()
		res := c.Get(path)
		if res.Status != http.StatusOK {
			t.Fatalf("%s: %d", path, res.Status)
		}
		if !strings.Contains(res.Header.Get("Vary"), "Accept-Language") {
			t.Errorf("%s: Vary %q", path, res.Header.Get("Vary"))
		}
		return res.Doc.Find("html").AttrOr("lang", ""), strings.TrimSpace(res.Doc.Find("h1").Text())
	}
	if lang, h1 := page("/login"); lang != "es" || h1 != "Iniciar sesión" {
		t.Errorf("Accept-Language es: lang %q, h1 %q", lang, h1)
	}
	// The switcher names each language in itself, marked with its lang.
	res := c.Get("/login")
	var names []string
	res.Doc.Find("[data-testid=language-switcher] a").Each(func(_ int, s *goquery.Selection) {
		names = append(names, s.AttrOr("lang", "")+":"+s.Text())
	})
	if got := strings.Join(names, " "); got != "en:English es:Español fr:Français de:Deutsch" {
		t.Errorf("switcher: %q", got)
	}
	if lang, h1 := page("/login?lang=de"); lang != "de" || h1 != "Anmelden" {
		t.Errorf("?lang=de: lang %q, h1 %q", lang, h1)
	}
	// Kept: the next page is German though the browser asks for Spanish.
	c.Submit(c.Get("/login"), "form[data-testid=login-username-form]", map[string]string{"username": "ada"})
	if lang, h1 := page("/login/password"); lang != "de" || h1 != "Geben Sie Ihr Passwort ein" {
		t.Errorf("after choosing German: lang %q, h1 %q", lang, h1)
	}
	// A language the portal does not speak is ignored.
	if lang, _ := page("/login?lang=pt"); lang != "de" {
		t.Errorf("?lang=pt: lang %q", lang)
	}
	// Without a choice or header: English.
	plain := e.Client()
	res = plain.Get("/login")
	if lang := res.Doc.Find("html").AttrOr("lang", ""); lang != "en" || strings.TrimSpace(res.Doc.Find("h1").Text()) != "Sign in" {
		t.Errorf("no language asked: lang %q", lang)
	}
}

// productWords are the words a page shows alike in every language: the
// product's name, the languages' own names on the switcher, the test's
// names (users, the account) and the example address, and the zone
// abbreviation UTC.
var productWords = map[string]bool{"account": true, "portal": true, "english": true, "español": true,
	"français": true, "deutsch": true, "ada": true, "nobody": true, "example": true, "com": true,
	"zoë": true, "zoe": true, "nuñez": true, "ana": true, "acme": true, "telecom": true, "ltd": true, "utc": true}

// visibleWords lists a page's words of three letters or more, in lower
// case, from its title and body.
func visibleWords(res *apptest.Response) map[string]bool {
	// Each text node apart: goquery's Text runs neighbours together.
	var parts []string
	res.Doc.Find("title, body *").Contents().Each(func(_ int, s *goquery.Selection) {
		if goquery.NodeName(s) == "#text" {
			parts = append(parts, s.Text())
		}
	})
	return wordsOf(strings.Join(parts, " "))
}

// wordsOf lists text's words of three letters or more, in lower case,
// leaving out the product's words.
func wordsOf(text string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '’' && r != '\''
	}) {
		// A token with a digit is a name or a code ("1Password", "2FA"),
		// not a word of any language.
		if strings.ContainsFunc(w, unicode.IsDigit) {
			continue
		}
		if len([]rune(w)) >= 3 && !productWords[w] {
			out[w] = true
		}
	}
	return out
}

// cognates are words a language writes as English does: the test accepts
// them in that language only.
var cognates = map[string]map[string]bool{"es": {"error": true, "control": true},
	"fr": {"minutes": true, "minute": true, "format": true, "incorrect": true},
	"de": {"link": true, "problem": true, "format": true, "name": true}}

// addCognates adds a language's cognates from a test file of its pages,
// called from that file's init.
func addCognates(lang string, words ...string) {
	for _, w := range words {
		cognates[lang][w] = true
	}
}

// No English is left on the translated sign-in and forgotten-password pages: a word the English
// page shows that the Spanish, French or German one shows too is text
// nobody translated (the product's name and the languages' names aside).
func TestSignInPagesLeaveNoEnglish(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	e.Setup(apptest.DefaultAdmin())
	pages := func(lang string) []map[string]bool {
		c := e.Client()
		first := c.Get("/login?lang=" + lang)
		c.Submit(first, "form[data-testid=login-username-form]", map[string]string{"username": "ada"})
		out := []map[string]bool{visibleWords(first), visibleWords(c.Get("/login/password"))}
		for _, path := range []string{"/forgot", "/forgot/password", "/forgot/username"} {
			out = append(out, visibleWords(c.Get(path)))
		}
		// What each form answers: the same "check your email" for everyone.
		out = append(out, visibleWords(c.Submit(c.Get("/forgot/password"), "form[data-testid=forgot-password-form]",
			map[string]string{"username": "ada"})))
		out = append(out, visibleWords(c.Submit(c.Get("/forgot/username"), "form[data-testid=forgot-username-form]",
			map[string]string{"email": "ada@example.com"})))
		// Each form refused: the error summary, the field's message and
		// the title's prefix, in the page's language.
		refusals := []struct{ path, form, field, value string }{
			{"/login", "login-username-form", "username", ""},
			{"/login", "login-username-form", "username", "ad\x00a"},
			{"/forgot/password", "forgot-password-form", "username", ""},
			{"/forgot/username", "forgot-username-form", "email", ""},
			{"/forgot/username", "forgot-username-form", "email", "not an address"},
		}
		for _, r := range refusals {
			res := c.Submit(c.Get(r.path), "form[data-testid="+r.form+"]", map[string]string{r.field: r.value})
			if res.Status != http.StatusUnprocessableEntity {
				t.Fatalf("%s %s=%q: %d", r.path, r.field, r.value, res.Status)
			}
			out = append(out, visibleWords(res))
		}
		c.Submit(c.Get("/login"), "form[data-testid=login-username-form]", map[string]string{"username": "nobody-" + lang})
		for _, password := range []string{"", "Wrong-Horse-1"} {
			res := c.Submit(c.Get("/login/password"), "form[data-testid=login-password-form]", map[string]string{"password": password})
			if res.Status != http.StatusUnprocessableEntity {
				t.Fatalf("password %q: %d", password, res.Status)
			}
			out = append(out, visibleWords(res))
		}
		return out
	}
	assertNoEnglishLeft(t, pages)
}

// assertNoEnglishLeft compares the pages pages(lang) visits, given as
// visibleWords, in English and in each other language: a word the English
// page shows that the other page shows too is text nobody translated,
// unless it is a product word or that language's cognate. pages must
// visit the same pages in the same order in every language.
func assertNoEnglishLeft(t *testing.T, pages func(lang string) []map[string]bool) {
	t.Helper()
	english := pages("en")
	for _, lang := range []string{"es", "fr", "de"} {
		got := pages(lang)
		if len(got) != len(english) {
			t.Fatalf("%s: %d pages, English %d", lang, len(got), len(english))
		}
		for i, words := range got {
			var left []string
			for w := range words {
				if english[i][w] && !cognates[lang][w] {
					left = append(left, w)
				}
			}
			sort.Strings(left)
			if len(left) > 0 {
				t.Errorf("%s, page %d: English left: %q", lang, i+1, left)
			}
		}
	}
}

// A user chooses their language and time zone in My Profile: times are
// shown in their zone at once, the choice is audited, and the pages speak
// it (<html lang>).
func TestProfileLanguageAndTimeZone(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	ada := e.Setup(apptest.DefaultAdmin())
	row := func() string {
		return strings.Join(strings.Fields(ada.Get("/profile").Doc.Find("[data-testid=profile-language]").Text()), " ")
	}
	if got := row(); got != "English · UTC" {
		t.Errorf("before: %q", got)
	}
	form := ada.Get("/profile/language")
	for _, bad := range []map[string]string{{"language": "xx"}, {"time_zone": "Mars/Olympus_Mons"}, {"language": "es\x00"}} {
		res := ada.Submit(form, "form[data-testid=language-form]", bad)
		if res.Status != http.StatusUnprocessableEntity || res.Doc.Find(".field-error").Length() != 1 {
			t.Errorf("%q: %d %q", bad, res.Status, res.Doc.Find(".field-error").Text())
		}
	}
	res := ada.Submit(form, "form[data-testid=language-form]", map[string]string{"language": "es", "time_zone": "Europe/Madrid"})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", res.Status, res.Doc.Find(".field-error").Text())
	}
	if got := row(); got != "Español · Europe/Madrid" {
		t.Errorf("after: %q", got)
	}
	profile := ada.Get("/profile")
	if lang := profile.Doc.Find("html").AttrOr("lang", ""); lang != "es" {
		t.Errorf("My Profile, translated, says lang %q", lang)
	}
	// Madrid is an hour ahead of UTC in December.
	at := profile.Doc.Find("[data-testid=profile-password] time").AttrOr("datetime", "")
	if !strings.HasSuffix(at, "+01:00") {
		t.Errorf("the password's time is %q, not in Madrid's zone", at)
	}
	// The audit log is translated too: Ada reads it in Spanish now.
	eventSaying(t, ada.Get("/admin/audit"), "audit-table", "Ada Admin cambió su idioma o su zona horaria")
	// Back to the account's defaults.
	ada.Submit(ada.Get("/profile/language"), "form[data-testid=language-form]", map[string]string{"language": "", "time_zone": ""})
	if got := row(); got != "English · UTC" {
		t.Errorf("back to the defaults: %q", got)
	}
}

// The account's defaults, set on the Security page, are every user's who
// has not chosen their own; a user's own choice outranks them.
func TestAccountLanguageDefaults(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	ada := e.Setup(apptest.DefaultAdmin())
	e.AddUser(e.User("ada").AccountID, "bob", homeUserPassword, models.StatusActive)
	bob := e.Client()
	if res := bob.SignIn("bob", homeUserPassword); res.Status != http.StatusSeeOther {
		t.Fatalf("bob signs in: %d", res.Status)
	}
	security := ada.Get("/admin/security")
	res := ada.Submit(security, "form[data-testid=security-form]", map[string]string{"language": "fr", "time_zone": "xx/Nowhere"})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Doc.Find("[data-testid=error-time_zone]").Text(), "Choose a time zone from the list") {
		t.Fatalf("a zone not on the list: %d %q", res.Status, res.Doc.Find(".field-error").Text())
	}
	res = ada.Submit(security, "form[data-testid=security-form]", map[string]string{"language": "es", "time_zone": "America/Mexico_City"})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", res.Status, res.Doc.Find(".field-error").Text())
	}
	// Ada chose no language of her own: the page after saving speaks the
	// account's new default, and so does its confirmation.
	saved := ada.Get(res.Location)
	if lang, flash := saved.Doc.Find("html").AttrOr("lang", ""), strings.TrimSpace(saved.Doc.Find("[data-testid=flash]").Text()); lang != "es" ||
		flash != i18n.T(i18n.WithLanguage(context.Background(), "es"), "admin.security.saved") {
		t.Errorf("after saving Spanish: lang %q, flash %q", lang, flash)
	}
	page := bob.Get("/profile")
	if got := strings.Join(strings.Fields(page.Doc.Find("[data-testid=profile-language]").Text()), " "); got != "Español · America/Mexico_City" {
		t.Errorf("bob's language row: %q", got)
	}
	if at := page.Doc.Find("[data-testid=profile-password] time").AttrOr("datetime", ""); !strings.HasSuffix(at, "-06:00") {
		t.Errorf("bob's times are not in Mexico City's zone: %q", at)
	}
	// Bob's own choice outranks the account's.
	bob.Submit(bob.Get("/profile/language"), "form[data-testid=language-form]", map[string]string{"language": "de", "time_zone": "Asia/Tokyo"})
	if got := strings.Join(strings.Fields(bob.Get("/profile").Doc.Find("[data-testid=profile-language]").Text()), " "); got != "Deutsch · Asia/Tokyo" {
		t.Errorf("bob's own choice: %q", got)
	}
	// The form of the Security page shows the defaults it saved.
	again := ada.Get("/admin/security")
	if v := again.Doc.Find("select[name=language] option[selected]").AttrOr("value", ""); v != "es" {
		t.Errorf("the Security page shows language %q", v)
	}
}

// The error pages a page can lead to (too many attempts here) speak the
// reader's language, marked so with lang; the provider's own pages (the
// development mailbox here) stay English, errors included. ?lang= is kept
// only from the pages that offer the switcher.
func TestLanguageBoundaries(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	e.Setup(apptest.DefaultAdmin())
	c := e.Client()
	c.Get("/login?lang=es")
	c.Submit(c.Get("/login"), "form[data-testid=login-username-form]", map[string]string{"username": "ada"})
	var res *apptest.Response
	for range 10 {
		res = c.Submit(c.Get("/login/password"), "form[data-testid=login-password-form]", map[string]string{"password": "Wrong-Horse-1"})
		if res.Status == http.StatusTooManyRequests {
			break
		}
	}
	if res.Status != http.StatusTooManyRequests {
		t.Fatalf("no lockout: %d", res.Status)
	}
	if lang, h1 := res.Doc.Find("html").AttrOr("lang", ""), strings.TrimSpace(res.Doc.Find("h1").Text()); lang != "es" || h1 != "Demasiados intentos" {
		t.Errorf("the lockout page says lang %q, h1 %q", lang, h1)
	}
	staff := e.Client()
	staff.Header = http.Header{"Accept-Language": {"es"}}
	for _, path := range []string{"/dev/mailbox", "/dev/mailbox/999999"} {
		res := staff.Get(path)
		if lang := res.Doc.Find("html").AttrOr("lang", ""); lang != "en" {
			t.Errorf("%s (%d) says lang %q to a Spanish browser", path, res.Status, lang)
		}
	}
	other := e.Client()
	for _, path := range []string{"/profile?lang=de", "/admin/users?lang=de", "/healthz?lang=de"} {
		if got := other.Get(path).Header.Get("Set-Cookie"); strings.Contains(got, "lang=") {
			t.Errorf("%s set %q", path, got)
		}
	}
	if got := other.Get("/login?lang=de").Header.Get("Set-Cookie"); !strings.Contains(got, "lang=de") {
		t.Errorf("the switcher kept nothing: %q", got)
	}
}

// Why a session ended is said on the sign-in page in its reader's
// language, whatever page found the session gone.
func TestSessionEndedMessageInTheReadersLanguage(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	e.Setup(apptest.DefaultAdmin())
	laptop := e.Client()
	laptop.Header = http.Header{"Accept-Language": {"es"}}
	if res := laptop.SignIn("ada", apptest.DefaultAdmin().Password); res.Status != http.StatusSeeOther {
		t.Fatalf("sign in: %d", res.Status)
	}
	phone := e.Client()
	phone.SignIn("ada", apptest.DefaultAdmin().Password)
	if res := phone.Submit(phone.Get("/profile/sessions"), "form[action='/profile/sessions/signout-others']", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("sign out the others: %d", res.Status)
	}
	laptop.Get("/profile")
	page := laptop.Get("/login")
	want := "Cerró la sesión de este dispositivo desde otro (Mi perfil, Dispositivos y sesiones). Vuelva a iniciar sesión para usarlo."
	if got := strings.TrimSpace(page.Doc.Find("[data-testid=flash]").Text()); got != want {
		t.Errorf("the laptop is told %q", got)
	}
}
