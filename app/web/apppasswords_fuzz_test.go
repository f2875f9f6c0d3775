package web

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"accountportal/app/textinput"
)

// FuzzParseBasic checks that any Authorization header either gives a
// username and password fit to look up, or a 400 or 401 problem.
func FuzzParseBasic(f *testing.F) {
	for _, s := range []string{"", "Basic", "Basic YWRhOnNlY3JldA==", "basic YWRhOg==", "Bearer x",
		"Basic " + base64.StdEncoding.EncodeToString([]byte("a\x00:b")), "Basic !!!"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		user, pass, bad := parseBasic(withAuthorization(header))
		if bad != nil {
			if bad.Status != http.StatusBadRequest && bad.Status != http.StatusUnauthorized {
				t.Fatalf("%q: status %d", header, bad.Status)
			}
			if user != "" || pass != "" {
				t.Fatalf("%q: refused yet returned %q %q", header, user, pass)
			}
			return
		}
		if !utf8.ValidString(user) || !utf8.ValidString(pass) || textinput.Check(user) != "" || textinput.Check(pass) != "" ||
			strings.TrimSpace(user) == "" || pass == "" || len(header) > maxAuthorization {
			t.Fatalf("%q: accepted %q %q", header, user, pass)
		}
	})
}

func TestParseBasic(t *testing.T) {
	enc := func(s string) string { return "Basic " + base64.StdEncoding.EncodeToString([]byte(s)) }
	for _, c := range []struct {
		header, user, pass string
		status             int
	}{
		{enc("ada:abcd-2345-efgh-6789"), "ada", "abcd-2345-efgh-6789", 0},
		{enc("ada:pass:with:colons"), "ada", "pass:with:colons", 0},
		{"BASIC " + base64.StdEncoding.EncodeToString([]byte("ada:x")), "ada", "x", 0},
		{"", "", "", http.StatusUnauthorized},
		{"Digest x", "", "", http.StatusBadRequest},
		{enc("ada"), "", "", http.StatusBadRequest},
		{enc("ada:\x7f"), "", "", http.StatusBadRequest},
		{"Basic " + strings.Repeat("A", maxAuthorization), "", "", http.StatusBadRequest},
	} {
		user, pass, bad := parseBasic(withAuthorization(c.header))
		status := 0
		if bad != nil {
			status = bad.Status
		}
		if user != c.user || pass != c.pass || status != c.status {
			t.Errorf("parseBasic(%q) = %q, %q, %d; want %q, %q, %d", c.header, user, pass, status, c.user, c.pass, c.status)
		}
	}
}

// withAuthorization is a request carrying header as its Authorization.
func withAuthorization(header string) *http.Request {
	r := &http.Request{Header: http.Header{}}
	if header != "" {
		r.Header.Set("Authorization", header)
	}
	return r
}
