// Package session keeps browser sessions behind the gorilla/sessions Store
// interface. A visitor who has proved nothing keeps a few typed-in values
// (a username, where they were going, a one-time message) and the seed of
// their CSRF token in the cookie itself, signed and encrypted with
// securecookie, so looking at a page costs no database write. Once the
// session holds anything the server must vouch for (a user, a password
// typed, a step of a flow), it moves to a row of the sessions table and the
// cookie carries only a random 256-bit ID, found by its SHA-256, so the
// table alone opens no session.
package session

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
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

// keyAbsoluteUntil holds, for a signed-in session read from its row, when
// the sign-in's absolute lifetime ends (time.Time), so a renewal keeps it.
// It is never saved.
const keyAbsoluteUntil = "absolute_until"

// ErrGone means the session row disappeared (signed out or expired) while
// the request ran; the change was not saved and the session not revived.
var ErrGone = errors.New("session: session ended during the request")

// Config sets the cookie and the lifetimes.
type Config struct {
	CookieName string
	Secure     bool
	// Idle and Absolute are the timeouts of sessions before sign-in and
	// the defaults for signed-in ones.
	Idle, Absolute time.Duration
	// Limits returns a signed-in user's idle and absolute timeouts.
	Limits func(ctx context.Context, userID int64) (idle, absolute time.Duration, err error)
	// ClientIP returns the address a request came from.
	ClientIP func(r *http.Request) string
	// TouchEvery bounds how often last-seen is written for one session.
	TouchEvery time.Duration
	// VisitorKeys are the string Values a session may keep in its cookie
	// without a row: only what a visitor could type anyway. Any other
	// value puts the session in a row.
	VisitorKeys []string
}

// Store is a gorilla/sessions Store backed by the sessions table, with
// cookie-only sessions for visitors who hold nothing worth a row.
type Store struct {
	db       *models.Store
	codecs   []securecookie.Codec
	csrfKeys [][]byte
	visitor  map[string]bool
	now      func() time.Time
	cfg      Config
}

// NewStore returns a Store that signs and encrypts cookies with keyPairs
// (hash and block keys, newest first).
func NewStore(db *models.Store, keyPairs [][]byte, now func() time.Time, cfg Config) *Store {
	codecs := securecookie.CodecsFromPairs(keyPairs...)
	for _, c := range codecs {
		if sc, ok := c.(*securecookie.SecureCookie); ok {
			// The database decides a row's expiry; the codec only refuses
			// cookies older than any session could live.
			sc.MaxAge(int((7 * 24 * time.Hour).Seconds()))
		}
	}
	if cfg.TouchEvery == 0 {
		cfg.TouchEvery = time.Minute
	}
	visitor := map[string]bool{keyCSRF: true}
	for _, k := range cfg.VisitorKeys {
		visitor[k] = true
	}
	return &Store{db: db, codecs: codecs, csrfKeys: csrfKeys(keyPairs), visitor: visitor, now: now, cfg: cfg}
}

// Get returns the named session for r, cached for the rest of the request.
func (s *Store) Get(r *http.Request, name string) (*sessions.Session, error) {
	return sessions.GetRegistry(r).Get(s, name)
}

// New loads the session named by r's cookie: a visitor's values from the
// cookie itself, or a row by its ID. It starts an unsaved new session when
// there is no cookie, it does not verify, or its row expired or was revoked.
func (s *Store) New(r *http.Request, name string) (*sessions.Session, error) {
	sess, _, err := s.Open(r, name)
	return sess, err
}

// Open is New that also returns the session's user, read in the same
// round trip as its row, when the session is live and has one; nil
// otherwise. Every signed-in request needs both.
func (s *Store) Open(r *http.Request, name string) (*sessions.Session, *models.PrincipalUser, error) {
	sess := s.fresh(name)
	c, err := r.Cookie(name)
	if err != nil {
		return sess, nil, nil
	}
	var id string
	if securecookie.DecodeMulti(name, c.Value, &id, s.codecs...) == nil {
		return s.load(r.Context(), sess, id)
	}
	var v visitorCookie
	if securecookie.DecodeMulti(name, c.Value, &v, s.codecs...) == nil {
		s.restoreVisitor(sess, v)
	}
	return sess, nil, nil
}

// load reads the session row with the ID from the cookie, and its user.
func (s *Store) load(ctx context.Context, sess *sessions.Session, id string) (*sessions.Session, *models.PrincipalUser, error) {
	hash := security.Digest(id)
	now := s.now()
	row, user, err := s.db.Sessions.ByHashWithUser(ctx, hash, now)
	if errors.Is(err, models.ErrNotFound) {
		return sess, nil, nil
	}
	if err != nil {
		return sess, nil, err
	}
	if !live(row, now) {
		// A revoked or expired session ends here: the row goes, and the
		// reason (if any) is passed on once so the page can say why.
		if row.RevokedReason != nil {
			sess.Values[KeyRevoked] = *row.RevokedReason
		}
		return sess, nil, s.db.Sessions.Delete(ctx, hash)
	}
	if err := decode(row, sess.Values); err != nil {
		return s.fresh(sess.Name()), nil, nil
	}
	sess.ID, sess.IsNew = id, false
	if now.Sub(row.LastSeenAt) >= s.cfg.TouchEvery {
		idle := minTime(now.Add(time.Duration(row.IdleTimeoutSeconds)*time.Second), row.AbsoluteExpiresAt)
		if err := s.db.Sessions.Touch(ctx, hash, now, idle); err != nil && !errors.Is(err, models.ErrNotFound) {
			return sess, nil, err
		}
	}
	return sess, user, nil
}

// Reader is the signed-in user of r's live session, or nil, for a page
// that answers without opening the session (an address no route
// matched, whose 404 still speaks its reader's language). It changes
// nothing: a revoked session's reason still waits for the next page.
func (s *Store) Reader(r *http.Request, name string) (*models.PrincipalUser, error) {
	c, err := r.Cookie(name)
	if err != nil {
		return nil, nil
	}
	var id string
	if securecookie.DecodeMulti(name, c.Value, &id, s.codecs...) != nil {
		return nil, nil
	}
	now := s.now()
	row, user, err := s.db.Sessions.ByHashWithUser(r.Context(), security.Digest(id), now)
	if errors.Is(err, models.ErrNotFound) || (err == nil && !live(row, now)) {
		return nil, nil
	}
	return user, err
}

// live reports whether the session row still signs its holder in at now.
func live(row *models.Session, now time.Time) bool {
	return row.RevokedAt == nil && now.Before(row.IdleExpiresAt) && now.Before(row.AbsoluteExpiresAt)
}

// Save writes the session. MaxAge < 0 deletes the row and the cookie. A
// session holding only visitor values is written to the cookie (and leaves
// its row, if it had one); any other gets a row: its own, or a new one
// under a new random ID.
func (s *Store) Save(r *http.Request, w http.ResponseWriter, sess *sessions.Session) error {
	ctx := r.Context()
	if sess.Options.MaxAge < 0 {
		if err := s.dropRow(ctx, sess); err != nil {
			return err
		}
		http.SetCookie(w, sessions.NewCookie(sess.Name(), "", sess.Options))
		return nil
	}
	if !s.needsRow(sess.Values) {
		if err := s.dropRow(ctx, sess); err != nil {
			return err
		}
		return s.saveVisitor(w, sess)
	}
	state, err := encode(sess.Values)
	if err != nil {
		return err
	}
	if sess.ID != "" {
		err := s.db.Sessions.UpdateState(ctx, security.Digest(sess.ID), state)
		if errors.Is(err, models.ErrNotFound) {
			return ErrGone
		}
		return err
	}
	return s.insert(r, w, sess, state)
}

// dropRow deletes the session's row, if it has one.
func (s *Store) dropRow(ctx context.Context, sess *sessions.Session) error {
	if sess.ID == "" {
		return nil
	}
	if err := s.db.Sessions.Delete(ctx, security.Digest(sess.ID)); err != nil {
		return err
	}
	sess.ID = ""
	return nil
}

// needsRow reports whether values hold anything but visitor values.
func (s *Store) needsRow(values map[any]any) bool {
	for k := range values {
		switch k {
		case KeyRevoked, KeyCreatedAt, keyAbsoluteUntil:
			continue
		}
		if key, ok := k.(string); !ok || !s.visitor[key] {
			return true
		}
	}
	return false
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
	until := now.Add(absolute)
	if kept, ok := sess.Values[keyAbsoluteUntil].(time.Time); ok && state.UserID != nil {
		// A renewal after sign-in: the sign-in's absolute lifetime goes on.
		until = minTime(until, kept)
	}
	row := &models.Session{
		IDHash: security.Digest(id), UserID: state.UserID, Data: state.Data, PasswordAt: state.PasswordAt,
		CreatedAt: now, LastSeenAt: now,
		IdleExpiresAt: minTime(now.Add(idle), until), AbsoluteExpiresAt: until,
		IdleTimeoutSeconds: int(idle.Seconds()),
		UserAgent:          truncate(r.UserAgent(), 512),
	}
	if s.cfg.ClientIP != nil {
		row.IP = s.cfg.ClientIP(r)
	}
	if err := s.db.Sessions.Create(ctx, row); err != nil {
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

// Renew gives the session a new ID and a new CSRF token at its next Save,
// deleting the old row now, so an ID or token fixed before sign-in is
// worth nothing after it. Values are kept. A signed-in session keeps the
// absolute expiry of its sign-in: renewing on a password or privilege
// change does not extend it. Sign-in itself renews a session with no user
// yet, whose new row starts a fresh lifetime.
func (s *Store) Renew(ctx context.Context, sess *sessions.Session) error {
	if err := s.dropRow(ctx, sess); err != nil {
		return err
	}
	delete(sess.Values, keyCSRF)
	sess.IsNew = true
	return nil
}

// Purge deletes up to limit expired session rows and returns how many.
func (s *Store) Purge(ctx context.Context, limit int) (int64, error) {
	return s.db.Sessions.DeleteExpired(ctx, s.now(), limit)
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
