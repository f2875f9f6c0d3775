// Package mfa is the second factor: TOTP authenticators (RFC 6238: SHA-1,
// 6 digits, 30-second steps, one step of skew either way) with replay
// protection, single-use backup codes, and the account's MFA policy.
package mfa

import (
	"crypto/subtle"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
)

// TOTP parameters, fixed: every authenticator app understands them.
const (
	period = 30
	skew   = 1
	digits = otp.DigitsSix
)

// step returns the TOTP time step of t.
func step(t time.Time) int64 { return t.Unix() / period }

// matchStep returns the time step within skew of now whose code equals
// code, or false. Codes are compared in constant time.
func matchStep(secret, code string, now time.Time) (int64, bool) {
	code = strings.TrimSpace(code)
	if len(code) != digits.Length() {
		return 0, false
	}
	opts := hotp.ValidateOpts{Digits: digits, Algorithm: otp.AlgorithmSHA1}
	current := step(now)
	for s := current - skew; s <= current+skew; s++ {
		want, err := hotp.GenerateCodeCustom(secret, uint64(s), opts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return s, true
		}
	}
	return 0, false
}
