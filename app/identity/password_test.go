package identity_test

import (
	"strings"
	"testing"

	"accountportal/app/identity"
	"accountportal/app/security"
	"accountportal/models"
)

func TestPolicyForCarriesAccountChoices(t *testing.T) {
	for _, tc := range []struct {
		name         string
		account      models.Account
		secondFactor bool
		want         security.PasswordPolicy
	}{
		{"classic", models.Account{PasswordPreset: "classic"}, false,
			security.PasswordPolicy{Preset: security.PresetClassic}},
		{"nist with second factor", models.Account{PasswordPreset: "nist"}, true,
			security.PasswordPolicy{Preset: security.PresetNIST, SecondFactor: true}},
		{"nist integration safe", models.Account{PasswordPreset: "nist", IntegrationSafe: true}, false,
			security.PasswordPolicy{Preset: security.PresetNIST, IntegrationSafe: true}},
		{"classic integration safe", models.Account{PasswordPreset: "classic", IntegrationSafe: true}, true,
			security.PasswordPolicy{Preset: security.PresetClassic, IntegrationSafe: true, SecondFactor: true}},
		// An unknown or damaged preset must not leave the account without
		// composition rules, so it falls back to the stricter classic set.
		{"empty preset", models.Account{}, false,
			security.PasswordPolicy{Preset: security.PresetClassic}},
		{"unknown preset", models.Account{PasswordPreset: "lax", IntegrationSafe: true}, false,
			security.PasswordPolicy{Preset: security.PresetClassic, IntegrationSafe: true}},
		{"wrong case preset", models.Account{PasswordPreset: "NIST"}, false,
			security.PasswordPolicy{Preset: security.PresetClassic}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := identity.PolicyFor(&tc.account, tc.secondFactor); got != tc.want {
				t.Errorf("PolicyFor = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestPasswordProblemIsEmptyWhenNothingFailed(t *testing.T) {
	for _, failed := range [][]security.Rule{nil, {}} {
		if got := identity.PasswordProblem(failed); got != "" {
			t.Errorf("PasswordProblem(%v) = %q, want \"\"", failed, got)
		}
	}
}

func TestPasswordProblemNamesEveryFailedRule(t *testing.T) {
	two := []security.Rule{
		{Key: "length", Text: "8 to 25 characters"},
		{Key: "upper", Text: "An upper-case letter"},
	}
	const want = "Your password needs: 8 to 25 characters; an upper-case letter"
	if got := identity.PasswordProblem(two); got != want {
		t.Errorf("PasswordProblem = %q, want %q", got, want)
	}

	for _, p := range []security.PasswordPolicy{
		{Preset: security.PresetClassic, IntegrationSafe: true},
		{Preset: security.PresetNIST, IntegrationSafe: true},
	} {
		// Each of these breaks most rules of its preset at once.
		failed := p.Check("<\x00", security.Subject{Username: "<\x00"})
		if len(failed) < 3 {
			t.Fatalf("%+v: fixture broke only %d rules", p, len(failed))
		}
		got := identity.PasswordProblem(failed)
		// The texts must follow the checklist order so the sentence reads
		// like the list beside the form.
		rest := strings.TrimPrefix(got, "Your password needs: ")
		if rest == got {
			t.Fatalf("message %q lacks its lead-in", got)
		}
		for _, r := range failed {
			text := strings.ToLower(r.Text[:1]) + r.Text[1:]
			i := strings.Index(rest, text)
			if i < 0 {
				t.Errorf("%+v: message %q omits rule %q (%q) or lists it out of order", p, got, r.Key, text)
				continue
			}
			rest = rest[i+len(text):]
		}
	}
}
