package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"accountportal/app/apptest"
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/app/security"
	"accountportal/models"
	"accountportal/models/modelstest"
)

// The brute-force limits count a guess before they compare it, so however
// many guesses arrive at once, only the limit's worth is ever compared. Each
// test below sends 50 wrong answers at once and counts the comparisons the
// portal really ran: hashes verified (Hasher.Verifications), or for
// checks without a hash the records each comparison leaves.

const guesses = 50

// manySlots lets 16 hashes run at once, as a large server would, so that
// nothing but the limits keeps parallel guesses from being compared.
var manySlots = map[string]string{"PORTAL_HASH_CONCURRENCY": "16"}

// atOnce runs send(i) for every i below n in goroutines released together
// and returns the statuses they got.
func atOnce(n int, send func(i int) int) []int {
	statuses := make([]int, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			statuses[i] = send(i)
		})
	}
	close(start)
	wg.Wait()
	return statuses
}

// tally counts statuses, failing the test on any 5xx.
func tally(t *testing.T, statuses []int) map[int]int {
	t.Helper()
	got := map[int]int{}
	for _, s := range statuses {
		got[s]++
	}
	for s, n := range got {
		if s >= 500 {
			t.Errorf("%d of %d parallel requests answered %d (%v)", n, len(statuses), s, got)
		}
	}
	return got
}

// compared returns how many hashes the portal verified while f ran.
func compared(e *apptest.Env, f func()) int64 {
	before := e.App.Hasher.Verifications()
	f()
	return e.App.Hasher.Verifications() - before
}

func TestParallelWrongPasswords(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e, a := signedUp(t, d, apptest.Options{Env: manySlots})
		clients := make([]*apptest.Client, guesses)
		forms := make([]url.Values, guesses)
		for i := range clients {
			c := e.Client()
			c.Submit(c.Get("/login"), "form[data-testid=login-username-form]", map[string]string{"username": "ada"})
			forms[i] = formOf(c.Get("/login/password"), map[string]string{"password": "Wrong+Guess" + apptest.Itoa(int64(i))})
			clients[i] = c
		}
		var statuses []int
		n := compared(e, func() {
			statuses = atOnce(guesses, func(i int) int { return clients[i].Post("/login/password", forms[i]).Status })
		})
		got := tally(t, statuses)
		t.Logf("%d of %d parallel passwords compared; statuses %v", n, guesses, got)
		if n != 5 || got[http.StatusUnprocessableEntity] != 5 || got[http.StatusTooManyRequests] != guesses-5 {
			t.Fatalf("%d passwords compared (limit 5); statuses %v", n, got)
		}
		if res := e.Client().SignIn("ada", a.Password); res.Status != http.StatusTooManyRequests {
			t.Fatalf("right password after the guesses: %d", res.Status)
		}
		if n := auditCount(t, e, e.User("ada").AccountID, audit.ActionSignInFailed); n != 5 {
			t.Fatalf("%d failures audited, want 5", n)
		}
	})
}

func TestParallelWrongCurrentPasswords(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e := apptest.Start(t, d, apptest.Options{Env: manySlots})
		a := apptest.DefaultAdmin()
		c := e.Setup(a)
		form := formOf(c.Get("/confirm?next=/profile"), map[string]string{"password": "Wrong+Guess1"})
		var statuses []int
		n := compared(e, func() {
			statuses = atOnce(guesses, func(int) int { return c.Post("/confirm", form).Status })
		})
		got := tally(t, statuses)
		t.Logf("%d of %d parallel current passwords compared; statuses %v", n, guesses, got)
		// The fifth wrong password locks, and says so.
		if n != 5 || got[http.StatusUnprocessableEntity] != 4 || got[http.StatusTooManyRequests] != guesses-4 {
			t.Fatalf("%d passwords compared (limit 5); statuses %v", n, got)
		}
		form.Set("password", a.Password)
		if res := c.Post("/confirm", form); res.Status != http.StatusTooManyRequests {
			t.Fatalf("right password after the guesses: %d", res.Status)
		}
	})
}

func TestParallelWrongCodes(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e, key, codes := mfaWorld(t, d, models.MFAOptional)
		e.Clock.Advance(60 * time.Second)
		c := toCode(t, e)
		// Backup-code guesses that share a real code's first four
		// characters, so each one compared costs the hashes of the codes
		// with that prefix.
		prefix := codes[0][:4]
		guess := prefix + "-2345-6789"
		if strings.EqualFold(guess, codes[0]) {
			guess = prefix + "-9876-5432"
		}
		perGuess := int64(0)
		for _, code := range codes {
			if code[:4] == prefix {
				perGuess++
			}
		}
		form := formOf(c.Get("/login/mfa"), map[string]string{"code": guess})
		var statuses []int
		n := compared(e, func() {
			statuses = atOnce(guesses, func(int) int { return c.Post("/login/mfa", form).Status })
		})
		got := tally(t, statuses)
		t.Logf("%d of %d parallel codes compared; statuses %v", n/perGuess, guesses, got)
		if n != 5*perGuess || got[http.StatusUnprocessableEntity] != 4 || got[http.StatusTooManyRequests] != guesses-4 {
			t.Fatalf("%d codes compared (limit 5); statuses %v", n/perGuess, got)
		}
		if res := enterCode(c, apptest.TOTP(key, e.Clock.Now())); res.Status != http.StatusTooManyRequests {
			t.Fatalf("right code after the guesses: %d", res.Status)
		}
		warned := 0
		for _, m := range e.MailTo("bob@example.com") {
			if m.Subject == "Someone has your password" {
				warned++
			}
		}
		if warned != 1 {
			t.Fatalf("%d warnings sent, want 1", warned)
		}
	})
}

func TestParallelWrongAnswers(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e := apptest.Start(t, d, apptest.Options{Env: manySlots})
		e.Setup(apptest.DefaultAdmin())
		// A user with a question, whose block the Primary Admin is told of
		// (the Primary Admin blocked themself is sent to the provider).
		bob := e.AddUser(e.User("ada").AccountID, "bob", "Walrus+Tide42", models.StatusActive)
		hash, _ := security.NewHasher(security.Argon2Params(e.App.Config.Argon2), 1, 0).Hash(context.Background(), "port talbot")
		if err := e.Store().Users.SetSecurityQuestion(context.Background(), bob.ID, "In what city were you born?", hash, e.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		c := e.Client()
		c.Get(resetLink(t, e, c, "bob", "bob@example.com"))
		form := formOf(c.Get("/reset"), map[string]string{"answer": "Cardiff"})
		var statuses []int
		n := compared(e, func() {
			statuses = atOnce(guesses, func(int) int { return c.Post("/reset/answer", form).Status })
		})
		got := tally(t, statuses)
		t.Logf("%d of %d parallel answers compared; statuses %v", n, guesses, got)
		if n != 5 || got[http.StatusSeeOther] != 0 {
			t.Fatalf("%d answers compared (limit 5); statuses %v", n, got)
		}
		form.Set("answer", "Port Talbot")
		if res := c.Post("/reset/answer", form); res.Status == http.StatusSeeOther {
			t.Fatalf("right answer after the guesses was accepted")
		}
		if res := c.Post("/reset/password", formOf(c.Get("/reset"), map[string]string{
			"password": newPassword, "password_confirm": newPassword})); res.Status == http.StatusSeeOther {
			t.Fatal("password set after the guesses")
		}
		acct := e.User("ada").AccountID
		if auditCount(t, e, acct, audit.ActionResetWrongAnswer) != 4 || auditCount(t, e, acct, audit.ActionResetAnswerLocked) != 1 {
			t.Fatal("wrong answers not audited once each")
		}
		e.Drain()
		told := 0
		for _, m := range e.MailTo("ada@example.com") {
			if m.Subject == "A user cannot reset their password" {
				told++
			}
		}
		if told != 1 {
			t.Fatalf("Primary Admin told %d times, want once", told)
		}
	})
}

func TestParallelRecoveryRequests(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e, _ := signedUp(t, d, apptest.Options{})
		c := e.Client()
		form := formOf(c.Get("/forgot/password"), map[string]string{"username": "ada"})
		tally(t, atOnce(guesses, func(int) int { return c.Post("/forgot/password", form).Status }))
		// One more, after them: answered the same, and dropped.
		if res := c.Post("/forgot/password", form); res.Status != http.StatusOK {
			t.Fatalf("request after the others: %d", res.Status)
		}
		e.Drain()
		t.Logf("%d reset emails for %d requests", len(e.MailTo("ada@example.com")), guesses+1)
		if got := len(e.MailTo("ada@example.com")); got != 5 {
			t.Fatalf("%d reset emails for %d requests, want the limit of 5", got, guesses+1)
		}
	})
}

func TestParallelSupportGuesses(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		k := newDesk(t, d)
		form := formOf(k.agent.Get(k.consolePath()), map[string]string{"caller": k.ids["bill"],
			"area": identity.PermBillingChanges, "passphrase": "guess guess guess"})
		outcomes := make([]string, guesses)
		tally(t, atOnce(guesses, func(i int) int {
			res := k.agent.Post(k.consolePath()+"/verify", form)
			outcomes[i] = outcomeOf(res)
			return res.Status
		}))
		got := map[string]int{}
		for _, o := range outcomes {
			got[o]++
		}
		t.Logf("support desk outcomes of %d parallel guesses: %v", guesses, got)
		if got["mismatch"] != 5 || got["locked"] != guesses-5 {
			t.Fatalf("outcomes %v, want 5 compared and the rest locked", got)
		}
		if res := k.verify("bill", identity.PermBillingChanges, billPassphrase, ""); outcomeOf(res) != "locked" {
			t.Fatalf("right passphrase after the guesses: %q", outcomeOf(res))
		}
	})
}

// A right password is not a failure: it must not use up the username's
// limit before the second factor, nor an office's shared address.
func TestRightPasswordsDoNotUseUpLimits(t *testing.T) {
	cfg := identity.DefaultSignInConfig()
	cfg.PerUsername = models.ThrottleLimit{Window: 15 * time.Minute, Max: 3, Lock: 15 * time.Minute}
	cfg.PerIP = models.ThrottleLimit{Window: 15 * time.Minute, Max: 4, Lock: 15 * time.Minute}
	e := apptest.Start(t, models.SQLite, apptest.Options{SignIn: &cfg})
	e.Setup(apptest.DefaultAdmin())
	acct := e.User("ada").AccountID
	e.SetMFAPolicy(acct, models.MFAOptional)
	e.AddUser(acct, "bob", personaPassword, models.StatusActive)
	enrol := e.Client()
	enrol.SignIn("bob", personaPassword)
	key, _ := enrol.Enrol(e.Clock)
	for _, name := range []string{"u1", "u2", "u3", "u4", "u5", "u6"} {
		e.AddUser(acct, name, personaPassword, models.StatusActive)
		if res := e.Client().SignIn(name, personaPassword); res.Status != http.StatusSeeOther {
			t.Fatalf("%s signing in from the office's address: %d", name, res.Status)
		}
	}
	for range 2 {
		if res := e.Client().SignIn("bob", "Wrong+Pass99"); res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("wrong password: %d", res.Status)
		}
	}
	if res := e.Client().SignInTOTP("bob", personaPassword, key, e.Clock); res.Status != http.StatusSeeOther || res.Location != "/" {
		t.Fatalf("right password and code after two failures (limit 3): %d %q", res.Status, res.Location)
	}
}
