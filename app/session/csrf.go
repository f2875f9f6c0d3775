package session

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"

	"github.com/gorilla/sessions"
)

// keyCSRF holds the session's CSRF seed: 32 random bytes kept in the row,
// or in a visitor's signed and encrypted cookie. Forms carry an HMAC of
// it, never the seed itself.
const keyCSRF = "csrf"

// csrfLabel separates CSRF tokens from any other use of the cookie keys.
const csrfLabel = "accountportal csrf token v1"

// csrfKeys derives one CSRF key from each cookie hash key (keyPairs holds
// hash and block keys, newest first), so rotating the key file rotates
// the tokens too.
func csrfKeys(keyPairs [][]byte) [][]byte {
	var keys [][]byte
	for i := 0; i < len(keyPairs); i += 2 {
		m := hmac.New(sha256.New, keyPairs[i])
		m.Write([]byte(csrfLabel))
		keys = append(keys, m.Sum(nil))
	}
	return keys
}

// CSRFToken returns the token forms of sess must carry. It creates the
// session's seed when there is none yet and then reports created, so the
// caller saves the session.
func (s *Store) CSRFToken(sess *sessions.Session) (token string, created bool) {
	seed, _ := sess.Values[keyCSRF].(string)
	if seed == "" {
		seed, created = newID(), true
		sess.Values[keyCSRF] = seed
	}
	return csrfMAC(s.csrfKeys[0], seed), created
}

// ValidCSRF reports whether token is the CSRF token of sess: made from its
// seed with the current or an older key. A session without a seed has no
// valid token.
func (s *Store) ValidCSRF(sess *sessions.Session, token string) bool {
	seed, _ := sess.Values[keyCSRF].(string)
	if seed == "" || token == "" {
		return false
	}
	ok := false
	for _, k := range s.csrfKeys {
		// Every key is tried, so the time taken does not say which matched.
		if hmac.Equal([]byte(csrfMAC(k, seed)), []byte(token)) {
			ok = true
		}
	}
	return ok
}

func csrfMAC(key []byte, seed string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(seed))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}
