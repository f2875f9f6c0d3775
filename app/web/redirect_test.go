package web

import (
	"net/url"
	"strings"
	"testing"
)

// Targets a redirect may follow, and the known ways around a naive check.
var (
	localTargets = []string{
		"/", "/profile", "/profile/passphrase", "/admin/users?q=ada&status=active", "/profile#passphrase",
		"/confirm?next=%2Fprofile%2Fpassphrase", "/admin/users?q=ada%20lovelace", "/admin/users?q=Zo%C3%AB", "/a/b/../c", "/;x", "/@evil.example",
	}
	offSiteTargets = []string{
		"", "profile", "//evil.example", "///evil.example", "/\\evil.example", "\\/evil.example", "\\\\evil.example",
		"https://evil.example/", "https:evil.example", "http:/evil.example", "javascript:alert(1)", "data:text/html,x",
		"/\t/evil.example", "/%09/evil.example", "\t//evil.example", " //evil.example", "/\n/evil.example",
		"/\r/evil.example", "/\r\n/evil.example", "/ /evil.example", "/\x00/evil.example", "/\x7f/evil.example",
		"/\u0085/evil.example", "/%2F/evil.example", "/%2f/evil.example", "/%2F%2Fevil.example", "/%5Cevil.example",
		"/%5cevil.example", "/%252F/evil.example", "/%25252F/evil.example", "/%0a/evil.example", "/%0D/evil.example",
		"/%00/evil.example", "/%7F/evil.example", "/%C2%85/evil.example", "/%E2%80%AE/evil.example",
		"/\u2215evil.example", "/\uFF0Fevil.example", "/\u2044evil.example", "/\uFE68evil.example", "/\u29F5evil.example",
		"/%EF%BC%8Fevil.example", "/%zz", "/profile\\..\\..\\evil", "/\u202Eelpmaxe.live",
	}
)

func TestIsLocalPath(t *testing.T) {
	for _, target := range localTargets {
		if !isLocalPath(target) {
			t.Errorf("refused local %q", target)
		}
		if got := localRedirect(target); got != target {
			t.Errorf("localRedirect(%q) = %q", target, got)
		}
	}
	for _, target := range offSiteTargets {
		if isLocalPath(target) {
			t.Errorf("accepted %q", target)
		}
		if got := localRedirect(target); got != homePath {
			t.Errorf("localRedirect(%q) = %q, want %q", target, got, homePath)
		}
	}
}

func TestSafeNext(t *testing.T) {
	cases := map[string]string{
		"/profile/passphrase":       "/profile/passphrase",
		"/confirm":                  homePath,
		"/confirm?next=/profile":    homePath,
		"/%09/evil.example":         homePath,
		"https://evil.example/path": homePath,
	}
	for in, want := range cases {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

// portal is the site the fuzz target resolves redirects against.
var portal = &url.URL{Scheme: "https", Host: "portal.example", Path: "/"}

// browserResolve follows target from a page of the portal as a browser
// does (the WHATWG URL parser): it drops leading and trailing spaces and
// controls, removes tabs and line breaks anywhere, and reads "\" as "/".
func browserResolve(target string) (*url.URL, bool) {
	s := strings.TrimFunc(target, func(r rune) bool { return r <= ' ' })
	s = strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/").Replace(s)
	ref, err := url.Parse(s)
	if err != nil {
		return nil, false
	}
	return portal.ResolveReference(ref), true
}

// FuzzLocalRedirect: whatever localRedirect lets through, a browser that
// follows it stays on the portal, and so does a server or proxy that
// decodes its percent-encoding once before following it.
func FuzzLocalRedirect(f *testing.F) {
	for _, s := range append(append([]string{}, localTargets...), offSiteTargets...) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, target string) {
		got := localRedirect(target)
		if got != target && got != homePath {
			t.Fatalf("localRedirect(%q) = %q: neither the target nor home", target, got)
		}
		stays := func(s string) {
			u, ok := browserResolve(s)
			if !ok {
				t.Fatalf("accepted %q, which a browser cannot parse", s)
			}
			if u.Scheme != "https" || u.Host != portal.Host || u.User != nil {
				t.Fatalf("accepted %q: a browser goes to %s", target, u)
			}
		}
		stays(got)
		if decoded, err := url.PathUnescape(got); err == nil {
			stays(decoded)
		}
	})
}
