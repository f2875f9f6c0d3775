package web_test

import (
	"context"
	"net/http"
	"testing"

	"accountportal/app/apptest"
	"accountportal/models"
)

func init() {
	addCognates("fr", "version", "question")
	addCognates("de", "version", "administrator")
}

// addNamed adds a user of the account with a display name in no
// language, which the no-English comparisons would otherwise read.
func addNamed(t *testing.T, e *apptest.Env, accountID int64, username, status string) *models.User {
	t.Helper()
	u := e.AddUser(accountID, username, personaPassword, status)
	if err := e.Store().Users.SetDisplayName(context.Background(), u.ID, "Zoë Nuñez", e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	return u
}

// The sign-in's later steps speak the visitor's language too: the license
// agreement's page (the built-in version's text has its translations),
// the security question a new user must set, its refusal, and the
// suspended notice.
func TestSignInStepsLeaveNoEnglish(t *testing.T) {
	e, a := signedUp(t, models.SQLite, apptest.Options{})
	admin := e.User(a.Username)
	e.RequireSecurityQuestion(admin.AccountID, true)
	pages := func(lang string) []map[string]bool {
		var out []map[string]bool
		// A new user meets the question, then the agreement.
		addNamed(t, e, admin.AccountID, "new-"+lang, models.StatusActive)
		c := e.Client()
		c.Get("/login?lang=" + lang)
		res := signInUntilAgreement(c, "new-"+lang, personaPassword)
		if res.Location != "/login/question" {
			t.Fatalf("%s: sign-in went to %q", lang, res.Location)
		}
		question := c.Get("/login/question")
		out = append(out, readerWords(question))
		refused := c.Submit(c.Get("/login/question"), "form[data-testid=login-question-form]", nil)
		if refused.Status != http.StatusUnprocessableEntity {
			t.Fatalf("%s: empty question: %d", lang, refused.Status)
		}
		out = append(out, readerWords(refused))
		res = c.Submit(c.Get("/login/question"), "form[data-testid=login-question-form]", map[string]string{
			"security_question": "custom", "security_question_custom": "Name of my first ferry?", "security_answer": "Spirit of Kent"})
		if res.Location != "/login/agreement" {
			t.Fatalf("%s: after the question: %d %q", lang, res.Status, res.Location)
		}
		agreement := c.Get("/login/agreement")
		if lang != "en" && agreement.Doc.Find("[data-testid=agreement-translated]").Length() != 1 {
			t.Errorf("%s: the agreement does not say it is a translation", lang)
		}
		agreement.Doc.Find("[data-testid=agreement-title]").Remove() // its product name
		out = append(out, visibleWords(agreement))
		// A suspended user is told so.
		addNamed(t, e, admin.AccountID, "gone-"+lang, models.StatusSuspended)
		s := e.Client()
		s.Get("/login?lang=" + lang)
		out = append(out, visibleWords(s.SignIn("gone-"+lang, personaPassword)))
		return out
	}
	assertNoEnglishLeft(t, pages)
}
