package profile_test

import (
	"strings"
	"testing"

	"accountportal/app/profile"
)

const (
	passphraseLen   = "Passphrase must be 8 to 64 characters"
	passphraseChars = "Use letters, numbers, spaces and punctuation only"
	passphraseIsPw  = "Passphrase must be different from your password"
	passphraseIsID  = "Passphrase must not be your username, email address or name"
)

func TestCheckPassphrase(t *testing.T) {
	owner := profile.PassphraseOwner{
		Password:    "Zebra+Lamp7",
		Username:    "annmarie.lee",
		Email:       "ann.lee@example.com",
		DisplayName: "Ann Marie Lee",
	}
	for _, tc := range []struct {
		name, in, want string
	}{
		{"empty", "", "Enter a passphrase"},
		{"spaces only", "          ", "Enter a passphrase"},
		{"7 characters", "bluefox", passphraseLen},
		{"8 characters", "blue fox", ""},
		{"64 characters", strings.Repeat("blue fox", 8), ""},
		{"65 characters", strings.Repeat("blue fox", 8) + "!", passphraseLen},
		{"8 multibyte characters", "ümläütéé", ""},
		{"7 multibyte characters over 8 bytes", "ümläüté", passphraseLen},
		{"the password", "Zebra+Lamp7", passphraseIsPw},
		{"the password in other case", "zEBRA+lAMP7", passphraseIsPw},
		// Support staff read the passphrase, so padding must not let the
		// password through when it would not let the username through.
		{"the password padded with spaces", " Zebra+Lamp7 ", passphraseIsPw},
		{"the username in other case", "AnnMarie.LEE", passphraseIsID},
		{"the email in other case", "Ann.Lee@Example.com", passphraseIsID},
		{"the display name in other case", "ann marie lee", passphraseIsID},
		{"the display name padded", "  ANN MARIE LEE ", passphraseIsID},
		{"contains the name but is longer", "Ann Marie Lee rocks", ""},
		{"tab", "blue\tfox jumps", passphraseChars},
		{"NUL", "blue fox\x00", passphraseChars},
		{"invalid UTF-8", "blue fox\xff", passphraseChars},
		{"right-to-left override", "blue \u202Efox jumps", passphraseChars},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := profile.CheckPassphrase(tc.in, owner); got != tc.want {
				t.Errorf("CheckPassphrase(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestNormalizeAnswerFoldsFormattingAway(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{" Rex  the DOG ", "rex the dog"},
		{"rex the dog", "rex the dog"},
		{"Rex\tthe\ndog", "rex the dog"},
		{"ＲＥＸ", "rex"},              // full-width letters (NFKC)
		{"Re\u0301my", "r\u00e9my"}, // combining accent composes (NFKC)
		{"STRASSE", "strasse"},      // plain case fold
		{"Straße", "strasse"},       // full case fold, not just lower case
		{"rex\u3000dog", "rex dog"}, // ideographic space
		{"", ""},
	} {
		if got := profile.NormalizeAnswer(tc.in); got != tc.want {
			t.Errorf("NormalizeAnswer(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCheckQuestion(t *testing.T) {
	const q = "What was the name of your first pet?"
	for _, tc := range []struct {
		name             string
		question, answer string
		optional         bool
		want             map[string]string
	}{
		{"optional and both empty", "", "", true, nil},
		{"optional and both blank", "  ", " \t ", true, nil},
		{"required and both empty", "", "", false, map[string]string{
			"question": "Choose or write a security question",
			"answer":   "Enter an answer to the security question"}},
		{"answer without question", "", "Rex", true, map[string]string{"question": "Choose or write a security question"}},
		{"question without answer", q, "", true, map[string]string{"answer": "Enter an answer to the security question"}},
		{"good pair", q, "Rex", false, nil},
		{"answer of 2 characters", q, "Re", false, map[string]string{"answer": "Answer must be at least 3 characters"}},
		{"answer of 2 characters padded", q, "  Re  ", false, map[string]string{"answer": "Answer must be at least 3 characters"}},
		{"answer of 100 characters", q, strings.Repeat("a", 100), false, nil},
		{"answer of 101 characters", q, strings.Repeat("a", 101), false, map[string]string{"answer": "Answer must be 100 characters or fewer"}},
		{"answer with NUL", q, "Rex\x00", false, map[string]string{"answer": "Use letters, numbers, spaces and punctuation only"}},
		{"answer with invalid UTF-8", q, "Rex\xff", false, map[string]string{"answer": "Use letters, numbers, spaces and punctuation only"}},
		{"question of 200 characters", strings.Repeat("q", 200), "Rex", false, nil},
		{"question of 201 characters", strings.Repeat("q", 201), "Rex", false, map[string]string{"question": "Question must be 200 characters or fewer"}},
		{"question with control character", "Pet\x07?", "Rex", false, map[string]string{"question": "Use letters, numbers, spaces and punctuation only"}},
		{"answer with a direction override", q, "R\u202Eex", false, map[string]string{"answer": "Use letters, numbers, spaces and punctuation only"}},
		{"question with a direction isolate", "Pet\u2067?", "Rex", false, map[string]string{"question": "Use letters, numbers, spaces and punctuation only"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := profile.CheckQuestion(tc.question, tc.answer, tc.optional)
			if len(got) != len(tc.want) {
				t.Fatalf("CheckQuestion = %v, want %v", got, tc.want)
			}
			for k, v := range tc.want {
				if got[k] != v {
					t.Errorf("CheckQuestion[%q] = %q, want %q", k, got[k], v)
				}
			}
		})
	}
}
