package support

import (
	"strings"
	"testing"
	"unicode/utf8"

	"accountportal/app/apperr"
	"accountportal/app/identity"
)

func TestSamePassphrase(t *testing.T) {
	cases := []struct {
		heard, stored string
		want          bool
	}{
		{"blue harbour lantern", "blue harbour lantern", true},
		{"BLUE Harbour LANTERN", "blue harbour lantern", true},
		{"  blue   harbour\tlantern ", "blue harbour lantern", true},
		{"caf\u00e9 au lait", "cafe\u0301 au lait", true}, // composed and decomposed é
		{"blue harbour lanterns", "blue harbour lantern", false},
		{"blueharbour lantern", "blue harbour lantern", false},
		{"", "blue harbour lantern", false},
		{"blue harbour lantern", "", false},
		{"green harbour lantern", "blue harbour lantern", false},
	}
	for _, tc := range cases {
		if got := SamePassphrase(tc.heard, tc.stored); got != tc.want {
			t.Errorf("SamePassphrase(%q, %q) = %v, want %v", tc.heard, tc.stored, got, tc.want)
		}
	}
}

func TestRequestCheck(t *testing.T) {
	cases := []struct {
		name       string
		req        Request
		method     string
		badFields  []apperr.Subject
		normalCode string
	}{
		{"passphrase", Request{CallerID: 1, Area: identity.PermPhoneSystem, Passphrase: "x y z"}, MethodPassphrase, nil, ""},
		{"code with spaces", Request{CallerID: 1, Area: identity.PermPhoneSystem, Code: " 123 456 "}, MethodCode, nil, "123456"},
		{"no caller", Request{Area: identity.PermPhoneSystem, Passphrase: "x"}, MethodPassphrase, []apperr.Subject{CallingUser}, ""},
		{"console area", Request{CallerID: 1, Area: identity.PermUsersManage, Passphrase: "x"}, MethodPassphrase, []apperr.Subject{AskedArea}, ""},
		{"blank passphrase", Request{CallerID: 1, Area: identity.PermPhoneSystem, Passphrase: "   "}, MethodPassphrase, []apperr.Subject{HeardPassphrase}, ""},
		{"both", Request{CallerID: 1, Area: identity.PermPhoneSystem, Passphrase: "x", Code: "123456"}, MethodPassphrase, []apperr.Subject{HeardCode}, ""},
		{"letters in code", Request{CallerID: 1, Area: identity.PermPhoneSystem, Code: "12345a"}, MethodCode, []apperr.Subject{HeardCode}, ""},
		{"seven digits", Request{CallerID: 1, Area: identity.PermPhoneSystem, Code: "1234567"}, MethodCode, []apperr.Subject{HeardCode}, ""},
		{"everything missing", Request{}, MethodPassphrase, []apperr.Subject{CallingUser, AskedArea, HeardPassphrase}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			method, err := tc.req.check()
			if method != tc.method {
				t.Errorf("method %q, want %q", method, tc.method)
			}
			ae, _ := apperr.As(err)
			if len(tc.badFields) == 0 {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				if tc.normalCode != "" && tc.req.Code != tc.normalCode {
					t.Errorf("code %q, want %q", tc.req.Code, tc.normalCode)
				}
				return
			}
			if ae == nil || len(ae.Problems) != len(tc.badFields) {
				t.Fatalf("error %v, want fields %v", err, tc.badFields)
			}
			for _, f := range tc.badFields {
				if ae.Problems[f] == "" {
					t.Errorf("no message for %s in %v", f, ae.Problems)
				}
			}
		})
	}
}

func TestOutcomeLabels(t *testing.T) {
	for _, o := range Outcomes() {
		label := OutcomeLabel(o.Action())
		if label == o.Action() || label == "" {
			t.Errorf("%s has no label", o)
		}
		if (o == Verified) == strings.HasPrefix(label, "Not verified") {
			t.Errorf("%s is labelled %q", o, label)
		}
	}
}

func TestCodeDigestDependsOnUser(t *testing.T) {
	if string(codeDigest(1, "123456")) == string(codeDigest(2, "123456")) {
		t.Fatal("two users' equal codes share a digest")
	}
	if string(codeDigest(1, "123456")) == string(codeDigest(1, "123457")) {
		t.Fatal("two codes share a digest")
	}
}

// FuzzSamePassphrase checks the comparison's laws on any text: a phrase
// matches itself and its re-spaced, re-cased form, and matching is
// symmetric.
func FuzzSamePassphrase(f *testing.F) {
	for _, s := range []string{"blue harbour lantern", "", " ", "ÅNGSTRÖM", "a\u0301", "\x00\xff", "ǅ ǆ"} {
		f.Add(s, "other")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if !SamePassphrase(a, a) {
			t.Fatalf("%q does not match itself", a)
		}
		if SamePassphrase(a, b) != SamePassphrase(b, a) {
			t.Fatalf("not symmetric for %q and %q", a, b)
		}
		// Beyond ASCII, upper-casing can change a letter's lower case too.
		if isASCII(a) && !SamePassphrase("  "+strings.ToUpper(a)+" ", a) {
			t.Fatalf("%q does not match its spaced upper case", a)
		}
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// FuzzRequestCheck feeds the form's raw values to its validator: it never
// panics, and a request it accepts is one Verify can act on.
func FuzzRequestCheck(f *testing.F) {
	f.Add(int64(1), identity.PermPhoneSystem, "blue harbour lantern", "")
	f.Add(int64(0), "", "", "12 34 56")
	f.Add(int64(-5), identity.PermBillingInfo, "x", "١٢٣٤٥٦")
	f.Fuzz(func(t *testing.T, caller int64, area, passphrase, code string) {
		r := Request{CallerID: caller, Area: area, Passphrase: passphrase, Code: code}
		method, err := r.check()
		if err != nil {
			return
		}
		if r.CallerID <= 0 || !IsArea(r.Area) {
			t.Fatalf("accepted %+v", r)
		}
		if method == MethodCode && !sixDigits.MatchString(r.Code) {
			t.Fatalf("accepted code %q", r.Code)
		}
		if method == MethodPassphrase && strings.TrimSpace(r.Passphrase) == "" {
			t.Fatal("accepted a blank passphrase")
		}
	})
}
