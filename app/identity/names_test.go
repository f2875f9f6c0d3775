package identity_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"accountportal/app/identity"
)

const (
	badUsernameChars = "Username can only contain letters, numbers and . _ - @ +"
	badUsernameLen   = "Username must be 3 to 64 characters"
	badEmail         = "Enter an email address in the correct format, like name@example.com"
	badNameChars     = "Use letters, numbers, spaces and punctuation only"
)

func TestCheckUsername(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"empty", "", "Enter a username"},
		{"2 characters", "ab", badUsernameLen},
		{"3 characters", "abc", ""},
		{"64 characters", strings.Repeat("a", 64), ""},
		{"65 characters", strings.Repeat("a", 65), badUsernameLen},
		{"every allowed symbol", "Ann.Lee_1-2@example+x", ""},
		{"email address", "ann@example.com", ""},
		{"digits only", "123", ""},
		{"inner space", "ann lee", badUsernameChars},
		{"leading space", " ann", badUsernameChars},
		{"trailing newline", "ann\n", badUsernameChars},
		{"exclamation mark", "ann!", badUsernameChars},
		{"slash", "ann/lee", badUsernameChars},
		{"accented letter", "jürgen", badUsernameChars},
		// Cyrillic "а" looks exactly like Latin "a"; admitting it would let
		// one person impersonate another.
		{"Cyrillic look-alike", "\u0430nn", badUsernameChars},
		{"full-width letters", "ｊｏｅ", badUsernameChars},
		{"Arabic-Indic digits", "ann\u0661\u0662", badUsernameChars},
		{"NUL", "ann\x00", badUsernameChars},
		{"invalid UTF-8", "ann\xff", badUsernameChars},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := identity.CheckUsername(tc.in); got != tc.want {
				t.Errorf("CheckUsername(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// emailOfLen builds a syntactically valid address of exactly n bytes with
// DNS labels under 63 characters.
func emailOfLen(t *testing.T, n int) string {
	t.Helper()
	body := n - len("x@") - len(".com")
	var b strings.Builder
	for b.Len() < body {
		if b.Len()%50 == 49 {
			b.WriteByte('.')
		} else {
			b.WriteByte('d')
		}
	}
	e := "x@" + b.String() + ".com"
	if len(e) != n || strings.Contains(e, "..") {
		t.Fatalf("fixture: %q is %d bytes, want %d", e, len(e), n)
	}
	return e
}

func TestCheckEmail(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"empty", "", "Enter an email address"},
		{"plain", "ann@example.com", ""},
		{"plus tag and subdomain", "Ann.Lee+portal@mail.example.co.uk", ""},
		{"254 characters", emailOfLen(t, 254), ""},
		{"255 characters", emailOfLen(t, 255), "Email address must be 254 characters or fewer"},
		{"no at sign", "ann.example.com", badEmail},
		{"no domain", "ann@", badEmail},
		{"no local part", "@example.com", badEmail},
		{"domain without dot", "ann@localhost", badEmail},
		{"dot only before the at sign", "ann.lee@example", badEmail},
		{"two at signs", "ann@lee@example.com", badEmail},
		{"display name", "Ann <ann@example.com>", badEmail},
		{"angle brackets only", "<ann@example.com>", badEmail},
		{"trailing comment", "ann@example.com (Ann)", badEmail},
		{"leading space", " ann@example.com", badEmail},
		{"trailing space", "ann@example.com ", badEmail},
		{"two addresses", "ann@example.com, bob@example.com", badEmail},
		{"double dot", "ann..lee@example.com", badEmail},
		{"trailing dot in domain", "ann@example.com.", badEmail},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := identity.CheckEmail(tc.in); got != tc.want {
				t.Errorf("CheckEmail(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestCheckDisplayNameAndCompanyName(t *testing.T) {
	for _, tc := range []struct {
		name, in             string
		wantPerson, wantFirm string
	}{
		{"empty", "", "Enter your name", "Enter the company name"},
		{"spaces only", "   ", "Enter your name", "Enter the company name"},
		{"one letter", "A", "", "Company name must be at least 2 characters"},
		{"one letter padded", "  A  ", "", "Company name must be at least 2 characters"},
		{"two characters", "3M", "", ""},
		{"punctuation and accents", "Zoë O'Brien-Smith", "", ""},
		{"non-Latin script", "山田 太郎", "", ""},
		{"100 multibyte characters", strings.Repeat("é", 100), "", ""},
		{"101 characters", strings.Repeat("a", 101), "Name must be 100 characters or fewer", "Company name must be 100 characters or fewer"},
		{"tab", "Ann\tLee", badNameChars, badNameChars},
		{"newline", "Ann\nLee", badNameChars, badNameChars},
		{"NUL", "Ann\x00", badNameChars, badNameChars},
		{"invalid UTF-8", "Ann\xff", badNameChars, badNameChars},
		{"right-to-left override", "Ann\u202ELee", badNameChars, badNameChars},
		{"right-to-left isolate", "Ann\u2067Lee", badNameChars, badNameChars},
		{"right-to-left mark", "Ann\u200FLee", badNameChars, badNameChars},
		{"Arabic letter mark", "Ann\u061CLee", badNameChars, badNameChars},
		{"line separator", "Ann\u2028Lee", badNameChars, badNameChars},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := identity.CheckDisplayName(tc.in); got != tc.wantPerson {
				t.Errorf("CheckDisplayName(%q) = %q, want %q", tc.in, got, tc.wantPerson)
			}
			if got := identity.CheckCompanyName(tc.in); got != tc.wantFirm {
				t.Errorf("CheckCompanyName(%q) = %q, want %q", tc.in, got, tc.wantFirm)
			}
		})
	}
}

func TestCheckRoleName(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"plain", "Billing Team", ""},
		{"empty", " ", "Enter a name for the role"},
		{"60 characters", strings.Repeat("é", 60), ""},
		{"61 characters", strings.Repeat("a", 61), "Name must be 60 characters or fewer"},
		{"NUL", "R\x00Z", badNameChars},
		{"invalid UTF-8", "R\xff\xfe", badNameChars},
		{"right-to-left override", "R\u202EZ", badNameChars},
		{"left-to-right isolate", "R\u2066Z", badNameChars},
		{"left-to-right mark", "R\u200EZ", badNameChars},
		{"zero-width space", "R\u200BZ", badNameChars},
	} {
		if got := identity.CheckRoleName(tc.in); got != tc.want {
			t.Errorf("%s: CheckRoleName(%q) = %q, want %q", tc.name, tc.in, got, tc.want)
		}
	}
}

func TestUsernameKeyAndEmailKeyIgnoreCaseAndSurroundingSpace(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"ann", "ann"},
		{"Ann@Example.COM", "ann@example.com"},
		{"  Ann.Lee \t", "ann.lee"},
		{"", ""},
	} {
		if got := identity.UsernameKey(tc.in); got != tc.want {
			t.Errorf("UsernameKey(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if got := identity.EmailKey(tc.in); got != tc.want {
			t.Errorf("EmailKey(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzCheckUsername(f *testing.F) {
	for _, s := range []string{"", "ab", "abc", "Ann.Lee_1-2@example+x", " ann", "jürgen", "\u0430nn", "ann\xff", strings.Repeat("a", 64)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		msg := identity.CheckUsername(s)
		if again := identity.CheckUsername(s); again != msg {
			t.Fatalf("CheckUsername(%q) gave %q then %q", s, msg, again)
		}
		if msg != "" {
			return
		}
		// Sign-in looks users up by UsernameKey; an accepted name must be
		// its own key apart from case, or two spellings could both exist.
		if strings.TrimSpace(s) != s || identity.UsernameKey(s) != strings.ToLower(s) {
			t.Fatalf("accepted %q, but its key %q is not the lower-cased name", s, identity.UsernameKey(s))
		}
		if len(s) < identity.UsernameMin || len(s) > identity.UsernameMax {
			t.Fatalf("accepted %q of %d bytes", s, len(s))
		}
		for _, r := range s {
			if r >= utf8.RuneSelf {
				t.Fatalf("accepted %q with non-ASCII %q", s, r)
			}
		}
		if identity.CheckUsername(identity.UsernameKey(s)) != "" {
			t.Fatalf("accepted %q but not its key %q", s, identity.UsernameKey(s))
		}
	})
}

func FuzzCheckEmail(f *testing.F) {
	for _, s := range []string{"", "ann@example.com", "Ann <ann@example.com>", "ann@localhost", "ann@example.com (Ann)", "\"a b\"@example.com", "ann@[192.0.2.1]", "ü@exämple.com"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		msg := identity.CheckEmail(s)
		if again := identity.CheckEmail(s); again != msg {
			t.Fatalf("CheckEmail(%q) gave %q then %q", s, msg, again)
		}
		if msg != "" {
			return
		}
		at := strings.LastIndexByte(s, '@')
		switch {
		case len(s) > identity.EmailMax:
			t.Fatalf("accepted %d-byte address %q", len(s), s)
		case strings.ContainsFunc(s, unicode.IsSpace) || strings.ContainsFunc(s, unicode.IsControl):
			t.Fatalf("accepted %q with spaces or control characters", s)
		case at <= 0 || !strings.Contains(s[at+1:], "."):
			t.Fatalf("accepted %q without a local part or a dotted domain", s)
		case identity.EmailKey(s) != strings.ToLower(s):
			t.Fatalf("accepted %q, but its key %q is not the lower-cased address", s, identity.EmailKey(s))
		}
	})
}
