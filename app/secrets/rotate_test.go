package secrets_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"accountportal/app/secrets"
	"accountportal/app/security"
	"accountportal/models"
	"accountportal/models/modelstest"
)

func TestMain(m *testing.M) { modelstest.Main(m) }

var t0 = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// seed creates n users with a passphrase each, sealed under keys' current key.
func seed(t *testing.T, s *models.Store, keys *security.KeyRing, n int) []int64 {
	t.Helper()
	ctx := context.Background()
	a := &models.Account{Number: "77777777", Name: "A", PasswordPreset: "classic", MFAPolicy: "off"}
	if err := s.Accounts.Create(ctx, a); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for i := range n {
		name := "u" + string(rune('a'+i%26)) + strings.Repeat("x", i/26)
		u := &models.User{AccountID: a.ID, Username: name, UsernameKey: name, Email: name + "@x.io", EmailKey: name + "@x.io",
			DisplayName: name, Status: models.StatusActive}
		if err := s.Users.Create(ctx, u); err != nil {
			t.Fatal(err)
		}
		sec, err := secrets.NewSealer(keys).Seal(secrets.Passphrase, u.ID, "passphrase of "+name, t0)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Secrets.Put(ctx, sec); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, u.ID)
	}
	return ids
}

func TestRotateResealsEverythingAndRetires(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, func() time.Time { return t0 })
		keys, _ := security.NewMemoryKeyRing()
		sealer := secrets.NewSealer(keys)
		first := keys.CurrentDataKey()
		ids := seed(t, s, keys, 30)
		if err := sealer.Retire(ctx, s, first); err == nil {
			t.Fatal("retired the current key")
		}
		second, _ := keys.AddDataKey()
		// Before re-encryption, old values still open through the old key.
		sec, _ := s.Secrets.Of(ctx, ids[0], models.SecretPassphrase)
		if v, err := sealer.Open(sec); err != nil || sec.KeyID != first || v != "passphrase of ua" {
			t.Fatalf("old value before reseal: %q %v", v, err)
		}
		if err := sealer.Retire(ctx, s, first); err == nil || !strings.Contains(err.Error(), "still seals 30") {
			t.Fatalf("retired a key in use: %v", err)
		}
		res, err := sealer.Reseal(ctx, s, 7)
		if err != nil || res.Resealed != 30 || res.Failed != 0 {
			t.Fatalf("reseal: %+v %v", res, err)
		}
		for i, id := range ids {
			sec, _ := s.Secrets.Of(ctx, id, models.SecretPassphrase)
			v, err := sealer.Open(sec)
			if err != nil || sec.KeyID != second || !strings.HasPrefix(v, "passphrase of u") {
				t.Fatalf("value %d after reseal: key %d %q %v", i, sec.KeyID, v, err)
			}
		}
		if res, _ := sealer.Reseal(ctx, s, 7); res.Resealed != 0 {
			t.Fatalf("second reseal did work again: %+v", res)
		}
		if err := sealer.Retire(ctx, s, first); err != nil {
			t.Fatalf("retire an unused key: %v", err)
		}
		if len(keys.DataKeys()) != 1 {
			t.Fatalf("keys left: %+v", keys.DataKeys())
		}
	})
}

func TestResealLeavesUnreadableValuesAndCountsThem(t *testing.T) {
	ctx := context.Background()
	s := modelstest.Open(t, models.SQLite, func() time.Time { return t0 })
	keys, _ := security.NewMemoryKeyRing()
	ids := seed(t, s, keys, 3)
	sec, _ := s.Secrets.Of(ctx, ids[1], models.SecretPassphrase)
	sec.Ciphertext[0] ^= 0xff
	_ = s.Secrets.Put(ctx, sec)
	old := keys.CurrentDataKey()
	keys.AddDataKey()
	sealer := secrets.NewSealer(keys)
	res, err := sealer.Reseal(ctx, s, 2)
	if err != nil || res.Resealed != 2 || res.Failed != 1 {
		t.Fatalf("reseal: %+v %v", res, err)
	}
	if err := sealer.Retire(ctx, s, old); err == nil {
		t.Fatal("retired the key of a value still sealed under it")
	}
}

// seedMany inserts n users with sealed passphrases in one transaction.
func seedMany(tb testing.TB, s *models.Store, keys *security.KeyRing, n int) {
	tb.Helper()
	ctx := context.Background()
	err := s.InTx(ctx, func(tx *models.Store) error {
		a := &models.Account{Number: "88888888", Name: "B", PasswordPreset: "classic", MFAPolicy: "off"}
		if err := tx.Accounts.Create(ctx, a); err != nil {
			return err
		}
		for i := range n {
			name := "bulk" + strconv.Itoa(i)
			u := &models.User{AccountID: a.ID, Username: name, UsernameKey: name, Email: name + "@x.io",
				EmailKey: name + "@x.io", DisplayName: name, Status: models.StatusActive}
			if err := tx.Users.Create(ctx, u); err != nil {
				return err
			}
			sec, err := secrets.NewSealer(keys).Seal(secrets.Passphrase, u.ID, "passphrase "+name, t0)
			if err != nil {
				return err
			}
			if err := tx.Secrets.Put(ctx, sec); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}
