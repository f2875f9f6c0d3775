package admin_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"accountportal/app/admin"
	"accountportal/app/apptest"
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/models"
	"accountportal/models/modelstest"
)

// bulkWorld is a portal whose account has n ordinary users, each signed in
// once (a session row), and its Primary Admin as a principal.
func bulkWorld(t *testing.T, d models.Dialect, n int) (*apptest.Env, *identity.Principal, []int64) {
	t.Helper()
	e := apptest.Start(t, d, apptest.Options{ManualJobs: true})
	e.Setup(apptest.DefaultAdmin())
	ctx := context.Background()
	ada := e.User("ada")
	p, err := e.App.SignIn.LoadPrincipal(ctx, ada.ID)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]int64, n)
	now := e.Clock.Now()
	err = e.Store().InTx(ctx, func(tx *models.Store) error {
		for i := range n {
			name := fmt.Sprintf("bulk%04d", i)
			u := &models.User{AccountID: ada.AccountID, Username: name, UsernameKey: name, Email: name + "@example.com",
				EmailKey: name + "@example.com", DisplayName: "Bulk " + name, Status: models.StatusActive}
			if err := tx.Users.Create(ctx, u); err != nil {
				return err
			}
			ids[i] = u.ID
			s := &models.Session{IDHash: []byte(name + "-session-hash-padding-to-32b"), UserID: &u.ID, CreatedAt: now, LastSeenAt: now,
				IdleExpiresAt: now.Add(3600e9), AbsoluteExpiresAt: now.Add(3600e9), IdleTimeoutSeconds: 1800, Data: "{}"}
			if err := tx.Sessions.Create(ctx, s); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return e, p, ids
}

// runBulk runs a bulk job to its end in the test's goroutine.
func runBulk(e *apptest.Env, p *identity.Principal, action string, sel admin.Selection, reason string) (*admin.Result, error) {
	res, _, err := e.App.Bulk.RunBulk(context.Background(), p, admin.BulkRequest{Action: action, Selection: sel, Reason: reason},
		audit.Origin{IP: "192.0.2.1"})
	return res, err
}

func countStatus(t *testing.T, e *apptest.Env, accountID int64, status string) int64 {
	t.Helper()
	n, err := e.Store().Users.Count(context.Background(), models.UserFilter{AccountID: accountID, Status: status})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestBulkDeactivateThousand(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e, p, ids := bulkWorld(t, d, 1000)
		ctx := context.Background()
		sel := admin.Selection{IDs: append(ids, p.User.ID)}
		res, err := runBulk(e, p, admin.BulkDeactivate, sel, "left the company")
		if err != nil {
			t.Fatal(err)
		}
		if res.Done != 1000 || res.Skipped != 1 || res.Failed != 0 {
			t.Fatalf("done %d skipped %d failed %d", res.Done, res.Skipped, res.Failed)
		}
		if got := countStatus(t, e, p.Account.ID, models.StatusSuspended); got != 1000 {
			t.Fatalf("%d suspended", got)
		}
		live, _ := e.Store().Sessions.OfUser(ctx, ids[500], e.Clock.Now())
		if len(live) != 0 {
			t.Fatal("sessions survive deactivation")
		}
		events, _ := e.Store().Audit.ForTarget(ctx, p.Account.ID, ids[999], 5)
		if len(events) != 1 || events[0].Action != admin.ActionUserSuspended {
			t.Fatalf("audit %+v", events)
		}
		// Again: everyone is skipped as already suspended.
		res, _ = runBulk(e, p, admin.BulkDeactivate, admin.Selection{IDs: ids}, "again")
		if res.Done != 0 || res.Skipped != 1000 {
			t.Fatalf("second run: %+v", res)
		}
		res, _ = runBulk(e, p, admin.BulkReactivate, admin.Selection{IDs: ids}, "came back")
		if res.Done != 1000 || countStatus(t, e, p.Account.ID, models.StatusActive) != 1001 {
			t.Fatalf("reactivate: %+v", res)
		}
	})
}

func TestBulkFailedBatchRollsBackAndIsReported(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e, p, ids := bulkWorld(t, d, 2500)
		admin.SetBatchSize(e.App.Bulk, 1000)
		ctx := context.Background()
		second := ids[1000]
		admin.SetBeforeCommit(e.App.Bulk, func(batch []int64) error {
			if batch[0] == second {
				return errors.New("disk full")
			}
			return nil
		})
		defer admin.SetBeforeCommit(e.App.Bulk, nil)
		res, err := runBulk(e, p, admin.BulkDeactivate, admin.Selection{IDs: ids}, "test")
		if err != nil {
			t.Fatal(err)
		}
		if res.Done != 1500 || res.Failed != 1000 {
			t.Fatalf("done %d failed %d", res.Done, res.Failed)
		}
		failed, _ := e.Store().Users.ByIDAnyAccount(ctx, ids[1500])
		done, _ := e.Store().Users.ByIDAnyAccount(ctx, ids[2400])
		if failed.Status != models.StatusActive || done.Status != models.StatusSuspended {
			t.Fatalf("rolled-back batch %s, later batch %s", failed.Status, done.Status)
		}
		if live, _ := e.Store().Sessions.OfUser(ctx, ids[1500], e.Clock.Now()); len(live) != 1 {
			t.Fatal("a rolled-back batch still revoked sessions")
		}
	})
}

func TestBulkSelectionByFilter(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e, p, ids := bulkWorld(t, d, 1200)
		ctx := context.Background()
		// Users bulk0100..bulk0199 match "bulk01".
		f := &models.UserFilter{Search: "bulk01"}
		pre, err := e.App.Bulk.BulkPreview(ctx, p, admin.BulkSignOut, admin.Selection{Matching: f}, 10)
		if err != nil || pre.Total != 100 || len(pre.Acting) != 10 || pre.SkipCount != 0 || pre.Acts() != 100 {
			t.Fatalf("preview: %+v (%v)", pre, err)
		}
		res, err := runBulk(e, p, admin.BulkSignOut, admin.Selection{Matching: f}, "rotate devices")
		if err != nil || res.Done != 100 {
			t.Fatalf("signout: %+v %v", res, err)
		}
		if live, _ := e.Store().Sessions.OfUser(ctx, ids[150], e.Clock.Now()); len(live) != 0 {
			t.Fatal("matching user still signed in")
		}
		if live, _ := e.Store().Sessions.OfUser(ctx, ids[250], e.Clock.Now()); len(live) != 1 {
			t.Fatal("user outside the filter signed out")
		}
	})
}

func TestUserListKeysetWalk(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e, p, ids := bulkWorld(t, d, 60)
		ctx := context.Background()
		want := map[int64]bool{p.User.ID: true}
		for _, id := range ids {
			want[id] = true
		}
		seen := map[int64]int{}
		var pages []*admin.UserList
		q := admin.ListQuery{Size: 25}
		added := 0
		for {
			list, err := e.App.Users.ListUsers(ctx, p, q)
			if err != nil {
				t.Fatal(err)
			}
			pages = append(pages, list)
			for _, r := range list.Rows {
				seen[r.User.ID]++
			}
			// New users arrive while the admin pages through: one sorting
			// before everything seen, one after.
			for _, name := range []string{fmt.Sprintf("aaa%d", added), fmt.Sprintf("zzz%d", added)} {
				e.AddUser(p.Account.ID, name, "Walrus+Tide42", models.StatusActive)
			}
			added++
			if list.Next == "" {
				break
			}
			q = admin.ListQuery{Size: 25, After: list.Next}
		}
		for id := range want {
			if seen[id] != 1 {
				t.Fatalf("user %d seen %d times walking forward", id, seen[id])
			}
		}
		for id, n := range seen {
			if n != 1 {
				t.Fatalf("user %d seen %d times", id, n)
			}
		}
		// And back from the last page: each user once again.
		back := map[int64]int{}
		list := pages[len(pages)-1]
		for _, r := range list.Rows {
			back[r.User.ID]++
		}
		for list.Prev != "" {
			var err error
			if list, err = e.App.Users.ListUsers(ctx, p, admin.ListQuery{Size: 25, Before: list.Prev}); err != nil {
				t.Fatal(err)
			}
			for _, r := range list.Rows {
				back[r.User.ID]++
			}
		}
		for id := range want {
			if back[id] != 1 {
				t.Fatalf("user %d seen %d times walking back", id, back[id])
			}
		}
	})
}

func TestBulkResetMFAThousand(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e, p, ids := bulkWorld(t, d, 1000)
		ctx := context.Background()
		now := e.Clock.Now()
		err := e.Store().InTx(ctx, func(tx *models.Store) error {
			for _, id := range ids {
				seed := &models.Secret{UserID: id, Kind: models.SecretTOTPSeed, KeyID: 1, Nonce: []byte{1}, Ciphertext: []byte{2}, UpdatedAt: now}
				codes := []models.BackupCode{{UserID: id, Prefix: "ABCD", CodeHash: "x", CreatedAt: now}}
				if err := tx.MFA.Enrol(ctx, seed, 1, codes, now); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		res, err := runBulk(e, p, admin.BulkResetMFA, admin.Selection{IDs: ids}, "phones replaced")
		if err != nil || res.Done != 1000 {
			t.Fatalf("reset: %+v %v", res, err)
		}
		yes := true
		if n, _ := e.Store().Users.Count(ctx, models.UserFilter{AccountID: p.Account.ID, MFA: &yes}); n != 0 {
			t.Fatalf("%d still enrolled", n)
		}
		if n, _ := e.Store().MFA.CountUnusedBackupCodes(ctx, ids[10]); n != 0 {
			t.Fatal("backup codes kept")
		}
		if _, err := e.Store().Secrets.Of(ctx, ids[10], models.SecretTOTPSeed); err == nil {
			t.Fatal("seed kept")
		}
		if live, _ := e.Store().Sessions.OfUser(ctx, ids[10], now); len(live) != 0 {
			t.Fatal("sessions kept")
		}
		if msgs, _ := e.Store().Outbox.Recent(ctx, 2000); len(msgs) != 1000 {
			t.Fatalf("%d notices queued", len(msgs))
		}
	})
}

// A batch that dies before it commits changes nothing and is worked again;
// a batch delivered twice (a replica presumed dead that was only slow) is
// worked once. Either way every user is handled once, with one audit entry.
func TestBulkJobHandlesEachUserOnce(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e, p, ids := bulkWorld(t, d, 250)
		admin.SetBatchSize(e.App.Bulk, 100)
		ctx := context.Background()
		id, err := e.App.Bulk.StartBulk(ctx, p, admin.BulkRequest{Action: admin.BulkDeactivate,
			Selection: admin.Selection{IDs: ids}, Reason: "left"}, audit.Origin{})
		if err != nil {
			t.Fatal(err)
		}
		finished := 0
		finish := func(*models.Store) error { finished++; return nil }
		if err := e.App.Bulk.WorkBatch(ctx, id, 0, false, finish); err != nil {
			t.Fatal(err)
		}
		// The second batch dies before its commit: nothing of it stays,
		// and its queue job is not marked done.
		admin.SetBeforeCommit(e.App.Bulk, func([]int64) error { return errors.New("replica killed") })
		if err := e.App.Bulk.WorkBatch(ctx, id, ids[99], false, finish); err == nil {
			t.Fatal("a dying batch reported success")
		}
		admin.SetBeforeCommit(e.App.Bulk, nil)
		if got := countStatus(t, e, p.Account.ID, models.StatusSuspended); got != 100 || finished != 1 {
			t.Fatalf("after the dead batch: %d suspended, %d queue jobs finished", got, finished)
		}
		// Worked again, then delivered once more: the second delivery finds
		// the cursor moved on and only finishes its queue job.
		for range 2 {
			if err := e.App.Bulk.WorkBatch(ctx, id, ids[99], false, finish); err != nil {
				t.Fatal(err)
			}
		}
		for _, after := range []int64{ids[199], ids[249]} {
			if err := e.App.Bulk.WorkBatch(ctx, id, after, false, finish); err != nil {
				t.Fatal(err)
			}
		}
		page, err := e.App.Bulk.BulkJob(ctx, p, id, "", 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if j := page.Job; j.Status != models.BulkDone || j.DoneCount != 250 || len(page.Results) != 250 {
			t.Fatalf("job %s, %d done, %d results", j.Status, j.DoneCount, len(page.Results))
		}
		if got := countStatus(t, e, p.Account.ID, models.StatusSuspended); got != 250 {
			t.Fatalf("%d suspended", got)
		}
		for _, u := range []int64{ids[0], ids[150], ids[249]} {
			events, _ := e.Store().Audit.ForTarget(ctx, p.Account.ID, u, 10)
			if len(events) != 1 || events[0].Action != admin.ActionUserSuspended {
				t.Fatalf("user %d: %d audit entries", u, len(events))
			}
		}
	})
}

// Every bulk action records one entry per user, with the reason given; a
// bulk reset's is the reset link's own entry (with the link and its
// expiry), not a second entry saying the same.
func TestBulkRecordsOneEntryPerUser(t *testing.T) {
	for _, action := range []string{admin.BulkReset, admin.BulkSignOut, admin.BulkDeactivate} {
		e, p, ids := bulkWorld(t, models.SQLite, 3)
		if _, err := runBulk(e, p, action, admin.Selection{IDs: ids}, "quarterly review"); err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			events, err := e.Store().Audit.ForTarget(context.Background(), p.Account.ID, id, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(events) != 1 || !strings.Contains(events[0].Details, `"reason":"quarterly review"`) {
				t.Errorf("%s, user %d: %+v", action, id, events)
			}
			if action == admin.BulkReset && (events[0].Action != audit.ActionResetRequested || !strings.Contains(events[0].Details, `"link_id"`)) {
				t.Errorf("%s, user %d: %s %s", action, id, events[0].Action, events[0].Details)
			}
		}
	}
}
