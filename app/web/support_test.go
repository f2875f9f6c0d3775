package web_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"accountportal/app/apptest"
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/app/support"
	"accountportal/models"
	"accountportal/models/modelstest"
)

const (
	billPassphrase = "copper kettle morning"
	deskPassword   = "Walrus+Tide42"
)

// desk is a portal with a customer account of every kind of caller and a
// support agent signed in.
type desk struct {
	e       *apptest.Env
	admin   apptest.Admin
	agent   *apptest.Client
	key     string
	account *models.Account
	ids     map[string]string
	log     *syncBuffer
}

func newDesk(t *testing.T, d models.Dialect) *desk {
	t.Helper()
	return newDeskWith(t, d, nil)
}

func newDeskWith(t *testing.T, d models.Dialect, cfg *support.Config) *desk {
	t.Helper()
	log := &syncBuffer{}
	e := apptest.Start(t, d, apptest.Options{Log: log, Debug: true, Support: cfg})
	a := apptest.DefaultAdmin()
	e.Setup(a)
	acct := e.User("ada").AccountID
	account, err := e.Store().Accounts.ByID(context.Background(), acct)
	if err != nil {
		t.Fatal(err)
	}
	k := &desk{e: e, admin: a, account: account, ids: map[string]string{"ada": apptest.Itoa(e.User("ada").ID)}, log: log}
	add := func(name string) *models.User {
		u := e.AddUser(acct, name, deskPassword, models.StatusActive)
		k.ids[name] = apptest.Itoa(u.ID)
		return u
	}
	bill := add("bill")
	e.GiveRole(bill.ID, "billing_admin")
	k.setPassphrase(bill.ID, billPassphrase)
	nora := add("nora") // an IT Admin without a passphrase
	e.GiveRole(nora.ID, "it_admin")
	sue := add("sue") // a suspended Billing Admin
	e.GiveRole(sue.ID, "billing_admin")
	k.setPassphrase(sue.ID, "suspended someone here")
	if err := e.Store().Users.SetStatus(context.Background(), sue.ID, models.StatusSuspended, e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	pat := add("pat") // a plain user, with a passphrase of their own
	k.setPassphrase(pat.ID, "plain user phrase")
	e.AddAgent("Sam Support", "sam@desk.example", deskPassword)
	k.agent = e.Client()
	var res *apptest.Response
	if k.key, res = k.agent.SignInEnrolling("sam@desk.example", deskPassword, e.Clock); res.Location != "/" {
		t.Fatalf("agent sign-in ended at %q", res.Location)
	}
	return k
}

// signInAgentAgain gives the agent a new session, as after a long break.
func (k *desk) signInAgentAgain() {
	k.agent = k.e.Client()
	if res := k.agent.SignInTOTP("sam@desk.example", deskPassword, k.key, k.e.Clock); res.Location != "/" {
		k.e.T.Fatalf("agent sign-in again ended at %d %q", res.Status, res.Location)
	}
}

// syncBuffer is a log the portal writes while the test reads it.
type syncBuffer = apptest.SyncBuffer

var apptestOrigin = audit.Origin{IP: "192.0.2.9", UserAgent: "test"}

func (k *desk) setPassphrase(userID int64, value string) { k.e.SetPassphrase(userID, value) }

func (k *desk) consolePath() string { return "/support/accounts/" + apptest.Itoa(k.account.ID) }

// verify submits the console's form as the agent.
func (k *desk) verify(caller, area, passphrase, code string) *apptest.Response {
	page := k.agent.Get(k.consolePath())
	fields := map[string]string{"area": area, "passphrase": passphrase, "code": code}
	if caller != "" {
		fields["caller"] = k.ids[caller]
	}
	return k.agent.Submit(page, "form[data-testid=support-verify]", fields)
}

func outcomeOf(res *apptest.Response) string {
	v, _ := res.Doc.Find("[data-testid=support-result]").Attr("data-outcome")
	return v
}

func texts(res *apptest.Response, selector string) []string {
	var out []string
	res.Doc.Find(selector).Each(func(_ int, s *goquery.Selection) { out = append(out, strings.TrimSpace(s.Text())) })
	return out
}

func TestSupportOutcomes(t *testing.T) {
	k := newDesk(t, models.SQLite)
	cases := []struct {
		name, caller, area, passphrase, code string
		status                               int
		outcome, heading                     string
	}{
		{"billing admin, billing changes", "bill", identity.PermBillingChanges, billPassphrase, "", 200, "verified", "Verified"},
		{"spoken without case or spacing", "bill", identity.PermBillingInfo, "  COPPER kettle   Morning ", "", 200, "verified", "Verified"},
		{"billing admin, phone system", "bill", identity.PermPhoneSystem, billPassphrase, "", 200, "no_privilege", "Not verified: the caller has no privilege for this area"},
		{"wrong passphrase", "bill", identity.PermBillingChanges, "copper kettle evening", "", 200, "mismatch", "Not verified: passphrase does not match"},
		{"no passphrase set", "nora", identity.PermPhoneSystem, "anything at all", "", 200, "no_passphrase", "Not verified: no passphrase set"},
		{"suspended caller", "sue", identity.PermBillingChanges, "suspended someone here", "", 200, "suspended", "Not verified: caller suspended"},
		{"primary admin, any area", "ada", identity.PermPhoneSystem, "blue harbour lantern", "", 200, "verified", "Verified"},
		{"plain user", "pat", identity.PermAccountInfo, "plain user phrase", "", 200, "no_privilege", "Not verified: the caller has no privilege for this area"},
		{"no caller chosen", "", identity.PermAccountInfo, billPassphrase, "", 422, "", ""},
		{"no area chosen", "bill", "", billPassphrase, "", 422, "", ""},
		{"unknown area", "bill", identity.PermAuditView, billPassphrase, "", 422, "", ""},
		{"nothing said", "bill", identity.PermBillingChanges, "", "", 422, "", ""},
		{"passphrase and code", "bill", identity.PermBillingChanges, billPassphrase, "123456", 422, "", ""},
		{"code of 5 digits", "bill", identity.PermBillingChanges, "", "12345", 422, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := k.verify(tc.caller, tc.area, tc.passphrase, tc.code)
			if res.Status != tc.status || outcomeOf(res) != tc.outcome {
				t.Fatalf("status %d outcome %q, want %d %q\n%s", res.Status, outcomeOf(res), tc.status, tc.outcome,
					res.Doc.Find("[data-testid=error-summary]").Text())
			}
			if got := strings.TrimSpace(res.Doc.Find("[data-testid=support-result-heading]").Text()); got != tc.heading {
				t.Errorf("heading %q, want %q", got, tc.heading)
			}
			if tc.status == 422 && res.Doc.Find("[data-testid=error-summary] li").Length() == 0 {
				t.Error("422 without an error summary")
			}
		})
	}
	t.Run("verified lists every area the caller may ask about", func(t *testing.T) {
		res := k.verify("bill", identity.PermBillingChanges, billPassphrase, "")
		got := strings.Join(texts(res, "[data-testid=support-may-request] li"), "|")
		want := "Account-specific information|Billing inquiries|Billing changes|Updates to billing information"
		if got != want {
			t.Fatalf("may request %q, want %q", got, want)
		}
	})
	t.Run("no privilege names who has it", func(t *testing.T) {
		res := k.verify("bill", identity.PermPhoneSystem, billPassphrase, "")
		got := strings.Join(texts(res, "[data-testid=support-holders] li"), "|")
		if got != "Ada Admin|User nora" {
			t.Fatalf("holders %q", got)
		}
	})
	t.Run("unknown account or foreign caller is 404", func(t *testing.T) {
		_, oscar := k.e.AddAccount("23232323", "Other Co", "oscar", deskPassword)
		if res := k.agent.Get("/support/accounts/999999"); res.Status != http.StatusNotFound {
			t.Fatalf("unknown account: %d", res.Status)
		}
		page := k.agent.Get(k.consolePath())
		res := k.agent.Submit(page, "form[data-testid=support-verify]", map[string]string{
			"caller": apptest.Itoa(oscar.ID), "area": identity.PermAccountInfo, "passphrase": "whatever it is"})
		if res.Status != http.StatusNotFound {
			t.Fatalf("caller of another account: %d", res.Status)
		}
		staff, err := k.e.Store().Accounts.Staff(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if res := k.agent.Get("/support/accounts/" + apptest.Itoa(staff.ID)); res.Status != http.StatusNotFound {
			t.Fatalf("the staff account itself: %d", res.Status)
		}
	})
}

func TestSupportFindsAccountsAndCallers(t *testing.T) {
	k := newDesk(t, models.SQLite)
	path := k.consolePath()
	cases := []struct {
		name, query string
		status      int
		location    string
	}{
		{"by number", k.account.Number, 303, path},
		{"by name, any case", "  acme TELECOM ltd ", 303, path},
		{"unknown", "Nobody Ltd", 422, ""},
		{"empty", "", 422, ""},
		{"part of a name", "Acme", 422, ""},
		{"the support desk's own number", "00000000", 422, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := k.agent.Get("/support?q=" + strings.ReplaceAll(tc.query, " ", "+"))
			if res.Status != tc.status || res.Location != tc.location {
				t.Fatalf("%d %q, want %d %q", res.Status, res.Location, tc.status, tc.location)
			}
		})
	}
	t.Run("two companies of one name are listed", func(t *testing.T) {
		k.e.AddAccount("34343434", "Acme Telecom Ltd", "otto", deskPassword)
		res := k.agent.Get("/support?q=Acme+Telecom+Ltd")
		if res.Status != http.StatusOK || res.Doc.Find("[data-testid=support-accounts] li").Length() != 2 {
			t.Fatalf("%d, %d accounts", res.Status, res.Doc.Find("[data-testid=support-accounts] li").Length())
		}
	})
	t.Run("admins are listed with their areas, plain users are not", func(t *testing.T) {
		res := k.agent.Get(path)
		names := strings.Join(texts(res, "[data-testid=support-admin-row] td:first-child"), "|")
		for _, want := range []string{"Ada Admin", "User bill", "User nora", "User sue"} {
			if !strings.Contains(names, want) {
				t.Errorf("admins %q lack %q", names, want)
			}
		}
		if strings.Contains(names, "User pat") {
			t.Errorf("plain user listed as an admin: %q", names)
		}
	})
	lookups := []struct {
		name, username string
		status         int
		selector       string
	}{
		{"plain user", "pat", 200, "[data-testid=support-not-admin]"},
		{"admin", "bill", 200, "[data-testid=support-lookup-admin]"},
		{"unknown", "nobody", 422, "[data-testid=error-username]"},
		{"someone of another account", "otto", 422, "[data-testid=error-username]"},
		{"empty", "", 422, "[data-testid=error-username]"},
	}
	for _, tc := range lookups {
		t.Run("look up "+tc.name, func(t *testing.T) {
			res := k.agent.Get(path + "?username=" + tc.username)
			if res.Status != tc.status || res.Doc.Find(tc.selector).Length() != 1 {
				t.Fatalf("%d, %s found %d times", res.Status, tc.selector, res.Doc.Find(tc.selector).Length())
			}
		})
	}
	if got := k.agent.Get(path + "?username=pat").Doc.Find("[data-testid=support-not-admin]").Text(); !strings.Contains(got, "not an admin — cannot request account changes") {
		t.Fatalf("plain user message %q", got)
	}
}

func TestSupportLockout(t *testing.T) {
	k := newDesk(t, models.SQLite)
	for i := 1; i <= 5; i++ {
		res := k.verify("bill", identity.PermBillingChanges, "not the phrase at all", "")
		if outcomeOf(res) != "mismatch" {
			t.Fatalf("attempt %d: %q", i, outcomeOf(res))
		}
		msg := res.Doc.Find("[data-testid=support-result-message]").Text()
		if locked := strings.Contains(msg, "locked until"); locked != (i == 5) {
			t.Fatalf("attempt %d message: %q", i, msg)
		}
	}
	k.e.Drain()
	mails := k.e.MailTo("bill@example.com")
	if len(mails) != 1 || mails[0].Subject != "Support desk verification locked" {
		t.Fatalf("mail to the caller: %+v", mails)
	}
	res := k.verify("bill", identity.PermBillingChanges, billPassphrase, "")
	if outcomeOf(res) != "locked" || !strings.Contains(res.Doc.Find("[data-testid=support-result-message]").Text(), "10:00 UTC") {
		t.Fatalf("right passphrase while locked: %q %q", outcomeOf(res), res.Doc.Find("[data-testid=support-result-message]").Text())
	}
	// Other callers are not locked.
	if res := k.verify("ada", identity.PermBillingChanges, k.admin.Passphrase, ""); outcomeOf(res) != "verified" {
		t.Fatalf("another caller during the lock: %q", outcomeOf(res))
	}
	k.e.Clock.Advance(time.Hour)
	k.signInAgentAgain()
	if res := k.verify("bill", identity.PermBillingChanges, billPassphrase, ""); outcomeOf(res) != "verified" {
		t.Fatalf("after an hour: %q", outcomeOf(res))
	}
	// Success clears the count: four more failures do not lock.
	for i := 0; i < 4; i++ {
		k.verify("bill", identity.PermBillingChanges, "wrong again here", "")
	}
	if res := k.verify("bill", identity.PermBillingChanges, billPassphrase, ""); outcomeOf(res) != "verified" {
		t.Fatalf("after four failures: %q", outcomeOf(res))
	}
	counts := map[string]int{}
	events, err := k.e.Store().Audit.Page(context.Background(), models.AuditFilter{AccountID: k.account.ID, ActionPrefix: "support."}, 0, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range events {
		counts[ev.Action]++
		if ev.ActorName != "Sam Support (sam@desk.example)" {
			t.Fatalf("actor %q", ev.ActorName)
		}
	}
	want := map[string]int{"support.mismatch": 9, "support.locked": 1, "support.verified": 3}
	for a, n := range want {
		if counts[a] != n {
			t.Errorf("%s: %d events, want %d (%v)", a, counts[a], n, counts)
		}
	}
}

// TestSupportParallelAttempts races wrong passphrases at one caller: no
// more than five are ever compared, whatever the interleaving.
func TestSupportParallelAttempts(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		k := newDesk(t, d)
		agent, err := k.e.App.SignIn.LoadPrincipal(context.Background(), k.e.User("sam@desk.example").ID)
		if err != nil {
			t.Fatal(err)
		}
		bill := k.e.User("bill")
		const n = 20
		outcomes := make(chan support.Outcome, n)
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				res, err := k.e.App.Support.Verify(context.Background(), agent, support.Request{AccountID: k.account.ID,
					CallerID: bill.ID, Area: identity.PermBillingChanges, Passphrase: "guess guess guess"}, apptestOrigin)
				if err != nil {
					t.Error(err)
					return
				}
				outcomes <- res.Outcome
			})
		}
		wg.Wait()
		close(outcomes)
		got := map[support.Outcome]int{}
		for o := range outcomes {
			got[o]++
		}
		if got[support.Mismatch] != 5 || got[support.Locked] != n-5 {
			t.Fatalf("outcomes %v, want 5 mismatches and %d locked", got, n-5)
		}
	})
}
