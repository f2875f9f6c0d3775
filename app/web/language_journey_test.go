package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"accountportal/app/apptest"
	"accountportal/models"
)

func init() {
	// German writes these months as English does.
	addCognates("de", "april", "august", "september", "november")
	addCognates("es", "real", "use") // "use" as in "Use el portal…" (usted)
	addCognates("fr", "date")
}

// lastMailWords lists the words of the last email to addr (mailWords).
func lastMailWords(t *testing.T, e *apptest.Env, addr string) map[string]bool {
	t.Helper()
	e.Drain()
	msgs := e.MailTo(addr)
	if len(msgs) == 0 {
		t.Fatalf("no mail to %s", addr)
	}
	return mailWords(t, msgs[len(msgs)-1])
}

// The journey for a Spanish speaker, and the same in French and
// German: from the sign-in page (chosen on its switcher) through the
// forced set-up of an authenticator, the security question and the
// agreement, My Profile's pages, signing out, a forgotten password, its
// email, the reset wizard (a wrong answer, a refused password) and the
// email that says the password changed, without meeting English.
func TestSpeakerJourneyFromSignInThroughResetLeavesNoEnglish(t *testing.T) {
	e, a := signedUp(t, models.SQLite, apptest.Options{})
	acct := e.User(a.Username).AccountID
	e.RequireSecurityQuestion(acct, true)
	e.SetMFAPolicy(acct, models.MFAEveryone)
	journey := func(lang string) []map[string]bool {
		var out []map[string]bool
		see := func(res *apptest.Response) *apptest.Response {
			t.Helper()
			if res.Status >= 500 {
				t.Fatalf("%s: %d at %s", lang, res.Status, res.Location)
			}
			out = append(out, visibleWords(res))
			return res
		}
		name := "ana-" + lang
		addr := name + "@example.com"
		addNamed(t, e, acct, name, models.StatusActive)
		c := e.Client()
		see(c.Get("/login?lang=" + lang))
		res := c.Submit(c.Get("/login"), "form[data-testid=login-username-form]", map[string]string{"username": name})
		see(c.Get(res.Location))
		res = c.Submit(c.Get("/login/password"), "form[data-testid=login-password-form]", map[string]string{"password": personaPassword})
		if res.Location != "/login/mfa/setup" {
			t.Fatalf("%s: sign-in went to %q", lang, res.Location)
		}
		setup := see(c.Get("/login/mfa/setup"))
		key := setup.Doc.Find("[data-testid=totp-secret]").Text()
		see(c.Submit(setup, "form[data-testid=mfa-setup-form]", map[string]string{"code": "000000"}))
		codes := see(c.Submit(c.Get("/login/mfa/setup"), "form[data-testid=mfa-setup-form]",
			map[string]string{"code": apptest.TOTP(key, e.Clock.Now())}))
		codes.Doc.Find("[data-testid=backup-codes]").Remove()
		out[len(out)-1] = visibleWords(codes)
		res = c.Submit(codes, "form:has([data-testid=codes-continue])", nil)
		if res.Location != "/login/question" {
			t.Fatalf("%s: after the codes: %d %q", lang, res.Status, res.Location)
		}
		res = c.Submit(c.Get("/login/question"), "form[data-testid=login-question-form]", map[string]string{
			"security_question": "custom", "security_question_custom": "¿Zoë Nuñez?", "security_answer": "Spirit of Kent"})
		res = c.Submit(see(c.Get(res.Location)), "form[action='/login/agreement']", nil)
		if res.Location != "/" {
			t.Fatalf("%s: signed in to %q", lang, res.Location)
		}
		see(c.Get("/"))
		for _, path := range []string{"/profile", "/profile/details", "/profile/passphrase",
			"/profile/sessions", "/profile/mfa", "/profile/support-code"} {
			see(c.Get(path))
		}
		// The time zones are offered by their IANA names, which are the
		// same in every language.
		language := c.Get("/profile/language")
		language.Doc.Find("#time_zone option").Not("[value='']").Remove()
		see(language)
		see(c.Submit(c.Get("/profile/details"), "form[data-testid=details-form]", map[string]string{"display_name": ""}))
		res = c.Submit(c.Get("/"), "form[action='/logout']", nil)
		see(c.Get(res.Location))

		see(requestReset(t, c, name))
		out = append(out, lastMailWords(t, e, addr))
		link := apptest.LinkIn(e.MailTo(addr)[len(e.MailTo(addr))-1].TextBody, e.URL+"/reset/")
		c.Get(c.Path(link))
		see(c.Get("/reset"))
		see(c.Submit(c.Get("/reset"), "form[data-testid=reset-answer-form]", map[string]string{"answer": "Swansea"}))
		res = c.Submit(c.Get("/reset"), "form[data-testid=reset-answer-form]", map[string]string{"answer": "spirit of kent"})
		if res.Status != http.StatusSeeOther {
			t.Fatalf("%s: right answer: %d", lang, res.Status)
		}
		see(c.Get("/reset"))
		see(c.Submit(c.Get("/reset"), "form[data-testid=reset-password-form]", map[string]string{"password": "short", "password_confirm": "shorter"}))
		res = c.Submit(c.Get("/reset"), "form[data-testid=reset-password-form]", map[string]string{"password": newPassword, "password_confirm": newPassword})
		if res.Status != http.StatusSeeOther {
			t.Fatalf("%s: new password: %d", lang, res.Status)
		}
		see(c.Get(res.Location))
		out = append(out, lastMailWords(t, e, addr))
		return out
	}
	assertNoEnglishLeft(t, journey)
}

// The journey for a French administrator, and the same in Spanish
// and German: the users console (list, search, a new user and its refusal,
// a user's page, suspending one, the second-factor reset's confirmation),
// a bulk password reset previewed, run and followed to its page, with the
// reset email the administrator's own-language colleague receives, and
// the audit log that records it all.
func TestAdminConsoleAndBulkActionsLeaveNoEnglish(t *testing.T) {
	e, _ := signedUp(t, models.SQLite, apptest.Options{})
	number := 31000000
	console := func(lang string) []map[string]bool {
		var out []map[string]bool
		see := func(res *apptest.Response) *apptest.Response {
			t.Helper()
			if res.Status >= 500 {
				t.Fatalf("%s: %d", lang, res.Status)
			}
			out = append(out, visibleWords(res))
			return res
		}
		number++
		acct, pa := e.AddAccount(strconv.Itoa(number), "Zoë Nuñez", "pa-"+lang, personaPassword)
		ctx := context.Background()
		if err := e.Store().Users.SetDisplayName(ctx, pa.ID, "Zoë Nuñez", e.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		colleague := addNamed(t, e, acct.ID, "ana-"+lang, models.StatusActive)
		if err := e.Store().Users.SetLanguage(ctx, colleague.ID, lang, "", e.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		other := addNamed(t, e, acct.ID, "zoe-"+lang, models.StatusActive)
		c := e.Client()
		c.SignIn("pa-"+lang, personaPassword)
		if res := c.Submit(c.Get("/profile/language"), "form[data-testid=language-form]",
			map[string]string{"language": lang, "time_zone": "UTC"}); res.Status != http.StatusSeeOther {
			t.Fatalf("%s: language: %d", lang, res.Status)
		}
		list := see(c.Get("/admin/users"))
		see(c.Get("/admin/users?q=zoe"))
		see(c.Get("/admin/users/new"))
		see(c.Submit(c.Get("/admin/users/new"), "form[data-testid=new-user-form]", map[string]string{"display_name": "", "email": "nope"}))
		user := "/admin/users/" + apptest.Itoa(other.ID)
		// The raw entry under each audit event is the stored record, as
		// stored: no language.
		seeActivity := func(res *apptest.Response) {
			res.Doc.Find("[data-testid=audit-raw]").Remove()
			see(res)
		}
		seeActivity(c.Get(user))
		see(c.Get(user + "/deactivate"))
		res := c.Submit(c.Get(user+"/deactivate"), "form[data-testid=deactivate-form]", map[string]string{"reason": "Zoë Nuñez"})
		if res.Status != http.StatusSeeOther {
			t.Fatalf("%s: suspend: %d", lang, res.Status)
		}
		seeActivity(c.Get(res.Location))
		seeActivity(c.Get(user + "/mfa"))
		preview := see(c.Post("/admin/users/bulk", url.Values{"csrf_token": {apptest.CSRF(list)}, "action": {"reset"},
			"scope": {"selected"}, "id": {apptest.Itoa(colleague.ID), apptest.Itoa(other.ID)}}))
		res = c.Submit(preview, "form[data-testid=bulk-run-form]", map[string]string{"reason": "Zoë Nuñez"})
		if res.Status != http.StatusSeeOther {
			t.Fatalf("%s: run: %d", lang, res.Status)
		}
		see(c.WaitForJob(res.Location))
		see(c.Get("/admin/users/jobs"))
		out = append(out, lastMailWords(t, e, colleague.Email))
		// What all that left in the audit log, its support view, and a
		// filter refused.
		seeActivity(c.Get("/admin/audit"))
		seeActivity(c.Get("/admin/audit?view=support"))
		seeActivity(c.Get("/admin/audit?from=2026-13-45"))
		return out
	}
	assertNoEnglishLeft(t, console)
}
