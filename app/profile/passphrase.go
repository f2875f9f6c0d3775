// Package profile owns what a user keeps about themselves: the support
// passphrase and the security question.
package profile

import (
	"strings"
	"time"
	"unicode/utf8"

	"accountportal/app/security"
	"accountportal/app/textinput"
	"accountportal/models"
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

func passphraseAD(userID int64) []byte { return security.SecretAD(models.SecretPassphrase, userID) }

// SealPassphrase encrypts the user's passphrase under the key ring's current key.
func SealPassphrase(keys *security.KeyRing, userID int64, passphrase string, at time.Time) (*models.Secret, error) {
	keyID, nonce, ct, err := keys.Seal([]byte(passphrase), passphraseAD(userID))
	if err != nil {
		return nil, err
	}
	return &models.Secret{UserID: userID, Kind: models.SecretPassphrase, KeyID: keyID,
		Nonce: nonce, Ciphertext: ct, UpdatedAt: at}, nil
}

// OpenPassphrase decrypts a sealed passphrase. It returns security.ErrDecrypt
// when the value was tampered with, moved, or its key is gone.
func OpenPassphrase(keys *security.KeyRing, s *models.Secret) (string, error) {
	pt, err := keys.Open(s.KeyID, s.Nonce, s.Ciphertext, passphraseAD(s.UserID))
	return string(pt), err
}

// OpenSecret decrypts any sealed secret with its owner and kind as
// associated data. It returns security.ErrDecrypt as OpenPassphrase does.
func OpenSecret(keys *security.KeyRing, s *models.Secret) (string, error) {
	pt, err := keys.Open(s.KeyID, s.Nonce, s.Ciphertext, security.SecretAD(s.Kind, s.UserID))
	return string(pt), err
}
