package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"accountportal/models"
	"accountportal/models/modelstest"
)

// The home page's counts cover one account only, take only what they are
// asked for, and come in one statement: admins without a support
// passphrase (active ones), users a filter selects, invited users, bulk
// jobs not yet finished, and the asker's own undecided transfer.
func TestAttentionCountsStayInTheirAccount(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		a := newAccount(t, s, "73737373")
		b := newAccount(t, s, "74747474")
		pa := newUser(t, s, a.ID, "pa", true)
		sec := newUser(t, s, a.ID, "sec", false)
		plain := newUser(t, s, a.ID, "plain", false)
		bpa := newUser(t, s, b.ID, "other", true)
		inv := newUser(t, s, a.ID, "inv", false)
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(s.Users.SetStatus(ctx, inv.ID, models.StatusInvited, t0))
		must(s.Privileges.Grant(ctx, &models.UserPermission{UserID: sec.ID, Permission: "audit.view", GrantedAt: t0}))
		for _, st := range []string{models.BulkQueued, models.BulkRunning, models.BulkDone, models.BulkFailed} {
			must(s.BulkJobs.Create(ctx, &models.BulkJob{AccountID: a.ID, Action: "signout", Selection: "{}", Status: st}))
		}
		must(s.Transfers.Create(ctx, &models.PrimaryTransfer{AccountID: a.ID, FromUserID: pa.ID, ToUserID: plain.ID,
			CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}))
		no := false
		all := func(acct, from int64) models.AttentionAsk {
			return models.AttentionAsk{AccountID: acct, AdminsWithoutPassphrase: true,
				MFAOwed: &models.UserFilter{AccountID: acct, Status: models.StatusActive, MFA: &no},
				Invited: true, BulkUnfinished: true, TransferFrom: from}
		}
		name, expires := plain.DisplayName, t0.Add(time.Hour)
		tests := []struct {
			name string
			ask  models.AttentionAsk
			want models.AttentionCounts
		}{
			{"everything in A", all(a.ID, pa.ID), models.AttentionCounts{AdminsWithoutPassphrase: 2, UsersWithoutMFA: 3,
				Invited: 1, BulkUnfinished: 2, TransferToName: &name, TransferExpiresAt: &expires}},
			{"everything in B", all(b.ID, bpa.ID), models.AttentionCounts{AdminsWithoutPassphrase: 1, UsersWithoutMFA: 1}},
			{"a transfer someone else asked for", all(a.ID, sec.ID), models.AttentionCounts{AdminsWithoutPassphrase: 2,
				UsersWithoutMFA: 3, Invited: 1, BulkUnfinished: 2}},
			{"admins alone", models.AttentionAsk{AccountID: a.ID, AdminsWithoutPassphrase: true},
				models.AttentionCounts{AdminsWithoutPassphrase: 2}},
			{"users alone", models.AttentionAsk{AccountID: a.ID, Invited: true, BulkUnfinished: true},
				models.AttentionCounts{Invited: 1, BulkUnfinished: 2}},
			{"the transfer alone", models.AttentionAsk{AccountID: a.ID, TransferFrom: pa.ID},
				models.AttentionCounts{TransferToName: &name, TransferExpiresAt: &expires}},
			{"nothing", models.AttentionAsk{AccountID: a.ID}, models.AttentionCounts{}},
		}
		for _, tc := range tests {
			got, err := s.Privileges.Attention(ctx, tc.ask)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if (got.TransferID != nil) != (tc.want.TransferToName != nil) {
				t.Errorf("%s: transfer %v, want one: %v", tc.name, got.TransferID, tc.want.TransferToName != nil)
			}
			if got.TransferToName != nil && (tc.want.TransferToName == nil || *got.TransferToName != *tc.want.TransferToName ||
				!got.TransferExpiresAt.Equal(*tc.want.TransferExpiresAt)) {
				t.Errorf("%s: transfer to %v expiring %v", tc.name, *got.TransferToName, got.TransferExpiresAt)
			}
			got.TransferID, got.TransferToName, got.TransferExpiresAt = nil, nil, nil
			tc.want.TransferToName, tc.want.TransferExpiresAt = nil, nil
			if got != tc.want {
				t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
			}
		}
		if _, err := s.Privileges.Attention(ctx, models.AttentionAsk{AccountID: 999999, Invited: true}); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("unknown account: %v", err)
		}
	})
}
