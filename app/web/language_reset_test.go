package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"accountportal/app/apptest"
	"accountportal/app/profile"
	"accountportal/app/security"
	"accountportal/models"
	"accountportal/views/components"
	"accountportal/views/i18n"
)

func init() {
	addCognates("fr", "question", "page", "site", "parents", "service", "invitation")
	addCognates("de", "links", "administrator", "optional", "passphrase", "support")
}

// resetUser adds a user of ada's account whose language is lang (English
// for "en"), with the security question q answered "Port Talbot".
func resetUser(t *testing.T, e *apptest.Env, username, lang, q string) {
	t.Helper()
	u := e.AddUser(e.User("ada").AccountID, username, apptest.DefaultAdmin().Password, models.StatusActive)
	ctx := context.Background()
	hash := apptest.HashPassword(t, security.Argon2Params(e.App.Config.Argon2), profile.NormalizeAnswer("Port Talbot"))
	if err := e.Store().Users.SetSecurityQuestion(ctx, u.ID, q, hash, e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	if lang == i18n.Default {
		return
	}
	if err := e.Store().Users.SetLanguage(ctx, u.ID, lang, "", e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
}

// readerWords are visibleWords and the words of what a page says outside
// its text: the attributes a screen reader or a pointer shows (title,
// aria-label, placeholder, alt) and the live texts the password
// checklist's script announces (data-said-N).
func readerWords(res *apptest.Response) map[string]bool {
	out := visibleWords(res)
	var parts []string
	res.Doc.Find("*").Each(func(_ int, s *goquery.Selection) {
		for _, a := range s.Nodes[0].Attr {
			switch {
			case a.Key == "title", a.Key == "aria-label", a.Key == "placeholder", a.Key == "alt",
				strings.HasPrefix(a.Key, "data-said-"):
				parts = append(parts, a.Val)
			}
		}
	})
	for w := range wordsOf(strings.Join(parts, " ")) {
		out[w] = true
	}
	return out
}

// No English is left on the emailed reset's pages, for a user whose own
// language is Spanish, French or German: the link's pages speak it though
// the browser asks for nothing. Every step, each refusal, the done and
// the spent-link pages, the blocked page after wrong answers, and the
// error pages (404, an expired form, a step out of order, the sign-in's
// lockout).
func TestResetPagesLeaveNoEnglish(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	ada := e.Setup(apptest.DefaultAdmin())
	pages := func(lang string) []map[string]bool {
		var out []map[string]bool
		expect := recorder(t, lang, &out)
		name := "u1-" + lang
		resetUser(t, e, name, lang, "In what city were you born?")
		c := e.Client()
		link := resetLink(t, e, c, name, name+"@example.com")
		c.Get(link)
		question := c.Get("/reset")
		expect(question, http.StatusOK, "question")
		// The password step before the answer: a service's refusal on the
		// error page.
		expect(c.Post("/reset/password", formOf(question, map[string]string{"password": "x", "password_confirm": "x"})),
			http.StatusForbidden, "password before answer")
		expect(c.Submit(c.Get("/reset"), "form[data-testid=reset-answer-form]", map[string]string{"answer": ""}),
			http.StatusUnprocessableEntity, "empty answer")
		expect(c.Submit(c.Get("/reset"), "form[data-testid=reset-answer-form]", map[string]string{"answer": "Swansea"}),
			http.StatusUnprocessableEntity, "wrong answer")
		if res := c.Submit(c.Get("/reset"), "form[data-testid=reset-answer-form]", map[string]string{"answer": "Port Talbot"}); res.Status != http.StatusSeeOther {
			t.Fatalf("%s: right answer: %d", lang, res.Status)
		}
		form := c.Get("/reset")
		expect(form, http.StatusOK, "password step")
		for _, try := range []struct{ password, confirm string }{
			{"", ""},           // nothing typed
			{"abc", "abd"},     // short, and no match
			{"Password1!", ""}, // common, unconfirmed
			{name, name},       // the username
			{apptest.DefaultAdmin().Password, apptest.DefaultAdmin().Password}, // the current one
		} {
			expect(c.Submit(c.Get("/reset"), "form[data-testid=reset-password-form]",
				map[string]string{"password": try.password, "password_confirm": try.confirm}),
				http.StatusUnprocessableEntity, "password "+try.password)
		}
		if res := c.Submit(c.Get("/reset"), "form[data-testid=reset-password-form]",
			map[string]string{"password": "Quartz+Meadow9", "password_confirm": "Quartz+Meadow9"}); res.Status != http.StatusSeeOther {
			t.Fatalf("%s: new password: %d %s", lang, res.Status, res.Doc.Find(".field-error").Text())
		}
		// The done pages and the spent link are the link's own pages: the
		// visitor's language says them, here from the browser.
		c.Header = http.Header{"Accept-Language": {lang}}
		expect(c.Get("/reset/done"), http.StatusOK, "done")
		expect(c.Get("/reset/done?welcome=1"), http.StatusOK, "welcome done")
		if res := c.Get(link); res.Status != http.StatusNotFound {
			t.Fatalf("%s: spent link: %d", lang, res.Status)
		} else {
			expect(res, http.StatusNotFound, "spent link")
		}
		expect(c.Get("/reset"), http.StatusNotFound, "wizard without a link")
		// A new user's welcome link: their first password.
		invited := "w-" + lang + "@example.com"
		if res := post(ada, "/admin/users", url.Values{"display_name": {"W"}, "email": {invited}}); res.Status != http.StatusSeeOther {
			t.Fatalf("%s: invite: %d", lang, res.Status)
		}
		if lang != i18n.Default {
			if err := e.Store().Users.SetLanguage(context.Background(), e.User(invited).ID, lang, "", e.Clock.Now()); err != nil {
				t.Fatal(err)
			}
		}
		e.Drain()
		w := e.Client()
		w.Get(w.Path(apptest.LinkIn(e.MailTo(invited)[0].TextBody, e.URL+"/welcome/")))
		expect(w.Get("/reset"), http.StatusOK, "welcome")
		expect(w.Submit(w.Get("/reset"), "form[data-testid=reset-password-form]", map[string]string{"password": "Quartz+Meadow9", "password_confirm": "Quartz+Meadow8"}),
			http.StatusUnprocessableEntity, "welcome mismatch")
		if res := w.Submit(w.Get("/reset"), "form[data-testid=reset-password-form]", map[string]string{"password": "Quartz+Meadow9", "password_confirm": "Quartz+Meadow9"}); res.Status != http.StatusSeeOther {
			t.Fatalf("%s: welcome password: %d", lang, res.Status)
		}
		// Blocked after the wrong answers.
		blocked := "u2-" + lang
		resetUser(t, e, blocked, lang, "What was my grandmother's maiden name?")
		b := e.Client()
		b.Get(resetLink(t, e, b, blocked, blocked+"@example.com"))
		var res *apptest.Response
		for range 10 {
			res = b.Submit(b.Get("/reset"), "form[data-testid=reset-answer-form]", map[string]string{"answer": "Swansea"})
			if res.Status != http.StatusUnprocessableEntity {
				break
			}
		}
		expect(res, http.StatusForbidden, "blocked")
		// The error pages: a page not found, an expired form, the
		// sign-in's lockout.
		v := e.Client()
		v.Header = http.Header{"Accept-Language": {lang}}
		expect(v.Get("/no-such-page"), http.StatusNotFound, "404")
		expect(v.Post("/forgot/password", url.Values{"csrf_token": {"stale"}, "username": {"ada"}}), http.StatusForbidden, "expired form")
		v.Submit(v.Get("/login"), "form[data-testid=login-username-form]", map[string]string{"username": "ada"})
		for range 10 {
			res = v.Submit(v.Get("/login/password"), "form[data-testid=login-password-form]", map[string]string{"password": "Wrong-Horse-1"})
			if res.Status == http.StatusTooManyRequests {
				break
			}
		}
		expect(res, http.StatusTooManyRequests, "lockout")
		return out
	}
	assertNoEnglishLeft(t, pages)
}

// The offered security questions are stored as the English text chosen:
// each is shown in the reader's language; a question of the user's own
// is shown as typed.
func TestSecurityQuestionsInTheReadersLanguage(t *testing.T) {
	for _, lang := range []string{"es", "fr", "de"} {
		ctx := i18n.WithLanguage(context.Background(), lang)
		seen := map[string]bool{}
		for _, q := range profile.SecurityQuestions() {
			got := components.QuestionText(ctx, q)
			if got == q || got == "" || strings.HasPrefix(got, "[") || seen[got] {
				t.Errorf("%s: %q is shown as %q", lang, q, got)
			}
			seen[got] = true
		}
		if got := components.QuestionText(ctx, "Name of my first ferry?"); got != "Name of my first ferry?" {
			t.Errorf("%s: a custom question is shown as %q", lang, got)
		}
	}
	for _, q := range profile.SecurityQuestions() {
		if got := components.QuestionText(context.Background(), q); got != q {
			t.Errorf("English: %q is shown as %q", q, got)
		}
	}
}

// The wizard speaks its link's user's language, whatever the browser
// asks; a user without one gets the account's default, and one whose
// account has none the browser's. The question is the user's in that
// language, and so are the checklist's rules and live texts.
func TestResetSpeaksTheLinksUsersLanguage(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	e.Setup(apptest.DefaultAdmin())
	resetUser(t, e, "u-de", "de", "In what city were you born?")
	c := e.Client()
	c.Header = http.Header{"Accept-Language": {"es"}}
	c.Get(resetLink(t, e, c, "u-de", "u-de@example.com"))
	page := c.Get("/reset")
	if lang, label := page.Doc.Find("html").AttrOr("lang", ""), page.Doc.Find("label[for=answer]").Text(); lang != "de" ||
		label != "In welcher Stadt wurden Sie geboren?" {
		t.Errorf("the German user's question: lang %q, %q", lang, label)
	}
	res := c.Submit(page, "form[data-testid=reset-answer-form]", map[string]string{"answer": "Swansea"})
	if got := strings.TrimSpace(res.Doc.Find("[data-testid=error-answer]").Text()); !strings.Contains(got, "Sie können es heute noch 4-mal versuchen.") {
		t.Errorf("wrong answer: %q", got)
	}
	c.Submit(c.Get("/reset"), "form[data-testid=reset-answer-form]", map[string]string{"answer": "port talbot"})
	form := c.Get("/reset")
	box := form.Doc.Find("[data-password-checklist]")
	if got := box.AttrOr("data-said-1", ""); got != "1 von 8 Passwortanforderungen erfüllt" {
		t.Errorf("checklist's live text for one rule met: %q", got)
	}
	if got := strings.TrimSpace(box.Find("[data-rule=upper]").Text()); got != "Ein Großbuchstabe" {
		t.Errorf("upper-case rule: %q", got)
	}
	res = c.Submit(form, "form[data-testid=reset-password-form]", map[string]string{"password": "abc", "password_confirm": "abc"})
	if got := strings.TrimSpace(res.Doc.Find("[data-testid=error-password]").Text()); !strings.Contains(got, "Ihr Passwort muss diese Anforderungen erfüllen: 8 bis 25 Zeichen; ein Großbuchstabe;") {
		t.Errorf("refused password: %q", got)
	}
	if got := strings.TrimSpace(res.Doc.Find("[data-rule=length] .visually-hidden").Text()); got != "(nicht erfüllt)" {
		t.Errorf("a broken rule is marked %q", got)
	}

	// Without a language of their own: the account's default, here French.
	ada := e.Client()
	ada.SignIn("ada", apptest.DefaultAdmin().Password)
	if res := ada.Submit(ada.Get("/admin/security"), "form[data-testid=security-form]", map[string]string{"language": "fr", "time_zone": "Europe/Paris"}); res.Status != http.StatusSeeOther {
		t.Fatalf("account default: %d", res.Status)
	}
	resetUser(t, e, "u-none", "en", "In what city were you born?")
	c = e.Client()
	c.Header = http.Header{"Accept-Language": {"es"}}
	c.Get(resetLink(t, e, c, "u-none", "u-none@example.com"))
	if got := c.Get("/reset").Doc.Find("label[for=answer]").Text(); got != "Dans quelle ville êtes-vous né(e)\u00a0?" {
		t.Errorf("the account's default: %q", got)
	}
	// English stays English: the classic checklist's words as before.
	if res := ada.Submit(ada.Get("/admin/security"), "form[data-testid=security-form]", map[string]string{"language": "", "time_zone": ""}); res.Status != http.StatusSeeOther {
		t.Fatalf("account default back: %d", res.Status)
	}
	c = e.Client()
	c.Get(resetLink(t, e, c, "u-none", "u-none@example.com"))
	c.Submit(c.Get("/reset"), "form[data-testid=reset-answer-form]", map[string]string{"answer": "Port Talbot"})
	form = c.Get("/reset")
	if got := form.Doc.Find("[data-password-checklist]").AttrOr("data-said-3", ""); got != "3 of 8 password rules met" {
		t.Errorf("English live text: %q", got)
	}
	if got := strings.TrimSpace(form.Doc.Find("[data-rule=special]").Text()); got != "One of ~ @ # $ ^ * + - (hyphen) – (en dash) = | : ; ? < > &" {
		t.Errorf("English special rule: %q", got)
	}
}

// No English is left on an invited Primary Admin's pages, in the
// browser's language: the invitation's form, its refusals (every field's
// checks) and the page of a spent invitation.
func TestInvitationPagesLeaveNoEnglish(t *testing.T) {
	w := newOpsWorld(t, models.SQLite)
	pages := func(lang string) []map[string]bool {
		var out []map[string]bool
		expect := recorder(t, lang, &out)
		email := "bq" + lang + "@example.com"
		w.onboard(t, "Zq"+lang+" SL", "Bq"+lang, email)
		w.e.Drain()
		link := w.e.InvitationLink(email)
		c := w.e.Client()
		c.Header = http.Header{"Accept-Language": {lang}}
		c.Get(link)
		form := c.Get("/invite")
		expect(form, http.StatusOK, "invitation")
		for _, try := range []map[string]string{
			{"password": "short", "password_confirm": "other", "passphrase": "short", "security_question": "custom",
				"security_question_custom": "", "security_answer": "x"},
			{"password": inviteePassword, "password_confirm": inviteePassword, "passphrase": "",
				"security_question": "In what city were you born?", "security_answer": ""},
			{"password": inviteePassword, "password_confirm": inviteePassword, "passphrase": inviteePassword,
				"security_question": "custom", "security_question_custom": strings.Repeat("q", 201), "security_answer": strings.Repeat("a", 101)},
			{"password": inviteePassword, "password_confirm": "", "passphrase": email,
				"security_question": "custom", "security_question_custom": "Qq\u202e?", "security_answer": "ab"},
		} {
			expect(c.Submit(form, "form[data-testid=invitation-form]", try), http.StatusUnprocessableEntity, "refused")
		}
		done := c.Submit(form, "form[data-testid=invitation-form]", map[string]string{
			"password": inviteePassword, "password_confirm": inviteePassword, "passphrase": inviteePassphrase})
		if done.Status != http.StatusSeeOther {
			t.Fatalf("%s: accept: %d", lang, done.Status)
		}
		v := w.e.Client()
		v.Header = http.Header{"Accept-Language": {lang}}
		expect(v.Get(link), http.StatusNotFound, "spent invitation")
		return out
	}
	assertNoEnglishLeft(t, pages)
}

// An error page speaks its reader's language: a visitor's browser's on a
// page not found, a signed-in user's own on a form that expired (refused
// before the page's language is decided).
func TestErrorPagesSpeakTheReadersLanguage(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	ada := e.Setup(apptest.DefaultAdmin())
	v := e.Client()
	v.Header = http.Header{"Accept-Language": {"de-CH, de;q=0.9"}}
	res := v.Get("/no-such-page")
	if lang, h1 := res.Doc.Find("html").AttrOr("lang", ""), strings.TrimSpace(res.Doc.Find("h1").Text()); res.Status != http.StatusNotFound ||
		lang != "de" || h1 != "Seite nicht gefunden" {
		t.Errorf("404: %d, lang %q, h1 %q", res.Status, lang, h1)
	}
	if err := e.Store().Users.SetLanguage(context.Background(), e.User("ada").ID, "es", "", e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	res = ada.Post("/profile/language", url.Values{"csrf_token": {"stale"}, "language": {"fr"}})
	if lang, h1 := res.Doc.Find("html").AttrOr("lang", ""), strings.TrimSpace(res.Doc.Find("h1").Text()); res.Status != http.StatusForbidden ||
		lang != "es" || h1 != "Este formulario ha caducado" {
		t.Errorf("expired form: %d, lang %q, h1 %q", res.Status, lang, h1)
	}
	// A signed-in user's own language on an address no route matches,
	// over their browser's, and on the provider's addresses, which only
	// refuse a customer; a wrong method is not called a missing page.
	ada.Header = http.Header{"Accept-Language": {"de"}}
	for path, want := range map[string]struct {
		status   int
		lang, h1 string
	}{
		"/no-such-page":       {http.StatusNotFound, "es", "Página no encontrada"},
		"/admin/no-such-page": {http.StatusNotFound, "es", "Página no encontrada"},
		"/operator/no-such":   {http.StatusNotFound, "es", "Página no encontrada"},
		"/operator":           {http.StatusForbidden, "es", i18n.T(i18n.WithLanguage(context.Background(), "es"), "reset.error_page.forbidden_heading")},
	} {
		res = ada.Get(path)
		if lang, h1 := res.Doc.Find("html").AttrOr("lang", ""), strings.TrimSpace(res.Doc.Find("h1").Text()); res.Status != want.status ||
			lang != want.lang || h1 != want.h1 {
			t.Errorf("%s signed in: %d, lang %q, h1 %q", path, res.Status, lang, h1)
		}
	}
	// The provider's staff read their own pages' refusals in English.
	e.AddOperator("Olga Ops", "olga@provider.example", personaPassword)
	ops := e.Client()
	ops.Header = http.Header{"Accept-Language": {"de"}}
	ops.SignInEnrolling("olga@provider.example", personaPassword, e.Clock)
	if res = ops.Get("/operator/no-such"); res.Doc.Find("html").AttrOr("lang", "") != "en" {
		t.Errorf("an operator's 404 under /operator: lang %q", res.Doc.Find("html").AttrOr("lang", ""))
	}
	res = ada.Get("/logout")
	if lang, h1 := res.Doc.Find("html").AttrOr("lang", ""), strings.TrimSpace(res.Doc.Find("h1").Text()); res.Status != http.StatusMethodNotAllowed ||
		lang != "es" || h1 != "Solicitud no aceptada" {
		t.Errorf("405 signed in: %d, lang %q, h1 %q", res.Status, lang, h1)
	}
	// Looking up the reader leaves their session as it was.
	if res = ada.Get("/profile"); res.Status != http.StatusOK {
		t.Errorf("profile after the 404s: %d", res.Status)
	}
	// English readers read what they always did.
	res = e.Client().Get("/no-such-page")
	if lang, h1 := res.Doc.Find("html").AttrOr("lang", ""), strings.TrimSpace(res.Doc.Find("h1").Text()); lang != "en" || h1 != "Page not found" {
		t.Errorf("English 404: lang %q, h1 %q", lang, h1)
	}
}

// recorder returns a function that checks a page's status and <html lang>
// and keeps its words (readerWords) in out, for a pages(lang) function.
func recorder(t *testing.T, lang string, out *[]map[string]bool) func(res *apptest.Response, status int, what string) {
	return func(res *apptest.Response, status int, what string) {
		t.Helper()
		if res.Status != status {
			t.Fatalf("%s, %s: %d, want %d\n%s", lang, what, res.Status, status, res.Doc.Find("main").Text())
		}
		if got := res.Doc.Find("html").AttrOr("lang", ""); got != lang {
			t.Errorf("%s, %s: lang %q", lang, what, got)
		}
		*out = append(*out, readerWords(res))
	}
}
