package mfa

import (
	"encoding/base32"
	"strings"
	"testing"
	"time"
)

// RFC 6238 Appendix B, SHA-1: the 8-digit codes, of which a 6-digit
// authenticator shows the last six.
func TestRFC6238Vectors(t *testing.T) {
	secret := base32.StdEncoding.EncodeToString([]byte("12345678901234567890"))
	for _, tc := range []struct {
		unix int64
		code string
	}{
		{59, "94287082"},
		{1111111109, "07081804"},
		{1111111111, "14050471"},
		{1234567890, "89005924"},
		{2000000000, "69279037"},
		{20000000000, "65353130"},
	} {
		at := time.Unix(tc.unix, 0)
		st, ok := matchStep(secret, tc.code[2:], at)
		if !ok || st != tc.unix/30 {
			t.Errorf("T=%d: code %s not accepted (step %d, ok %v)", tc.unix, tc.code[2:], st, ok)
		}
	}
}

func TestSkew(t *testing.T) {
	secret := base32.StdEncoding.EncodeToString([]byte("12345678901234567890"))
	code := "287082" // for T=59, step 1
	base := time.Unix(59, 0)
	for _, tc := range []struct {
		shift time.Duration
		ok    bool
	}{
		{0, true}, {30 * time.Second, true}, {-30 * time.Second, true},
		{90 * time.Second, false}, {-90 * time.Second, false},
	} {
		if _, ok := matchStep(secret, code, base.Add(tc.shift)); ok != tc.ok {
			t.Errorf("shift %v: accepted %v, want %v", tc.shift, ok, tc.ok)
		}
	}
	for _, bad := range []string{"", "28708", "2870822", "abcdef", " 287082 x"} {
		if _, ok := matchStep(secret, bad, base); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestBackupCodeFormat(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		c := newCode()
		if len(c) != backupLen || seen[c] {
			t.Fatalf("code %q", c)
		}
		seen[c] = true
		if strings.Trim(c, backupAlphabet) != "" {
			t.Fatalf("code %q has characters outside the alphabet", c)
		}
		if normalCode(" "+strings.ToLower(display(c))+" ") != c {
			t.Fatalf("typed form of %q does not read back", c)
		}
	}
}
