package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"accountportal/app/apptest"
	"accountportal/app/audit"
	"accountportal/app/security"
	"accountportal/models"
	"accountportal/models/modelstest"
)

func TestWrongAnswersBlockResetForTheDay(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	a := apptest.DefaultAdmin()
	a.Question, a.Answer = "In what city were you born?", "Port Talbot"
	e.Setup(a)
	admin := e.User("ada")
	bob := e.AddUser(admin.AccountID, "bob", "Walrus+Tide42", models.StatusActive)
	hash, _ := security.NewHasher(security.Argon2Params(e.App.Config.Argon2), 1, 0).Hash(context.Background(), "port talbot")
	if err := e.Store().InTx(context.Background(), func(tx *models.Store) error {
		return tx.Users.SetSecurityQuestion(context.Background(), bob.ID, "In what city were you born?", hash, e.Clock.Now())
	}); err != nil {
		t.Fatal(err)
	}
	c := e.Client()
	link := resetLink(t, e, c, "bob", "bob@example.com")
	c.Get(link)
	var res *apptest.Response
	for i := 1; i <= 5; i++ {
		res = c.Submit(c.Get("/reset"), "form[data-testid=reset-answer-form]", map[string]string{"answer": "Cardiff"})
		if i < 5 && res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("wrong answer %d: %d", i, res.Status)
		}
	}
	if res.Status != http.StatusForbidden || !strings.Contains(res.Body, "your account administrator must help you") {
		t.Fatalf("fifth wrong answer: %d", res.Status)
	}
	if r := c.Get(link); r.Status != http.StatusNotFound {
		t.Fatalf("link still works after the lock: %d", r.Status)
	}
	e.Drain()
	notices := e.MailTo("ada@example.com")
	if len(notices) == 0 || notices[len(notices)-1].Subject != "A user cannot reset their password" ||
		!strings.Contains(notices[len(notices)-1].TextBody, "(bob)") {
		t.Fatal("Primary Admin not told")
	}
	// A new request today sends nothing, and says so in the audit log only.
	before := len(e.MailTo("bob@example.com"))
	requestReset(t, e.Client(), "bob")
	e.Drain()
	if len(e.MailTo("bob@example.com")) != before {
		t.Fatal("blocked user got a new link")
	}
	if auditCount(t, e, admin.AccountID, audit.ActionResetAnswerLocked) != 1 || auditCount(t, e, admin.AccountID, audit.ActionResetRefused) != 1 {
		t.Fatal("lock not audited")
	}
	// Tomorrow it works again.
	e.Clock.Advance(25 * time.Hour)
	resetLink(t, e, e.Client(), "bob", "bob@example.com")
}

func TestRequiredQuestionMissingIsAudited(t *testing.T) {
	e, _ := signedUp(t, models.SQLite, apptest.Options{})
	admin := e.User("ada")
	if err := e.Store().Accounts.SetRequireSecurityQuestion(context.Background(), admin.AccountID, true); err != nil {
		t.Fatal(err)
	}
	c := e.Client()
	c.Get(resetLink(t, e, c, "ada", "ada@example.com"))
	res := c.Submit(c.Get("/reset"), "form[data-testid=reset-password-form]", map[string]string{
		"password": newPassword, "password_confirm": newPassword})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("reset: %d", res.Status)
	}
	if auditCount(t, e, admin.AccountID, audit.ActionResetQuestionSkipped) != 1 {
		t.Fatal("skipped question not audited")
	}
}

// lockedOutBob is a portal where bob gave five wrong answers to his
// security question; it returns the Primary Admin's client and the link
// the notice to her holds.
func lockedOutBob(t *testing.T, d models.Dialect) (*apptest.Env, *apptest.Client, string) {
	t.Helper()
	e := apptest.Start(t, d, apptest.Options{})
	pa := e.Setup(apptest.DefaultAdmin())
	bob := e.AddUser(e.User("ada").AccountID, "bob", "Walrus+Tide42", models.StatusActive)
	hash, _ := security.NewHasher(security.Argon2Params(e.App.Config.Argon2), 1, 0).Hash(context.Background(), "port talbot")
	if err := e.Store().InTx(context.Background(), func(tx *models.Store) error {
		return tx.Users.SetSecurityQuestion(context.Background(), bob.ID, "In what city were you born?", hash, e.Clock.Now())
	}); err != nil {
		t.Fatal(err)
	}
	c := e.Client()
	c.Get(resetLink(t, e, c, "bob", "bob@example.com"))
	for range 5 {
		c.Submit(c.Get("/reset"), "form[data-testid=reset-answer-form]", map[string]string{"answer": "Cardiff"})
	}
	e.Drain()
	notices := e.MailTo("ada@example.com")
	notice := notices[len(notices)-1]
	link := apptest.LinkIn(notice.TextBody, e.URL+"/admin/users/")
	if notice.Subject != "A user cannot reset their password" || link == "" {
		t.Fatalf("notice to the Primary Admin: %q\n%s", notice.Subject, notice.TextBody)
	}
	return e, pa, pa.Path(link)
}

// The Primary Admin does what the notice says: clears bob's question and
// sends a reset; bob then resets his password with that link.
func TestAdminHelpsAfterWrongAnswersByClearingTheQuestion(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e, pa, userPage := lockedOutBob(t, d)
		page := pa.Get(userPage)
		if !strings.Contains(page.Doc.Find("[data-testid=reset-blocked]").Text(), "Password reset is blocked until") {
			t.Fatalf("user page does not say reset is blocked: %d", page.Status)
		}
		if _, res := confirmThrough(t, pa, page, "[data-testid=clear-question]", "User bob", nil); res.Status != http.StatusSeeOther {
			t.Fatalf("clear question: %d", res.Status)
		}
		page = pa.Get(userPage)
		if page.Doc.Find("[data-testid=reset-blocked]").Length() != 0 {
			t.Fatal("still shown as blocked after clearing the question")
		}
		if res := pa.Submit(page, "form:has([data-testid=send-reset])", nil); res.Status != http.StatusSeeOther {
			t.Fatalf("send reset: %d", res.Status)
		}
		e.Drain()
		mails := e.MailTo("bob@example.com")
		link := apptest.LinkIn(mails[len(mails)-1].TextBody, e.URL+"/reset/")
		c := e.Client()
		c.Get(c.Path(link))
		form := c.Get("/reset")
		if form.Doc.Find("form[data-testid=reset-password-form]").Length() != 1 {
			t.Fatalf("bob's reset after the admin's help: %d %q", form.Status, form.Doc.Find("h1").Text())
		}
		res := c.Submit(form, "form[data-testid=reset-password-form]", map[string]string{"password": newPassword, "password_confirm": newPassword})
		if res.Status != http.StatusSeeOther || res.Location != "/reset/done" {
			t.Fatalf("bob sets his password: %d %q", res.Status, res.Location)
		}
		if r := e.Client().SignIn("bob", newPassword); r.Status != http.StatusSeeOther {
			t.Fatalf("bob signs in: %d", r.Status)
		}
	})
}

// If bob remembers the answer after all, the Primary Admin unblocks him;
// he asks for a reset himself and answers his question.
func TestAdminUnblocksPasswordReset(t *testing.T) {
	e, pa, userPage := lockedOutBob(t, models.SQLite)
	res := pa.Submit(pa.Get(userPage), "form:has([data-testid=unblock-reset])", nil)
	if res.Status != http.StatusSeeOther {
		t.Fatalf("unblock: %d", res.Status)
	}
	if again := post(pa, userPage+"/reset/unblock", url.Values{}); again.Status != http.StatusConflict {
		t.Fatalf("unblocking an unblocked user: %d", again.Status)
	}
	e.Drain()
	mails := e.MailTo("bob@example.com")
	if mails[len(mails)-1].Subject != "You can reset your password again" {
		t.Fatalf("bob told: %q", mails[len(mails)-1].Subject)
	}
	c := e.Client()
	c.Get(resetLink(t, e, c, "bob", "bob@example.com"))
	res = c.Submit(c.Get("/reset"), "form[data-testid=reset-answer-form]", map[string]string{"answer": "Port Talbot"})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("right answer after the unblock: %d %s", res.Status, res.Doc.Find("main").Text())
	}
	res = c.Submit(c.Get("/reset"), "form[data-testid=reset-password-form]", map[string]string{"password": newPassword, "password_confirm": newPassword})
	if res.Status != http.StatusSeeOther || res.Location != "/reset/done" {
		t.Fatalf("set password: %d %q", res.Status, res.Location)
	}
}

// While wrong answers block bob's reset, an administrator cannot send him a
// link that would only lead to "Password reset is blocked": the page offers
// none, and sending one, alone or in bulk, is refused with what to do.
func TestNoResetLinkWhileBlocked(t *testing.T) {
	e, pa, userPage := lockedOutBob(t, models.SQLite)
	before := len(e.MailTo("bob@example.com"))
	page := pa.Get(userPage)
	if page.Doc.Find("[data-testid=send-reset]").Length() != 0 ||
		!strings.Contains(page.Doc.Find("[data-testid=why-not-send-reset]").Text(), "clear their question or unblock password reset first") {
		t.Error("the user page offers a reset while reset is blocked, or does not say why not")
	}
	// A page from before the block: the user's page again, saying why.
	res := post(pa, userPage+"/reset", url.Values{})
	if res.Status != http.StatusConflict || !strings.Contains(res.Doc.Find("[data-testid=error-summary]").Text(), "clear their question or unblock password reset first") ||
		res.Doc.Find("[data-testid=user-actions]").Length() != 1 || !strings.HasPrefix(res.Doc.Find("title").Text(), "Error: ") {
		t.Errorf("sending a reset while blocked: %d %s", res.Status, res.Doc.Find("main").Text())
	}
	id := strings.TrimPrefix(userPage, "/admin/users/")
	job := pa.RunBulk(url.Values{"action": {"reset"}, "scope": {"selected"}, "id": {id}, "reason": {"x"}})
	if got := job.Doc.Find("[data-testid=bulk-outcome]").Text(); !strings.Contains(got, "skipped: password reset is blocked") {
		t.Errorf("bulk reset while blocked: %q", got)
	}
	e.Drain()
	if n := len(e.MailTo("bob@example.com")); n != before {
		t.Errorf("%d links sent to a blocked user", n-before)
	}
}
