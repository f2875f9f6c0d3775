package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"accountportal/app/apptest"
	"accountportal/app/identity"
	"accountportal/app/mail"
	"accountportal/models"
	"accountportal/models/modelstest"
)

// TestThreeReplicas runs the portal the way it is deployed: three stateless
// replicas on one PostgreSQL.
func TestThreeReplicas(t *testing.T) {
	if testing.Short() {
		t.Skip("starts three processes")
	}
	c := startCluster(t, 3)
	a, b, cc := c.replicas[0], c.replicas[1], c.replicas[2]
	ctx := context.Background()

	t.Run("migrations ran once", func(t *testing.T) {
		var rows []struct {
			VersionID int64
			N         int
		}
		db, err := c.store.SQLDB()
		if err != nil {
			t.Fatal(err)
		}
		res, err := db.QueryContext(ctx, "SELECT version_id, count(*) FROM goose_db_version WHERE version_id > 0 GROUP BY version_id ORDER BY 1")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Close()
		for res.Next() {
			var r struct {
				VersionID int64
				N         int
			}
			if err := res.Scan(&r.VersionID, &r.N); err != nil {
				t.Fatal(err)
			}
			rows = append(rows, r)
		}
		cur, latest, err := c.store.SchemaVersion(ctx)
		if err != nil || cur != latest || len(rows) != migrationCount(t) {
			t.Fatalf("schema %d of %d, %d versions recorded (%v)", cur, latest, len(rows), err)
		}
		for _, r := range rows {
			if r.N != 1 {
				t.Fatalf("version %d applied %d times", r.VersionID, r.N)
			}
		}
	})

	admin := apptest.DefaultAdmin()
	ada := apptest.NewClient(t, a.base)
	page := ada.Get("/setup")
	if res := ada.Submit(page, "form[data-testid=setup-form]", map[string]string{
		"setup_code": c.setupCode, "company_name": admin.Company, "display_name": admin.DisplayName, "email": admin.Email, "username": admin.Username,
		"password": admin.Password, "password_confirm": admin.Password, "passphrase": admin.Passphrase,
	}); res.Status != http.StatusSeeOther {
		t.Fatalf("setup on A: %d", res.Status)
	}
	adaUser, err := c.store.Users.ByUsernameKey(ctx, identity.UsernameKey("ada"))
	if err != nil {
		t.Fatal(err)
	}
	accountID := adaUser.AccountID

	t.Run("a session made on A works on B and C", func(t *testing.T) {
		for _, r := range []*replica{b, cc} {
			res := ada.At(r.base).Get("/profile")
			if res.Status != http.StatusOK || res.Doc.Find("[data-testid=profile-username]").Text() != "ada" {
				t.Fatalf("My Profile on %s: %d", r.name, res.Status)
			}
		}
	})

	t.Run("an API token revoked on A is refused at once on B and C", func(t *testing.T) {
		page := ada.Get("/admin/api-tokens")
		res := ada.Post("/admin/api-tokens", url.Values{"csrf_token": {apptest.CSRF(page)}, "name": {"Replicated"},
			"permission": {identity.PermUsersRead}})
		secret := strings.TrimSpace(res.Doc.Find("[data-testid=token-secret-value]").Text())
		if res.Status != http.StatusCreated || secret == "" {
			t.Fatalf("create a token on A: %d", res.Status)
		}
		call := func(base string) int {
			req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/users", nil)
			req.Header.Set("Authorization", "Bearer "+secret)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_ = res.Body.Close()
			return res.StatusCode
		}
		for _, r := range []*replica{b, cc} {
			if got := call(r.base); got != http.StatusOK {
				t.Fatalf("the token on %s: %d", r.name, got)
			}
		}
		page = ada.Get("/admin/api-tokens")
		id, _ := page.Doc.Find("[data-testid=token-row]").First().Attr("data-token-id")
		if res := ada.Post("/admin/api-tokens/"+id+"/revoke", url.Values{"csrf_token": {apptest.CSRF(page)}}); res.Status != http.StatusSeeOther {
			t.Fatalf("revoke on A: %d", res.Status)
		}
		for _, r := range []*replica{b, cc} {
			if got := call(r.base); got != http.StatusUnauthorized {
				t.Errorf("the revoked token on %s: %d", r.name, got)
			}
		}
	})

	t.Run("suspension on B ends the session on A and C", func(t *testing.T) {
		bob := c.addUser(accountID, "bob")
		bobA := apptest.NewClient(t, a.base)
		if res := bobA.SignIn("bob", replicaPassword); res.Status != http.StatusSeeOther || res.Location != "/" {
			t.Fatalf("bob signs in on A: %d %q", res.Status, res.Location)
		}
		if res := bobA.At(cc.base).Get("/profile"); res.Status != http.StatusOK {
			t.Fatalf("bob on C before: %d", res.Status)
		}
		adaB := ada.At(b.base)
		confirm := adaB.Get("/admin/users/" + apptest.Itoa(bob.ID) + "/deactivate")
		if res := adaB.Submit(confirm, "form[data-testid=deactivate-form]", map[string]string{"reason": "left the company"}); res.Status != http.StatusSeeOther {
			t.Fatalf("suspend on B: %d", res.Status)
		}
		for _, r := range []*replica{a, cc} {
			res := bobA.At(r.base).Get("/profile")
			if r == cc && res.Status == http.StatusSeeOther {
				continue // A already ended the session and told bob why
			}
			if res.Status != http.StatusForbidden || !strings.Contains(res.Body, "Account Suspended") {
				t.Fatalf("bob's next request on %s: %d", r.name, res.Status)
			}
		}
	})

	t.Run("throttling counts across replicas", func(t *testing.T) {
		c.addUser(accountID, "carol")
		for i := range 5 {
			r := c.replicas[i%3]
			res := apptest.NewClient(t, r.base).SignIn("carol", "wrong password "+strconv.Itoa(i))
			if res.Status != http.StatusUnprocessableEntity {
				t.Fatalf("failure %d on %s: %d", i+1, r.name, res.Status)
			}
		}
		for _, r := range c.replicas {
			if res := apptest.NewClient(t, r.base).SignIn("carol", replicaPassword); res.Status != http.StatusTooManyRequests {
				t.Fatalf("right password on %s after 5 failures elsewhere: %d", r.name, res.Status)
			}
		}
	})

	t.Run("200 queued emails are each delivered once", func(t *testing.T) {
		before := len(c.mail.Messages())
		// A relay that takes 25 ms a message keeps the first worker busy
		// long enough for the others to wake and take their share.
		c.mail.SetDelay(25 * time.Millisecond)
		defer c.mail.SetDelay(0)
		now := time.Now()
		err := c.store.InTx(ctx, func(tx *models.Store) error {
			for i := range 200 {
				msg := mail.Message{To: fmt.Sprintf("user%03d@example.com", i), Subject: fmt.Sprintf("Replica test %03d", i),
					Text: "Delivered once.\n"}
				if err := mail.Enqueue(ctx, tx, msg, nil, now); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		got := c.mail.WaitFor(before+200, 60*time.Second)
		seen := map[string]int{}
		for _, m := range got {
			if strings.HasPrefix(m.Subject, "Replica test ") {
				seen[m.Subject]++
			}
		}
		time.Sleep(3 * time.Second) // a duplicate would arrive within a poll
		for _, m := range c.mail.Messages()[len(got):] {
			if strings.HasPrefix(m.Subject, "Replica test ") {
				seen[m.Subject]++
			}
		}
		if len(seen) != 200 {
			t.Fatalf("%d distinct test messages arrived, want 200", len(seen))
		}
		for s, n := range seen {
			if n != 1 {
				t.Fatalf("%s arrived %d times", s, n)
			}
		}
		// The lease owner stays on a sent message: it names the worker that sent it.
		if n := c.count("SELECT count(DISTINCT lease_owner) FROM outbox WHERE subject LIKE 'Replica test %'"); n != 3 {
			t.Errorf("%d workers delivered the 200, want all 3", n)
		}
	})

	t.Run("a bulk job whose replica is killed mid-batch is finished by another", func(t *testing.T) {
		const seeded = 40000
		if err := modelstest.SeedUsers(ctx, c.store, accountID, seeded); err != nil {
			t.Fatal(err)
		}
		targets := c.ids("SELECT id FROM users WHERE account_id = $1 AND status = 'active' AND id <> $2", accountID, adaUser.ID)
		adaC := ada.At(cc.base)
		form := url.Values{"action": {"deactivate"}, "scope": {"matching"}, "f_status": {"active"},
			"reason": {"replica test"}, "csrf_token": {apptest.CSRF(adaC.Get("/admin/users"))}}
		res := adaC.Post("/admin/users/bulk/run", form)
		if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Location, "/admin/users/jobs/") {
			t.Fatalf("the bulk action: %d %q", res.Status, res.Location)
		}
		// The job's page carries the list's filter for its way back.
		jobID, _, _ := strings.Cut(strings.TrimPrefix(res.Location, "/admin/users/jobs/"), "?")
		// Kill whichever replica is working a batch, once one batch is in.
		victim := c.killWorker(t, jobID)
		t.Logf("killed %s while it worked a batch of job %s", victim.name, jobID)
		alive := a
		if victim == a {
			alive = b
		}
		var status string
		for deadline := time.Now().Add(120 * time.Second); status != "done"; time.Sleep(200 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("job %s is %q two minutes after %s died", jobID, status, victim.name)
			}
			status = c.text("SELECT status FROM bulk_jobs WHERE id = $1", jobID)
		}
		want := int64(len(targets))
		if n := c.count("SELECT count(*) FROM users WHERE account_id = $1 AND status = 'suspended' AND username <> 'bob'", accountID); n != want {
			t.Fatalf("%d users suspended, want %d", n, want)
		}
		// Exactly once each: one outcome row (its key allows no more) and
		// one audit entry per user, and the job's counts agree.
		if n := c.count("SELECT count(*) FROM bulk_job_results WHERE job_id = $1 AND outcome = 'done'", jobID); n != want {
			t.Fatalf("%d users done in the job's results, want %d", n, want)
		}
		if n := c.count(`SELECT count(*) FROM (SELECT target_id FROM audit_events WHERE account_id = $1 AND action = 'user.suspended'
			AND details->>'reason' = 'replica test' GROUP BY target_id HAVING count(*) > 1) twice`, accountID); n != 0 {
			t.Fatalf("%d users have more than one suspension entry", n)
		}
		if n := c.countAudit(accountID, "user.suspended"); n != want {
			t.Fatalf("%d suspension entries, want %d", n, want)
		}
		if n := c.count("SELECT done_count FROM bulk_jobs WHERE id = $1", jobID); n != want {
			t.Fatalf("job counts %d done", n)
		}
		// The batch the dead replica held was run again by another.
		if n := c.count("SELECT count(*) FROM river_job WHERE kind = 'bulk_batch' AND array_length(attempted_by, 1) > 1"); n == 0 {
			t.Error("no batch was taken over from the killed replica")
		}
		page := ada.At(alive.base).WaitForJob(res.Location)
		if !strings.Contains(page.Doc.Find("[data-testid=job-status]").Text(), "Finished") {
			t.Fatalf("job page on %s: %s", alive.name, page.Doc.Find("[data-testid=job-status]").Text())
		}
	})
}
