package security

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ccojocar/zxcvbn-go"
	"golang.org/x/text/unicode/norm"
)

// Preset names a password policy preset an account can choose.
type Preset string

// The password policy presets.
const (
	// PresetClassic is the phone company's long-standing rule set.
	PresetClassic Preset = "classic"
	// PresetNIST follows NIST SP 800-63B: length over composition.
	PresetNIST Preset = "nist"
)

// ParsePreset returns the preset named s, or false.
func ParsePreset(s string) (Preset, bool) {
	switch Preset(s) {
	case PresetClassic, PresetNIST:
		return Preset(s), true
	}
	return "", false
}

// ClassicSpecials are the characters the classic preset accepts as the
// required special character. The vendor's list has the en dash (U+2013)
// beside the hyphen: word processors and phones turn one into the other.
const ClassicSpecials = "~@#$^*+-–=|:;?<>&"

// integrationUnsafe are characters some CRM integrations cannot accept.
const integrationUnsafe = "&<>"

// Rule keys, stable so pages, scripts and tests can name them.
const (
	RuleLength      = "length"
	RuleUpper       = "upper"
	RuleLower       = "lower"
	RuleDigit       = "digit"
	RuleSpecial     = "special"
	RuleNoSpace     = "nospace"
	RuleSafe        = "safe"
	RuleNotUsername = "notusername"
	RulePrintable   = "printable"
	RuleCommon      = "common"
)

// Rule is one requirement of a password policy, as shown in the checklist.
// Min, Max and Chars carry what a browser script needs to tick it live.
type Rule struct {
	Key   string
	Text  string
	Min   int
	Max   int
	Chars string
}

// PasswordPolicy is one account's password rules. The zero value is not
// usable; build it with NewPasswordPolicy.
type PasswordPolicy struct {
	Preset          Preset
	IntegrationSafe bool
	// SecondFactor tells the nist preset that the user signs in with MFA,
	// which lowers its minimum length from 15 to 8.
	SecondFactor bool
}

// Subject is who the password is for; a password may not equal their
// username or email address, and zxcvbn treats these as guessable words.
type Subject struct {
	Username    string
	Email       string
	DisplayName string
}

// minimumScore is the lowest zxcvbn score accepted: below it a password is a
// common one or a small variation of one ("Password1!", "Summer2024!").
const minimumScore = 2

// NormalizePassword puts a password in Unicode NFC, so the same characters
// typed on different systems hash the same. Callers apply it before Check,
// Hash and Verify.
func NormalizePassword(s string) string { return norm.NFC.String(s) }

// Rules lists the policy's requirements in checklist order.
func (p PasswordPolicy) Rules() []Rule {
	var rules []Rule
	switch p.Preset {
	case PresetNIST:
		lo := 15
		if p.SecondFactor {
			lo = 8
		}
		rules = append(rules, Rule{Key: RuleLength, Text: strconv.Itoa(lo) + " to 64 characters", Min: lo, Max: 64})
	default:
		specials := ClassicSpecials
		if p.IntegrationSafe {
			specials = strings.NewReplacer("&", "", "<", "", ">", "").Replace(specials)
		}
		rules = append(rules,
			Rule{Key: RuleLength, Text: "8 to 25 characters", Min: 8, Max: 25},
			Rule{Key: RuleUpper, Text: "An upper-case letter"},
			Rule{Key: RuleLower, Text: "A lower-case letter"},
			Rule{Key: RuleDigit, Text: "A number"},
			Rule{Key: RuleSpecial, Text: "One of " + spacedSpecials(specials), Chars: specials},
			Rule{Key: RuleNoSpace, Text: "No spaces"},
		)
	}
	if p.IntegrationSafe {
		rules = append(rules, Rule{Key: RuleSafe, Text: "None of & < > (some integrations cannot accept them)", Chars: integrationUnsafe})
	}
	return append(rules,
		Rule{Key: RuleNotUsername, Text: "Not your username or email address"},
		Rule{Key: RuleCommon, Text: "Not a common or easily guessed password"},
	)
}

// Check returns every rule the password breaks, in checklist order, plus
// RulePrintable when it holds control characters or invalid UTF-8. An empty
// result means the password is acceptable. The password is never truncated.
func (p PasswordPolicy) Check(password string, who Subject) []Rule {
	var failed []Rule
	printable := utf8.ValidString(password) && !strings.ContainsFunc(password, unicode.IsControl)
	if !printable {
		failed = append(failed, Rule{Key: RulePrintable, Text: "Only letters, numbers, symbols and spaces (no control characters)"})
	}
	n := utf8.RuneCountInString(password)
	for _, r := range p.Rules() {
		if !p.holds(r, password, n, printable, who) {
			failed = append(failed, r)
		}
	}
	return failed
}

func (p PasswordPolicy) holds(r Rule, pw string, n int, printable bool, who Subject) bool {
	switch r.Key {
	case RuleLength:
		return n >= r.Min && n <= r.Max
	case RuleUpper:
		return strings.ContainsFunc(pw, unicode.IsUpper)
	case RuleLower:
		return strings.ContainsFunc(pw, unicode.IsLower)
	case RuleDigit:
		return strings.ContainsFunc(pw, unicode.IsDigit)
	case RuleSpecial:
		return strings.ContainsAny(pw, r.Chars)
	case RuleNoSpace:
		return !strings.ContainsFunc(pw, unicode.IsSpace)
	case RuleSafe:
		return !strings.ContainsAny(pw, r.Chars)
	case RuleNotUsername:
		return !equalsAny(pw, who.Username, who.Email)
	case RuleCommon:
		return p.uncommon(pw, n, printable, who)
	}
	return false
}

// Guessable reports whether the password is a common or easily guessed one
// for who: the policy's RuleCommon, on its own, so a page can tick it
// while the user types.
func Guessable(password string, who Subject) bool {
	printable := utf8.ValidString(password) && !strings.ContainsFunc(password, unicode.IsControl)
	return !PasswordPolicy{}.uncommon(password, utf8.RuneCountInString(password), printable, who)
}

// uncommon asks zxcvbn how guessable the password is. Passwords longer than
// any preset allows, or not printable, already fail and are not scored: the
// estimator's cost grows with length.
func (p PasswordPolicy) uncommon(pw string, n int, printable bool, who Subject) bool {
	if n == 0 || n > 64 || !printable {
		return n > 0
	}
	var inputs []string
	for _, s := range []string{who.Username, who.Email, who.DisplayName} {
		if s != "" {
			inputs = append(inputs, s)
		}
	}
	inputs = append(inputs, strings.Fields(who.DisplayName)...)
	if at := strings.IndexByte(who.Email, '@'); at > 0 {
		inputs = append(inputs, who.Email[:at])
	}
	return zxcvbn.PasswordStrength(pw, inputs).Score >= minimumScore
}

func equalsAny(pw string, others ...string) bool {
	for _, o := range others {
		if o != "" && strings.EqualFold(pw, o) {
			return true
		}
	}
	return false
}

// spacedSpecials lists the characters with spaces between them, naming the
// two dashes, which look alike.
func spacedSpecials(chars string) string {
	named := strings.NewReplacer("-", "- (hyphen)", "–", "– (en dash)")
	return named.Replace(strings.Join(strings.Split(chars, ""), " "))
}
