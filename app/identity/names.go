// Package identity owns who people are and how they prove it: usernames,
// email addresses, passwords and the sign-in steps.
package identity

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Length limits of identity fields.
const (
	UsernameMin    = 3
	UsernameMax    = 64
	EmailMax       = 254
	DisplayNameMax = 100
)

// UsernameKey returns the form of a username that uniqueness and sign-in
// compare: trimmed and lower-cased, so "Ann@Example.com" and
// "ann@example.com" are one username.
func UsernameKey(username string) string {
	return strings.ToLower(strings.TrimSpace(username))
}

// EmailKey returns the form of an email address used to look it up.
func EmailKey(email string) string {
	return strings.ToLower(strings.TrimSpace(email))
}

// CheckUsername returns what is wrong with a username, or "".
// Usernames are ASCII letters, digits and . _ - @ + so that an email address
// can be one, and no two can look alike.
func CheckUsername(username string) string {
	switch n := len(username); {
	case n == 0:
		return "Enter a username"
	case n < UsernameMin || n > UsernameMax:
		return "Username must be 3 to 64 characters"
	}
	for _, r := range username {
		if !(r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("._-@+", r))) {
			return "Username can only contain letters, numbers and . _ - @ +"
		}
	}
	return ""
}

// CheckEmail returns what is wrong with an email address, or "".
func CheckEmail(email string) string {
	if email == "" {
		return "Enter an email address"
	}
	if len(email) > EmailMax {
		return "Email address must be 254 characters or fewer"
	}
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || addr.Name != "" || !printableASCII(email) ||
		!validDomain(email[strings.LastIndexByte(email, '@')+1:]) {
		return "Enter an email address in the correct format, like name@example.com"
	}
	return ""
}

// printableASCII reports whether s has only visible ASCII characters.
// Internationalised domains are written in their xn-- form.
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// validDomain checks an email domain: two or more dot-separated labels of
// letters, digits and inner hyphens.
func validDomain(d string) bool {
	labels := strings.Split(d, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !(c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
				return false
			}
		}
	}
	return true
}

// CheckDisplayName returns what is wrong with a person's name, or "".
func CheckDisplayName(name string) string {
	return checkName(name, "Enter your name", "Name must be 100 characters or fewer")
}

// checkName validates a free-text name: present, bounded, printable.
func checkName(name, missing, tooLong string) string {
	switch {
	case strings.TrimSpace(name) == "":
		return missing
	case utf8.RuneCountInString(name) > DisplayNameMax:
		return tooLong
	case !utf8.ValidString(name) || strings.ContainsFunc(name, invisible):
		return "Use letters, numbers, spaces and punctuation only"
	}
	return ""
}

// invisible reports control and format characters (such as U+202E, which
// reverses the text after it), which have no place in names.
func invisible(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }

// CheckCompanyName returns what is wrong with an account's company name, or "".
func CheckCompanyName(name string) string {
	if msg := checkName(name, "Enter the company name", "Company name must be 100 characters or fewer"); msg != "" {
		return msg
	}
	if utf8.RuneCountInString(strings.TrimSpace(name)) < 2 {
		return "Company name must be at least 2 characters"
	}
	return ""
}
