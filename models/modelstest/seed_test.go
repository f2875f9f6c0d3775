package modelstest_test

import (
	"context"
	"testing"
	"time"

	"accountportal/models"
	"accountportal/models/modelstest"
)

func TestMain(m *testing.M) { modelstest.Main(m) }

func TestSeedUsersAndMFA(t *testing.T) {
	ctx := context.Background()
	s := modelstest.Open(t, models.Postgres, time.Now)
	a := &models.Account{Number: "10010001", Name: "Seeded Ltd", PasswordPreset: "classic", MFAPolicy: models.MFAOptional, Kind: models.KindCustomer}
	if err := s.Accounts.Create(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := modelstest.SeedUsers(ctx, s, a.ID, 50); err != nil {
		t.Fatal(err)
	}
	if err := modelstest.SeedMFA(ctx, s, a.ID, 20); err != nil {
		t.Fatal(err)
	}
	db, err := s.SQLDB()
	if err != nil {
		t.Fatal(err)
	}
	var users, enrolled, codes int
	row := db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM users WHERE account_id = $1),
		(SELECT count(*) FROM users WHERE account_id = $1 AND mfa_enrolled_at IS NOT NULL),
		(SELECT count(*) FROM backup_codes)`, a.ID)
	if err := row.Scan(&users, &enrolled, &codes); err != nil {
		t.Fatal(err)
	}
	if users != 50 || enrolled != 20 || codes != 200 {
		t.Fatalf("seeded %d users, %d enrolled, %d backup codes; want 50, 20, 200", users, enrolled, codes)
	}
}

func TestSeedingRefusesSQLite(t *testing.T) {
	s := modelstest.Open(t, models.SQLite, time.Now)
	if err := modelstest.SeedUsers(context.Background(), s, 1, 1); err == nil {
		t.Fatal("seeded SQLite")
	}
}
