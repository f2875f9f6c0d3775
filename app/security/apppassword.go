package security

import (
	"crypto/rand"
	"strings"
)

// App passwords are secrets the portal makes for integrations (CRM
// plug-ins) that sign in with a username and password but cannot do a
// second factor or a form. They hold no character such plug-ins choke on
// (no & < > or punctuation at all), and no two characters that look
// alike, so they can be read off the screen and typed.
const (
	// AppPasswordAlphabet is a-z and 2-9 without i, l, o (which look like
	// 1, 1 and 0): 31 characters.
	AppPasswordAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"
	// AppPasswordLength is how many characters an app password has:
	// 16 × log2(31) ≈ 79 bits.
	AppPasswordLength = 16
	// appPasswordGroup is the length of each dash-separated group shown.
	appPasswordGroup = 4
	// maxAppPasswordInput bounds what ParseAppPassword reads: a grouped
	// password with spaces around is far shorter.
	maxAppPasswordInput = 64
)

// NewAppPassword returns a new app password as it is shown, grouped
// (xxxx-xxxx-xxxx-xxxx), and the digest that is stored: the SHA-256 of
// its canonical form (without dashes).
func NewAppPassword() (shown string, digest []byte) {
	const n = len(AppPasswordAlphabet)
	// Bytes at or above the largest multiple of n are drawn again, so
	// every character is equally likely.
	const limit = 256 - 256%n
	out := make([]byte, 0, AppPasswordLength)
	buf := make([]byte, 32)
	for len(out) < AppPasswordLength {
		// crypto/rand.Read never returns an error on supported platforms.
		_, _ = rand.Read(buf)
		for _, b := range buf {
			if int(b) < limit && len(out) < AppPasswordLength {
				out = append(out, AppPasswordAlphabet[int(b)%n])
			}
		}
	}
	canonical := string(out)
	return GroupAppPassword(canonical), Digest(canonical)
}

// GroupAppPassword writes a canonical app password in dash-separated
// groups of four.
func GroupAppPassword(canonical string) string {
	var b strings.Builder
	for i := 0; i < len(canonical); i++ {
		if i > 0 && i%appPasswordGroup == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(canonical[i])
	}
	return b.String()
}

// ParseAppPassword returns the canonical form of an app password as a
// person or a plug-in typed it: spaces around it are dropped, dashes
// anywhere are optional, and capitals count as small letters. ok is
// false for anything that cannot be an app password (wrong length, a
// character outside the alphabet, overly long input), which callers treat
// as a wrong password without looking anything up.
func ParseAppPassword(typed string) (canonical string, ok bool) {
	if len(typed) > maxAppPasswordInput {
		return "", false
	}
	typed = strings.TrimSpace(typed)
	out := make([]byte, 0, AppPasswordLength)
	for i := 0; i < len(typed); i++ {
		c := typed[i]
		if c == '-' {
			continue
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if strings.IndexByte(AppPasswordAlphabet, c) < 0 || len(out) == AppPasswordLength {
			return "", false
		}
		out = append(out, c)
	}
	if len(out) != AppPasswordLength {
		return "", false
	}
	return string(out), true
}

// AppPasswordDigest returns the stored digest of a canonical app
// password (ParseAppPassword's answer).
func AppPasswordDigest(canonical string) []byte { return Digest(canonical) }
