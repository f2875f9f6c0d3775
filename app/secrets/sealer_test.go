package secrets_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"testing"

	"accountportal/app/secrets"
	"accountportal/app/security"
	"accountportal/models"
)

func newSealer(t *testing.T) (*secrets.Sealer, *security.KeyRing) {
	t.Helper()
	keys, err := security.NewMemoryKeyRing()
	if err != nil {
		t.Fatal(err)
	}
	return secrets.NewSealer(keys), keys
}

var kinds = []secrets.Kind{secrets.Passphrase, secrets.TOTPSeed, secrets.PendingTOTPSeed}

func TestSealOpensForEveryKind(t *testing.T) {
	sealer, keys := newSealer(t)
	for _, kind := range kinds {
		for _, plain := range []string{"blue falcon 42", "JBSWY3DPEHPK3PXP", "ünïcödé wörds", ""} {
			t.Run(string(kind)+"/"+plain, func(t *testing.T) {
				sec, err := sealer.Seal(kind, 42, plain, t0)
				if err != nil {
					t.Fatal(err)
				}
				if sec.UserID != 42 || sec.Kind != string(kind) || sec.KeyID != keys.CurrentDataKey() || !sec.UpdatedAt.Equal(t0) {
					t.Errorf("sealed = %+v; want user 42, kind %s, current key, time %v", sec, kind, t0)
				}
				if plain != "" && bytes.Contains(sec.Ciphertext, []byte(plain)) {
					t.Error("ciphertext contains the plaintext")
				}
				if got, err := sealer.Open(sec); err != nil || got != plain {
					t.Errorf("Open = %q, %v; want %q", got, err, plain)
				}
				compact, err := sealer.SealCompact(kind, 42, plain)
				if err != nil {
					t.Fatal(err)
				}
				if got, err := sealer.OpenCompact(kind, 42, compact); err != nil || got != plain {
					t.Errorf("OpenCompact = %q, %v; want %q", got, err, plain)
				}
			})
		}
	}
}

func TestSealRefusesAnUnknownKind(t *testing.T) {
	sealer, _ := newSealer(t)
	if sec, err := sealer.Seal("password", 42, "x", t0); err == nil {
		t.Fatalf("sealed an unknown kind: %+v", sec)
	}
	if s, err := sealer.SealCompact("", 42, "x"); err == nil {
		t.Fatalf("sealed an empty kind: %q", s)
	}
}

func TestSealTwiceGivesDifferentBytes(t *testing.T) {
	sealer, _ := newSealer(t)
	a, _ := sealer.Seal(secrets.Passphrase, 7, "same words", t0)
	b, _ := sealer.Seal(secrets.Passphrase, 7, "same words", t0)
	if bytes.Equal(a.Ciphertext, b.Ciphertext) || bytes.Equal(a.Nonce, b.Nonce) {
		t.Fatal("the same value sealed twice gives the same bytes")
	}
}

// TestOpenRefusesAnotherOwnerOrKind: associated data binds a value to its
// user and kind, so a row copied to another user, read as another kind,
// tampered with or opened with other keys does not open.
func TestOpenRefusesAnotherOwnerOrKind(t *testing.T) {
	sealer, keys := newSealer(t)
	other, _ := newSealer(t)
	for _, tc := range []struct {
		name   string
		kind   secrets.Kind
		change func(*models.Secret)
		with   *secrets.Sealer
	}{
		{"passphrase moved to another user", secrets.Passphrase, func(s *models.Secret) { s.UserID = 43 }, sealer},
		{"TOTP seed moved to another user", secrets.TOTPSeed, func(s *models.Secret) { s.UserID = 43 }, sealer},
		{"passphrase read as a TOTP seed", secrets.Passphrase, func(s *models.Secret) { s.Kind = models.SecretTOTPSeed }, sealer},
		{"TOTP seed read as a passphrase", secrets.TOTPSeed, func(s *models.Secret) { s.Kind = models.SecretPassphrase }, sealer},
		{"pending seed read as a confirmed one", secrets.PendingTOTPSeed, func(s *models.Secret) { s.Kind = models.SecretTOTPSeed }, sealer},
		{"tampered ciphertext", secrets.Passphrase, func(s *models.Secret) { s.Ciphertext[len(s.Ciphertext)-1] ^= 1 }, sealer},
		{"tampered nonce", secrets.TOTPSeed, func(s *models.Secret) { s.Nonce[0] ^= 1 }, sealer},
		{"short nonce", secrets.TOTPSeed, func(s *models.Secret) { s.Nonce = s.Nonce[1:] }, sealer},
		{"unknown key", secrets.Passphrase, func(s *models.Secret) { s.KeyID = keys.CurrentDataKey() + 1 }, sealer},
		{"another key ring", secrets.Passphrase, func(*models.Secret) {}, other},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sec, err := sealer.Seal(tc.kind, 42, "blue falcon 42", t0)
			if err != nil {
				t.Fatal(err)
			}
			tc.change(sec)
			if got, err := tc.with.Open(sec); !errors.Is(err, security.ErrDecrypt) || got != "" {
				t.Errorf("Open = %q, %v; want \"\", ErrDecrypt", got, err)
			}
		})
	}
}

func TestOpenCompactRefusesAnotherOwnerKindOrForm(t *testing.T) {
	sealer, _ := newSealer(t)
	good, err := sealer.SealCompact(secrets.PendingTOTPSeed, 42, "JBSWY3DPEHPK3PXP")
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, ".")
	for _, tc := range []struct {
		name   string
		kind   secrets.Kind
		userID int64
		sealed string
	}{
		{"another user", secrets.PendingTOTPSeed, 43, good},
		{"another kind", secrets.TOTPSeed, 42, good},
		{"empty", secrets.PendingTOTPSeed, 42, ""},
		{"two parts", secrets.PendingTOTPSeed, 42, parts[0] + "." + parts[1]},
		{"four parts", secrets.PendingTOTPSeed, 42, good + ".x"},
		{"key id not a number", secrets.PendingTOTPSeed, 42, "k." + parts[1] + "." + parts[2]},
		{"unknown key id", secrets.PendingTOTPSeed, 42, "99." + parts[1] + "." + parts[2]},
		{"nonce not base64url", secrets.PendingTOTPSeed, 42, parts[0] + ".!!." + parts[2]},
		{"ciphertext padded", secrets.PendingTOTPSeed, 42, good + "="},
		{"nonce and ciphertext swapped", secrets.PendingTOTPSeed, 42, parts[0] + "." + parts[2] + "." + parts[1]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got, err := sealer.OpenCompact(tc.kind, tc.userID, tc.sealed); !errors.Is(err, security.ErrDecrypt) || got != "" {
				t.Errorf("OpenCompact = %q, %v; want \"\", ErrDecrypt", got, err)
			}
		})
	}
}

// TestValuesInTheEarlierFormatStillOpen seals as the code before the
// sealer did (the key ring with "kind:userID" as associated data, and the
// pending TOTP seed as "keyID.nonce.ciphertext" in unpadded base64url),
// so stored rows and sessions already issued stay readable, and values
// sealed now are readable the same way.
func TestValuesInTheEarlierFormatStillOpen(t *testing.T) {
	sealer, keys := newSealer(t)
	for _, tc := range []struct {
		kind secrets.Kind
		ad   string
	}{
		{secrets.Passphrase, "passphrase:42"},
		{secrets.TOTPSeed, "totp_seed:42"},
		{secrets.PendingTOTPSeed, "totp_pending:42"},
	} {
		t.Run(string(tc.kind), func(t *testing.T) {
			id, nonce, ct, err := keys.Seal([]byte("old value"), []byte(tc.ad))
			if err != nil {
				t.Fatal(err)
			}
			row := &models.Secret{UserID: 42, Kind: string(tc.kind), KeyID: id, Nonce: nonce, Ciphertext: ct}
			if got, err := sealer.Open(row); err != nil || got != "old value" {
				t.Errorf("Open of an earlier row = %q, %v", got, err)
			}
			compact := strconv.Itoa(id) + "." + base64.RawURLEncoding.EncodeToString(nonce) + "." + base64.RawURLEncoding.EncodeToString(ct)
			if got, err := sealer.OpenCompact(tc.kind, 42, compact); err != nil || got != "old value" {
				t.Errorf("OpenCompact of an earlier string = %q, %v", got, err)
			}

			sec, _ := sealer.Seal(tc.kind, 42, "new value", t0)
			if got, err := keys.Open(sec.KeyID, sec.Nonce, sec.Ciphertext, []byte(tc.ad)); err != nil || string(got) != "new value" {
				t.Errorf("a new row does not open as before: %q, %v", got, err)
			}
			s, _ := sealer.SealCompact(tc.kind, 42, "new value")
			p := strings.Split(s, ".")
			if len(p) != 3 || p[0] != strconv.Itoa(keys.CurrentDataKey()) {
				t.Fatalf("compact form changed: %q", s)
			}
			n, err1 := base64.RawURLEncoding.DecodeString(p[1])
			c, err2 := base64.RawURLEncoding.DecodeString(p[2])
			if err1 != nil || err2 != nil {
				t.Fatalf("compact form is not unpadded base64url: %q", s)
			}
			if got, err := keys.Open(keys.CurrentDataKey(), n, c, []byte(tc.ad)); err != nil || string(got) != "new value" {
				t.Errorf("a new compact string does not open as before: %q, %v", got, err)
			}
		})
	}
}
