package web_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"accountportal/app/apptest"
	"accountportal/app/provider"
	"accountportal/models"
	"accountportal/models/modelstest"
)

// licenseWorld is a portal whose Primary Admin accepted the first version,
// a second customer account, and a signed-in operator.
type licenseWorld struct {
	e      *apptest.Env
	admin  apptest.Admin
	ops    *apptest.Client
	opsKey string
}

func newLicenseWorld(t *testing.T, d models.Dialect) *licenseWorld {
	t.Helper()
	e, a := signedUp(t, d, apptest.Options{})
	c := e.Client()
	if res := c.SignIn(a.Username, a.Password); res.Location != "/" {
		t.Fatalf("first sign-in: %d %q", res.Status, res.Location)
	}
	e.AddOperator("Olga Ops", "olga@provider.example", personaPassword)
	ops := e.Client()
	key, _ := ops.SignInEnrolling("olga@provider.example", personaPassword, e.Clock)
	return &licenseWorld{e: e, admin: a, ops: ops, opsKey: key}
}

// signInUntilAgreement gives the username and password and stops where
// the sign-in goes next (apptest's SignIn accepts the agreement on its own).
func signInUntilAgreement(c *apptest.Client, username, password string) *apptest.Response {
	res := c.Submit(c.Get("/login"), "form[data-testid=login-username-form]", map[string]string{"username": username})
	return c.Submit(c.Get(res.Location), "form[data-testid=login-password-form]", map[string]string{"password": password})
}

// publish submits the operator's form and returns the answer.
func (w *licenseWorld) publish(fields map[string]string) *apptest.Response {
	return w.ops.Submit(w.ops.Get("/operator/license/new"), "form[data-testid=license-form]", fields)
}

// TestPublishedAgreementIsAcceptedAtNextSignIn follows the promise of the
// publishing form: from its day in force every user accepts the new
// version at their next sign-in, and reads afterwards the text they
// accepted, as it was.
func TestPublishedAgreementIsAcceptedAtNextSignIn(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		w := newLicenseWorld(t, d)
		withHTML := w.publish(map[string]string{"version": "2027-01", "title": "Terms", "effective": w.e.Clock.Now().Format(time.DateOnly),
			"text": "- Be kind <script>alert(1)</script>\n"})
		if got := withHTML.Doc.Find("[data-testid=error-text]").Text(); withHTML.Status != http.StatusUnprocessableEntity || !strings.Contains(got, "Remove the HTML") {
			t.Fatalf("raw HTML in the text: %d %q", withHTML.Status, got)
		}
		text := "# Changes\n\nWe now record **where** you sign in.\n\n[Click](javascript:alert(2))\n"
		res := w.publish(map[string]string{"version": "2027-01", "title": "Terms of use, 2027",
			"text": text, "effective": w.e.Clock.Now().Format(time.DateOnly)})
		if res.Status != http.StatusSeeOther || res.Location != "/operator/license" {
			t.Fatalf("publish: %d %q\n%s", res.Status, res.Location, res.Doc.Find(".error-summary").Text())
		}
		list := w.ops.Get("/operator/license")
		if got := list.Doc.Find("[data-testid=flash]").Text(); !strings.Contains(got, "Version 2027-01 published") {
			t.Errorf("flash: %q", got)
		}
		if got := list.Doc.Find("[data-testid=license-state-2027-01]").Text(); got != "In force" {
			t.Errorf("new version's state: %q", got)
		}
		if got := list.Doc.Find("[data-testid=license-state-2026-01]").Text(); got != "Replaced" {
			t.Errorf("old version's state: %q", got)
		}

		c := w.e.Client()
		if res := signInUntilAgreement(c, w.admin.Username, w.admin.Password); res.Location != "/login/agreement" {
			t.Fatalf("next sign-in after publishing: %d %q, want the agreement", res.Status, res.Location)
		}
		page := c.Get("/login/agreement")
		body := page.Doc.Find("[data-testid=agreement-text]")
		if got := body.Find("[data-testid=agreement-title]").Text(); got != "Terms of use, 2027" {
			t.Errorf("title shown: %q", got)
		}
		if body.Find("strong").Text() != "where" || body.Find("h3").Text() != "Changes" || body.Find("h1").Length() != 0 ||
			strings.Contains(page.Body, "javascript:") {
			html, _ := body.Html()
			t.Errorf("the Markdown is not rendered safely:\n%s", html)
		}
		if res := c.Submit(page, "form[action='/login/agreement']", nil); res.Location != "/" {
			t.Fatalf("accept: %d %q", res.Status, res.Location)
		}
		// My Profile's summary names the version and leads to it.
		row := c.Get("/profile").Doc.Find("[data-testid=profile-summary] [data-testid=profile-license]")
		if !strings.HasPrefix(strings.Join(strings.Fields(row.Text()), " "), "Version ") ||
			c.Get("/profile").Doc.Find("[data-testid=view-license]").AttrOr("href", "") != "/agreement" {
			t.Errorf("My Profile's license row: %q", row.Text())
		}
		mine := c.Get("/agreement")
		if got := mine.Doc.Find("[data-testid=agreement-title]").Text(); got != "Terms of use, 2027" {
			t.Errorf("My agreement shows %q", got)
		}
		if got := mine.Doc.Find("[data-testid=accepted-versions] tbody tr").Length(); got != 2 {
			t.Errorf("%d accepted versions listed, want 2", got)
		}
		if when := mine.Doc.Find("[data-testid=accepted-versions] tbody tr td time").First(); strings.Contains(when.Text(), "UTC") ||
			!strings.HasSuffix(when.AttrOr("title", ""), "UTC") {
			t.Errorf("accepted at %q", when.Text())
		}
		// The provider's staff are not asked to accept the customers' agreement.
		w.e.Client().SignInTOTP("olga@provider.example", personaPassword, w.opsKey, w.e.Clock)
		olga, err := w.e.Store().Users.ByUsernameKey(context.Background(), "olga@provider.example")
		if err != nil {
			t.Fatal(err)
		}
		if accepted, err := w.e.Store().Users.HasAcceptedLicense(context.Background(), olga.ID, "2027-01"); err != nil || accepted {
			t.Errorf("the operator was asked to accept the customers' agreement (%v)", err)
		}
		// Asked once per version.
		c.Submit(c.Get("/"), "form[action='/logout']", nil)
		if res := signInUntilAgreement(w.e.Client(), w.admin.Username, w.admin.Password); res.Location != "/" {
			t.Fatalf("sign-in after accepting: %d %q", res.Status, res.Location)
		}
		staff, err := w.e.Store().Accounts.Staff(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		events, err := w.e.Store().Audit.Page(context.Background(), models.AuditFilter{AccountID: staff.ID, ActionPrefix: provider.ActionLicensePublished}, 0, 0, 10)
		if err != nil || len(events) != 1 || events[0].ActorName != "Olga Ops (olga@provider.example)" {
			t.Fatalf("audit of publishing: %v %+v", err, events)
		}
	})
}

// TestScheduledAgreementWaitsForItsDay: a version in force from tomorrow
// is not asked for today, and is the day it comes.
func TestScheduledAgreementWaitsForItsDay(t *testing.T) {
	w := newLicenseWorld(t, models.SQLite)
	tomorrow := w.e.Clock.Now().Add(24 * time.Hour).Format(time.DateOnly)
	if res := w.publish(map[string]string{"version": "2027-02", "title": "Later terms", "text": "Later.", "effective": tomorrow}); res.Status != http.StatusSeeOther {
		t.Fatalf("publish: %d", res.Status)
	}
	if got := w.ops.Get("/operator/license").Doc.Find("[data-testid=license-state-2027-02]").Text(); got != "Scheduled" {
		t.Errorf("state: %q", got)
	}
	if res := signInUntilAgreement(w.e.Client(), w.admin.Username, w.admin.Password); res.Location != "/" {
		t.Fatalf("today: %d %q", res.Status, res.Location)
	}
	w.e.Clock.Advance(24 * time.Hour)
	if res := signInUntilAgreement(w.e.Client(), w.admin.Username, w.admin.Password); res.Location != "/login/agreement" {
		t.Fatalf("on its day: %d %q", res.Status, res.Location)
	}
}

// TestAgreementChangedWhileReading: accepting the version one read after a
// newer one came into force shows the newer one instead of recording
// either.
func TestAgreementChangedWhileReading(t *testing.T) {
	w := newLicenseWorld(t, models.SQLite)
	w.publish(map[string]string{"version": "2027-01", "title": "Terms A", "text": "A.", "effective": w.e.Clock.Now().Format(time.DateOnly)})
	c := w.e.Client()
	signInUntilAgreement(c, w.admin.Username, w.admin.Password)
	page := c.Get("/login/agreement")
	w.publish(map[string]string{"version": "2027-02", "title": "Terms B", "text": "B.", "effective": w.e.Clock.Now().Format(time.DateOnly)})
	res := c.Submit(page, "form[action='/login/agreement']", nil)
	if res.Status != http.StatusSeeOther || res.Location != "/login/agreement" {
		t.Fatalf("accepting the replaced version: %d %q", res.Status, res.Location)
	}
	again := c.Get("/login/agreement")
	if got := again.Doc.Find("[data-testid=agreement-title]").Text(); got != "Terms B" {
		t.Fatalf("shown after the change: %q", got)
	}
	if !strings.Contains(again.Doc.Find("[data-testid=flash]").Text(), "updated while you read it") {
		t.Errorf("no word of the change: %q", again.Doc.Find("[data-testid=flash]").Text())
	}
	if res := c.Submit(again, "form[action='/login/agreement']", nil); res.Location != "/" {
		t.Fatalf("accepting the new version: %d %q", res.Status, res.Location)
	}
}

// TestPublishingRefusesBadVersions names what is wrong in each field.
func TestPublishingRefusesBadVersions(t *testing.T) {
	w := newLicenseWorld(t, models.SQLite)
	today := w.e.Clock.Now().Format(time.DateOnly)
	good := map[string]string{"version": "2027-01", "title": "Terms", "text": "Text.", "effective": today}
	with := func(k, v string) map[string]string {
		out := map[string]string{}
		for key, val := range good {
			out[key] = val
		}
		out[k] = v
		return out
	}
	cases := []struct {
		name   string
		fields map[string]string
		field  string
		want   string
	}{
		{"no version", with("version", ""), "version", "Enter a version name"},
		{"version with a space", with("version", "2027 01"), "version", "Use up to 40 letters"},
		{"taken version", with("version", "2026-01"), "version", "A version with this name exists"},
		{"no title", with("title", " "), "title", "Enter a title"},
		{"no text", with("text", "\n\n"), "text", "Enter the text"},
		{"NUL in the text", with("text", "a\x00b"), "text", "control characters"},
		{"yesterday", with("effective", w.e.Clock.Now().Add(-24*time.Hour).Format(time.DateOnly)), "effective", "Choose today or a later day"},
		{"not a date", with("effective", "31/01/2027"), "effective", "Enter a date such as"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := w.publish(tc.fields)
			if res.Status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d", res.Status)
			}
			if got := res.Doc.Find("[data-testid=error-" + tc.field + "]").Text(); !strings.Contains(got, tc.want) {
				t.Errorf("error of %s: %q, want %q", tc.field, got, tc.want)
			}
		})
	}
	if got := w.ops.Get("/operator/license").Doc.Find("[data-testid=license-versions] tbody tr").Length(); got != 1 {
		t.Fatalf("%d versions after refused forms, want 1", got)
	}
}

// TestNotAcceptedListsOnlyThatAccount: the operator's list and CSV of who
// has not accepted the version in force name the account's own users who
// can sign in, and drop each as they accept.
func TestNotAcceptedListsOnlyThatAccount(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		w := newLicenseWorld(t, d)
		ada := w.e.User("ada")
		w.e.AddUser(ada.AccountID, "tess", personaPassword, models.StatusActive)
		sue := w.e.AddUser(ada.AccountID, "sue", personaPassword, models.StatusActive)
		if err := w.e.Store().Users.SetStatus(context.Background(), sue.ID, models.StatusSuspended, w.e.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		other, _ := w.e.AddAccount("23232323", "Other Co", "oscar", personaPassword)
		path := "/operator/accounts/" + apptest.Itoa(ada.AccountID) + "/agreement"
		names := func() []string {
			var out []string
			w.ops.Get(path).Doc.Find("[data-testid=not-accepted] tbody tr td:nth-child(2)").Each(func(_ int, s *goquery.Selection) {
				out = append(out, s.Text())
			})
			return out
		}
		if got := strings.Join(names(), ","); got != "tess" {
			t.Fatalf("not accepted: %q, want tess alone (ada accepted, sue is suspended, oscar is elsewhere)", got)
		}
		page := w.ops.Get("/operator/accounts/" + apptest.Itoa(ada.AccountID))
		if got := page.Doc.Find("[data-testid=account-license]").Text(); got != "1 user has not accepted version 2026-01 yet." {
			t.Errorf("the account page says %q", got)
		}
		if href, _ := page.Doc.Find("[data-testid=account-license-link]").Attr("href"); href != path {
			t.Errorf("the account page links to %q", href)
		}
		res, body := w.ops.Raw(path + ".csv")
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil || res.StatusCode != http.StatusOK || len(rows) != 2 || rows[1][2] != "tess" {
			t.Fatalf("CSV: %d %v %q", res.StatusCode, err, rows)
		}
		w.e.Client().SignIn("tess", personaPassword) // and accepts the agreement
		if page := w.ops.Get(path); page.Doc.Find("[data-testid=all-accepted]").Length() != 1 {
			t.Fatalf("after tess accepted: %q", names())
		}
		otherPath := "/operator/accounts/" + apptest.Itoa(other.ID) + "/agreement"
		if got := w.ops.Get(otherPath).Doc.Find("[data-testid=not-accepted] tbody tr").Text(); !strings.Contains(got, "oscar") || strings.Contains(got, "tess") {
			t.Fatalf("other account's list: %q", got)
		}
		staff, err := w.e.Store().Accounts.Staff(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{"/operator/accounts/999999/agreement", "/operator/accounts/abc/agreement.csv",
			"/operator/accounts/" + apptest.Itoa(staff.ID) + "/agreement"} {
			if res := w.ops.Get(p); res.Status != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", p, res.Status)
			}
		}
	})
}

// An operator publishes a version with a Spanish translation: a reader of
// Spanish reads it in Spanish, told the English text applies, and accepts
// it; a reader of German, which it has no translation into, reads the
// English text marked as English and told it is published in English
// only; an English reader reads it as published, with neither note. A
// translation with a title and no text is refused, and nothing is
// published.
func TestAgreementInTheReadersLanguage(t *testing.T) {
	w := newLicenseWorld(t, models.SQLite)
	e := w.e
	today := e.Clock.Now().Format(time.DateOnly)
	half := w.publish(map[string]string{"version": "2027-01", "title": "Terms", "text": "Be kind.", "effective": today,
		"title_es": "Condiciones"})
	if got := half.Doc.Find("[data-testid=error-text_es]").Text(); half.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(got, "Enter the text of the agreement") || half.Doc.Find("details[data-testid=license-translations][open]").Length() != 1 {
		t.Fatalf("a Spanish title without text: %d %q", half.Status, got)
	}
	if _, err := e.Store().Licenses.ByVersion(context.Background(), "2027-01"); err == nil {
		t.Fatal("published although refused")
	}
	res := w.publish(map[string]string{"version": "2027-01", "title": "Terms of use, 2027", "text": "Be kind to the **support desk**.",
		"effective": today, "title_es": "Condiciones de uso, 2027", "text_es": "Sea amable con el **servicio de asistencia**."})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("publish: %d %s", res.Status, res.Doc.Find("[data-testid=error-summary]").Text())
	}
	if got := w.ops.Get("/operator/license/2027-01").Doc.Find("[data-testid=license-translations]").Text(); !strings.Contains(got, "Also published in Spanish:") {
		t.Errorf("the version's page: %q", got)
	}
	if got := w.ops.Get("/operator/license/2026-01").Doc.Find("[data-testid=license-translations]").Text(); !strings.Contains(got, "Also published in Spanish, French, German:") {
		t.Errorf("the built-in version's page: %q", got)
	}
	acct := e.User(w.admin.Username).AccountID
	readAs := func(lang string) *apptest.Response {
		t.Helper()
		u := e.AddUser(acct, "reader-"+lang, personaPassword, models.StatusActive)
		if err := e.Store().Users.SetLanguage(context.Background(), u.ID, lang, "", e.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		c := e.Client()
		if res := signInUntilAgreement(c, u.Username, personaPassword); res.Location != "/login/agreement" {
			t.Fatalf("%s: sign-in went to %q", lang, res.Location)
		}
		return c.Get("/login/agreement")
	}
	es := readAs("es")
	if title, body := es.Doc.Find("[data-testid=agreement-title]"), es.Doc.Find("[data-testid=agreement-body]"); title.Text() != "Condiciones de uso, 2027" ||
		!strings.Contains(body.Text(), "Sea amable con el servicio de asistencia.") || body.AttrOr("lang", "") != "" ||
		es.Doc.Find("[data-testid=agreement-translated]").Text() != "Esta es una traducción: el texto en inglés es el que se aplica." {
		t.Errorf("Spanish: %q / %q", title.Text(), es.Doc.Find("[data-testid=agreement-text]").Text())
	}
	de := readAs("de")
	if title, body := de.Doc.Find("[data-testid=agreement-title]"), de.Doc.Find("[data-testid=agreement-body]"); title.Text() != "Terms of use, 2027" ||
		title.AttrOr("lang", "") != "en" || body.AttrOr("lang", "") != "en" ||
		de.Doc.Find("[data-testid=agreement-english-only]").Text() != "Dieser Vertrag ist nur auf Englisch veröffentlicht." {
		t.Errorf("German: %q / %q", title.Text(), de.Doc.Find("[data-testid=agreement-text]").Text())
	}
	en := readAs("en")
	if en.Doc.Find("[data-testid=agreement-title]").Text() != "Terms of use, 2027" ||
		en.Doc.Find("[data-testid=agreement-translated], [data-testid=agreement-english-only], [lang=en] [lang]").Length() != 0 {
		t.Errorf("English: %q", en.Doc.Find("[data-testid=agreement-text]").Text())
	}
	// The Spanish reader accepts the version the page names, and My Profile
	// shows them what they accepted, in Spanish.
	c := e.Client()
	signInUntilAgreement(c, "reader-es", personaPassword)
	if res := c.Submit(c.Get("/login/agreement"), "form[action='/login/agreement']", nil); res.Location != "/" {
		t.Fatalf("accept: %d %q", res.Status, res.Location)
	}
	if got := c.Get("/agreement").Doc.Find("[data-testid=agreement-title]").Text(); got != "Condiciones de uso, 2027" {
		t.Errorf("My Profile's agreement: %q", got)
	}
}
