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

// Rows of the tables that carry the account beside the user get the
// user's account from the store, whoever builds them.
func TestStoreSetsTheAccountOnInsert(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		newAccount(t, s, "73737373")
		a := newAccount(t, s, "74747474")
		ann := newUser(t, s, a.ID, "ann", false)
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(s.Secrets.Put(ctx, &models.Secret{UserID: ann.ID, Kind: models.SecretPassphrase, KeyID: 1, Nonce: []byte{0}, Ciphertext: []byte{0}, UpdatedAt: t0}))
		must(s.MFA.ReplaceBackupCodes(ctx, ann.ID, []models.BackupCode{{UserID: ann.ID, Prefix: "ABCD", CodeHash: "x", CreatedAt: t0}}))
		must(s.Users.AcceptLicense(ctx, &models.LicenseAcceptance{UserID: ann.ID, Version: "v1", AcceptedAt: t0}))
		must(s.Privileges.Grant(ctx, &models.UserPermission{UserID: ann.ID, Permission: "billing.info", GrantedAt: t0}))
		builtin, err := s.Roles.Builtin(ctx, "billing_admin")
		must(err)
		must(s.Roles.Assign(ctx, &models.UserRole{UserID: ann.ID, RoleID: builtin.ID, AssignedAt: t0}))
		uid := ann.ID
		must(s.Sessions.Create(ctx, &models.Session{IDHash: []byte("with a user"), UserID: &uid, CreatedAt: t0, LastSeenAt: t0,
			IdleExpiresAt: t0, AbsoluteExpiresAt: t0, IdleTimeoutSeconds: 60, Data: "{}"}))
		anon := []byte("signs in later")
		must(s.Sessions.Create(ctx, &models.Session{IDHash: anon, CreatedAt: t0, LastSeenAt: t0,
			IdleExpiresAt: t0, AbsoluteExpiresAt: t0, IdleTimeoutSeconds: 60, Data: "{}"}))
		must(s.Sessions.UpdateState(ctx, anon, models.SessionState{UserID: &uid, Data: "{}"}))
		must(s.Tokens.Create(ctx, &models.Token{UserID: ann.ID, Purpose: models.PurposeReset, SHA256: []byte("a link"),
			CreatedAt: t0, ExpiresAt: t0}))
		db, err := s.SQLDB()
		must(err)
		for table, want := range map[string]int{"secrets": 1, "backup_codes": 1, "license_acceptances": 1,
			"user_permissions": 1, "user_roles": 1, "sessions": 2, "tokens": 1} {
			var n int
			if err := db.QueryRowContext(ctx, `SELECT count(*) FROM `+table+` WHERE account_id = $1`, a.ID).Scan(&n); err != nil || n != want {
				t.Errorf("%s: %d rows carry the account (%v), want %d", table, n, err, want)
			}
		}
	})
}
