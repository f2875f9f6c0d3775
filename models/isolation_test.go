package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"accountportal/models"
	"accountportal/models/modelstest"
)

// Every store method that takes an id a request can carry is scoped by
// account: given another account, it finds nothing and changes nothing,
// so a caller that forgets to compare accounts cannot leak.
func TestStoreScopesRequestIDsByAccount(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		a := newAccount(t, s, "71717171")
		b := newAccount(t, s, "72727272")
		ann := newUser(t, s, a.ID, "ann", false)
		newUser(t, s, b.ID, "zed", true)

		if _, err := s.Users.InAccount(ctx, b.ID, ann.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("ann in B: %v", err)
		}
		if u, err := s.Users.InAccount(ctx, a.ID, ann.ID); err != nil || u.Username != "ann" {
			t.Errorf("ann in A: %v", err)
		}
		err := s.InTx(ctx, func(tx *models.Store) error {
			if _, err := tx.Users.LockInAccount(ctx, b.ID, ann.ID); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("lock ann in B: %v", err)
			}
			_, err := tx.Users.LockInAccount(ctx, a.ID, ann.ID)
			return err
		})
		if err != nil {
			t.Fatalf("lock ann in A: %v", err)
		}

		tok := &models.Token{UserID: ann.ID, Purpose: models.PurposeReset, SHA256: []byte("scoped"), CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
		if err := s.Tokens.Create(ctx, tok); err != nil {
			t.Fatal(err)
		}
		if err := s.Tokens.VoidOne(ctx, b.ID, ann.ID, tok.ID, "from B", t0); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("void ann's link as B: %v", err)
		}
		if got, _ := s.Tokens.ByIDAnyAccount(ctx, tok.ID); got.VoidedAt != nil {
			t.Error("B voided ann's link")
		}
		if err := s.Tokens.VoidOne(ctx, a.ID, ann.ID, tok.ID, "from A", t0); err != nil {
			t.Errorf("void ann's link as A: %v", err)
		}

		uid := ann.ID
		hash := []byte("ann's session hash, 32 bytes..!")
		sess := &models.Session{IDHash: hash, UserID: &uid, CreatedAt: t0, LastSeenAt: t0, IdleExpiresAt: t0.Add(time.Hour),
			AbsoluteExpiresAt: t0.Add(time.Hour), IdleTimeoutSeconds: 60, Data: "{}"}
		if err := s.Sessions.Create(ctx, sess); err != nil {
			t.Fatal(err)
		}
		if err := s.Sessions.Revoke(ctx, b.ID, ann.ID, hash, "from B", t0); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("revoke ann's session as B: %v", err)
		}
		if err := s.Sessions.Revoke(ctx, a.ID, ann.ID, hash, "from A", t0); err != nil {
			t.Errorf("revoke ann's session as A: %v", err)
		}

		role := &models.Role{AccountID: &a.ID, Name: "Scoped", CreatedAt: t0, UpdatedAt: t0}
		if err := s.Roles.Create(ctx, role, []string{"audit.view"}); err != nil {
			t.Fatal(err)
		}
		if err := s.Roles.Assign(ctx, &models.UserRole{UserID: ann.ID, RoleID: role.ID, AssignedAt: t0}); err != nil {
			t.Fatal(err)
		}
		if took, err := s.Roles.Unassign(ctx, b.ID, ann.ID, role.ID); took || err != nil {
			t.Errorf("unassign as B: %v %v", took, err)
		}
		if took, err := s.Roles.Unassign(ctx, a.ID, ann.ID, role.ID); !took || err != nil {
			t.Errorf("unassign as A: %v %v", took, err)
		}
		if err := s.Privileges.Grant(ctx, &models.UserPermission{UserID: ann.ID, Permission: "billing.info", GrantedAt: t0}); err != nil {
			t.Fatal(err)
		}
		if took, err := s.Privileges.Revoke(ctx, b.ID, ann.ID, "billing.info"); took || err != nil {
			t.Errorf("revoke area as B: %v %v", took, err)
		}
		if took, err := s.Privileges.Revoke(ctx, a.ID, ann.ID, "billing.info"); !took || err != nil {
			t.Errorf("revoke area as A: %v %v", took, err)
		}

		job := &models.BulkJob{AccountID: a.ID, ActorName: "ann", Action: "signout", Selection: "{}", Status: models.BulkDone, CreatedAt: t0, UpdatedAt: t0}
		if err := s.BulkJobs.Create(ctx, job); err != nil {
			t.Fatal(err)
		}
		if err := s.BulkJobs.AddResults(ctx, []models.BulkJobResult{{JobID: job.ID, UserID: ann.ID, Username: "ann", Outcome: models.OutcomeDone}}); err != nil {
			t.Fatal(err)
		}
		if rows, err := s.BulkJobs.Results(ctx, b.ID, job.ID, "", 0, 10); len(rows) != 0 || err != nil {
			t.Errorf("A's job results as B: %d %v", len(rows), err)
		}
		if rows, err := s.BulkJobs.Results(ctx, a.ID, job.ID, "", 0, 10); len(rows) != 1 || err != nil {
			t.Errorf("A's job results as A: %d %v", len(rows), err)
		}
		if _, err := s.BulkJobs.Of(ctx, b.ID, job.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("A's job as B: %v", err)
		}
		if _, err := s.Roles.InAccount(ctx, b.ID, role.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("A's role as B: %v", err)
		}
	})
}
