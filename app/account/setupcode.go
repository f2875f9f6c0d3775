package account

import (
	"crypto/subtle"
	"strings"

	"accountportal/app/apperr"
)

// SetupCode is the subject of a wrong or missing setup code.
const SetupCode apperr.Subject = "account.setup_code"

// setupCodeAlphabet leaves out characters that are easily confused when
// copied from a terminal (0/O, 1/I/L).
const setupCodeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// setupCodeGroups of four characters give 12 characters, about 59 bits:
// far beyond guessing over the network, so no attempt counter is needed.
const setupCodeGroups = 3

// Code returns the setup code that first-run setup asks for. It is derived
// from the key file, so every replica prints and accepts the same code and
// it survives restarts; it is worthless once setup has run, because the
// page is gone.
func (s *Setup) Code() string {
	raw := s.keys.Derive("first-run setup code")
	var b strings.Builder
	for i := range setupCodeGroups * 4 {
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(setupCodeAlphabet[int(raw[i])%len(setupCodeAlphabet)])
	}
	return b.String()
}

// codeMatches compares a typed setup code with the real one, ignoring case,
// spaces and dashes, in constant time.
func (s *Setup) codeMatches(typed string) bool {
	clean := func(c string) string {
		return strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(c))
	}
	return subtle.ConstantTimeCompare([]byte(clean(typed)), []byte(clean(s.Code()))) == 1
}
