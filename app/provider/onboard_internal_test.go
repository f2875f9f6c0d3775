package provider

import (
	"strings"
	"testing"

	"accountportal/app/apperr"
)

// TestCheckNewAccount: which details onboarding refuses, and the subject
// each problem is reported under.
func TestCheckNewAccount(t *testing.T) {
	cases := []struct {
		name string
		in   NewAccount
		want map[apperr.Subject]string
	}{
		{"fine", NewAccount{"Acme Ltd", "Ada Admin", "ada@example.com", ""}, nil},
		{"in German", NewAccount{"Acme GmbH", "Ada Admin", "ada@example.com", "de"}, nil},
		{"a language not offered", NewAccount{"Acme", "Ada", "ada@example.com", "pt"}, map[apperr.Subject]string{Language: "from the list"}},
		{"a language with a region", NewAccount{"Acme", "Ada", "ada@example.com", "de-CH"}, map[apperr.Subject]string{Language: "from the list"}},
		{"empty", NewAccount{}, map[apperr.Subject]string{CompanyName: "Enter the company name",
			AdminName: "Enter the Primary Admin's name", AdminEmail: "Enter the Primary Admin's email address"}},
		{"one letter company", NewAccount{"A", "Ada", "ada@example.com", ""}, map[apperr.Subject]string{CompanyName: "at least 2"}},
		{"direction override in name", NewAccount{"Acme", "Ada\u202e", "ada@example.com", ""}, map[apperr.Subject]string{AdminName: "letters"}},
		{"display name in email", NewAccount{"Acme", "Ada", "Ada <ada@example.com>", ""}, map[apperr.Subject]string{AdminEmail: "correct format"}},
		{"huge", NewAccount{strings.Repeat("x", 10000), strings.Repeat("y", 10000), strings.Repeat("z", 10000) + "@example.com", ""},
			map[apperr.Subject]string{CompanyName: "100 characters", AdminName: "100 characters", AdminEmail: "254 characters"}},
	}
	for _, tc := range cases {
		wantProblems(t, tc.name, checkNewAccount(tc.in), tc.want)
	}
}

// wantProblems checks that err reports exactly the subjects of want, each
// message holding its part; want nil means no error at all.
func wantProblems(t *testing.T, name string, err error, want map[apperr.Subject]string) {
	t.Helper()
	ae, _ := apperr.As(err)
	if want == nil {
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
		return
	}
	if ae == nil || len(ae.Problems) != len(want) {
		t.Errorf("%s: %v", name, err)
		return
	}
	for subject, part := range want {
		if msg, ok := ae.Problems[subject]; !ok || !strings.Contains(msg, part) {
			t.Errorf("%s: %s says %q, want %q", name, subject, msg, part)
		}
	}
}
