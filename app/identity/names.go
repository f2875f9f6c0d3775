// Package identity owns who people are and how they prove it: usernames,
// email addresses, passwords and the sign-in steps.
package identity

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"accountportal/app/textinput"
)

// Length limits of identity fields.
const (
	UsernameMin    = 3
	UsernameMax    = 64
	EmailMax       = 254
	DisplayNameMax = 100
	RoleNameMax    = 60
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
	return checkName(name, DisplayNameMax, "Enter your name", "Name must be 100 characters or fewer")
}

// CheckRoleName returns what is wrong with the name of a role, or "".
func CheckRoleName(name string) string {
	return checkName(name, RoleNameMax, "Enter a name for the role", "Name must be 60 characters or fewer")
}

// checkName validates a free-text name: present, at most max characters,
// and free of what textinput.CheckName refuses (control characters,
// direction overrides and marks, zero-width and other invisible
// characters), so a name reads as it is stored and two names that look
// alike are alike.
func checkName(name string, max int, missing, tooLong string) string {
	switch {
	case strings.TrimSpace(name) == "":
		return missing
	case utf8.RuneCountInString(name) > max:
		return tooLong
	case textinput.CheckName(name) != "":
		return "Use letters, numbers, spaces and punctuation only"
	}
	return ""
}

// CheckCompanyName returns what is wrong with an account's company name, or "".
func CheckCompanyName(name string) string {
	if msg := checkName(name, DisplayNameMax, "Enter the company name", "Company name must be 100 characters or fewer"); msg != "" {
		return msg
	}
	if utf8.RuneCountInString(strings.TrimSpace(name)) < 2 {
		return "Company name must be at least 2 characters"
	}
	return ""
}
