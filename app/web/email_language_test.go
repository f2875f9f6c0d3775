package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"accountportal/app/apptest"
	"accountportal/models"
	"accountportal/views/i18n"
)

func init() {
	// Words the emails' languages write as English does.
	addCognates("es", "factor", "ignore")
	addCognates("fr", "code", "codes", "service", "question", "page", "invitation")
	addCognates("de", "administrator", "browser", "app", "code")
}

// addressInMail is a link or an address in an email: not words.
var addressInMail = regexp.MustCompile(`https?://[^\s"<]+|[\w.+-]+@[\w.-]+`)

// mailWords lists the words a reader sees of an email, as visibleWords
// does for a page: its subject, its text part and its HTML part's text,
// leaving out links, addresses and the names given (people's names and
// usernames are the same in every language).
func mailWords(t *testing.T, m models.OutboxMessage, names ...string) map[string]bool {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(m.HTMLBody))
	if err != nil {
		t.Fatal(err)
	}
	var parts []string
	doc.Find("title, body *").Contents().Each(func(_ int, s *goquery.Selection) {
		if goquery.NodeName(s) == "#text" {
			parts = append(parts, s.Text())
		}
	})
	text := addressInMail.ReplaceAllString(m.Subject+" "+m.TextBody+" "+strings.Join(parts, " "), " ")
	for _, n := range names {
		text = strings.ReplaceAll(text, n, " ")
	}
	return wordsOf(text)
}

// An email is in its recipient's language, whoever caused it: a user
// whose saved language is Spanish gets the reset link an English-speaking
// administrator sends in Spanish, and so on for French and German; a user
// who changes their password in My Profile is told in their own language,
// at the time in their own zone.
func TestEmailsInTheRecipientsLanguage(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	ada := e.Setup(apptest.DefaultAdmin())
	ctx := context.Background()
	admin := e.User("ada")
	// The administrator speaks English, by choice.
	if err := e.Store().Users.SetLanguage(ctx, admin.ID, "en", "", e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	names := []string{"Ada Admin", "ada"}
	reset := func(lang string) []map[string]bool {
		u := e.AddUser(admin.AccountID, "pilar-"+lang, "Walrus+Tide42", models.StatusActive)
		if err := e.Store().Users.SetLanguage(ctx, u.ID, lang, "", e.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		page := ada.Get("/admin/users/" + apptest.Itoa(u.ID))
		if got := page.Doc.Find("html").AttrOr("lang", ""); got != "en" {
			t.Fatalf("the administrator's page is in %q", got)
		}
		if res := ada.Submit(page, "form[action$='/reset']", nil); res.Status != http.StatusSeeOther {
			t.Fatalf("reset: %d", res.Status)
		}
		e.Drain()
		msgs := e.MailTo(u.Email)
		if len(msgs) != 1 {
			t.Fatalf("%s: %d emails", lang, len(msgs))
		}
		m := msgs[0]
		if !strings.Contains(m.HTMLBody, `<html lang="`+lang+`">`) {
			t.Errorf("%s: the reset email is not marked %s", lang, lang)
		}
		return []map[string]bool{mailWords(t, m, append(names, u.DisplayName, u.Username)...)}
	}
	assertNoEnglishLeft(t, reset)
	es := e.MailTo("pilar-es@example.com")[0]
	if es.Subject != "Su administrador le pide que restablezca su contraseña" ||
		!strings.Contains(es.TextBody, "Su administrador, Ada Admin, le pide que elija una contraseña nueva para su cuenta pilar-es.") {
		t.Errorf("Spanish reset email:\n%s\n%s", es.Subject, es.TextBody)
	}
	if en := e.MailTo("pilar-en@example.com")[0]; en.Subject != "Your administrator asked you to reset your password" {
		t.Errorf("English reset email: %q", en.Subject)
	}
	// The administrator's own language does not lend itself to a user who
	// chose none: theirs is the account's default, here none, so English.
	if err := e.Store().Users.SetLanguage(ctx, admin.ID, "de", "Asia/Tokyo", e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	nora := e.AddUser(admin.AccountID, "nora", "Walrus+Tide42", models.StatusActive)
	ada.Submit(ada.Get("/admin/users/"+apptest.Itoa(nora.ID)), "form[action$='/reset']", nil)
	e.Drain()
	if got := e.MailTo(nora.Email); len(got) != 1 || got[0].Subject != "Your administrator asked you to reset your password" {
		t.Errorf("a user without a choice, reset by a German-speaking administrator: %+v", got)
	}

	// A user who chose no language, in an account with none, last signed
	// in with a Spanish browser: what others cause reaches them in
	// Spanish, one at a time or in bulk; signing in in German later moves
	// their emails to German.
	nuria := e.AddUser(admin.AccountID, "nuria", "Walrus+Tide42", models.StatusActive)
	signInReading := func(lang string) {
		t.Helper()
		c := e.Client()
		c.Header = http.Header{"Accept-Language": {lang + ";q=0.9, en;q=0.5"}}
		if res := c.SignIn("nuria", "Walrus+Tide42"); res.Status != http.StatusSeeOther {
			t.Fatalf("nuria signs in: %d", res.Status)
		}
	}
	signInReading("es")
	ada.Submit(ada.Get("/admin/users/"+apptest.Itoa(nuria.ID)), "form[action$='/reset']", nil)
	e.Drain()
	if got := e.MailTo(nuria.Email); len(got) != 1 || got[0].Subject != "Su administrador le pide que restablezca su contraseña" {
		t.Errorf("a user who last signed in in Spanish: %+v", got)
	}
	signInReading("de")
	ada.RunBulk(url.Values{"action": {"reset"}, "scope": {"selected"}, "id": {apptest.Itoa(nuria.ID)}, "reason": {"audit"}})
	e.Drain()
	if got := e.MailTo(nuria.Email); len(got) != 2 || !strings.Contains(got[1].HTMLBody, `<html lang="de">`) {
		t.Errorf("a user who last signed in in German, reset in bulk: %d emails", len(got))
	}

	// A French user in Paris changes their password in My Profile.
	lucie := e.AddUser(admin.AccountID, "lucie", "Walrus+Tide42", models.StatusActive)
	if err := e.Store().Users.SetLanguage(ctx, lucie.ID, "fr", "Europe/Paris", e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	c := e.Client()
	c.SignIn("lucie", "Walrus+Tide42")
	res := c.Submit(c.Get("/profile/password"), "form[action='/profile/password']",
		map[string]string{"current_password": "Walrus+Tide42", "password": "Heron+Lake+2077", "password_confirm": "Heron+Lake+2077"})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("password change: %d %s", res.Status, res.Doc.Find(".field-error").Text())
	}
	e.Drain()
	msgs := e.MailTo("lucie@example.com")
	if len(msgs) != 1 {
		t.Fatalf("%d emails to lucie", len(msgs))
	}
	m := msgs[0]
	when := e.Clock.Now().In(i18n.ZoneOf("Europe/Paris"))
	if m.Subject != "Votre mot de passe a été modifié" || !strings.Contains(m.TextBody, "Bonjour User lucie,") ||
		!strings.Contains(m.TextBody, "Votre mot de passe a été modifié le ") ||
		!strings.Contains(m.TextBody, " à "+when.Format("15:04 MST")+" depuis l’adresse ") ||
		!strings.Contains(m.HTMLBody, `<html lang="fr">`) {
		t.Errorf("French password notice:\n%s\n%s", m.Subject, m.TextBody)
	}
	// The same notice in English for a user without a choice, word for word
	// apart from the language.
	enUser := e.AddUser(admin.AccountID, "lukas", "Walrus+Tide42", models.StatusActive)
	ce := e.Client()
	ce.SignIn("lukas", "Walrus+Tide42")
	ce.Submit(ce.Get("/profile/password"), "form[action='/profile/password']",
		map[string]string{"current_password": "Walrus+Tide42", "password": "Heron+Lake+2077", "password_confirm": "Heron+Lake+2077"})
	e.Drain()
	en := e.MailTo(enUser.Email)
	if len(en) != 1 || en[0].Subject != "Your password was changed" {
		t.Fatalf("English password notice: %+v", en)
	}
	english := mailWords(t, en[0], "User lukas", "lukas")
	for w := range mailWords(t, m, "User lucie", "lucie") {
		if english[w] && !cognates["fr"][w] {
			t.Errorf("French password notice: English %q left", w)
		}
	}
}

// An email a visitor's own request causes is in the language they asked
// in when neither they nor their account chose one; a choice outranks
// it. The forgotten-username email goes to an address several users may
// share: in their common language, else in the visitor's.
func TestVisitorsEmailsInTheirLanguage(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	e.Setup(apptest.DefaultAdmin())
	ctx := context.Background()
	admin := e.User("ada")
	now := e.Clock.Now()
	// Asked in Spanish (the switcher's choice): a user without a choice
	// gets the reset link in Spanish, one who chose German in German.
	hugo := e.AddUser(admin.AccountID, "hugo", "Walrus+Tide42", models.StatusActive)
	greta := e.AddUser(admin.AccountID, "greta", "Walrus+Tide42", models.StatusActive)
	if err := e.Store().Users.SetLanguage(ctx, greta.ID, "de", "", now); err != nil {
		t.Fatal(err)
	}
	c := e.Client()
	for _, u := range []string{"hugo", "greta"} {
		c.Submit(c.Get("/forgot/password?lang=es"), "form[data-testid=forgot-password-form]", map[string]string{"username": u})
	}
	e.Drain()
	for addr, subject := range map[string]string{hugo.Email: "Solicitud de restablecimiento de contraseña",
		greta.Email: "Anfrage zum Zurücksetzen des Passworts"} {
		if got := e.MailTo(addr); len(got) != 1 || got[0].Subject != subject {
			t.Errorf("%s: %+v, want %q", addr, got, subject)
		}
	}
	// One address, two users who both read French: French, whatever the
	// visitor asked in. Then one of them reads German: the visitor's
	// Spanish.
	shared := "famille@example.com"
	for _, u := range []*models.User{hugo, greta} {
		if err := e.Store().Users.SetEmail(ctx, u.ID, shared, shared, now); err != nil {
			t.Fatal(err)
		}
		if err := e.Store().Users.SetLanguage(ctx, u.ID, "fr", "", now); err != nil {
			t.Fatal(err)
		}
	}
	ask := func() models.OutboxMessage {
		t.Helper()
		before := len(e.MailTo(shared))
		c.Submit(c.Get("/forgot/username?lang=es"), "form[data-testid=forgot-username-form]", map[string]string{"email": shared})
		e.Drain()
		got := e.MailTo(shared)
		if len(got) != before+1 {
			t.Fatalf("%d username emails, want %d", len(got), before+1)
		}
		return got[len(got)-1]
	}
	if m := ask(); m.Subject != "Votre nom d’utilisateur Account Portal" || !strings.Contains(m.TextBody, "  hugo  chez ") {
		t.Errorf("common French: %q\n%s", m.Subject, m.TextBody)
	}
	if err := e.Store().Users.SetLanguage(ctx, greta.ID, "de", "", now); err != nil {
		t.Fatal(err)
	}
	if m := ask(); m.Subject != "Su nombre de usuario de Account Portal" || !strings.Contains(m.TextBody, "  greta  en ") {
		t.Errorf("no common language, asked in Spanish: %q\n%s", m.Subject, m.TextBody)
	}
}
