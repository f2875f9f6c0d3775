package textinput

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzCheck: whatever Check accepts is valid UTF-8 without a control
// character or direction override (so PostgreSQL stores it and a page shows
// it as it reads); whatever CheckName accepts, Check accepts too and it has
// no invisible formatting; Sanitize always gives text Check accepts and
// leaves accepted text alone.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{"Ada Admin", "", "ab\x00cd", "R\xff\xfe", "R\u202EZ", "a\tb", "\u2066x\u2069",
		"\u200F", "Zoë", "\xed\xa0\x80", "\u0085", "\u2028", "🦓"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if Check(s) == "" {
			if !utf8.ValidString(s) {
				t.Fatalf("accepted invalid UTF-8 %q", s)
			}
			for _, r := range s {
				if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || (r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069') {
					t.Fatalf("accepted %q holding %U", s, r)
				}
			}
			if Sanitize(s) != s {
				t.Fatalf("Sanitize changed accepted %q to %q", s, Sanitize(s))
			}
		}
		if CheckName(s) == "" && (Check(s) != "" || strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Cf, r) })) {
			t.Fatalf("CheckName accepted %q", s)
		}
		if clean := Sanitize(s); Check(clean) != "" {
			t.Fatalf("Sanitize(%q) = %q, which Check refuses: %s", s, clean, Check(clean))
		}
	})
}
