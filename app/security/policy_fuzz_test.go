package security_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"accountportal/app/security"
)

var knownRuleKeys = []string{
	security.RuleLength, security.RuleUpper, security.RuleLower, security.RuleDigit,
	security.RuleSpecial, security.RuleNoSpace, security.RuleSafe, security.RuleNotUsername,
	security.RulePrintable, security.RuleCommon,
}

func FuzzPasswordPolicyCheck(f *testing.F) {
	for _, pw := range []string{
		"", "Zebra+Lamp7", "Zeb+La7", "Xq7+vR2m", "Zebra+Lamp7Zebra+Lamp7Zeb", "Zebra+Lamp7Zebra+Lamp7Zebr",
		"zebra+lamp7", "ZEBRA+LAMP7", "Zebra+Lampx", "ZebraXLamp7", "Zebra+ Lamp7", "Zebra!Lamp7", "Zebra%Lamp7",
		"Zebra&Lamp7", "Zebra<Lamp7", "Zebra>Lamp7", "Password1!", "Summer2024!", "P@ssw0rd", "Qwerty123$",
		"Ünïcødé+Pass9", "U\u0308ni\u0308code\u0301+Pass9", "🦓🦓Zebra+Lamp7🦓🦓", "Zebra+Lamp7\x00", "Zebra+\tLamp7",
		"Zebra+Lamp7\xff", "\xc3", "correct horse battery staple", "Glacier+Otter7",
		strings.Repeat("correct horse battery staple ", 3), strings.Repeat("é", 65), strings.Repeat("1", 64),
	} {
		f.Add(pw, "jdoe")
	}
	f.Add("JDOE", "jdoe")
	f.Add("Zebra+Lamp7", "zebra+lamp7")
	f.Add("x", "")
	f.Add("İstanbul+Kale9", "istanbul+kale9")
	f.Fuzz(func(t *testing.T, password, username string) {
		who := security.Subject{Username: username, Email: username + "@example.com", DisplayName: username}
		for _, p := range []security.PasswordPolicy{classic, classicSafe, nist, nistMFA} {
			first := ruleKeys(p.Check(password, who))
			// The form re-checks on every submit, so Check must be a pure
			// function of its inputs or a password could pass and then fail.
			if second := ruleKeys(p.Check(password, who)); !slices.Equal(first, second) {
				t.Fatalf("%+v: Check(%q) gave %v then %v", p, password, first, second)
			}
			for _, k := range first {
				if !slices.Contains(knownRuleKeys, k) {
					t.Fatalf("%+v: Check(%q) returned unknown rule key %q", p, password, k)
				}
			}
			if utf8.RuneCountInString(password) > 64 && !slices.Contains(first, security.RuleLength) {
				t.Fatalf("%+v: Check(%q) of %d characters passed the length rule", p, password, utf8.RuneCountInString(password))
			}
			printable := utf8.ValidString(password) && !strings.ContainsFunc(password, unicode.IsControl)
			if slices.Contains(first, security.RulePrintable) == printable {
				t.Fatalf("%+v: Check(%q) printable failure is %v for printable=%v", p, password, !printable, printable)
			}
		}
	})
}

// phcCostLimits are the largest memory (KiB), passes and lanes the fuzzer may
// ask Verify to spend. parsePHC accepts any uint32 memory and passes, so an
// input like m=4000000000 would allocate terabytes; that is a property of
// stored hashes being trusted, not a crash the fuzzer should chase.
var phcCostLimits = []uint64{1024, 4, 8}

func phcCostAffordable(encoded string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) < 4 {
		return true
	}
	// Sscanf reads m, t and p as the first three digit runs, whatever
	// padding or zeros surround them.
	runs := strings.FieldsFunc(parts[3], func(r rune) bool { return r < '0' || r > '9' })
	for i, run := range runs[:min(len(runs), len(phcCostLimits))] {
		v, err := strconv.ParseUint(run, 10, 64)
		if err != nil || v > phcCostLimits[i] {
			return false
		}
	}
	return true
}

func FuzzHasherVerify(f *testing.F) {
	h := security.NewHasher(tiny, 4, time.Minute)
	good, err := h.Hash(context.Background(), "Zebra+Lamp7")
	if err != nil {
		f.Fatal(err)
	}
	f.Add("Zebra+Lamp7", good)
	f.Add("Zebra+Lamp7", good[:len(good)-3])
	f.Add("wrong", good)
	f.Add("", "")
	f.Add("x", "$argon2id$v=19$m=64,t=1,p=1$$")
	f.Add("x", "$argon2id$v=19$m=0,t=1,p=1$c2FsdHNhbHQ$AAAAAAAAAAAAAAAAAAAAAA")
	f.Add("x", "$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$AAAAAAAAAAAAAAAAAAAAAA")
	f.Add("x", "$argon2id$v=19$m=64,t=1,p=255$c2FsdHNhbHQ$AAAAAAAAAAAAAAAAAAAAAA")
	f.Fuzz(func(t *testing.T, secret, encoded string) {
		if !phcCostAffordable(encoded) {
			t.Skip("argon2 cost beyond what a fuzz run can afford")
		}
		ok, rehash, err := h.Verify(context.Background(), secret, encoded)
		switch {
		case err != nil && !errors.Is(err, security.ErrMalformedHash):
			t.Fatalf("Verify(%q) = %v, want nil or ErrMalformedHash", encoded, err)
		case err != nil && (ok || rehash):
			t.Fatalf("Verify(%q) failed with %v yet reported ok=%v rehash=%v", encoded, err, ok, rehash)
		case rehash && !ok:
			t.Fatalf("Verify(%q) asks to rehash a password that did not match", encoded)
		case encoded == good && ok != (secret == "Zebra+Lamp7"):
			t.Fatalf("Verify(%q, good hash) = %v", secret, ok)
		}
	})
}
