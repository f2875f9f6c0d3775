package mail_test

import (
	"context"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/PuerkitoBio/goquery"

	"accountportal/app/mail"
	"accountportal/models"
	"accountportal/models/modelstest"
	"accountportal/views/emails"
	"accountportal/views/i18n"
)

// sameInEveryLanguage are the words an email shows alike in every
// language: the product's name, and the test's names, usernames, links
// and addresses.
var sameInEveryLanguage = map[string]bool{"account": true, "portal": true, "utc": true, "cet": true,
	"zoë": true, "quintana": true, "olga": true, "petrova": true, "pat": true, "kowalski": true,
	"acme": true, "ltd": true, "beta": true, "example": true, "com": true, "zqx": true, "xqz": true}

// link is an address in an email, left out of its words.
var link = regexp.MustCompile(`https?://[^\s"<]+`)

// emailCognates are words a language writes as English does, in that
// language only.
var emailCognates = map[string]map[string]bool{
	"es": {"error": true, "roles": true, "factor": true, "ignore": true},
	"fr": {"code": true, "codes": true, "service": true, "question": true, "page": true, "suspension": true,
		"audit": true, "minutes": true, "date": true, "second": true, "invitation": true},
	"de": {"link": true, "app": true, "code": true, "name": true, "integration": true, "status": true, "administrator": true,
		"browser": true},
}

// words are the words of three letters or more of a text, in lower case.
func words(text string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(link.ReplaceAllString(text, " ")), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '’' && r != '\''
	}) {
		if len([]rune(w)) >= 3 && !sameInEveryLanguage[w] && strings.IndexFunc(w, unicode.IsLetter) >= 0 {
			out[w] = true
		}
	}
	return out
}

// visible is the words a reader sees of an email: its subject, its text
// part and the text of its HTML part (the title included).
func visible(t *testing.T, m mail.Message) map[string]bool {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(m.HTML))
	if err != nil {
		t.Fatal(err)
	}
	var parts []string
	doc.Find("title, body *").Contents().Each(func(_ int, s *goquery.Selection) {
		if goquery.NodeName(s) == "#text" {
			parts = append(parts, s.Text())
		}
	})
	return words(m.Subject + " " + m.Text + " " + strings.Join(parts, " "))
}

// englishLeft lists the words of got that English shows too, but for
// the language's cognates.
func englishLeft(lang string, english, got map[string]bool) []string {
	var left []string
	for w := range got {
		if english[w] && !emailCognates[lang][w] {
			left = append(left, w)
		}
	}
	sort.Strings(left)
	return left
}

var (
	sentAt  = time.Date(2026, 12, 5, 14, 3, 0, 0, time.UTC)
	expires = time.Date(2026, 12, 8, 14, 3, 0, 0, time.UTC)
)

// kinds are every kind of email the portal sends, each variant once.
func kinds() map[string]func(ctx context.Context) (mail.Message, error) {
	to := "zoe@example.com"
	link := "https://portal.example.com/reset/zqx"
	say := emails.Say
	info := func(e mail.InfoEmail) func(ctx context.Context) (mail.Message, error) { return e.Message }
	return map[string]func(ctx context.Context) (mail.Message, error){
		"reset": mail.ResetEmail{To: to, DisplayName: "Zoë Quintana", Username: "zqx", Link: link, ValidFor: 2 * time.Hour}.Message,
		"reset by admin": mail.ResetEmail{To: to, DisplayName: "Zoë Quintana", Username: "zqx", Link: link, ValidFor: 2 * time.Hour,
			RequestedBy: "Pat Kowalski"}.Message,
		"reset by provider": mail.ResetEmail{To: to, DisplayName: "Zoë Quintana", Username: "zqx", Link: link, ValidFor: 2 * time.Hour,
			RequestedBy: "Olga Petrova", ByProvider: true}.Message,
		"password changed": mail.PasswordChangedEmail{To: to, DisplayName: "Zoë Quintana", Username: "zqx", When: sentAt,
			IP: "192.0.2.1"}.Message,
		"one username": mail.UsernamesEmail{To: to, Usernames: []emails.AccountUsername{
			{Username: "zqx", Account: emails.AccountName("Acme Ltd", "12345678")}}, SignInLink: "https://portal.example.com/login"}.Message,
		"usernames": mail.UsernamesEmail{To: to, Usernames: []emails.AccountUsername{
			{Username: "zqx", Account: emails.AccountName("Acme Ltd", "12345678")},
			{Username: "xqz", Account: emails.AccountName("Beta", "87654321")}}, SignInLink: "https://portal.example.com/login"}.Message,
		"answer locked": mail.AnswerLockedEmail{To: to, AdminName: "Pat Kowalski", UserDisplayName: "Zoë Quintana", Username: "zqx",
			UserPage: "https://portal.example.com/admin/users/7"}.Message,
		"notice": mail.NoticeEmail{To: to, Subject: say("email.notice.email_changed"), DisplayName: "Zoë Quintana",
			What: say("email.notice.email_changed_what", map[string]any{"Username": "zqx", "Email": "xqz@example.com"}),
			When: sentAt, IP: "192.0.2.1"}.Message,
		"confirm email": mail.ConfirmEmailEmail{To: to, DisplayName: "Zoë Quintana", Username: "zqx",
			Link: "https://portal.example.com/profile/email/confirm/zqx", ValidFor: 24 * time.Hour}.Message,
		"info": info(mail.InfoEmail{To: to, Subject: say("email.privileges.subject"), DisplayName: "Zoë Quintana",
			Lines: []emails.Text{say("email.privileges.changed", map[string]any{"Admin": "Pat Kowalski", "Account": "Acme Ltd"}),
				say("email.privileges.held", map[string]any{"Held": []emails.Text{say("email.permission.users_manage"),
					say("email.permission.audit_view")}})},
			Link: "https://portal.example.com/", LinkLabel: say("email.layout.open_portal")}),
		"info without a link": info(mail.InfoEmail{To: to, Subject: say("email.lifecycle.closed_subject"), DisplayName: "Pat Kowalski",
			Lines: []emails.Text{say("email.lifecycle.closed", map[string]any{"Name": "Acme Ltd", "Number": "12345678", "When": sentAt}),
				say("email.lifecycle.closed_kept", map[string]any{"Until": emails.Day(expires)})}}),
		"invitation": mail.InvitationEmail{To: to, DisplayName: "Pat Kowalski", Company: "Acme Ltd", AccountNumber: "12345678",
			Username: "zqx", InvitedBy: "Olga Petrova", Link: "https://portal.example.com/invite/zqx", Expires: expires}.Message,
		"invitation again": mail.InvitationEmail{To: to, DisplayName: "Pat Kowalski", Company: "Acme Ltd", AccountNumber: "12345678",
			Username: "zqx", InvitedBy: "Olga Petrova", Link: "https://portal.example.com/invite/zqx", Expires: expires, Again: true}.Message,
	}
}

// Every kind of email is written wholly in its reader's language: no word
// of its subject, text part or HTML part is left in English but names,
// links and cognates, and <html lang> says the language.
func TestEmailsLeaveNoEnglish(t *testing.T) {
	for name, render := range kinds() {
		en, err := render(mail.InLanguage(context.Background(), "en"))
		if err != nil {
			t.Fatal(name, err)
		}
		english := visible(t, en)
		for _, lang := range []string{"es", "fr", "de"} {
			m, err := render(mail.InLanguage(context.Background(), lang))
			if err != nil {
				t.Fatal(name, lang, err)
			}
			if left := englishLeft(lang, english, visible(t, m)); len(left) > 0 {
				t.Errorf("%s in %s: English left: %q\n%s\n%s", name, lang, left, m.Subject, m.Text)
			}
			if !strings.Contains(m.HTML, `<html lang="`+lang+`">`) {
				t.Errorf("%s in %s: no <html lang=%q>", name, lang, lang)
			}
			if strings.Contains(m.Text+m.HTML+m.Subject, "[email.") || strings.Contains(m.Text+m.HTML, "<no value>") {
				t.Errorf("%s in %s: a message id or placeholder is shown:\n%s", name, lang, m.Text)
			}
		}
	}
}

// Every sentence the services give emails (a catalog id under [email…],
// many of them said only by one service) is translated: with every
// placeholder filled, no word is left in English.
func TestEmailSentencesLeaveNoEnglish(t *testing.T) {
	ids, err := i18n.IDs("en")
	if err != nil {
		t.Fatal(err)
	}
	data := map[string]any{"Count": 5, "When": sentAt, "Until": sentAt, "ValidFor": 72 * time.Hour, "Expires": expires}
	say := func(lang, id string) string {
		d := map[string]any{}
		for _, k := range []string{"Name", "Username", "By", "Admin", "Account", "Company", "Number", "Email", "IP", "Link",
			"Label", "Held", "Key", "Reason", "What", "Date", "Day", "Month", "Year", "Clock", "Zone"} {
			d[k] = "zqx"
		}
		for k, v := range data {
			d[k] = v
		}
		return emails.Say(id, d).In(i18n.WithLanguage(context.Background(), lang))
	}
	n := 0
	for _, id := range ids {
		if !strings.HasPrefix(id, "email.") {
			continue
		}
		n++
		english := words(say("en", id))
		for _, lang := range []string{"es", "fr", "de"} {
			text := say(lang, id)
			if left := englishLeft(lang, english, words(text)); len(left) > 0 {
				t.Errorf("%s in %s: English left: %q in %q", id, lang, left, text)
			}
		}
	}
	if n < 100 {
		t.Fatalf("only %d email sentences: the catalog scan is broken", n)
	}
}

// English emails read as they always have: the same subject and text.
func TestEnglishEmailsUnchanged(t *testing.T) {
	ctx := context.Background()
	m, err := kinds()["password changed"](ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := "Hello Zoë Quintana,\n\nThe password of your account zqx was changed on 5 December 2026 at 14:03 UTC from the address 192.0.2.1.\n\n" +
		"If this was not you, contact your account administrator at once.\n\n-- \nAccount Portal. You received this email because " +
		"of activity on your account.\nIf you did not expect it, tell your account administrator.\n"
	if m.Subject != "Your password was changed" || m.Text != want {
		t.Errorf("got %q\n%q", m.Subject, m.Text)
	}
	m, err = kinds()["usernames"](ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(m.Text, "  zqx  at Acme Ltd (account 12345678)\n  xqz  at Beta (account 87654321)\n") ||
		!strings.Contains(m.HTML, "<li><strong>zqx</strong> at Acme Ltd (account 12345678)</li>") {
		t.Errorf("usernames:\n%s\n%s", m.Text, m.HTML)
	}
}

// Times are written in the reader's language and time zone; a name with
// markup in it stays text.
func TestEmailTimesInTheReadersZone(t *testing.T) {
	paris := i18n.ZoneOf("Europe/Paris")
	cases := map[string]string{
		"en": "5 December 2026 at 15:03 CET",
		"es": "5 de diciembre de 2026, a las 15:03 CET",
		"fr": "5 décembre 2026 à 15:03 CET",
		"de": "5. Dezember 2026 um 15:03 Uhr CET",
	}
	for lang, want := range cases {
		ctx := i18n.WithZone(i18n.WithLanguage(context.Background(), lang), paris)
		if got := emails.Moment(ctx, sentAt); got != want {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
	}
	m, err := mail.ResetEmail{To: "zoe@example.com", DisplayName: "<b>Zoë</b>", Username: "<i>zqx</i>",
		Link: "https://portal.example.com/reset/zqx", ValidFor: time.Hour}.Message(mail.InLanguage(context.Background(), "de"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(m.HTML, "<i>") || strings.Contains(m.HTML, "<b>") ||
		!strings.Contains(m.HTML, "<strong>&lt;i&gt;zqx&lt;/i&gt;</strong>") {
		t.Errorf("markup in names not escaped:\n%s", m.HTML)
	}
	if !strings.Contains(m.Text, "60 Minuten") {
		t.Errorf("duration not in German:\n%s", m.Text)
	}
}

// Reader speaks the user's own language in their own zone, else their
// account's, else (the language) their last sign-in's, else English in
// UTC; Visitor falls back to the request's language instead. The request's language never outranks a
// choice.
func TestReaderLanguageAndZone(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, time.Now)
		plain := &models.Account{Number: "11111111", Name: "Plain", Kind: "customer", Status: models.AccountActive,
			PasswordPreset: "classic", MFAPolicy: models.MFAOptional}
		french := &models.Account{Number: "22222222", Name: "Français", Kind: "customer", Status: models.AccountActive,
			PasswordPreset: "classic", MFAPolicy: models.MFAOptional, Language: "fr", TimeZone: "Europe/Paris"}
		for _, a := range []*models.Account{plain, french} {
			if err := s.Accounts.Create(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		request := i18n.WithLanguage(i18n.WithPreferred(ctx, "es"), "es")
		cases := []struct {
			name              string
			u                 models.User
			reader, visitor   string
			readerZ, visitorZ string
		}{
			{"own choice", models.User{AccountID: french.ID, Language: "de", TimeZone: "Asia/Tokyo"}, "de", "de", "JST", "JST"},
			{"account's default", models.User{AccountID: french.ID}, "fr", "fr", "CET", "CET"},
			{"none", models.User{AccountID: plain.ID}, "en", "es", "UTC", "UTC"},
			{"unknown values", models.User{AccountID: plain.ID, Language: "xx", TimeZone: "Mars/Olympus", SignInLanguage: "xx"}, "en", "es", "UTC", "UTC"},
			{"last sign-in's", models.User{AccountID: plain.ID, SignInLanguage: "de"}, "de", "es", "UTC", "UTC"},
			{"account's over last sign-in's", models.User{AccountID: french.ID, SignInLanguage: "de"}, "fr", "fr", "CET", "CET"},
			{"own over last sign-in's", models.User{AccountID: plain.ID, Language: "fr", SignInLanguage: "de"}, "fr", "fr", "UTC", "UTC"},
		}
		for _, tc := range cases {
			for _, f := range []struct {
				fn         func(context.Context, *models.Store, *models.User) (context.Context, error)
				lang, zone string
			}{{mail.Reader, tc.reader, tc.readerZ}, {mail.Visitor, tc.visitor, tc.visitorZ}} {
				got, err := f.fn(request, s, &tc.u)
				if err != nil {
					t.Fatal(err)
				}
				if i18n.Lang(got) != f.lang || sentAt.In(i18n.Zone(got)).Format("MST") != f.zone {
					t.Errorf("%s: %s %s, want %s %s", tc.name, i18n.Lang(got), i18n.Zone(got), f.lang, f.zone)
				}
			}
		}
		if !slices.Contains([]string{"en"}, i18n.Lang(mail.InLanguage(request, "pt"))) {
			t.Error("a language the portal does not speak is not English")
		}
	})
}
