package profile

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzCheckPassphrase: the passphrase validator never panics, accepts
// only 8 to 64 characters of valid text, and never accepts the owner's
// password, username or email as a passphrase.
func FuzzCheckPassphrase(f *testing.F) {
	f.Add("blue harbour lantern", "Zebra+Lamp7x", "ada")
	f.Add("", "", "")
	f.Add("ADA", "x", "ada")
	f.Add("\x00\x01\x02\x03\x04\x05\x06\x07", "", "")
	f.Add("ＡＢＣＤＥＦＧＨ", "abcdefgh", "u")
	f.Fuzz(func(t *testing.T, p, password, username string) {
		owner := PassphraseOwner{Password: password, Username: username, Email: username + "@example.com"}
		if CheckPassphrase(p, owner) != "" {
			return
		}
		n := utf8.RuneCountInString(p)
		if !utf8.ValidString(p) || n < PassphraseMin || n > PassphraseMax || strings.TrimSpace(p) == "" {
			t.Fatalf("accepted %q", p)
		}
		if password != "" && strings.EqualFold(comparable(p), comparable(password)) {
			t.Fatalf("accepted the password %q", p)
		}
		if strings.EqualFold(strings.TrimSpace(p), strings.TrimSpace(username)) && strings.TrimSpace(username) != "" {
			t.Fatalf("accepted the username %q", p)
		}
	})
}

// FuzzCheckQuestion: the security question validator never panics and an
// answer it accepts normalizes to something non-empty.
func FuzzCheckQuestion(f *testing.F) {
	f.Add("What was the name of your first pet?", "Rex", false)
	f.Add("", "", true)
	f.Add("?", "   ", false)
	f.Fuzz(func(t *testing.T, question, answer string, optional bool) {
		errs := CheckQuestion(question, answer, optional)
		if len(errs) == 0 && strings.TrimSpace(question) != "" && NormalizeAnswer(answer) == "" {
			t.Fatalf("accepted question %q with empty answer %q", question, answer)
		}
	})
}
