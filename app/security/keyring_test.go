package security_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"accountportal/app/security"
)

func newMemoryKeyRing(t *testing.T) *security.KeyRing {
	t.Helper()
	k, err := security.NewMemoryKeyRing()
	if err != nil {
		t.Fatalf("NewMemoryKeyRing: %v", err)
	}
	return k
}

type sealed struct {
	keyID     int
	nonce, ct []byte
}

func seal(t *testing.T, k *security.KeyRing, plaintext, ad string) sealed {
	t.Helper()
	id, nonce, ct, err := k.Seal([]byte(plaintext), []byte(ad))
	if err != nil {
		t.Fatalf("Seal: %v", err)
	}
	return sealed{id, nonce, ct}
}

func mustOpen(t *testing.T, k *security.KeyRing, s sealed, ad, want string) {
	t.Helper()
	got, err := k.Open(s.keyID, s.nonce, s.ct, []byte(ad))
	if err != nil || string(got) != want {
		t.Errorf("Open = %q, %v; want %q", got, err, want)
	}
}

func TestKeyRingOpensWhatItSealed(t *testing.T) {
	k := newMemoryKeyRing(t)
	for _, pt := range []string{"", "blue falcon 42", "\x00\xff binary", strings.Repeat("x", 4096)} {
		s := seal(t, k, pt, "passphrase:1")
		if len(pt) > 0 && bytes.Contains(s.ct, []byte(pt)) {
			t.Errorf("ciphertext of %.20q contains the plaintext", pt)
		}
		mustOpen(t, k, s, "passphrase:1", pt)
	}
}

func TestKeyRingSealsSameValueDifferentlyEachTime(t *testing.T) {
	k := newMemoryKeyRing(t)
	a, b := seal(t, k, "blue falcon 42", "ad"), seal(t, k, "blue falcon 42", "ad")
	if bytes.Equal(a.nonce, b.nonce) || bytes.Equal(a.ct, b.ct) {
		t.Error("sealing twice reused the nonce or ciphertext, which reveals equal secrets")
	}
}

func TestKeyRingOpenRejectsAnythingNotSealedAsIs(t *testing.T) {
	k := newMemoryKeyRing(t)
	s := seal(t, k, "blue falcon 42", "passphrase:1")
	flip := func(b []byte, i int) []byte {
		c := bytes.Clone(b)
		c[(i+len(c))%len(c)] ^= 0x01
		return c
	}
	for _, tc := range []struct {
		name  string
		keyID int
		nonce []byte
		ct    []byte
		ad    string
	}{
		{"other associated data", s.keyID, s.nonce, s.ct, "passphrase:2"},
		{"empty associated data", s.keyID, s.nonce, s.ct, ""},
		{"first ciphertext byte flipped", s.keyID, s.nonce, flip(s.ct, 0), "passphrase:1"},
		{"tag byte flipped", s.keyID, s.nonce, flip(s.ct, -1), "passphrase:1"},
		{"ciphertext truncated", s.keyID, s.nonce, s.ct[:len(s.ct)-1], "passphrase:1"},
		{"empty ciphertext", s.keyID, s.nonce, nil, "passphrase:1"},
		{"nonce byte flipped", s.keyID, flip(s.nonce, 3), s.ct, "passphrase:1"},
		{"nonce truncated", s.keyID, s.nonce[:12], s.ct, "passphrase:1"},
		{"unknown key id", s.keyID + 7, s.nonce, s.ct, "passphrase:1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := k.Open(tc.keyID, tc.nonce, tc.ct, []byte(tc.ad))
			if !errors.Is(err, security.ErrDecrypt) || got != nil {
				t.Errorf("Open = %q, %v; want nil, ErrDecrypt", got, err)
			}
		})
	}
}

func TestKeyRingAddDataKeyRotatesWithoutLosingOldValues(t *testing.T) {
	k := newMemoryKeyRing(t)
	old := seal(t, k, "old secret", "ad")
	id, err := k.AddDataKey()
	if err != nil {
		t.Fatal(err)
	}
	if id == old.keyID || k.CurrentDataKey() != id {
		t.Fatalf("AddDataKey = %d, current %d; want a new current id (old %d)", id, k.CurrentDataKey(), old.keyID)
	}
	fresh := seal(t, k, "new secret", "ad")
	if fresh.keyID != id {
		t.Errorf("value sealed after rotation uses key %d, want %d", fresh.keyID, id)
	}
	mustOpen(t, k, old, "ad", "old secret")
	mustOpen(t, k, fresh, "ad", "new secret")
}

func TestKeyRingCookieKeyPairsAreHashAndBlockKeys(t *testing.T) {
	pairs := newMemoryKeyRing(t).CookieKeyPairs()
	if len(pairs) != 2 || len(pairs[0]) != 64 || len(pairs[1]) != 32 {
		t.Fatalf("CookieKeyPairs = %d keys; want a 64-byte hash key then a 32-byte block key", len(pairs))
	}
	if bytes.Equal(pairs[0][:32], pairs[1]) || bytes.Equal(pairs[1], make([]byte, 32)) {
		t.Error("cookie keys are not independent random bytes")
	}
}

func TestLoadKeyRingCreatesPrivateFileThatReloadsTheSameKeys(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	path := filepath.Join(dir, "keys.json")
	k, err := security.LoadKeyRing(path, true, false)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("created key file has mode %#o, want 0600", info.Mode().Perm())
	}
	s := seal(t, k, "blue falcon 42", "ad")

	// A production start reloads the file strictly and must find the same keys.
	again, err := security.LoadKeyRing(path, false, true)
	if err != nil {
		t.Fatalf("reload: %v", err)
	}
	want, got := k.CookieKeyPairs(), again.CookieKeyPairs()
	if len(got) != len(want) {
		t.Fatalf("reloaded %d cookie keys, want %d", len(got), len(want))
	}
	for i := range want {
		if !bytes.Equal(got[i], want[i]) {
			t.Errorf("cookie key %d changed on reload; every session would be signed out", i)
		}
	}
	mustOpen(t, again, s, "ad", "blue falcon 42")
}

func TestLoadKeyRingCreatesPrivateFileDespiteStaleTempFile(t *testing.T) {
	// Save writes path+".tmp" then renames it. A temp file left readable by
	// an earlier run must not pass its mode on to the new key file.
	path := filepath.Join(t.TempDir(), "keys.json")
	if err := os.WriteFile(path+".tmp", []byte("stale"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := security.LoadKeyRing(path, true, false); err != nil {
		t.Fatalf("create: %v", err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("created key file has mode %#o, want 0600", info.Mode().Perm())
	}
}

// writeKeyFile writes a valid key file with the given mode and returns its
// path and JSON, which tests may corrupt.
func writeKeyFile(t *testing.T, mode os.FileMode) (string, []byte) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "keys.json")
	if _, err := security.LoadKeyRing(path, true, false); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, raw
}

func TestLoadKeyRingStrictRefusesFilesOthersCanRead(t *testing.T) {
	for _, tc := range []struct {
		mode   os.FileMode
		strict bool
		ok     bool
	}{
		{0o600, true, true},
		{0o400, true, true},
		{0o644, true, false},
		{0o640, true, false},
		{0o604, true, false},
		{0o644, false, true},
	} {
		path, _ := writeKeyFile(t, tc.mode)
		_, err := security.LoadKeyRing(path, false, tc.strict)
		switch {
		case tc.ok && err != nil:
			t.Errorf("mode %v strict=%v: %v, want it loaded", tc.mode, tc.strict, err)
		case !tc.ok && (err == nil || !strings.Contains(err.Error(), "chmod")):
			t.Errorf("mode %v strict=%v: error %v, want one telling to chmod", tc.mode, tc.strict, err)
		}
	}
}

func TestLoadKeyRingWithoutCreateNeedsTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys.json")
	if _, err := security.LoadKeyRing(path, false, false); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("LoadKeyRing of a missing file = %v, want fs.ErrNotExist", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Error("LoadKeyRing with create=false wrote a key file")
	}
}

func TestLoadKeyRingRefusesInvalidFiles(t *testing.T) {
	_, raw := writeKeyFile(t, 0o600)
	edit := func(change func(m map[string]any)) []byte {
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		change(m)
		out, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	const short = "c2hvcnQ=" // "short" in base64, as encoding/json writes []byte
	for _, tc := range []struct {
		name    string
		content []byte
	}{
		{"empty file", nil},
		{"garbage", []byte("not json {")},
		{"empty object", []byte("{}")},
		{"current key missing", edit(func(m map[string]any) { m["current"] = 99 })},
		{"no data keys", edit(func(m map[string]any) { m["data"] = []any{} })},
		{"no session keys", edit(func(m map[string]any) { m["session"] = []any{} })},
		{"short data key", edit(func(m map[string]any) { m["data"].([]any)[0].(map[string]any)["key"] = short })},
		{"short hash key", edit(func(m map[string]any) { m["session"].([]any)[0].(map[string]any)["hash"] = short })},
		{"short block key", edit(func(m map[string]any) { m["session"].([]any)[0].(map[string]any)["block"] = short })},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "keys.json")
			if err := os.WriteFile(path, tc.content, 0o600); err != nil {
				t.Fatal(err)
			}
			if k, err := security.LoadKeyRing(path, true, true); err == nil || k != nil {
				t.Errorf("LoadKeyRing accepted %s: %v", tc.content, err)
			}
		})
	}
}
