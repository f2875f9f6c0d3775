package session

import (
	"fmt"
	"net/http"

	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"
)

// visitorCookie is the cookie of a session without a row: the visitor's
// values themselves, signed and encrypted. A row session's cookie holds a
// plain string (its ID) instead, so the two never decode as each other.
type visitorCookie struct {
	Values map[string]string
}

// restoreVisitor copies a visitor cookie's values into sess. Only visitor
// keys are taken, so even a cookie signed with our keys cannot carry a
// user or any other value that needs a row.
func (s *Store) restoreVisitor(sess *sessions.Session, v visitorCookie) {
	for k, val := range v.Values {
		if s.visitor[k] {
			sess.Values[k] = val
		}
	}
}

// saveVisitor writes a session that holds only visitor values into its
// cookie, or clears the cookie when it holds none.
func (s *Store) saveVisitor(w http.ResponseWriter, sess *sessions.Session) error {
	v := visitorCookie{Values: make(map[string]string, len(sess.Values))}
	for k, val := range sess.Values {
		key, _ := k.(string)
		if !s.visitor[key] {
			continue
		}
		str, ok := val.(string)
		if !ok {
			return fmt.Errorf("session: value of %s is not a string", key)
		}
		v.Values[key] = str
	}
	if len(v.Values) == 0 {
		gone := *sess.Options
		gone.MaxAge = -1
		http.SetCookie(w, sessions.NewCookie(sess.Name(), "", &gone))
		return nil
	}
	// securecookie refuses values over 4,096 bytes, so a cookie the
	// browser would drop is never sent.
	value, err := securecookie.EncodeMulti(sess.Name(), v, s.codecs...)
	if err != nil {
		return err
	}
	http.SetCookie(w, sessions.NewCookie(sess.Name(), value, sess.Options))
	return nil
}
