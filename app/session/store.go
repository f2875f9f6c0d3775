// Package session keeps browser sessions in the database behind the
// gorilla/sessions Store interface. The cookie carries only a random 256-bit
// ID, signed and encrypted with securecookie; the row is found by the ID's
// SHA-256, so the table alone opens no session.
package session

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"

	"accountportal/app/security"
	"accountportal/models"
)

// Keys of Values that mirror columns of the session row rather than its data.
const (
	// KeyUserID holds the signed-in user's id (int64).
	KeyUserID = "uid"
	// KeyPasswordAt holds when the user last typed their password (time.Time).
	KeyPasswordAt = "pwd_at"
	// KeyRevoked is set (string reason) by New when the cookie named a
	// session that was revoked, such as by suspension. It is never saved.
	KeyRevoked = "revoked"
	// KeyCreatedAt holds when the session's current ID was issued
	// (time.Time). It is read from the row and never saved.
	KeyCreatedAt = "created_at"
)

// ErrGone means the session row disappeared (signed out or expired) while
// the request ran; the change was not saved and the session not revived.
var ErrGone = errors.New("session: session ended during the request")

// Config sets the cookie and the lifetimes.
type Config struct {
	CookieName string
	Secure     bool
	// Idle and Absolute are the timeouts of anonymous sessions and the
	// defaults for signed-in ones.
	Idle, Absolute time.Duration
	// Limits returns a signed-in user's idle and absolute timeouts.
	Limits func(ctx context.Context, userID int64) (idle, absolute time.Duration, err error)
	// ClientIP returns the address a request came from.
	ClientIP func(r *http.Request) string
	// TouchEvery bounds how often last-seen is written for one session.
	TouchEvery time.Duration
}

// Store is a gorilla/sessions Store backed by the sessions table.
type Store struct {
	db     *models.Store
	codecs []securecookie.Codec
	now    func() time.Time
	cfg    Config
}

// NewStore returns a Store that signs and encrypts cookies with keyPairs
// (hash and block keys, newest first).
func NewStore(db *models.Store, keyPairs [][]byte, now func() time.Time, cfg Config) *Store {
	codecs := securecookie.CodecsFromPairs(keyPairs...)
	for _, c := range codecs {
		if sc, ok := c.(*securecookie.SecureCookie); ok {
			// The database decides expiry; the codec only refuses cookies
			// older than any session could live.
			sc.MaxAge(int((7 * 24 * time.Hour).Seconds()))
		}
	}
	if cfg.TouchEvery == 0 {
		cfg.TouchEvery = time.Minute
	}
	return &Store{db: db, codecs: codecs, now: now, cfg: cfg}
}

// Get returns the named session for r, cached for the rest of the request.
func (s *Store) Get(r *http.Request, name string) (*sessions.Session, error) {
	return sessions.GetRegistry(r).Get(s, name)
}

// New loads the session named by r's cookie, or starts an unsaved new one
// when there is none, it does not verify, or its row expired or was revoked.
func (s *Store) New(r *http.Request, name string) (*sessions.Session, error) {
	sess := s.fresh(name)
	c, err := r.Cookie(name)
	if err != nil {
		return sess, nil
	}
	var id string
	if securecookie.DecodeMulti(name, c.Value, &id, s.codecs...) != nil {
		return sess, nil
	}
	ctx := r.Context()
	hash := security.Digest(id)
	row, err := s.db.SessionByHash(ctx, hash)
	if errors.Is(err, models.ErrNotFound) {
		return sess, nil
	}
	if err != nil {
		return sess, err
	}
	now := s.now()
	if row.RevokedAt != nil || !now.Before(row.IdleExpiresAt) || !now.Before(row.AbsoluteExpiresAt) {
		// A revoked or expired session ends here: the row goes, and the
		// reason (if any) is passed on once so the page can say why.
		if row.RevokedReason != nil {
			sess.Values[KeyRevoked] = *row.RevokedReason
		}
		return sess, s.db.DeleteSession(ctx, hash)
	}
	if err := decode(row, sess.Values); err != nil {
		return s.fresh(name), nil
	}
	sess.ID, sess.IsNew = id, false
	if now.Sub(row.LastSeenAt) >= s.cfg.TouchEvery {
		idle := minTime(now.Add(time.Duration(row.IdleTimeoutSeconds)*time.Second), row.AbsoluteExpiresAt)
		if err := s.db.TouchSession(ctx, hash, now, idle); err != nil && !errors.Is(err, models.ErrNotFound) {
			return sess, err
		}
	}
	return sess, nil
}

// Save writes the session. MaxAge < 0 deletes the row and the cookie; a
// session without ID gets a new random one, a new row and a cookie.
func (s *Store) Save(r *http.Request, w http.ResponseWriter, sess *sessions.Session) error {
	ctx := r.Context()
	if sess.Options.MaxAge < 0 {
		if sess.ID != "" {
			if err := s.db.DeleteSession(ctx, security.Digest(sess.ID)); err != nil {
				return err
			}
			sess.ID = ""
		}
		http.SetCookie(w, sessions.NewCookie(sess.Name(), "", sess.Options))
		return nil
	}
	state, err := encode(sess.Values)
	if err != nil {
		return err
	}
	if sess.ID != "" {
		err := s.db.UpdateSessionState(ctx, security.Digest(sess.ID), state)
		if errors.Is(err, models.ErrNotFound) {
			return ErrGone
		}
		return err
	}
	return s.insert(r, w, sess, state)
}

func (s *Store) insert(r *http.Request, w http.ResponseWriter, sess *sessions.Session, state models.SessionState) error {
	ctx := r.Context()
	idle, absolute := s.cfg.Idle, s.cfg.Absolute
	if state.UserID != nil && s.cfg.Limits != nil {
		var err error
		if idle, absolute, err = s.cfg.Limits(ctx, *state.UserID); err != nil {
			return err
		}
	}
	id := newID()
	now := s.now()
	row := &models.Session{
		IDHash: security.Digest(id), UserID: state.UserID, Data: state.Data, PasswordAt: state.PasswordAt,
		CreatedAt: now, LastSeenAt: now,
		IdleExpiresAt: minTime(now.Add(idle), now.Add(absolute)), AbsoluteExpiresAt: now.Add(absolute),
		IdleTimeoutSeconds: int(idle.Seconds()),
		UserAgent:          truncate(r.UserAgent(), 512),
	}
	if s.cfg.ClientIP != nil {
		row.IP = s.cfg.ClientIP(r)
	}
	if err := s.db.CreateSession(ctx, row); err != nil {
		return err
	}
	value, err := securecookie.EncodeMulti(sess.Name(), id, s.codecs...)
	if err != nil {
		return err
	}
	sess.ID, sess.IsNew = id, false
	http.SetCookie(w, sessions.NewCookie(sess.Name(), value, sess.Options))
	return nil
}

// Renew gives the session a new ID at its next Save, deleting the old row
// now, so an ID fixed before sign-in is worth nothing after it. Values are
// kept; the new row's lifetimes start again.
func (s *Store) Renew(ctx context.Context, sess *sessions.Session) error {
	if sess.ID != "" {
		if err := s.db.DeleteSession(ctx, security.Digest(sess.ID)); err != nil {
			return err
		}
	}
	sess.ID, sess.IsNew = "", true
	return nil
}

// Purge deletes up to limit expired session rows and returns how many.
func (s *Store) Purge(ctx context.Context, limit int) (int64, error) {
	return s.db.DeleteExpiredSessions(ctx, s.now(), limit)
}

func (s *Store) fresh(name string) *sessions.Session {
	sess := sessions.NewSession(s, name)
	sess.IsNew = true
	sess.Options = &sessions.Options{
		Path: "/", HttpOnly: true, Secure: s.cfg.Secure, SameSite: http.SameSiteLaxMode,
	}
	return sess
}

func newID() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// encode splits Values into the row's columns and its JSON data. Data values
// must be strings: the row is read back without knowing types.
func encode(values map[any]any) (models.SessionState, error) {
	var st models.SessionState
	data := make(map[string]string, len(values))
	for k, v := range values {
		key, ok := k.(string)
		if !ok {
			return st, fmt.Errorf("session: key %v is not a string", k)
		}
		switch key {
		case KeyUserID:
			id, ok := v.(int64)
			if !ok {
				return st, fmt.Errorf("session: %s must be int64", key)
			}
			st.UserID = &id
		case KeyPasswordAt:
			t, ok := v.(time.Time)
			if !ok {
				return st, fmt.Errorf("session: %s must be time.Time", key)
			}
			st.PasswordAt = &t
		case KeyRevoked, KeyCreatedAt:
		default:
			str, ok := v.(string)
			if !ok {
				return st, fmt.Errorf("session: value of %s is not a string", key)
			}
			data[key] = str
		}
	}
	raw, err := json.Marshal(data)
	st.Data = string(raw)
	return st, err
}

func decode(row *models.Session, values map[any]any) error {
	var data map[string]string
	if err := json.Unmarshal([]byte(row.Data), &data); err != nil {
		return err
	}
	for k, v := range data {
		values[k] = v
	}
	if row.UserID != nil {
		values[KeyUserID] = *row.UserID
	}
	if row.PasswordAt != nil {
		values[KeyPasswordAt] = *row.PasswordAt
	}
	values[KeyCreatedAt] = row.CreatedAt
	return nil
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
