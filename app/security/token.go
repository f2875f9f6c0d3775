package security

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
)

// NewToken returns 32 random bytes encoded for URLs (43 characters) and the
// SHA-256 of that text, which is all that gets stored.
func NewToken() (token string, digest []byte) {
	b := make([]byte, 32)
	// crypto/rand.Read never returns an error on supported platforms.
	_, _ = rand.Read(b)
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, Digest(token)
}

// Digest returns the SHA-256 of a token as it is stored and looked up.
func Digest(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}
