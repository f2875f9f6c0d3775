package secrets

import (
	"bytes"
	"encoding/base64"
	"strconv"
	"time"

	"accountportal/app/security"
)

// SealCompact seals plain for the user as kind into one string
// "keyID.nonce.ciphertext" (base64url without padding), for a value kept
// outside the database, such as a TOTP seed in the session until its first
// code is confirmed. The format is read back by sessions already issued and
// must not change.
func (s *Sealer) SealCompact(kind Kind, userID int64, plain string) (string, error) {
	sec, err := s.Seal(kind, userID, plain, time.Time{})
	if err != nil {
		return "", err
	}
	return strconv.Itoa(sec.KeyID) + "." + base64.RawURLEncoding.EncodeToString(sec.Nonce) + "." +
		base64.RawURLEncoding.EncodeToString(sec.Ciphertext), nil
}

// OpenCompact opens a string from SealCompact sealed for the user as kind.
// It returns security.ErrDecrypt when the string is malformed, was sealed
// for someone or something else, or its key is gone.
func (s *Sealer) OpenCompact(kind Kind, userID int64, sealed string) (string, error) {
	parts := bytes.Split([]byte(sealed), []byte("."))
	if len(parts) != 3 {
		return "", security.ErrDecrypt
	}
	id, err := strconv.Atoi(string(parts[0]))
	if err != nil {
		return "", security.ErrDecrypt
	}
	nonce, err1 := base64.RawURLEncoding.DecodeString(string(parts[1]))
	ct, err2 := base64.RawURLEncoding.DecodeString(string(parts[2]))
	if err1 != nil || err2 != nil {
		return "", security.ErrDecrypt
	}
	pt, err := s.keys.Open(id, nonce, ct, associated(kind, userID))
	return string(pt), err
}
