package web

import (
	"net/url"
	"strings"

	"accountportal/app/textinput"
)

// homePath is where a redirect goes when the requested target is not safe.
const homePath = "/"

// localRedirect returns target when a browser that follows it stays on
// this site, and home otherwise. Every redirect whose target comes from
// the request (a "next" parameter, the address remembered before sign-in)
// goes through it.
func localRedirect(target string) string {
	if isLocalPath(target) {
		return target
	}
	return homePath
}

// isLocalPath reports whether target is a path on this site, in a form no
// browser, proxy or server can read as another host:
//   - it parses to a URL without scheme, host or user, and starts with one
//     "/" (not "//" or "/\", which browsers read as "//host");
//   - it is printable ASCII: no space, control character or backslash
//     (browsers drop tabs and line breaks, so "/\t/evil" becomes "//evil",
//     and read "\" as "/"), and no Unicode look-alike of a slash;
//   - decoded, however many times, it still holds no control character or
//     backslash, does not start with "//" ("/%2F/evil", "/%5Cevil",
//     "/%09/evil"), and its path is printable ASCII (a server that maps
//     "%EF%BC%8F", a full-width solidus, to "/" finds none).
func isLocalPath(target string) bool {
	if !strings.HasPrefix(target, "/") || strings.HasPrefix(target, "//") {
		return false
	}
	if !printableASCII(target) || strings.Contains(target, "\\") {
		return false
	}
	u, err := url.Parse(target)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return false
	}
	return decodesLocal(target)
}

// maxDecodes bounds how many layers of percent-encoding are unwrapped.
const maxDecodes = 4

// decodesLocal unwraps percent-encoding layer by layer and checks each
// layer as a server that decodes once more would see it. Text that is
// still encoded after maxDecodes layers is refused.
func decodesLocal(s string) bool {
	for range maxDecodes {
		if !strings.Contains(s, "%") {
			return true
		}
		decoded, err := url.PathUnescape(s)
		if err != nil || textinput.Check(decoded) != "" || strings.Contains(decoded, "\\") ||
			strings.HasPrefix(decoded, "//") || !printableASCII(pathOf(decoded)) {
			return false
		}
		s = decoded
	}
	return !strings.Contains(s, "%")
}

// pathOf is target up to its query or fragment.
func pathOf(target string) string {
	if i := strings.IndexAny(target, "?#"); i >= 0 {
		return target[:i]
	}
	return target
}

// printableASCII reports whether s holds only visible ASCII characters.
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f {
			return false
		}
	}
	return true
}
