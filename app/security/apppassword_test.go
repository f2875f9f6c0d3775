package security

import (
	"bytes"
	"strings"
	"testing"
)

func TestNewAppPasswordFormat(t *testing.T) {
	seen := map[string]bool{}
	counts := map[rune]int{}
	for range 2000 {
		shown, digest := NewAppPassword()
		if len(shown) != 19 || strings.Count(shown, "-") != 3 {
			t.Fatalf("%q is not xxxx-xxxx-xxxx-xxxx", shown)
		}
		for i, part := range strings.Split(shown, "-") {
			if len(part) != 4 {
				t.Fatalf("%q: group %d is %q", shown, i, part)
			}
		}
		if strings.ContainsAny(shown, "&<>01ilo\"' ") {
			t.Fatalf("%q holds a character integrations choke on or a look-alike", shown)
		}
		canonical, ok := ParseAppPassword(shown)
		if !ok || !bytes.Equal(AppPasswordDigest(canonical), digest) {
			t.Fatalf("%q does not parse back to its digest", shown)
		}
		if seen[canonical] {
			t.Fatalf("%q drawn twice", shown)
		}
		seen[canonical] = true
		for _, r := range canonical {
			counts[r]++
		}
	}
	// Every character of the alphabet turns up: 32,000 draws of 31.
	if len(counts) != len(AppPasswordAlphabet) {
		t.Fatalf("%d distinct characters drawn, want %d", len(counts), len(AppPasswordAlphabet))
	}
	for r, n := range counts {
		if n < 700 || n > 1400 {
			t.Errorf("%q drawn %d times of 32000; expected about 1032", r, n)
		}
	}
}

func TestParseAppPassword(t *testing.T) {
	const want = "abcd2345efgh6789"
	for _, c := range []struct {
		name, typed string
		ok          bool
	}{
		{"grouped", "abcd-2345-efgh-6789", true},
		{"without dashes", "abcd2345efgh6789", true},
		{"capitals", "ABCD-2345-EFGH-6789", true},
		{"spaces around", "  abcd-2345-efgh-6789\t", true},
		{"dashes elsewhere", "ab-cd2345-efgh6789-", true},
		{"too short", "abcd-2345-efgh-678", false},
		{"too long", "abcd-2345-efgh-6789a", false},
		{"look-alike zero", "abcd-2345-efgh-6780", false},
		{"look-alike l", "abcd-2345-efgh-678l", false},
		{"space inside", "abcd 2345 efgh 6789", false},
		{"ampersand", "abcd-2345-efgh-678&", false},
		{"empty", "", false},
		{"only dashes", "----", false},
		{"non-ASCII", "abcd-2345-efgh-678é", false},
		{"NUL", "abcd-2345-efgh-678\x00", false},
		{"invalid UTF-8", "abcd-2345-efgh-678\xff", false},
		{"huge", strings.Repeat("-", 100) + want, false},
		{"a console password", "Secret#123", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, ok := ParseAppPassword(c.typed)
			if ok != c.ok || (ok && got != want) {
				t.Fatalf("ParseAppPassword(%q) = %q, %v; want ok=%v", c.typed, got, ok, c.ok)
			}
		})
	}
}

func FuzzParseAppPassword(f *testing.F) {
	for _, s := range []string{"abcd-2345-efgh-6789", "ABCD2345EFGH6789", "", "\x00", "a&b<c>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, typed string) {
		canonical, ok := ParseAppPassword(typed)
		if !ok {
			if canonical != "" {
				t.Fatalf("refused %q yet returned %q", typed, canonical)
			}
			return
		}
		if len(canonical) != AppPasswordLength {
			t.Fatalf("%q: canonical %q has the wrong length", typed, canonical)
		}
		for i := 0; i < len(canonical); i++ {
			if strings.IndexByte(AppPasswordAlphabet, canonical[i]) < 0 {
				t.Fatalf("%q: canonical %q holds %q", typed, canonical, canonical[i])
			}
		}
		// The canonical form is a fixed point, and so is its grouped form.
		if again, ok := ParseAppPassword(GroupAppPassword(canonical)); !ok || again != canonical {
			t.Fatalf("%q: grouped canonical does not parse back", typed)
		}
	})
}
