// Package secrets owns the values the portal must show again and so
// encrypts rather than hashes (support passphrases, TOTP seeds): sealing a
// value to its owner and kind, opening it, and re-encrypting every value
// when the key ring changes. No other package builds associated data or
// calls the key ring's Seal and Open.
package secrets

import (
	"fmt"
	"strconv"
	"time"

	"accountportal/app/security"
	"accountportal/models"
)

// Kind is what a sealed value is. It is part of the associated data, so a
// value sealed as one kind does not open as another.
type Kind string

// Kinds of sealed value. Passphrase and TOTPSeed are stored in the secrets
// table; PendingTOTPSeed is a seed being enrolled, kept in the session until
// its first code is confirmed, so it cannot be passed off as a confirmed one.
const (
	Passphrase      Kind = models.SecretPassphrase
	TOTPSeed        Kind = models.SecretTOTPSeed
	PendingTOTPSeed Kind = "totp_pending"
)

func (k Kind) known() bool {
	return k == Passphrase || k == TOTPSeed || k == PendingTOTPSeed
}

// Sealer seals and opens secrets with the key ring it owns.
type Sealer struct {
	keys *security.KeyRing
}

// NewSealer returns a sealer over keys.
func NewSealer(keys *security.KeyRing) *Sealer {
	return &Sealer{keys: keys}
}

// associated is the data that binds a sealed value to its kind and owner:
// a value copied to another user's row, or read as another kind, does not
// open. Its format ("kind:userID") is part of every stored ciphertext and
// must never change.
func associated(kind Kind, userID int64) []byte {
	return []byte(string(kind) + ":" + strconv.FormatInt(userID, 10))
}

// Seal encrypts plain for the user as kind under the key ring's current
// key, as a row for the secrets table updated at at. It returns an error
// for a kind it does not know.
func (s *Sealer) Seal(kind Kind, userID int64, plain string, at time.Time) (*models.Secret, error) {
	if !kind.known() {
		return nil, fmt.Errorf("secrets: unknown kind %q", kind)
	}
	keyID, nonce, ct, err := s.keys.Seal([]byte(plain), associated(kind, userID))
	if err != nil {
		return nil, err
	}
	return &models.Secret{UserID: userID, Kind: string(kind), KeyID: keyID, Nonce: nonce, Ciphertext: ct, UpdatedAt: at}, nil
}

// Open decrypts a sealed secret with its owner and kind as associated
// data. It returns security.ErrDecrypt when the value was tampered with,
// moved to another user or kind, or its key is gone.
func (s *Sealer) Open(sec *models.Secret) (string, error) {
	pt, err := s.keys.Open(sec.KeyID, sec.Nonce, sec.Ciphertext, associated(Kind(sec.Kind), sec.UserID))
	return string(pt), err
}
