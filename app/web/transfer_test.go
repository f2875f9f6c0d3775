package web_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"accountportal/app/admin"
	"accountportal/app/apptest"
	"accountportal/models"
	"accountportal/models/modelstest"
)

const tessPassphrase = "Tide pools at noon"

// offerTo starts a Primary Admin transfer to the user with id as the
// Primary Admin's client pa.
func offerTo(t *testing.T, pa *apptest.Client, username, password string) {
	t.Helper()
	if res := post(pa, "/admin/privileges/transfer", url.Values{"transfer_username": {username}, "transfer_password": {password}}); res.Status != http.StatusSeeOther {
		t.Fatalf("start transfer: %d", res.Status)
	}
}

// pendingTo reports whether the account's pending transfer names userID.
func pendingTo(t *testing.T, e *apptest.Env, accountID, userID int64) bool {
	t.Helper()
	p, err := e.Store().Transfers.Pending(context.Background(), accountID)
	if errors.Is(err, models.ErrNotFound) {
		return false
	}
	if err != nil {
		t.Fatal(err)
	}
	return p.ToUserID == userID
}

func subjects(e *apptest.Env, addr string) string {
	var out []string
	for _, m := range e.MailTo(addr) {
		out = append(out, m.Subject)
	}
	return strings.Join(out, "|")
}

// The hijack of issue 14: while a transfer to tess waits, an admin whose
// privileges cover hers changes her email address, sends her a reset, sets
// her password from their own mailbox, signs in as her and accepts. The
// first step is refused, and so is every other action on her by anyone
// but the Primary Admin.
func TestTransferHijackRefused(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		w := newWorld(t, d)
		e := w.e
		tess := e.User("tess")
		offerTo(t, w.client(t, primary), "tess", w.admin.Password)
		tessClient := e.Client()
		tessClient.SignIn("tess", personaPassword)
		tessPath := "/admin/users/" + w.targetID
		steps := []struct {
			name, path string
			form       url.Values
		}{
			{"change her email address", tessPath, url.Values{"display_name": {"User tess"}, "email": {"ivan@evil.example"}, "username": {"tess"}}},
			{"send her a password reset", tessPath + "/reset", url.Values{}},
			{"deactivate her", tessPath + "/status", url.Values{"action": {"deactivate"}, "reason": {"x"}}},
			{"reset her second factor", tessPath + "/mfa", url.Values{}},
			{"clear her security question", tessPath + "/question/clear", url.Values{}},
			{"sign her out", tessPath + "/sessions/signout", url.Values{}},
			{"delete her", tessPath + "/delete", url.Values{"confirm": {"tess"}}},
			{"give her a role", "/admin/roles/" + w.roleID + "/members", url.Values{"user_id": {w.targetID}, "action": {"add"}}},
		}
		for _, actor := range []string{itAdmin, company} {
			c := w.client(t, actor)
			for _, s := range steps {
				res := post(c, s.path, s.form)
				if res.Status != http.StatusForbidden || !strings.Contains(res.Body, "being asked to become the Primary Admin") {
					t.Errorf("%s tries to %s: %d\n%s", actor, s.name, res.Status, res.Doc.Find("main").Text())
				}
			}
			res := c.RunBulk(url.Values{"action": {"reset"}, "scope": {"selected"}, "id": {w.targetID}, "reason": {"x"}})
			if got := res.Doc.Find("[data-testid=bulk-outcome]").Text(); !strings.Contains(got, "skipped: only the Primary Admin acts on a user who is being asked") {
				t.Errorf("%s's bulk reset of her: %q", actor, got)
			}
		}
		after := e.User("tess")
		if after.Email != tess.Email || after.Status != models.StatusActive || subjects(e, tess.Email) != "You are asked to become the Primary Admin" {
			t.Fatalf("a refused action changed her: %s %s, mail %q", after.Email, after.Status, subjects(e, tess.Email))
		}
		if !pendingTo(t, e, tess.AccountID, tess.ID) || permissionsOf(t, e, "tess") != "" {
			t.Fatal("the transfer or her privileges changed")
		}
		if res := tessClient.Get("/"); res.Status != http.StatusOK {
			t.Fatalf("she was signed out: %d", res.Status)
		}
	})
}

// A change to the target's credentials or status cancels a pending
// transfer, even when the Primary Admin makes it, audits the cancellation
// and tells the Primary Admin. Sending a reset link or signing the target
// out does not; completing a reset through an emailed link does.
func TestTransferCancelledByChangesToTarget(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e := apptest.Start(t, d, apptest.Options{})
		a := apptest.DefaultAdmin()
		pa := e.Setup(a)
		acct := e.User("ada").AccountID
		e.SetMFAPolicy(acct, models.MFAOptional)
		cases := []struct {
			name   string
			change func(id string, c *apptest.Client)
		}{
			{"deactivated", func(id string, _ *apptest.Client) {
				expect(t, confirmed(t, pa, id, "[data-testid=deactivate]", map[string]string{"reason": "left"}), http.StatusSeeOther)
			}},
			{"email changed", func(id string, _ *apptest.Client) {
				u := e.User("t-email")
				expect(t, post(pa, "/admin/users/"+id, url.Values{"display_name": {u.DisplayName}, "email": {"new@example.com"}, "username": {u.Username}}), http.StatusSeeOther)
			}},
			{"question cleared", func(id string, _ *apptest.Client) {
				u := e.User("t-question")
				if err := e.Store().Users.SetSecurityQuestion(context.Background(), u.ID, "Pet?", "$argon2id$x", e.Clock.Now()); err != nil {
					t.Fatal(err)
				}
				expect(t, confirmed(t, pa, id, "[data-testid=clear-question]", nil), http.StatusSeeOther)
			}},
			{"mfa reset", func(id string, c *apptest.Client) {
				c.Enrol(e.Clock)
				expect(t, confirmed(t, pa, id, "[data-testid=mfa-reset-start]", nil), http.StatusSeeOther)
			}},
			{"deleted", func(id string, _ *apptest.Client) {
				expect(t, confirmed(t, pa, id, "[data-testid=delete-user]", map[string]string{"confirm": "t-deleted"}), http.StatusSeeOther)
			}},
			{"reset through a link", func(id string, c *apptest.Client) {
				expect(t, confirmed(t, pa, id, "[data-testid=signout-all]", nil), http.StatusSeeOther)
				expect(t, post(pa, "/admin/users/"+id+"/reset", url.Values{}), http.StatusSeeOther)
				if !pendingTo(t, e, acct, e.User("t-reset").ID) {
					t.Fatal("sending a reset link or signing her out cancelled the transfer")
				}
				msgs := e.MailTo("t-reset@example.com")
				b := e.Client()
				b.Get(b.Path(apptest.LinkIn(msgs[len(msgs)-1].TextBody, e.URL+"/reset/")))
				res := b.Submit(b.Get("/reset"), "form[data-testid=reset-password-form]", map[string]string{
					"password": "Other+Pass99x", "password_confirm": "Other+Pass99x"})
				expect(t, res, http.StatusSeeOther)
			}},
		}
		for _, tc := range cases {
			name := "t-" + strings.Fields(tc.name)[0]
			u := e.AddUser(acct, name, personaPassword, models.StatusActive)
			c := e.Client()
			c.SignIn(name, personaPassword)
			offerTo(t, pa, u.Username, a.Password)
			before := len(e.MailTo(a.Email))
			tc.change(apptest.Itoa(u.ID), c)
			if pendingTo(t, e, acct, u.ID) {
				t.Fatalf("%s: the transfer is still pending", tc.name)
			}
			mails := e.MailTo(a.Email)
			if len(mails) != before+1 || mails[before].Subject != "Your Primary Admin transfer was cancelled" ||
				!strings.Contains(mails[before].TextBody, "User "+name) {
				t.Fatalf("%s: the Primary Admin was not told: %d mails", tc.name, len(mails)-before)
			}
			events, err := e.Store().Audit.ForTarget(context.Background(), acct, u.ID, 20)
			if err != nil {
				t.Fatal(err)
			}
			if !hasAction(events, admin.ActionTransferCancelled) {
				t.Fatalf("%s: no audit entry", tc.name)
			}
		}
		if !e.User("ada").IsPrimaryAdmin {
			t.Fatal("the Primary Admin lost the role")
		}
	})
}

func expect(t *testing.T, res *apptest.Response, status int) {
	t.Helper()
	if res.Status != status {
		t.Fatalf("status %d, want %d\n%s", res.Status, status, res.Doc.Find("main").Text())
	}
}

func hasAction(events []models.AuditEvent, action string) bool {
	for _, ev := range events {
		if ev.Action == action {
			return true
		}
	}
	return false
}

// Accepting needs the target's password typed on the accept form, and a
// support passphrase when they have none, set with the acceptance.
func TestTransferAcceptNeedsPasswordAndPassphrase(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e := apptest.Start(t, d, apptest.Options{})
		a := apptest.DefaultAdmin()
		pa := e.Setup(a)
		acct := e.User("ada").AccountID
		tess := e.AddUser(acct, "tess", personaPassword, models.StatusActive)
		offerTo(t, pa, tess.Username, a.Password)
		c := e.Client()
		c.SignIn("tess", personaPassword)
		accept := func(fields map[string]string) *apptest.Response {
			return c.Submit(c.Get("/admin/transfer"), "form[data-testid=transfer-accept-form]", fields)
		}
		refused := []struct {
			name, password, passphrase string
			fields                     []string
		}{
			{"nothing typed", "", "", []string{"password", "passphrase"}},
			{"no password", "", tessPassphrase, []string{"password"}},
			{"wrong password", "Wrong+Pass99x", tessPassphrase, []string{"password"}},
			{"no passphrase", personaPassword, "", []string{"passphrase"}},
			{"passphrase is the password", personaPassword, personaPassword, []string{"passphrase"}},
			{"wrong password and short passphrase, both at once", "Wrong+Pass99x", "short", []string{"password", "passphrase"}},
		}
		for _, r := range refused {
			res := accept(map[string]string{"password": r.password, "passphrase": r.passphrase})
			if res.Status != http.StatusUnprocessableEntity {
				t.Fatalf("%s: %d", r.name, res.Status)
			}
			for _, f := range r.fields {
				if res.Doc.Find("[data-testid=error-"+f+"]").Length() != 1 {
					t.Fatalf("%s: no error on %s: %s", r.name, f, res.Doc.Find("[data-testid=error-summary]").Text())
				}
			}
		}
		if e.User("tess").IsPrimaryAdmin || !pendingTo(t, e, acct, tess.ID) {
			t.Fatal("a refused acceptance took effect")
		}
		expect(t, accept(map[string]string{"password": personaPassword, "passphrase": tessPassphrase}), http.StatusSeeOther)
		if !e.User("tess").IsPrimaryAdmin || e.User("ada").IsPrimaryAdmin {
			t.Fatal("the role did not move")
		}
		sec, err := e.Store().Secrets.Of(context.Background(), tess.ID, models.SecretPassphrase)
		if err != nil {
			t.Fatalf("no passphrase: %v", err)
		}
		if got, err := e.App.Secrets.Open(sec); err != nil || got != tessPassphrase {
			t.Fatalf("passphrase %q, %v", got, err)
		}

		// A user who has a passphrase is asked only for their password.
		theo := e.AddUser(acct, "theo", personaPassword, models.StatusActive)
		e.SetPassphrase(theo.ID, "Quiet orchard morning")
		offerTo(t, c, theo.Username, personaPassword)
		tc := e.Client()
		tc.SignIn("theo", personaPassword)
		offer := tc.Get("/admin/transfer")
		if offer.Doc.Find("input[name=passphrase]").Length() != 0 || offer.Doc.Find("input[name=password]").Length() != 1 {
			t.Fatal("the offer asks for a passphrase theo has, or no password")
		}
		expect(t, tc.Submit(offer, "form[data-testid=transfer-accept-form]", map[string]string{"password": personaPassword}), http.StatusSeeOther)
		if !e.User("theo").IsPrimaryAdmin {
			t.Fatal("theo is not the Primary Admin")
		}
	})
}

// Wrong passwords on the accept form count against the re-authentication
// limit (5 in 15 minutes): the fifth locks it, and then even the right one
// is refused for a while.
func TestTransferAcceptPasswordIsThrottled(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	a := apptest.DefaultAdmin()
	pa := e.Setup(a)
	tess := e.AddUser(e.User("ada").AccountID, "tess", personaPassword, models.StatusActive)
	e.SetPassphrase(tess.ID, tessPassphrase)
	offerTo(t, pa, tess.Username, a.Password)
	c := e.Client()
	c.SignIn("tess", personaPassword)
	for range 4 {
		expect(t, post(c, "/admin/transfer", url.Values{"decision": {"accept"}, "password": {"Wrong+Pass99x"}}), http.StatusUnprocessableEntity)
	}
	for _, pw := range []string{"Wrong+Pass99x", personaPassword} {
		expect(t, post(c, "/admin/transfer", url.Values{"decision": {"accept"}, "password": {pw}}), http.StatusTooManyRequests)
	}
	if e.User("tess").IsPrimaryAdmin {
		t.Fatal("accepted past the limit")
	}
}

// An administrator's change to a user and the Primary Admin starting a
// transfer to that user happen one after the other, never interleaved: a
// change whose checks ran before the transfer existed cannot commit after
// it (it would have slipped past the transfer's protection). The test
// holds the user's link rows, so the change stalls in the middle, after
// its checks; the transfer must then wait for it.
func TestTransferWaitsForAChangeInFlight(t *testing.T) {
	w := newWorld(t, models.Postgres)
	e := w.e
	it := w.client(t, itAdmin)
	if res := post(it, "/admin/users/"+w.targetID+"/reset", url.Values{}); res.Status != http.StatusSeeOther {
		t.Fatalf("send tess a reset: %d", res.Status)
	}
	db, err := e.Store().SQLDB()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	hold, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer hold.Rollback()
	if _, err := hold.ExecContext(ctx, "SELECT id FROM tokens WHERE user_id = $1 FOR UPDATE", w.targetID); err != nil {
		t.Fatal(err)
	}
	change := make(chan int, 1)
	go func() {
		change <- post(it, "/admin/users/"+w.targetID, url.Values{"display_name": {"User tess"},
			"email": {"tess@elsewhere.example"}, "username": {"tess"}}).Status
	}()
	time.Sleep(300 * time.Millisecond) // the change is now stalled on the link rows
	transfer := make(chan int, 1)
	go func() {
		transfer <- post(w.client(t, primary), "/admin/privileges/transfer",
			url.Values{"transfer_username": {"tess"}, "transfer_password": {w.admin.Password}}).Status
	}()
	select {
	case got := <-transfer:
		t.Fatalf("the transfer was started (%d) while a change to its target was half done", got)
	case <-time.After(500 * time.Millisecond):
	}
	if err := hold.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := <-change; got != http.StatusSeeOther {
		t.Fatalf("the change: %d", got)
	}
	if got := <-transfer; got != http.StatusSeeOther {
		t.Fatalf("the transfer, after the change: %d", got)
	}
	if e.User("tess").Email != "tess@elsewhere.example" {
		t.Fatal("the change was lost")
	}
}
