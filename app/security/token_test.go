package security_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"testing"

	"accountportal/app/security"
)

func TestNewTokenIsURLSafeAndStoredOnlyAsItsDigest(t *testing.T) {
	token, digest := security.NewToken()
	if len(token) != 43 {
		t.Errorf("token %q has %d characters, want 43", token, len(token))
	}
	// Tokens go into emailed links as they are, without escaping.
	if raw, err := base64.RawURLEncoding.DecodeString(token); err != nil || len(raw) != 32 {
		t.Errorf("token %q is not 32 bytes of unpadded URL-safe base64: %v", token, err)
	}
	want := sha256.Sum256([]byte(token))
	if !bytes.Equal(digest, want[:]) || !bytes.Equal(security.Digest(token), digest) {
		t.Errorf("digest %x, Digest(token) %x; want SHA-256 of the token text %x", digest, security.Digest(token), want)
	}
}

func TestNewTokenNeverRepeats(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		token, _ := security.NewToken()
		if seen[token] {
			t.Fatalf("token %q issued twice", token)
		}
		seen[token] = true
	}
}

func TestDigestDistinguishesTokens(t *testing.T) {
	a, b := security.Digest("abc"), security.Digest("abd")
	if len(a) != 32 || bytes.Equal(a, b) {
		t.Errorf("Digest(abc) = %x, Digest(abd) = %x; want distinct 32-byte values", a, b)
	}
}
