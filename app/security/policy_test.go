package security_test

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"accountportal/app/security"
)

var (
	classic     = security.PasswordPolicy{Preset: security.PresetClassic}
	classicSafe = security.PasswordPolicy{Preset: security.PresetClassic, IntegrationSafe: true}
	nist        = security.PasswordPolicy{Preset: security.PresetNIST}
	nistMFA     = security.PasswordPolicy{Preset: security.PresetNIST, SecondFactor: true}
	nistSafe    = security.PasswordPolicy{Preset: security.PresetNIST, IntegrationSafe: true}

	jdoe = security.Subject{Username: "jdoe", Email: "jdoe@example.com", DisplayName: "John Doe"}
)

// ruleKeys returns the keys of rules in the order given.
func ruleKeys(rules []security.Rule) []string {
	keys := []string{}
	for _, r := range rules {
		keys = append(keys, r.Key)
	}
	return keys
}

// sortedKeys lets a table list the expected failures in any order.
func sortedKeys(rules []security.Rule) []string {
	keys := ruleKeys(rules)
	slices.Sort(keys)
	return keys
}

func sorted(keys ...string) []string {
	out := append([]string{}, keys...)
	slices.Sort(out)
	return out
}

// ofRunes builds a password of exactly n characters from a pattern, so length
// boundaries do not depend on counting characters by hand.
func ofRunes(t *testing.T, pattern string, n int) string {
	t.Helper()
	rs := []rune(pattern)
	if len(rs) == 0 {
		t.Fatal("fixture: empty pattern")
	}
	var b strings.Builder
	for i := range n {
		b.WriteRune(rs[i%len(rs)])
	}
	return b.String()
}

type policyCase struct {
	name     string
	policy   security.PasswordPolicy
	password string
	who      security.Subject
	want     []string
}

func runPolicyCases(t *testing.T, cases []policyCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := sortedKeys(tc.policy.Check(tc.password, tc.who))
			if want := sorted(tc.want...); !slices.Equal(got, want) {
				t.Errorf("Check(%q) failed %v, want %v", tc.password, got, want)
			}
		})
	}
}

func TestClassicPolicyFailsExactlyTheBrokenRules(t *testing.T) {
	multi25 := "Ünïcødé+Pass9" + "Ünïcødé+Pass"
	multi26 := multi25 + "9"
	if utf8.RuneCountInString(multi25) != 25 || len(multi25) <= 25 || utf8.RuneCountInString(multi26) != 26 {
		t.Fatalf("fixture: %q must be 25 characters and more than 25 bytes", multi25)
	}
	runPolicyCases(t, []policyCase{
		{"good password", classic, "Zebra+Lamp7", jdoe, nil},
		{"7 characters too short", classic, "Zeb+La7", jdoe, []string{"length"}},
		{"exactly 8 characters", classic, "Xq7+vR2m", jdoe, nil},
		{"exactly 25 characters", classic, ofRunes(t, "Zebra+Lamp7", 25), jdoe, nil},
		{"26 characters too long", classic, ofRunes(t, "Zebra+Lamp7", 26), jdoe, []string{"length"}},
		{"40 characters too long", classic, ofRunes(t, "Zebra+Lamp7", 40), jdoe, []string{"length"}},
		{"no upper-case letter", classic, "zebra+lamp7", jdoe, []string{"upper"}},
		{"no lower-case letter", classic, "ZEBRA+LAMP7", jdoe, []string{"lower"}},
		{"no digit", classic, "Zebra+Lampx", jdoe, []string{"digit"}},
		{"no special character", classic, "ZebraXLamp7", jdoe, []string{"special"}},
		{"contains a space", classic, "Zebra+ Lamp7", jdoe, []string{"nospace"}},
		{"exclamation mark is not a listed special", classic, "Zebra!Lamp7", jdoe, []string{"special"}},
		{"percent sign is not a listed special", classic, "Zebra%Lamp7", jdoe, []string{"special"}},
		{"empty", classic, "", jdoe, []string{"length", "upper", "lower", "digit", "special", "common"}},
		{"username in other case", classic, "ZEBRA+lamp7", security.Subject{Username: "zebra+LAMP7"}, []string{"notusername", "common"}},
		{"email address in other case", classic, "Zebra+Lamp7@Example.com", security.Subject{Username: "zl", Email: "zebra+lamp7@example.com"}, []string{"notusername", "common"}},
		{"common Password1!", classic, "Password1!", jdoe, []string{"special", "common"}},
		{"common Summer2024!", classic, "Summer2024!", jdoe, []string{"special", "common"}},
		{"common P@ssw0rd", classic, "P@ssw0rd", jdoe, []string{"common"}},
		{"common Qwerty123$", classic, "Qwerty123$", jdoe, []string{"common"}},
		{"multibyte letters count as letters", classic, "Ünïcødé+Pass9", jdoe, nil},
		{"25 multibyte characters fit although over 25 bytes", classic, multi25, jdoe, nil},
		{"26 multibyte characters are too long", classic, multi26, jdoe, []string{"length"}},
		{"emoji count as one character each", classic, "🦓🦓Zebra+Lamp7🦓🦓", jdoe, nil},
		{"NUL byte", classic, "Zebra+Lamp7\x00", jdoe, []string{"printable"}},
		{"DEL character", classic, "Zebra+Lamp7\x7f", jdoe, []string{"printable"}},
		{"tab is a control character and a space", classic, "Zebra+\tLamp7", jdoe, []string{"printable", "nospace"}},
		{"invalid UTF-8", classic, "Zebra+Lamp7\xff", jdoe, []string{"printable"}},
	})
}

func TestClassicPolicyAcceptsEachListedSpecialCharacter(t *testing.T) {
	if n := utf8.RuneCountInString(security.ClassicSpecials); n != 17 || !strings.ContainsRune(security.ClassicSpecials, '–') {
		t.Fatalf("ClassicSpecials = %q (%d), the vendor lists 17 characters, the en dash among them", security.ClassicSpecials, n)
	}
	for _, c := range security.ClassicSpecials {
		t.Run(string(c), func(t *testing.T) {
			pw := "Zebra" + string(c) + "Lamp7"
			if got := ruleKeys(classic.Check(pw, jdoe)); len(got) != 0 {
				t.Errorf("classic Check(%q) failed %v, want none", pw, got)
			}
		})
	}
}

// Both dashes are listed in the checklist, named so they can be told apart.
func TestClassicChecklistNamesBothDashes(t *testing.T) {
	for _, r := range classic.Rules() {
		if r.Key == security.RuleSpecial && (!strings.Contains(r.Text, "- (hyphen)") || !strings.Contains(r.Text, "– (en dash)")) {
			t.Fatalf("special rule text %q does not show both dashes", r.Text)
		}
	}
}

func TestIntegrationSafePolicyRejectsAmpersandAndAngleBrackets(t *testing.T) {
	for _, c := range security.ClassicSpecials {
		t.Run(string(c), func(t *testing.T) {
			pw := "Zebra" + string(c) + "Lamp7"
			var want []string
			if strings.ContainsRune("&<>", c) {
				// The unsafe characters no longer count as the special one,
				// so a password whose only special is unsafe breaks both.
				want = []string{"safe", "special"}
			}
			if got := sortedKeys(classicSafe.Check(pw, jdoe)); !slices.Equal(got, sorted(want...)) {
				t.Errorf("integration-safe Check(%q) failed %v, want %v", pw, got, want)
			}
		})
	}
	runPolicyCases(t, []policyCase{
		{"unsafe character beside an accepted special", classicSafe, "Zebra+Lamp7&", jdoe, []string{"safe"}},
		{"nist rejects unsafe characters too", nistSafe, "correct horse & battery staple", jdoe, []string{"safe"}},
		{"nist without the option accepts them", nist, "correct horse & battery staple", jdoe, nil},
	})
}

func TestNISTPolicyChecksLengthNotComposition(t *testing.T) {
	s64 := ofRunes(t, "correct horse battery staple ", 63) + "x"
	s65 := s64 + "y"
	runPolicyCases(t, []policyCase{
		{"spaces and lower case only", nist, "correct horse battery staple", jdoe, nil},
		{"64 characters", nist, s64, jdoe, nil},
		{"65 characters", nist, s65, jdoe, []string{"length"}},
		{"65 characters with second factor", nistMFA, s65, jdoe, []string{"length"}},
		{"14 characters without second factor", nist, "Glacier+Otter7", jdoe, []string{"length"}},
		{"14 characters with second factor", nistMFA, "Glacier+Otter7", jdoe, nil},
		{"8 characters with second factor", nistMFA, "Xq7+vR2m", jdoe, nil},
		{"7 characters with second factor", nistMFA, "Xq7+vR2", jdoe, []string{"length"}},
		{"common password with second factor", nistMFA, "Password1!", jdoe, []string{"common"}},
		{"username in other case", nistMFA, "Correct Horse Battery", security.Subject{Username: "correct horse battery"}, []string{"notusername", "common"}},
		{"control character", nist, "correct horse battery staple\x01", jdoe, []string{"printable"}},
		{"invalid UTF-8", nist, "correct horse battery staple\xc3", jdoe, []string{"printable"}},
		{"empty", nist, "", jdoe, []string{"length", "common"}},
	})
}

func TestCheckReportsFailuresInChecklistOrder(t *testing.T) {
	for _, tc := range []struct {
		policy   security.PasswordPolicy
		password string
	}{
		{classic, ""},
		{classicSafe, "jdoe <>\x00"},
		{nistSafe, "jdoe&\xff"},
	} {
		// The checklist order is Rules() with "printable" in front.
		order := append([]string{"printable"}, ruleKeys(tc.policy.Rules())...)
		got := ruleKeys(tc.policy.Check(tc.password, jdoe))
		if len(got) < 2 {
			t.Fatalf("Check(%q) failed only %v; the case needs several failures", tc.password, got)
		}
		if !slices.IsSortedFunc(got, func(a, b string) int {
			return slices.Index(order, a) - slices.Index(order, b)
		}) {
			t.Errorf("Check(%q) = %v, not in checklist order %v", tc.password, got, order)
		}
	}
}

func TestRulesListPresetRequirementsInOrder(t *testing.T) {
	for _, tc := range []struct {
		name     string
		policy   security.PasswordPolicy
		keys     []string
		min, max int
		specials string
	}{
		{"classic", classic, []string{"length", "upper", "lower", "digit", "special", "nospace", "notusername", "common"}, 8, 25, "~@#$^*+-–=|:;?<>&"},
		{"classic ignores second factor", security.PasswordPolicy{Preset: security.PresetClassic, SecondFactor: true}, []string{"length", "upper", "lower", "digit", "special", "nospace", "notusername", "common"}, 8, 25, "~@#$^*+-–=|:;?<>&"},
		{"classic integration safe", classicSafe, []string{"length", "upper", "lower", "digit", "special", "nospace", "safe", "notusername", "common"}, 8, 25, "~@#$^*+-–=|:;?"},
		{"nist", nist, []string{"length", "notusername", "common"}, 15, 64, ""},
		{"nist second factor", nistMFA, []string{"length", "notusername", "common"}, 8, 64, ""},
		{"nist integration safe", nistSafe, []string{"length", "safe", "notusername", "common"}, 15, 64, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rules := tc.policy.Rules()
			if got := ruleKeys(rules); !slices.Equal(got, tc.keys) {
				t.Fatalf("Rules() keys = %v, want %v", got, tc.keys)
			}
			for _, r := range rules {
				if r.Text == "" {
					t.Errorf("rule %q has no text for the checklist", r.Key)
				}
				switch r.Key {
				case "length":
					if r.Min != tc.min || r.Max != tc.max {
						t.Errorf("length rule = %d..%d, want %d..%d", r.Min, r.Max, tc.min, tc.max)
					}
				case "special":
					if r.Chars != tc.specials {
						t.Errorf("special rule chars = %q, want %q", r.Chars, tc.specials)
					}
				case "safe":
					if r.Chars != "&<>" {
						t.Errorf("safe rule chars = %q, want %q", r.Chars, "&<>")
					}
				}
			}
		})
	}
}

func TestNormalizePasswordMakesComposedAndDecomposedFormsEqual(t *testing.T) {
	composed := "\u00dcn\u00efcod\u00e9+Pass9"      // Ü, ï, é as single code points
	decomposed := "U\u0308ni\u0308code\u0301+Pass9" // base letters plus combining marks
	if composed == decomposed {
		t.Fatal("fixture: the two forms must differ byte for byte")
	}
	a, b := security.NormalizePassword(composed), security.NormalizePassword(decomposed)
	if a != b {
		t.Errorf("NormalizePassword gave %q and %q for the same characters", a, b)
	}
	if a != composed {
		t.Errorf("NormalizePassword(%q) = %q, want the composed (NFC) form", composed, a)
	}
}

func TestParsePresetAcceptsOnlyExactNames(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want security.Preset
		ok   bool
	}{
		{"classic", security.PresetClassic, true},
		{"nist", security.PresetNIST, true},
		{"", "", false},
		{"NIST", "", false},
		{"Classic", "", false},
		{" nist", "", false},
		{"nist800", "", false},
	} {
		got, ok := security.ParsePreset(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParsePreset(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
