package models_test

import (
	"context"
	"testing"

	"accountportal/models"
	"accountportal/models/modelstest"
)

// The home page's counts cover one account only: admins without a support
// passphrase (active ones), and bulk jobs not yet finished.
func TestAttentionCountsStayInTheirAccount(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		a := newAccount(t, s, "73737373")
		b := newAccount(t, s, "74747474")
		newUser(t, s, a.ID, "pa", true)
		sec := newUser(t, s, a.ID, "sec", false)
		newUser(t, s, a.ID, "plain", false)
		newUser(t, s, b.ID, "other", true)
		if err := s.Privileges.Grant(ctx, &models.UserPermission{UserID: sec.ID, Permission: "audit.view", GrantedAt: fixedNow()}); err != nil {
			t.Fatal(err)
		}
		if n, err := s.Privileges.ActiveAdminsWithoutPassphrase(ctx, a.ID); err != nil || n != 2 {
			t.Errorf("admins without passphrase in A: %d, %v; want 2", n, err)
		}
		if n, err := s.Privileges.ActiveAdminsWithoutPassphrase(ctx, b.ID); err != nil || n != 1 {
			t.Errorf("admins without passphrase in B: %d, %v; want 1", n, err)
		}
		for _, st := range []string{models.BulkQueued, models.BulkRunning, models.BulkDone, models.BulkFailed} {
			if err := s.BulkJobs.Create(ctx, &models.BulkJob{AccountID: a.ID, Action: "signout", Selection: "{}", Status: st}); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := s.BulkJobs.Unfinished(ctx, a.ID); err != nil || n != 2 {
			t.Errorf("unfinished jobs in A: %d, %v; want 2", n, err)
		}
		if n, err := s.BulkJobs.Unfinished(ctx, b.ID); err != nil || n != 0 {
			t.Errorf("unfinished jobs in B: %d, %v; want 0", n, err)
		}
	})
}
