// Package profile owns what a user keeps about themselves: the support
// passphrase and the security question.
package profile

import (
	"strings"
	"unicode/utf8"

	"accountportal/app/security"
	"accountportal/app/textinput"
)

// Passphrase length limits, in characters.
const (
	PassphraseMin = 8
	PassphraseMax = 64
)

// PassphraseOwner is what a passphrase must not equal.
type PassphraseOwner struct {
	Password    string
	Username    string
	Email       string
	DisplayName string
}

// CheckPassphrase returns what is wrong with a support passphrase, or "".
func CheckPassphrase(p string, owner PassphraseOwner) string {
	n := utf8.RuneCountInString(p)
	switch {
	case strings.TrimSpace(p) == "":
		return "Enter a passphrase"
	case textinput.Check(p) != "":
		return "Use letters, numbers, spaces and punctuation only"
	case n < PassphraseMin || n > PassphraseMax:
		return "Passphrase must be 8 to 64 characters"
	case owner.Password != "" && strings.EqualFold(comparable(p), comparable(owner.Password)):
		return "Passphrase must be different from your password"
	case equalFoldAny(p, owner.Username, owner.Email, owner.DisplayName):
		return "Passphrase must not be your username, email address or name"
	}
	return ""
}

// comparable is the form in which two secrets count as the same: Unicode
// NFC, without surrounding spaces. Case is ignored by the caller.
func comparable(s string) string {
	return strings.TrimSpace(security.NormalizePassword(s))
}

func equalFoldAny(s string, others ...string) bool {
	s = strings.TrimSpace(s)
	for _, o := range others {
		if o != "" && strings.EqualFold(s, strings.TrimSpace(o)) {
			return true
		}
	}
	return false
}
