package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"accountportal/models"
	"accountportal/models/modelstest"
)

// TestPurgeDeletesOnlyTheDueClosedAccount: the closed account whose purge
// date passed goes with its users, roles, sessions and mail; its audit
// entries stay; a closed account not yet due and an active one keep
// everything.
func TestPurgeDeletesOnlyTheDueClosedAccount(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		due, later, live := newAccount(t, s, "81000001"), newAccount(t, s, "81000002"), newAccount(t, s, "81000003")
		users := map[int64]*models.User{}
		for _, a := range []*models.Account{due, later, live} {
			u := newUser(t, s, a.ID, "user"+a.Number, true)
			users[a.ID] = u
			role := &models.Role{AccountID: &a.ID, Name: "Phones", CreatedAt: t0, UpdatedAt: t0}
			if err := s.Roles.Create(ctx, role, []string{"phone.system"}); err != nil {
				t.Fatal(err)
			}
			if err := s.Roles.Assign(ctx, &models.UserRole{UserID: u.ID, RoleID: role.ID, AssignedAt: t0}); err != nil {
				t.Fatal(err)
			}
			if err := s.Audit.Append(ctx, &models.AuditEvent{At: t0, AccountID: &a.ID, Action: "test.event"}); err != nil {
				t.Fatal(err)
			}
			if err := s.Outbox.Enqueue(ctx, &models.OutboxMessage{ToAddr: u.Email, Subject: "Hi", TextBody: "Hi",
				AccountID: &a.ID, CreatedAt: t0}); err != nil {
				t.Fatal(err)
			}
		}
		open := []string{models.AccountActive}
		past, future := t0.Add(-time.Hour), t0.Add(time.Hour)
		if err := s.Accounts.SetStatus(ctx, due.ID, open, models.AccountClosed, "ended", t0.Add(-90*24*time.Hour), &past); err != nil {
			t.Fatal(err)
		}
		if err := s.Accounts.SetStatus(ctx, later.ID, open, models.AccountClosed, "ended", t0, &future); err != nil {
			t.Fatal(err)
		}
		if err := s.Accounts.SetStatus(ctx, due.ID, open, models.AccountSuspended, "again", t0, nil); !errors.Is(err, models.ErrConflict) {
			t.Errorf("a change from a status the account is not in: %v", err)
		}
		list, err := s.Accounts.Purgeable(ctx, t0)
		if err != nil || len(list) != 1 || list[0].ID != due.ID || list[0].Users != 1 {
			t.Fatalf("purgeable: %+v %v", list, err)
		}
		for _, id := range []int64{later.ID, live.ID} {
			if err := s.Accounts.Purge(ctx, id, t0); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("purge of account %d not due: %v", id, err)
			}
		}
		if err := s.Accounts.Purge(ctx, due.ID, t0); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Accounts.ByID(ctx, due.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("purged account still there: %v", err)
		}
		if _, err := s.Users.ByIDAnyAccount(ctx, users[due.ID].ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("purged account's user still there: %v", err)
		}
		for _, a := range []*models.Account{due, later, live} {
			events, err := s.Audit.ForAccount(ctx, a.ID, 10)
			if err != nil || len(events) != 1 {
				t.Errorf("audit of %s after the purge: %d %v", a.Number, len(events), err)
			}
		}
		for _, a := range []*models.Account{later, live} {
			if _, err := s.Users.ByIDAnyAccount(ctx, users[a.ID].ID); err != nil {
				t.Errorf("user of %s: %v", a.Number, err)
			}
			if roles, err := s.Roles.Of(ctx, a.ID); err != nil || len(roles) != 4 {
				t.Errorf("roles of %s: %d %v", a.Number, len(roles), err)
			}
		}
		if n, err := s.Outbox.Pending(ctx); err != nil || n != 2 {
			t.Errorf("mail left: %d %v, want the two other accounts'", n, err)
		}
	})
}

// TestWithheldMailOfSuspendedAccounts: leasing gives up, once, the due
// mail of suspended and closed accounts and leaves the rest.
func TestWithheldMailOfSuspendedAccounts(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		held, free := newAccount(t, s, "82000001"), newAccount(t, s, "82000002")
		for _, m := range []*models.OutboxMessage{
			{ToAddr: "a@example.com", Subject: "held", TextBody: "x", AccountID: &held.ID, CreatedAt: t0},
			{ToAddr: "b@example.com", Subject: "free", TextBody: "x", AccountID: &free.ID, CreatedAt: t0},
			{ToAddr: "c@example.com", Subject: "notice", TextBody: "x", CreatedAt: t0},
		} {
			if err := s.Outbox.Enqueue(ctx, m); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Accounts.SetStatus(ctx, held.ID, []string{models.AccountActive}, models.AccountSuspended, "x", t0, nil); err != nil {
			t.Fatal(err)
		}
		got, err := s.Outbox.Lease(ctx, "w", t0, t0.Add(time.Minute), 10)
		if err != nil || len(got) != 2 || got[0].Subject != "free" || got[1].Subject != "notice" {
			t.Fatalf("leased %+v %v", got, err)
		}
		all, _ := s.Outbox.Recent(ctx, 10)
		for _, m := range all {
			if m.Subject == "held" && (m.WithheldAt == nil || m.SentAt != nil || m.LastError == "") {
				t.Errorf("held message: %+v", m)
			}
		}
		if n, _ := s.Outbox.Pending(ctx); n != 2 {
			t.Errorf("pending %d, want 2 (the withheld one is not)", n)
		}
	})
}
