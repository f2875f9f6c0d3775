package web_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"accountportal/app/account"
	"accountportal/app/apptest"
	"accountportal/app/provider"
	"accountportal/models"
	"accountportal/models/modelstest"
)

const (
	opsEmail          = "olga@provider.example"
	inviteePassword   = "Harbour+Kite9"
	inviteePassphrase = "copper kettle morning"
)

// opsWorld is a portal after first-run setup with an operator signed in.
type opsWorld struct {
	e   *apptest.Env
	ops *apptest.Client
	key string // the operator's authenticator
}

func newOpsWorld(t *testing.T, d models.Dialect) *opsWorld {
	e := apptest.Start(t, d, apptest.Options{})
	e.Setup(apptest.DefaultAdmin())
	e.AddOperator("Olga Ops", opsEmail, deskPassword)
	ops := e.Client()
	key, res := ops.SignInEnrolling(opsEmail, deskPassword, e.Clock)
	if res.Location != "/" {
		t.Fatalf("operator sign-in ended at %q", res.Location)
	}
	return &opsWorld{e: e, ops: ops, key: key}
}

// onboard onboards an account and returns it, checking the answer.
func (w *opsWorld) onboard(t *testing.T, company, name, email string) (*models.Account, *apptest.Response) {
	t.Helper()
	res := w.ops.Onboard(company, name, email)
	a, err := w.e.Store().Accounts.ByID(context.Background(), apptest.OnboardedID(t, res))
	if err != nil {
		t.Fatal(err)
	}
	return a, res
}

// flashAfter returns the flash the operator sees after an onboarding's
// redirect: on the account's page, or, where that page does not exist,
// on the next page shown.
func (w *opsWorld) flashAfter(res *apptest.Response, accountID int64) string {
	page := w.ops.Get(res.Location)
	if page.Status != http.StatusOK {
		page = w.ops.Get("/operator/accounts/" + apptest.Itoa(accountID) + "/invitation")
	}
	return strings.TrimSpace(page.Doc.Find("[data-testid=flash]").Text())
}

func auditIn(t *testing.T, e *apptest.Env, accountID int64, action string) []models.AuditEvent {
	t.Helper()
	events, err := e.Store().Audit.ForAccount(context.Background(), accountID, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []models.AuditEvent
	for _, ev := range events {
		if ev.Action == action {
			out = append(out, ev)
		}
	}
	return out
}

func staffID(t *testing.T, e *apptest.Env) int64 {
	t.Helper()
	staff, err := e.Store().Accounts.Staff(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return staff.ID
}

var accountNumber = regexp.MustCompile(`^[1-9][0-9]{7}$`)

// TestOnboardTwoAccountsAndAcceptInvitations: an operator onboards two
// accounts; each gets its own 8-digit number, waits as pending, and its
// Primary Admin gets an invitation naming the company, the operator, the
// link and its expiry. The Primary Admin follows it through every step of
// setup, accepts the license agreement, lands signed in, and can sign in
// again later; the account is active, the link spent, and both audit logs
// say what happened.
func TestOnboardTwoAccountsAndAcceptInvitations(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		w := newOpsWorld(t, d)
		e := w.e
		ctx := context.Background()
		if page := w.ops.Get("/operator/accounts/new"); page.Status != http.StatusOK ||
			page.Doc.Find("form[data-testid=onboard-form]").Length() != 1 {
			t.Fatalf("onboarding form: %d", page.Status)
		}
		sentAt := e.Clock.Now()
		beta, res := w.onboard(t, "Beta Ltd", "Bea Boss", "bea@beta.example")
		if got, want := w.flashAfter(res, beta.ID), "Account "+beta.Number+" created; the invitation was sent to bea@beta.example."; got != want {
			t.Errorf("flash %q, want %q", got, want)
		}
		gamma, _ := w.onboard(t, "Gamma plc", "Gus Gamma", "gus@gamma.example")
		for _, a := range []*models.Account{beta, gamma} {
			if !accountNumber.MatchString(a.Number) || a.Status != models.AccountPending || a.Kind != models.KindCustomer {
				t.Errorf("account %q: number %q, status %q, kind %q", a.Name, a.Number, a.Status, a.Kind)
			}
		}
		if beta.Number == gamma.Number {
			t.Fatalf("both accounts got number %s", beta.Number)
		}

		bea := e.User("bea@beta.example")
		if bea.AccountID != beta.ID || !bea.IsPrimaryAdmin || bea.Status != models.StatusInvited || bea.PasswordHash != "" {
			t.Fatalf("Primary Admin: %+v", bea)
		}
		msgs := e.MailTo("bea@beta.example")
		if len(msgs) != 1 || msgs[0].Subject != "Set up the Account Portal account of Beta Ltd" {
			t.Fatalf("invitation mail: %+v", msgs)
		}
		expires := sentAt.Add(72 * time.Hour).UTC().Format("2 January 2006 at 15:04 UTC")
		for _, want := range []string{"Olga Ops, of your phone service provider", "Beta Ltd", "account number " + beta.Number,
			"Your username is: bea@beta.example", "expires on " + expires, e.URL + "/invite/"} {
			if !strings.Contains(msgs[0].TextBody, want) || !strings.Contains(msgs[0].HTMLBody, strings.ReplaceAll(want, "Your username is: ", "")) {
				t.Errorf("invitation lacks %q:\n%s", want, msgs[0].TextBody)
			}
		}
		if n := len(auditIn(t, e, beta.ID, provider.ActionAccountOnboarded)); n != 1 {
			t.Errorf("%d onboarding entries in the customer's log", n)
		}
		if n := len(auditIn(t, e, staffID(t, e), provider.ActionAccountOnboarded)); n != 2 {
			t.Errorf("%d onboarding entries in the provider's log, want one per account", n)
		}

		status := w.ops.Get("/operator/accounts/" + apptest.Itoa(beta.ID) + "/invitation")
		if status.Status != http.StatusOK {
			t.Fatalf("invitation page: %d", status.Status)
		}
		for sel, want := range map[string]string{"invitation-sent-to": "Bea Boss <bea@beta.example>",
			"invitation-state": "Waiting for the Primary Admin", "invitation-expires": sentAt.Add(72 * time.Hour).UTC().Format("2 Jan 2006 15:04 UTC")} {
			if got := strings.TrimSpace(status.Doc.Find("[data-testid=" + sel + "]").Text()); got != want {
				t.Errorf("%s: %q, want %q", sel, got, want)
			}
		}

		link := e.InvitationLink("bea@beta.example")
		c := e.Client()
		opened := c.Get(link)
		if opened.Status != http.StatusSeeOther || opened.Location != "/invite" || opened.Header.Get("Referrer-Policy") != "no-referrer" {
			t.Fatalf("open link: %d %q %q", opened.Status, opened.Location, opened.Header.Get("Referrer-Policy"))
		}
		form := c.Get("/invite")
		if form.Status != http.StatusOK || form.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("invitation form: %d", form.Status)
		}
		for sel, want := range map[string]string{"invitation-company": "Beta Ltd", "invitation-number": beta.Number,
			"invitation-username": "bea@beta.example"} {
			if got := form.Doc.Find("[data-testid=" + sel + "]").Text(); got != want {
				t.Errorf("%s: %q, want %q", sel, got, want)
			}
		}
		// The steps of first-run setup, with its checks.
		bad := c.Submit(form, "form[data-testid=invitation-form]", map[string]string{
			"password": "short", "password_confirm": "other", "passphrase": "short", "security_question": "custom",
			"security_question_custom": "", "security_answer": "x"})
		if bad.Status != http.StatusUnprocessableEntity {
			t.Fatalf("bad credentials: %d", bad.Status)
		}
		for _, field := range []string{"password", "password_confirm", "passphrase", "security_question_custom", "security_answer"} {
			if bad.Doc.Find("[data-testid=error-"+field+"]").Length() == 0 {
				t.Errorf("no error beside %s", field)
			}
		}
		if bad.Doc.Find("[data-testid=error-summary]").Length() == 0 {
			t.Error("no error summary")
		}
		done := c.Submit(bad, "form[data-testid=invitation-form]", map[string]string{
			"password": inviteePassword, "password_confirm": inviteePassword, "passphrase": inviteePassphrase,
			"security_question": "custom", "security_question_custom": "First ferry?", "security_answer": "Spirit of Kent"})
		if done.Status != http.StatusSeeOther || done.Location != "/login/agreement" {
			t.Fatalf("accept: %d %q\n%s", done.Status, done.Location, done.Body)
		}
		agreement := c.Get("/login/agreement")
		if agreement.Status != http.StatusOK {
			t.Fatalf("agreement: %d", agreement.Status)
		}
		if res := c.Submit(agreement, "form[action='/login/agreement']", nil); res.Status != http.StatusSeeOther || res.Location != "/" {
			t.Fatalf("accept agreement: %d %q", res.Status, res.Location)
		}
		if home := c.Get("/"); home.Status != http.StatusOK || !strings.Contains(home.Body, "Bea Boss") {
			t.Fatalf("home after the invitation: %d", home.Status)
		}

		beta, _ = e.Store().Accounts.ByID(ctx, beta.ID)
		bea = e.User("bea@beta.example")
		if beta.Status != models.AccountActive || beta.StatusChangedAt == nil || !beta.StatusChangedAt.Equal(e.Clock.Now()) {
			t.Errorf("account after acceptance: %q %v", beta.Status, beta.StatusChangedAt)
		}
		if bea.Status != models.StatusActive || bea.SecurityQuestion != "First ferry?" || bea.PasswordChangedAt == nil {
			t.Errorf("Primary Admin after acceptance: %+v", bea)
		}
		if has, err := e.Store().Secrets.HasPassphrase(ctx, bea.ID); err != nil || !has {
			t.Errorf("passphrase kept: %v %v", has, err)
		}
		if n := len(auditIn(t, e, beta.ID, account.ActionInvitationAccepted)); n != 1 {
			t.Errorf("%d acceptance entries", n)
		}
		if res := e.Client().Get(link); res.Status != http.StatusNotFound ||
			!strings.Contains(res.Body, "This invitation has expired or was already used") {
			t.Errorf("used link: %d", res.Status)
		}
		if res := w.ops.Get("/operator/accounts/" + apptest.Itoa(beta.ID) + "/invitation"); res.Status != http.StatusNotFound {
			t.Errorf("invitation page of an active account: %d", res.Status)
		}
		again := e.Client()
		if res := again.SignIn("bea@beta.example", inviteePassword); res.Status != http.StatusSeeOther || res.Location != "/" {
			t.Errorf("sign in later: %d %q", res.Status, res.Location)
		}
		// Her own page's link ledger keeps the invitation, spent.
		ledger := again.Get("/admin/users/" + apptest.Itoa(bea.ID)).Doc.Find("[data-testid=ledger-row]")
		if ledger.Length() != 1 || !strings.HasPrefix(ledger.Find("td").First().Text(), "Invitation") ||
			ledger.Find("td").Eq(1).Text() != "Olga Ops" || !strings.HasPrefix(ledger.Find("[data-testid=ledger-state]").Text(), "Used ") {
			t.Errorf("link ledger: %d rows: %q", ledger.Length(), ledger.Text())
		}
		// When, in the tables' short form, in full in the title.
		if used := ledger.Find("[data-testid=ledger-state] time"); strings.Contains(used.Text(), "UTC") ||
			!strings.HasSuffix(used.AttrOr("title", ""), "UTC") || used.AttrOr("datetime", "") == "" ||
			strings.TrimSpace(used.Parent().Text()) != "Used "+used.Text() {
			t.Errorf("used at: %q %q", used.Parent().Text(), used.AttrOr("title", ""))
		}

		// The second account's Primary Admin, in the same way.
		gus := e.AcceptInvitation(e.InvitationLink("gus@gamma.example"), inviteePassword, inviteePassphrase)
		if home := gus.Get("/"); home.Status != http.StatusOK || !strings.Contains(home.Body, "Gus Gamma") {
			t.Errorf("Gus's home: %d", home.Status)
		}
		if gamma, _ = e.Store().Accounts.ByID(ctx, gamma.ID); gamma.Status != models.AccountActive {
			t.Errorf("second account: %q", gamma.Status)
		}
	})
}

// TestOnboardSameEmailInTwoAccounts: an address may be in several
// accounts, but usernames are unique across the service: the second
// Primary Admin with an address already used as a username gets one made
// from it, shown to the operator and in the invitation, and signs in with it.
func TestOnboardSameEmailInTwoAccounts(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		w := newOpsWorld(t, d)
		e := w.e
		w.onboard(t, "Delta Ltd", "Dee Dual", "dee@dual.example")
		second, res := w.onboard(t, "Epsilon Ltd", "Dee Dual", "dee@dual.example")
		username := "dee." + second.Number
		want := "Account " + second.Number + " created; the invitation was sent to dee@dual.example. " +
			"That address is already someone's username, so Dee Dual's username is " + username + "."
		if got := w.flashAfter(res, second.ID); got != want {
			t.Errorf("flash %q, want %q", got, want)
		}
		u := e.User(username)
		if u.AccountID != second.ID || u.Email != "dee@dual.example" {
			t.Fatalf("second Primary Admin: %+v", u)
		}
		msgs := e.MailTo("dee@dual.example")
		if len(msgs) != 2 || !strings.Contains(msgs[1].TextBody, "Your username is: "+username) {
			t.Fatalf("second invitation: %d messages", len(msgs))
		}
		e.AcceptInvitation(e.InvitationLink("dee@dual.example"), inviteePassword, inviteePassphrase)
		if res := e.Client().SignIn(username, inviteePassword); res.Status != http.StatusSeeOther || res.Location != "/" {
			t.Errorf("sign in as %s: %d %q", username, res.Status, res.Location)
		}
	})
}

// TestInvitationResendVoidExpire: a new invitation voids the old link; a
// voided link opens nothing, not even in a browser that opened it before;
// a link works until 72 hours have passed and not after. Each action says
// what it did at the top of the page and is audited in both logs.
func TestInvitationResendVoidExpire(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		w := newOpsWorld(t, d)
		e := w.e
		a, _ := w.onboard(t, "Zeta Ltd", "Zed Zeta", "zed@zeta.example")
		page := "/operator/accounts/" + apptest.Itoa(a.ID) + "/invitation"
		first := e.InvitationLink("zed@zeta.example")

		res := w.ops.Submit(w.ops.Get(page), "form:has([data-testid=invitation-resend])", nil)
		if res.Status != http.StatusSeeOther || res.Location != page {
			t.Fatalf("resend: %d %q", res.Status, res.Location)
		}
		shown := w.ops.Get(page)
		if flash := shown.Doc.Find("[data-testid=flash]").Text(); !strings.Contains(flash, "A new invitation was sent to zed@zeta.example") {
			t.Errorf("resend flash %q", flash)
		}
		second := e.InvitationLink("zed@zeta.example")
		if second == first {
			t.Fatal("the new invitation has the old link")
		}
		if msgs := e.MailTo("zed@zeta.example"); len(msgs) != 2 || !strings.Contains(msgs[1].TextBody, "new invitation") {
			t.Errorf("second invitation mail: %d", len(msgs))
		}
		if res := e.Client().Get(first); res.Status != http.StatusNotFound {
			t.Errorf("old link after resend: %d", res.Status)
		}
		if n := len(auditIn(t, e, a.ID, provider.ActionInvitationResent)); n != 1 {
			t.Errorf("%d resend entries in the customer's log", n)
		}

		holder := e.Client()
		if res := holder.Get(second); res.Status != http.StatusSeeOther {
			t.Fatalf("open second link: %d", res.Status)
		}
		res = w.ops.Submit(shown, "form:has([data-testid=invitation-void])", nil)
		if res.Status != http.StatusSeeOther || res.Location != page {
			t.Fatalf("void: %d %q", res.Status, res.Location)
		}
		shown = w.ops.Get(page)
		if flash := shown.Doc.Find("[data-testid=flash]").Text(); !strings.Contains(flash, "The invitation was voided") {
			t.Errorf("void flash %q", flash)
		}
		if state := shown.Doc.Find("[data-testid=invitation-state]").Text(); state != "Voided by the provider's operator Olga Ops" ||
			shown.Doc.Find("[data-testid=invitation-void]").Length() != 0 {
			t.Errorf("state after void %q", state)
		}
		if res := holder.Get("/invite"); res.Status != http.StatusNotFound {
			t.Errorf("form of a voided link: %d", res.Status)
		}
		if res := e.Client().Get(second); res.Status != http.StatusNotFound {
			t.Errorf("voided link: %d", res.Status)
		}
		if res := w.ops.Post(page+"/void", formOf(shown, nil)); res.Status != http.StatusConflict {
			t.Errorf("void with nothing open: %d", res.Status)
		}
		if n := len(auditIn(t, e, a.ID, provider.ActionInvitationVoided)); n != 1 {
			t.Errorf("%d void entries", n)
		}
		if n := len(auditIn(t, e, staffID(t, e), provider.ActionInvitationVoided)); n != 1 {
			t.Errorf("%d void entries in the provider's log", n)
		}

		w.ops.Post(page+"/resend", formOf(shown, nil))
		third := e.InvitationLink("zed@zeta.example")
		e.Clock.Advance(72*time.Hour - time.Minute)
		late := e.Client()
		if res := late.Get(third); res.Status != http.StatusSeeOther {
			t.Fatalf("link a minute before expiry: %d", res.Status)
		}
		e.Clock.Advance(time.Minute)
		if res := late.Get("/invite"); res.Status != http.StatusNotFound {
			t.Errorf("form after expiry: %d", res.Status)
		}
		if res := e.Client().Get(third); res.Status != http.StatusNotFound {
			t.Errorf("expired link: %d", res.Status)
		}
		// The operator's session ended meanwhile.
		w.ops = w.e.Client()
		if res := w.ops.SignInTOTP(opsEmail, deskPassword, w.key, e.Clock); res.Location != "/" {
			t.Fatalf("operator sign-in: %d %q", res.Status, res.Location)
		}
		if state := w.ops.Get(page).Doc.Find("[data-testid=invitation-state]").Text(); state != "Expired" {
			t.Errorf("state after expiry %q", state)
		}
	})
}

// TestInvitationPageOnlyForPendingAccounts: the invitation's page and
// actions answer 404 for unknown ids, the staff account and accounts not
// waiting for their Primary Admin.
func TestInvitationPageOnlyForPendingAccounts(t *testing.T) {
	w := newOpsWorld(t, models.SQLite)
	e := w.e
	csrf := formOf(w.ops.Get("/operator"), nil)
	for _, id := range []string{apptest.Itoa(e.User("ada").AccountID), apptest.Itoa(staffID(t, e)), "999999", "abc", "-1"} {
		page := "/operator/accounts/" + id + "/invitation"
		if res := w.ops.Get(page); res.Status != http.StatusNotFound {
			t.Errorf("GET %s: %d", page, res.Status)
		}
		for _, action := range []string{"/resend", "/void"} {
			if res := w.ops.Post(page+action, csrf); res.Status != http.StatusNotFound {
				t.Errorf("POST %s%s: %d", page, action, res.Status)
			}
		}
	}
}

// TestOnboardValidation: missing and malformed details come back with a
// message beside each field and in the summary, and nothing is created.
func TestOnboardValidation(t *testing.T) {
	w := newOpsWorld(t, models.SQLite)
	cases := []struct {
		name                  string
		company, admin, email string
		errors                map[string]string
	}{
		{"empty", "", "", "", map[string]string{"company_name": "Enter the company name",
			"admin_name": "Enter the Primary Admin's name", "admin_email": "Enter the Primary Admin's email address"}},
		{"bad email", "Acme", "Al", "not-an-address", map[string]string{"admin_email": "Enter an email address in the correct format"}},
		{"too long", strings.Repeat("x", 101), strings.Repeat("y", 101), "a@" + strings.Repeat("b", 260) + ".example",
			map[string]string{"company_name": "100 characters", "admin_name": "100 characters", "admin_email": "254 characters"}},
	}
	before, _ := w.e.Store().Accounts.Count(context.Background())
	for _, tc := range cases {
		res := w.ops.Onboard(tc.company, tc.admin, tc.email)
		if res.Status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d", tc.name, res.Status)
			continue
		}
		for field, want := range tc.errors {
			if got := res.Doc.Find("[data-testid=error-" + field + "]").Text(); !strings.Contains(got, want) {
				t.Errorf("%s: %s shows %q, want %q", tc.name, field, got, want)
			}
			if !strings.Contains(res.Doc.Find("[data-testid=error-summary]").Text(), want) {
				t.Errorf("%s: the summary lacks %q", tc.name, want)
			}
		}
		if got, _ := res.Doc.Find("input[name=company_name]").Attr("value"); got != tc.company {
			t.Errorf("%s: company shown as %q", tc.name, got)
		}
	}
	if after, _ := w.e.Store().Accounts.Count(context.Background()); after != before {
		t.Errorf("accounts: %d, then %d", before, after)
	}
}

// TestInvitationAcceptedOnceUnderParallelSubmits: twenty browsers holding
// the same invitation submit at once; exactly one sets the account up, the
// others get the used-link page, and the account has one passphrase and
// one acceptance.
func TestInvitationAcceptedOnceUnderParallelSubmits(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		w := newOpsWorld(t, d)
		e := w.e
		a, _ := w.onboard(t, "Theta Ltd", "Tia Theta", "tia@theta.example")
		link := e.InvitationLink("tia@theta.example")
		const n = 20
		clients := make([]*apptest.Client, n)
		forms := make([]*apptest.Response, n)
		for i := range clients {
			clients[i] = e.Client()
			clients[i].Get(link)
			forms[i] = clients[i].Get("/invite")
		}
		statuses := make([]int, n)
		var wg sync.WaitGroup
		for i := range clients {
			wg.Go(func() {
				res := clients[i].Submit(forms[i], "form[data-testid=invitation-form]", map[string]string{
					"password": inviteePassword, "password_confirm": inviteePassword, "passphrase": inviteePassphrase})
				statuses[i] = res.Status
			})
		}
		wg.Wait()
		won := 0
		for i, s := range statuses {
			switch s {
			case http.StatusSeeOther:
				won++
			case http.StatusNotFound:
			default:
				t.Errorf("submit %d: %d", i, s)
			}
		}
		if won != 1 {
			t.Fatalf("%d submits succeeded, want 1 (%v)", won, statuses)
		}
		if n := len(auditIn(t, e, a.ID, account.ActionInvitationAccepted)); n != 1 {
			t.Errorf("%d acceptances", n)
		}
		if u := e.User("tia@theta.example"); u.Status != models.StatusActive {
			t.Errorf("Primary Admin: %q", u.Status)
		}
	})
}

// The operator chooses the company's language when onboarding it: the
// invitation is written in it, the invitation's pages speak it, and it is
// the new account's default. A language the portal does not offer is
// refused on the form, and nothing is created.
func TestOnboardingInTheCompanysLanguage(t *testing.T) {
	w := newOpsWorld(t, models.SQLite)
	e := w.e
	form := w.ops.Get("/operator/accounts/new")
	if got := form.Doc.Find("select[name=language] option").Length(); got != 5 {
		t.Fatalf("%d language options, want none and four", got)
	}
	before, _ := e.Store().Accounts.Count(context.Background())
	res := w.ops.Submit(form, "form[data-testid=onboard-form]", map[string]string{
		"company_name": "Faro SL", "admin_name": "Inés Faro", "admin_email": "ines@faro.example", "language": "pt"})
	if got := res.Doc.Find("[data-testid=error-language]").Text(); res.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(got, "Choose a language from the list") {
		t.Fatalf("Portuguese: %d %q", res.Status, got)
	}
	if after, _ := e.Store().Accounts.Count(context.Background()); after != before {
		t.Fatalf("accounts: %d, then %d", before, after)
	}
	assertNoEnglishLeft(t, func(lang string) []map[string]bool {
		addr := "ines-" + lang + "@faro.example"
		res := w.ops.Submit(w.ops.Get("/operator/accounts/new"), "form[data-testid=onboard-form]", map[string]string{
			"company_name": "Faro SL", "admin_name": "Inés Faro", "admin_email": addr, "language": lang})
		a, err := e.Store().Accounts.ByID(context.Background(), apptest.OnboardedID(t, res))
		if err != nil || a.Language != lang {
			t.Fatalf("the account's language: %v %q, want %q", err, a.Language, lang)
		}
		msgs := e.MailTo(addr)
		if len(msgs) != 1 || !strings.Contains(msgs[0].HTMLBody, `<html lang="`+lang+`">`) {
			t.Fatalf("%s invitation: %+v", lang, msgs)
		}
		c := e.Client()
		page := c.Get(e.InvitationLink(addr))
		if page.Status == http.StatusSeeOther {
			page = c.Get(page.Location)
		}
		if got := page.Doc.Find("html").AttrOr("lang", ""); page.Status != http.StatusOK || got != lang {
			t.Errorf("%s invitation page: %d, lang %q", lang, page.Status, got)
		}
		words := readerWords(page)
		for _, name := range []string{"faro", "inés", "ines"} { // the company's and the person's
			delete(words, name)
		}
		return []map[string]bool{mailWords(t, msgs[0], "Olga Ops", "Faro SL", "Inés Faro", addr, a.Number), words}
	})
}
