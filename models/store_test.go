package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"accountportal/models"
	"accountportal/models/modelstest"
)

func TestMain(m *testing.M) { modelstest.Main(m) }

var t0 = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func fixedNow() time.Time { return t0 }

func newAccount(t *testing.T, s *models.Store, number string) *models.Account {
	t.Helper()
	a := &models.Account{Number: number, Name: "Acme Ltd", PasswordPreset: "classic", MFAPolicy: models.MFAOff}
	if err := s.Accounts.Create(context.Background(), a); err != nil {
		t.Fatalf("create account: %v", err)
	}
	return a
}

func newUser(t *testing.T, s *models.Store, accountID int64, username string, primary bool) *models.User {
	t.Helper()
	u := &models.User{AccountID: accountID, Username: username, UsernameKey: username,
		Email: username + "@example.com", EmailKey: username + "@example.com", DisplayName: "User " + username,
		Status: models.StatusActive, IsPrimaryAdmin: primary, PasswordHash: "$argon2id$x"}
	if err := s.Users.Create(context.Background(), u); err != nil {
		t.Fatalf("create user %s: %v", username, err)
	}
	return u
}

func TestMigrateTwiceIsNoop(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		applied, err := s.Migrate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(applied) != 0 {
			t.Fatalf("second migrate applied %v, want nothing", applied)
		}
		current, latest, err := s.SchemaVersion(ctx)
		if err != nil || current != latest || latest < 1 {
			t.Fatalf("schema version %d of %d (err %v)", current, latest, err)
		}
	})
}

func TestAccountAndUserRoundTrip(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		idle := 45
		a := &models.Account{Number: "12345678", Name: "Acme Ltd", PasswordPreset: "nist", IntegrationSafe: true,
			RequireSecurityQuestion: true, MFAPolicy: models.MFAAdmins, SessionIdleMinutes: &idle}
		if err := s.Accounts.Create(ctx, a); err != nil {
			t.Fatal(err)
		}
		got, err := s.Accounts.ByNumber(ctx, "12345678")
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != a.ID || got.Name != "Acme Ltd" || got.PasswordPreset != "nist" || !got.IntegrationSafe ||
			!got.RequireSecurityQuestion || got.MFAPolicy != models.MFAAdmins || got.SessionIdleMinutes == nil ||
			*got.SessionIdleMinutes != 45 || got.SessionAbsoluteMinutes != nil || !got.CreatedAt.Equal(t0) {
			t.Fatalf("account round trip: %+v", got)
		}
		byName, err := s.Accounts.ByName(ctx, "ACME ltd")
		if err != nil || len(byName) != 1 || byName[0].ID != a.ID {
			t.Fatalf("accounts by name: %v %v", byName, err)
		}
		changed := t0.Add(-time.Hour)
		u := &models.User{AccountID: a.ID, Username: "Ann", UsernameKey: "ann", Email: "ann@example.com",
			EmailKey: "ann@example.com", DisplayName: "Ann Example", Status: models.StatusActive,
			IsPrimaryAdmin: true, PasswordHash: "$argon2id$v=19$...", PasswordChangedAt: &changed,
			SecurityQuestion: "Pet?", SecurityAnswerHash: "$argon2id$answer"}
		if err := s.Users.Create(ctx, u); err != nil {
			t.Fatal(err)
		}
		gu, err := s.Users.ByUsernameKey(ctx, "ann")
		if err != nil {
			t.Fatal(err)
		}
		if gu.ID != u.ID || gu.Username != "Ann" || !gu.IsPrimaryAdmin || gu.PasswordChangedAt == nil ||
			!gu.PasswordChangedAt.Equal(changed) || gu.SecurityQuestion != "Pet?" || gu.MFAEnrolledAt != nil ||
			gu.LastSignInAt != nil || gu.Status != models.StatusActive {
			t.Fatalf("user round trip: %+v", gu)
		}
		if err := s.Users.RecordSignIn(ctx, u.ID, t0, ""); err != nil {
			t.Fatal(err)
		}
		if err := s.Users.SetPasswordHash(ctx, u.ID, "$new", true, t0); err != nil {
			t.Fatal(err)
		}
		gu, _ = s.Users.ByIDAnyAccount(ctx, u.ID)
		if gu.PasswordHash != "$new" || !gu.PasswordChangedAt.Equal(t0) || !gu.LastSignInAt.Equal(t0) {
			t.Fatalf("after updates: %+v", gu)
		}
		if err := s.Users.SetPasswordHash(ctx, 999999, "$x", false, t0); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("password of missing user: %v", err)
		}
	})
}

func TestUniqueRules(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		a := newAccount(t, s, "11111111")
		if err := s.Accounts.Create(ctx, &models.Account{Number: "11111111", Name: "Other", PasswordPreset: "classic", MFAPolicy: "off"}); !errors.Is(err, models.ErrConflict) {
			t.Fatalf("duplicate account number: %v", err)
		}
		newUser(t, s, a.ID, "ann", true)
		dup := &models.User{AccountID: a.ID, Username: "ANN", UsernameKey: "ann", Email: "x@example.com",
			EmailKey: "x@example.com", DisplayName: "X", Status: models.StatusActive}
		if err := s.Users.Create(ctx, dup); !errors.Is(err, models.ErrConflict) {
			t.Fatalf("duplicate username: %v", err)
		}
		second := &models.User{AccountID: a.ID, Username: "bob", UsernameKey: "bob", Email: "b@example.com",
			EmailKey: "b@example.com", DisplayName: "Bob", Status: models.StatusActive, IsPrimaryAdmin: true}
		if err := s.Users.Create(ctx, second); !errors.Is(err, models.ErrConflict) {
			t.Fatalf("second primary admin: %v", err)
		}
		if taken, err := s.Users.UsernameTaken(ctx, "ann"); err != nil || !taken {
			t.Fatalf("username taken: %v %v", taken, err)
		}
	})
}

func TestSetupRunsOnce(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		if done, err := s.Accounts.SetupDone(ctx); err != nil || done {
			t.Fatalf("fresh database says setup done=%v err=%v", done, err)
		}
		if err := s.Accounts.MarkSetupDone(ctx, t0); err != nil {
			t.Fatal(err)
		}
		if err := s.Accounts.MarkSetupDone(ctx, t0); !errors.Is(err, models.ErrConflict) {
			t.Fatalf("second setup: %v", err)
		}
		if done, _ := s.Accounts.SetupDone(ctx); !done {
			t.Fatal("setup not recorded")
		}
	})
}

func TestTransactionRollsBack(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		boom := errors.New("boom")
		err := s.InTx(ctx, func(tx *models.Store) error {
			newAccount(t, tx, "22222222")
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx returned %v", err)
		}
		if _, err := s.Accounts.ByNumber(ctx, "22222222"); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("rolled-back account visible: %v", err)
		}
	})
}

func TestSecretsLicenseAudit(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		a := newAccount(t, s, "33333333")
		u := newUser(t, s, a.ID, "ann", true)
		sec := &models.Secret{UserID: u.ID, Kind: models.SecretPassphrase, KeyID: 1, Nonce: []byte{1, 2, 3},
			Ciphertext: []byte{4, 5, 6, 0}, UpdatedAt: t0}
		if err := s.Secrets.Put(ctx, sec); err != nil {
			t.Fatal(err)
		}
		sec.KeyID, sec.Ciphertext = 2, []byte{9}
		if err := s.Secrets.Put(ctx, sec); err != nil {
			t.Fatal(err)
		}
		got, err := s.Secrets.Of(ctx, u.ID, models.SecretPassphrase)
		if err != nil || got.KeyID != 2 || string(got.Ciphertext) != "\x09" || string(got.Nonce) != "\x01\x02\x03" {
			t.Fatalf("secret: %+v %v", got, err)
		}
		if _, err := s.Secrets.Of(ctx, u.ID, models.SecretTOTPSeed); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("missing secret: %v", err)
		}

		if ok, _ := s.Users.HasAcceptedLicense(ctx, u.ID, "v1"); ok {
			t.Fatal("license accepted before acceptance")
		}
		for range 2 {
			if err := s.Users.AcceptLicense(ctx, &models.LicenseAcceptance{UserID: u.ID, Version: "v1", AcceptedAt: t0, IP: "192.0.2.1"}); err != nil {
				t.Fatal(err)
			}
		}
		if ok, _ := s.Users.HasAcceptedLicense(ctx, u.ID, "v1"); !ok {
			t.Fatal("license acceptance lost")
		}
		if ok, _ := s.Users.HasAcceptedLicense(ctx, u.ID, "v2"); ok {
			t.Fatal("other version counted as accepted")
		}

		aid := a.ID
		if err := s.Audit.Append(ctx, &models.AuditEvent{At: t0, AccountID: &aid, ActorID: &u.ID, ActorName: "Ann",
			Action: "test.action", TargetID: &u.ID, TargetName: "Ann", IP: "192.0.2.1", UserAgent: "ua",
			Details: `{"k":"v"}`}); err != nil {
			t.Fatal(err)
		}
		events, err := s.Audit.ForAccount(ctx, a.ID, 10)
		if err != nil || len(events) != 1 || events[0].Action != "test.action" || events[0].ActorName != "Ann" ||
			*events[0].TargetID != u.ID || !events[0].At.Equal(t0) {
			t.Fatalf("audit: %+v %v", events, err)
		}
	})
}
