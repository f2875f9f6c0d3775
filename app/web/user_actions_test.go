package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"accountportal/app/admin"
	"accountportal/app/apptest"
	"accountportal/models"
	"accountportal/models/modelstest"
)

func TestCreateUserAndWelcome(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e := apptest.Start(t, d, apptest.Options{})
		pa := e.Setup(apptest.DefaultAdmin())
		form := pa.Get("/admin/users/new")
		res := pa.Submit(form, "form[data-testid=new-user-form]", map[string]string{"display_name": "Nina New", "email": "nope"})
		if res.Status != http.StatusUnprocessableEntity || res.Doc.Find("[data-testid=error-email]").Length() != 1 {
			t.Fatalf("bad email: %d", res.Status)
		}
		res = pa.Submit(form, "form[data-testid=new-user-form]", map[string]string{"display_name": "Nina New", "email": "ada@example.com", "username": "ADA"})
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Doc.Find("[data-testid=error-username]").Text(), "taken") {
			t.Fatalf("taken username: %d", res.Status)
		}
		billing, _ := e.Store().Roles.Builtin(context.Background(), "billing_admin")
		v := url.Values{"display_name": {"Nina New"}, "email": {"nina@example.com"}, "role": {apptest.Itoa(billing.ID)}}
		res = post(pa, "/admin/users", v)
		if res.Status != http.StatusSeeOther {
			t.Fatalf("create: %d %s", res.Status, res.Doc.Find("[data-testid=error-summary]").Text())
		}
		nina := e.User("nina@example.com")
		if nina.Status != models.StatusInvited || nina.PasswordHash != "" {
			t.Fatalf("new user: %+v", nina)
		}
		if got := permissionsOf(t, e, "nina@example.com"); !strings.Contains(got, "billing.changes") {
			t.Fatalf("roles at creation: %q", got)
		}
		if res := e.Client().SignIn("nina@example.com", "anything+Goes1"); res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("invited user signs in: %d", res.Status)
		}
		e.Drain()
		msgs := e.MailTo("nina@example.com")
		if len(msgs) != 1 || msgs[0].Subject != "Your Account Portal account is ready" || !strings.Contains(msgs[0].TextBody, "nina@example.com") {
			t.Fatalf("welcome mail: %+v", msgs)
		}
		c := e.Client()
		link := c.Path(apptest.LinkIn(msgs[0].TextBody, e.URL+"/welcome/"))
		c.Get(link)
		page := c.Get("/reset")
		if page.Doc.Find("h1").Text() != "Choose your password" {
			t.Fatalf("welcome page: %q", page.Doc.Find("h1").Text())
		}
		res = c.Submit(page, "form[data-testid=reset-password-form]", map[string]string{"password": newPassword, "password_confirm": newPassword})
		if res.Status != http.StatusSeeOther {
			t.Fatalf("set password: %d", res.Status)
		}
		if e.User("nina@example.com").Status != models.StatusActive {
			t.Fatal("still invited after choosing a password")
		}
		if res := e.Client().SignIn("nina@example.com", newPassword); res.Status != http.StatusSeeOther {
			t.Fatalf("sign in after welcome: %d", res.Status)
		}
		ledger := pa.Get("/admin/users/" + apptest.Itoa(nina.ID)).Doc.Find("[data-testid=ledger-row]")
		if ledger.Length() != 1 || !strings.Contains(ledger.Text(), "Welcome") || !strings.Contains(ledger.Text(), "Used") ||
			!strings.Contains(ledger.Text(), "Ada Admin") {
			t.Fatalf("ledger: %s", ledger.Text())
		}
	})
}

func TestDeactivateEndsSessionsEverywhere(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e := apptest.Start(t, d, apptest.Options{})
		pa := e.Setup(apptest.DefaultAdmin())
		bob := e.AddUser(e.User("ada").AccountID, "bob", personaPassword, models.StatusActive)
		laptop, phone := e.Client(), e.Client()
		laptop.SignIn("bob", personaPassword)
		phone.SignIn("bob", personaPassword)
		resetLink(t, e, e.Client(), "bob", "bob@example.com")
		path := "/admin/users/" + apptest.Itoa(bob.ID)

		confirm, res := confirmThrough(t, pa, pa.Get(path), "[data-testid=deactivate]", "User bob", map[string]string{"reason": ""})
		if res.Status != http.StatusUnprocessableEntity || res.Doc.Find("[data-testid=error-reason]").Length() != 1 ||
			res.Doc.Find("form[data-testid=deactivate-form]").Length() != 1 {
			t.Fatalf("no reason: %d", res.Status)
		}
		if got := confirm.Doc.Find("[data-testid=confirm-consequences]").Text(); !strings.Contains(got, "User bob will be signed out at once and cannot sign in until reactivated") {
			t.Fatalf("consequences: %q", got)
		}
		res = pa.Submit(res, "form[data-testid=deactivate-form]", map[string]string{"reason": "lost laptop"})
		if got := flashAtTop(t, pa, res, path); !strings.HasPrefix(got, "User bob deactivated.") {
			t.Fatalf("flash %q", got)
		}
		for name, c := range map[string]*apptest.Client{"laptop": laptop, "phone": phone} {
			res := c.Get("/")
			if res.Status != http.StatusForbidden || !strings.Contains(res.Body, "This session will now be terminated") {
				t.Fatalf("%s after deactivation: %d", name, res.Status)
			}
		}
		tokens, _ := e.Store().Tokens.OfUser(context.Background(), bob.ID, models.PurposeReset, 1)
		if tokens[0].VoidedAt == nil {
			t.Fatal("reset link survives deactivation")
		}
		if got := pa.Get(path).Doc.Find("[data-testid=ledger-state]").First().Text(); !strings.Contains(got, "Voided") {
			t.Fatalf("ledger state %q", got)
		}
		res = pa.Submit(pa.Get(path), "form[data-testid=status-form]", map[string]string{"reason": "found it"})
		if got := flashAtTop(t, pa, res, path); got != "User bob reactivated. They can sign in again." || e.User("bob").Status != models.StatusActive {
			t.Fatalf("reactivate: %q", got)
		}
		if res := laptop.SignIn("bob", personaPassword); res.Status != http.StatusSeeOther {
			t.Fatalf("sign in after reactivation: %d", res.Status)
		}
	})
}

func TestUserActionRefusals(t *testing.T) {
	w := newWorld(t, models.SQLite)
	e := w.e
	ada, cora := e.User("ada"), e.User("cora")
	pa, ivan := w.client(t, primary), w.client(t, itAdmin)
	oscar := w.client(t, otherAcc)
	cases := []struct {
		name string
		c    *apptest.Client
		path string
		form url.Values
		want int
	}{
		{"deactivate yourself", pa, "/admin/users/" + apptest.Itoa(ada.ID) + "/status", url.Values{"action": {"deactivate"}, "reason": {"x"}}, http.StatusForbidden},
		{"deactivate the Primary Admin", ivan, "/admin/users/" + apptest.Itoa(ada.ID) + "/status", url.Values{"action": {"deactivate"}, "reason": {"x"}}, http.StatusForbidden},
		{"delete yourself", pa, "/admin/users/" + apptest.Itoa(ada.ID) + "/delete", url.Values{"confirm": {"ada"}}, http.StatusForbidden},
		{"delete the Primary Admin", ivan, "/admin/users/" + apptest.Itoa(ada.ID) + "/delete", url.Values{"confirm": {"ada"}}, http.StatusForbidden},
		{"another account's user", oscar, "/admin/users/" + w.targetID + "/status", url.Values{"action": {"deactivate"}, "reason": {"x"}}, http.StatusNotFound},
		{"take over a Company Admin by email", ivan, "/admin/users/" + apptest.Itoa(cora.ID), url.Values{"display_name": {"User cora"}, "email": {"ivan@evil.example"}, "username": {"cora"}}, http.StatusForbidden},
		{"take over the Primary Admin by email", ivan, "/admin/users/" + apptest.Itoa(ada.ID), url.Values{"display_name": {"Ada Admin"}, "email": {"ivan@evil.example"}, "username": {"ada"}}, http.StatusForbidden},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if res := post(tc.c, tc.path, tc.form); res.Status != tc.want {
				t.Fatalf("status %d, want %d", res.Status, tc.want)
			}
		})
	}
	if e.User("ada").Status != models.StatusActive || e.User("cora").Email != "cora@example.com" || e.User("ada").Email != "ada@example.com" {
		t.Fatal("a refused action changed something")
	}
}

func TestDeleteUserKeepsHistory(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	pa := e.Setup(apptest.DefaultAdmin())
	bob := e.AddUser(e.User("ada").AccountID, "bob", personaPassword, models.StatusActive)
	path := "/admin/users/" + apptest.Itoa(bob.ID) + "/delete"
	res := pa.Submit(pa.Get(path), "form[data-testid=delete-form]", map[string]string{"confirm": "rob"})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("wrong username: %d", res.Status)
	}
	res = pa.Submit(pa.Get(path), "form[data-testid=delete-form]", map[string]string{"confirm": "BOB"})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("delete: %d", res.Status)
	}
	if _, err := e.Store().Users.ByIDAnyAccount(context.Background(), bob.ID); err == nil {
		t.Fatal("user still there")
	}
	if res := pa.Get("/admin/users/" + apptest.Itoa(bob.ID)); res.Status != http.StatusNotFound {
		t.Fatalf("deleted user's page: %d", res.Status)
	}
	events, _ := e.Store().Audit.ForTarget(context.Background(), bob.AccountID, bob.ID, 5)
	if len(events) != 1 || events[0].Action != admin.ActionUserDeleted || events[0].TargetName != "User bob (bob)" {
		t.Fatalf("history: %+v", events)
	}
}

func TestClearQuestionAndLinks(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	pa := e.Setup(apptest.DefaultAdmin())
	bob := e.AddUser(e.User("ada").AccountID, "bob", personaPassword, models.StatusActive)
	_ = e.Store().Users.SetSecurityQuestion(context.Background(), bob.ID, "Pet?", "$argon2id$x", e.Clock.Now())
	path := "/admin/users/" + apptest.Itoa(bob.ID)
	confirm, res := confirmThrough(t, pa, pa.Get(path), "[data-testid=clear-question]", "User bob", nil)
	if got := confirm.Doc.Find("[data-testid=confirm-consequences]").Text(); !strings.Contains(got, "security question and answer are removed") {
		t.Fatalf("consequences: %q", got)
	}
	if got := flashAtTop(t, pa, res, path); got != "Security question of User bob cleared. We emailed them." {
		t.Fatalf("clear: %q", got)
	}
	if e.User("bob").SecurityAnswerHash != "" {
		t.Fatal("question not cleared")
	}
	// Her own question she changes in My Profile (with no promise that it asks
	// for her password: within the recent sign-in window it does not).
	ada := e.User("ada")
	_ = e.Store().Users.SetSecurityQuestion(context.Background(), ada.ID, "Pet?", "$argon2id$x", e.Clock.Now())
	own := "/admin/users/" + apptest.Itoa(ada.ID)
	if p := pa.Get(own); p.Doc.Find("[data-testid=clear-question]").Length() != 0 ||
		!strings.HasSuffix(strings.TrimSpace(p.Doc.Find("[data-testid=why-not-clear-question]").Text()), ": not available. Change your own security question in My Profile.") {
		t.Errorf("her own page offers clearing her question, or does not say why not: %q",
			strings.TrimSpace(p.Doc.Find("[data-testid=why-not-clear-question]").Text()))
	}
	if res := post(pa, own+"/question/clear", url.Values{}); res.Status != http.StatusForbidden || e.User("ada").SecurityAnswerHash == "" {
		t.Errorf("clearing her own question from the console: %d", res.Status)
	}
	if got := flashAtTop(t, pa, pa.Submit(pa.Get(path), "form:has([data-testid=send-reset])", nil), path); !strings.HasPrefix(got, "Password reset link sent to User bob.") {
		t.Fatalf("send reset: %q", got)
	}
	e.Drain()
	subjects := []string{}
	for _, m := range e.MailTo("bob@example.com") {
		subjects = append(subjects, m.Subject)
	}
	if strings.Join(subjects, "|") != "Your security question was cleared|Your administrator asked you to reset your password" {
		t.Fatalf("mails: %v", subjects)
	}
	page := pa.Get(path)
	if page.Doc.Find("[data-testid=ledger-row]").Length() != 1 || !strings.Contains(page.Doc.Find("[data-testid=ledger-row]").Text(), "Waiting") {
		t.Fatalf("ledger: %s", page.Doc.Find("[data-testid=ledger]").Text())
	}
	// A reset link's voiding locks nobody out: one click.
	if got := flashAtTop(t, pa, pa.Submit(page, "form:has([data-testid=void-link])", nil), path); got != "Link sent to User bob voided: it no longer works." {
		t.Fatalf("void: %q", got)
	}
	// Voided by whom, said once.
	if got := pa.Get(path).Doc.Find("[data-testid=ledger-state]").Text(); strings.TrimSpace(got) != "Voided by Ada Admin" {
		t.Fatalf("ledger state %q", got)
	}
}

func TestBulkThroughTheConsole(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	pa := e.Setup(apptest.DefaultAdmin())
	acct := e.User("ada").AccountID
	var ids []string
	for _, n := range []string{"amy", "ben", "cat"} {
		ids = append(ids, apptest.Itoa(e.AddUser(acct, n, personaPassword, models.StatusActive).ID))
	}
	ben := e.Client()
	ben.SignIn("ben", personaPassword)
	form := url.Values{"action": {"deactivate"}, "scope": {"selected"}, "id": append(ids, apptest.Itoa(e.User("ada").ID))}
	preview := post(pa, "/admin/users/bulk", form)
	if preview.Status != http.StatusOK || preview.Doc.Find("[data-testid=bulk-names] li").Length() != 3 {
		t.Fatalf("preview: %d %s", preview.Status, preview.Doc.Find("main").Text())
	}
	// The admin is among the chosen, and the preview says, by the job's own
	// rule, that she will be skipped; the title and button count the rest.
	if skip := preview.Doc.Find("[data-testid=bulk-skip]"); skip.Length() != 1 ||
		!strings.Contains(skip.Text(), "Ada Admin (ada)") || !strings.Contains(skip.Text(), "skipped: that is you") {
		t.Fatalf("skipped rows: %q", skip.Text())
	}
	if title, button := preview.Doc.Find("title").Text(), preview.Doc.Find("[data-testid=bulk-run]").Text(); !strings.HasPrefix(title, "Deactivate 3 users?") ||
		button != "Deactivate 3 users" {
		t.Fatalf("preview title %q, button %q", title, button)
	}
	res := pa.Submit(preview, "form[data-testid=bulk-run-form]", map[string]string{"reason": ""})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("no reason: %d", res.Status)
	}
	res = pa.Submit(preview, "form[data-testid=bulk-run-form]", map[string]string{"reason": "contractors left"})
	if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Location, "/admin/users/jobs/") {
		t.Fatalf("run: %d %q", res.Status, res.Location)
	}
	res = pa.WaitForJob(res.Location)
	if res.Status != http.StatusOK || res.Doc.Find("[data-testid=bulk-summary]").Text() != "3 done, 1 skipped, 0 failed." {
		t.Fatalf("run: %d %q", res.Status, res.Doc.Find("[data-testid=bulk-summary]").Text())
	}
	if !strings.Contains(res.Doc.Find("[data-testid=bulk-results]").Text(), "skipped: that is you") {
		t.Fatal("skip reason not shown")
	}
	if got := res.Doc.Find("[data-testid=job-title]").Text(); got != "3 users deactivated" {
		t.Fatalf("result title %q", got)
	}
	if r := ben.Get("/"); r.Status != http.StatusForbidden {
		t.Fatalf("ben still signed in: %d", r.Status)
	}
	// Everyone matching a filter, resolved on the server.
	res = pa.RunBulk(url.Values{"action": {"reactivate"}, "scope": {"matching"}, "f_status": {"suspended"}, "reason": {"back"}})
	if res.Doc.Find("[data-testid=bulk-summary]").Text() != "3 done, 0 skipped, 0 failed." {
		t.Fatalf("by filter: %q", res.Doc.Find("[data-testid=bulk-summary]").Text())
	}
}

// Deactivating and reactivating gives each user back the state they were
// in: an invited user (no password yet) stays invited and gets a fresh
// welcome link, which works, instead of becoming active with a dead one.
func TestReactivationRestoresEachUsersState(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e := apptest.Start(t, d, apptest.Options{})
		pa := e.Setup(apptest.DefaultAdmin())
		acct := e.User("ada").AccountID
		amy := e.AddUser(acct, "amy", personaPassword, models.StatusActive)
		res := pa.Submit(pa.Get("/admin/users/new"), "form[data-testid=new-user-form]", map[string]string{
			"display_name": "Ivy Invited", "email": "ivy@example.com", "username": "ivy"})
		if res.Status != http.StatusSeeOther {
			t.Fatalf("create: %d %s", res.Status, res.Doc.Find("[data-testid=error-summary]").Text())
		}
		ivy := e.User("ivy")
		e.Drain()
		firstLink := apptest.LinkIn(e.MailTo("ivy@example.com")[0].TextBody, e.URL+"/welcome/")
		ids := []string{apptest.Itoa(amy.ID), apptest.Itoa(ivy.ID)}
		for _, action := range []string{"deactivate", "reactivate"} {
			res := pa.RunBulk(url.Values{"action": {action}, "scope": {"selected"}, "id": ids, "reason": {"test"}})
			if res.Status != http.StatusOK || res.Doc.Find("[data-testid=bulk-summary]").Text() != "2 done, 0 skipped, 0 failed." {
				t.Fatalf("%s: %d %q", action, res.Status, res.Doc.Find("[data-testid=bulk-summary]").Text())
			}
		}
		if got := e.User("amy").Status; got != models.StatusActive {
			t.Errorf("amy after reactivation: %s", got)
		}
		if got := e.User("ivy"); got.Status != models.StatusInvited || got.StatusBeforeSuspension != nil {
			t.Fatalf("ivy after reactivation: %s (before %v)", got.Status, got.StatusBeforeSuspension)
		}
		c := e.Client()
		if res := c.Get(c.Path(firstLink)); res.Status == http.StatusSeeOther {
			t.Fatalf("the welcome link from before the suspension still opens")
		}
		e.Drain()
		mails := e.MailTo("ivy@example.com")
		fresh := apptest.LinkIn(mails[len(mails)-1].TextBody, e.URL+"/welcome/")
		if fresh == "" || fresh == firstLink {
			t.Fatalf("no fresh welcome link after reactivation: %q", mails[len(mails)-1].Subject)
		}
		if !strings.Contains(mails[len(mails)-1].TextBody, "sent you a new link") {
			t.Errorf("the second welcome email reads as the first:\n%s", mails[len(mails)-1].TextBody)
		}
		c.Get(c.Path(fresh))
		// Someone who never had a password is not asked for a "new" one.
		first := c.Get("/reset")
		if h1, label := first.Doc.Find("h1").Text(), first.Doc.Find("label[for=password]").Text(); h1 != "Choose your password" || label != "Password" {
			t.Errorf("welcome form: heading %q, field %q", h1, label)
		}
		res = c.Submit(first, "form[data-testid=reset-password-form]", map[string]string{
			"password": newPassword, "password_confirm": newPassword})
		if res.Status != http.StatusSeeOther || e.User("ivy").Status != models.StatusActive {
			t.Fatalf("choosing a password with the fresh link: %d, status %s", res.Status, e.User("ivy").Status)
		}
		// A first password is set, not changed.
		if h1 := c.Get(res.Location).Doc.Find("h1").Text(); h1 != "Your password is set" {
			t.Errorf("after the welcome link: %q", h1)
		}
		e.Drain()
		mails = e.MailTo("ivy@example.com")
		if got := mails[len(mails)-1].Subject; got != "Your Account Portal password is set" {
			t.Errorf("after the welcome link ivy is told %q", got)
		}
	})
}

// A bulk action's page can be opened again later from the users console:
// what was asked, by whom, how it ended and each user's outcome, with a
// CSV of every outcome; other accounts' administrators cannot open it.
func TestBulkJobCanBeOpenedLater(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	pa := e.Setup(apptest.DefaultAdmin())
	acct := e.User("ada").AccountID
	ids := []string{apptest.Itoa(e.User("ada").ID)}
	for _, n := range []string{"amy", "ben"} {
		ids = append(ids, apptest.Itoa(e.AddUser(acct, n, personaPassword, models.StatusActive).ID))
	}
	done := pa.RunBulk(url.Values{"action": {"signout"}, "scope": {"selected"}, "id": ids, "reason": {"new laptops"}})
	if got := done.Doc.Find("[data-testid=job-status]").Text(); !strings.Contains(got, "Finished") || !strings.Contains(got, "3 of 3 users handled") {
		t.Fatalf("job page: %q", got)
	}
	list := pa.Get(pa.Get("/admin/users").Doc.Find("[data-testid=bulk-jobs]").AttrOr("href", ""))
	row := list.Doc.Find("[data-testid=job-row]")
	if row.Length() != 1 || !strings.Contains(row.Text(), "Sign users out everywhere") || !strings.Contains(row.Text(), "2 done, 1 skipped, 0 failed.") {
		t.Fatalf("bulk actions list: %q", row.Text())
	}
	page := pa.Get(row.Find("a").AttrOr("href", ""))
	if !strings.Contains(page.Doc.Find("main").Text(), "new laptops") || page.Doc.Find("[data-testid=bulk-outcome]").Length() != 3 {
		t.Fatalf("job page opened later: %s", page.Doc.Find("main").Text())
	}
	jobPath := row.Find("a").AttrOr("href", "")
	skipped := pa.Get(jobPath + "?outcome=skipped")
	if n := skipped.Doc.Find("[data-testid=bulk-outcome]").Length(); n != 1 ||
		!strings.Contains(skipped.Doc.Find("[data-testid=bulk-outcome]").Text(), "skipped: that is you") {
		t.Fatalf("skipped only: %d %q", n, skipped.Doc.Find("[data-testid=bulk-outcome]").Text())
	}
	res, body := pa.Raw(jobPath + "/results.csv")
	if res.StatusCode != http.StatusOK || strings.Count(body, "\n") != 4 || !strings.Contains(body, "amy,done") {
		t.Fatalf("CSV: %d\n%s", res.StatusCode, body)
	}
	// Started and finished are in the audit log, beside one entry per user.
	events, _ := e.Store().Audit.ForAccount(context.Background(), acct, 50)
	actions := map[string]int{}
	for _, ev := range events {
		actions[ev.Action]++
	}
	if actions["bulk.started"] != 1 || actions["bulk.finished"] != 1 || actions["user.signed_out_everywhere"] != 2 {
		t.Fatalf("audit: %v", actions)
	}
	if href := pa.Get("/admin/audit?action=bulk.finished").Doc.Find("[data-testid=audit-job]").AttrOr("href", ""); href != jobPath {
		t.Errorf("the audit log's entry opens %q, not the bulk action", href)
	}
	// Another account's administrator finds nothing there.
	e.AddAccount("23232323", "Other Co", "oscar", personaPassword)
	oscar := e.Client()
	oscar.SignIn("oscar", personaPassword)
	for _, path := range []string{jobPath, jobPath + "/results.csv"} {
		if res := oscar.Get(path); res.Status != http.StatusNotFound {
			t.Errorf("another account's admin on %s: %d", path, res.Status)
		}
	}
}

// A bulk action for "everyone matching the filter" whose filter holds a
// value the users list does not offer is refused, not widened to everyone.
func TestBulkFilterWithBadValuesIsRefused(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	pa := e.Setup(apptest.DefaultAdmin())
	e.AddUser(e.User("ada").AccountID, "amy", personaPassword, models.StatusActive)
	for _, bad := range []url.Values{{"f_status": {"bogus"}}, {"f_role": {"abc"}}, {"f_mfa": {"maybe"}}, {"f_q": {"a\x00b"}}} {
		form := url.Values{"action": {"deactivate"}, "scope": {"matching"}, "reason": {"x"}}
		for k, v := range bad {
			form[k] = v
		}
		if res := post(pa, "/admin/users/bulk", form); res.Status != http.StatusUnprocessableEntity {
			t.Errorf("preview with %v: %d", bad, res.Status)
		}
		if res := pa.RunBulk(form); res.Status != http.StatusUnprocessableEntity {
			t.Errorf("run with %v: %d", bad, res.Status)
		}
	}
	if got := e.User("amy").Status; got != models.StatusActive {
		t.Fatalf("amy was %s by a refused filter", got)
	}
}
