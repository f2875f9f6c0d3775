package session_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/securecookie"

	"accountportal/app/security"
	"accountportal/app/session"
	"accountportal/models"
	"accountportal/models/modelstest"
)

func countRows(t testing.TB, db *models.Store) int {
	t.Helper()
	sqlDB, err := db.SQLDB()
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := sqlDB.QueryRow("SELECT count(*) FROM sessions").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestVisitorSessionWritesNoRow(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		st, db, _ := newStore(t, d)
		sess, _ := st.New(httptest.NewRequest("GET", "/", nil), "portal")
		sess.Values[visitorKey] = "ann"
		token, created := st.CSRFToken(sess)
		if !created || token == "" {
			t.Fatalf("token %q created %v", token, created)
		}
		r := roundTrip(t, st, sess)
		if n := countRows(t, db); n != 0 || sess.ID != "" {
			t.Fatalf("a visitor's session wrote %d rows (ID %q)", n, sess.ID)
		}
		cookie, _ := r.Cookie("portal")
		if strings.Contains(cookie.Value, "ann") || len(cookie.Value) > 1000 {
			t.Fatalf("visitor cookie is not sealed or is large: %d bytes", len(cookie.Value))
		}
		loaded, err := st.New(r, "portal")
		if err != nil || !loaded.IsNew || loaded.ID != "" || loaded.Values[visitorKey] != "ann" {
			t.Fatalf("loaded: %+v %v", loaded, err)
		}
		if again, created := st.CSRFToken(loaded); again != token || created {
			t.Fatal("the CSRF token changed between a visitor's requests")
		}
	})
}

// Even a cookie signed with the portal's own keys (an older version, a bug)
// cannot hand a visitor a user or any value that needs a row.
func TestVisitorCookieCarriesOnlyVisitorValues(t *testing.T) {
	keys := newKeyPairs(t)
	st := storeWithKeys(nil, keys, &clock{now: time.Now()})
	type forged struct{ Values map[string]string }
	value, err := securecookie.EncodeMulti("portal", forged{Values: map[string]string{
		visitorKey: "ann", session.KeyUserID: "1", session.KeyPasswordAt: "2026-11-23T09:00:00Z", "pending": "1"}},
		securecookie.CodecsFromPairs(keys...)...)
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("GET", "/", nil)
	r.AddCookie(&http.Cookie{Name: "portal", Value: value})
	sess, err := st.New(r, "portal")
	if err != nil || len(sess.Values) != 1 || sess.Values[visitorKey] != "ann" {
		t.Fatalf("restored %v (%v)", sess.Values, err)
	}
}

// A value the server vouches for moves the session into a row; when only
// visitor values remain, the row goes and the cookie holds them again.
func TestSessionMovesBetweenCookieAndRow(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		st, db, _ := newStore(t, d)
		sess, _ := st.New(httptest.NewRequest("GET", "/", nil), "portal")
		sess.Values[visitorKey] = "ann"
		token, _ := st.CSRFToken(sess)
		r := roundTrip(t, st, sess)

		sess, _ = st.New(r, "portal")
		sess.Values["reset"] = "7"
		r = roundTrip(t, st, sess)
		if n := countRows(t, db); n != 1 || len(sess.ID) != 43 {
			t.Fatalf("rows %d, ID %q", n, sess.ID)
		}
		sess, _ = st.New(r, "portal")
		if sess.IsNew || sess.Values[visitorKey] != "ann" || !st.ValidCSRF(sess, token) {
			t.Fatalf("row session lost the visitor's values: %v", sess.Values)
		}

		delete(sess.Values, "reset")
		r = roundTrip(t, st, sess)
		if n := countRows(t, db); n != 0 || sess.ID != "" {
			t.Fatalf("rows %d after the last server value went", n)
		}
		sess, _ = st.New(r, "portal")
		if sess.Values[visitorKey] != "ann" || !st.ValidCSRF(sess, token) {
			t.Fatalf("values after leaving the row: %v", sess.Values)
		}
	})
}

// securecookie refuses to make a cookie browsers would drop; nothing is sent.
func TestOversizedVisitorCookieIsRefused(t *testing.T) {
	st, _, _ := newStore(t, models.SQLite)
	sess, _ := st.New(httptest.NewRequest("GET", "/", nil), "portal")
	sess.Values[visitorKey] = strings.Repeat("x", 3000)
	w := httptest.NewRecorder()
	if err := st.Save(httptest.NewRequest("GET", "/", nil), w, sess); err == nil {
		t.Fatal("an oversized visitor cookie was accepted")
	}
	if len(w.Result().Cookies()) != 0 {
		t.Fatal("an oversized cookie was sent")
	}
}

// altered changes a token's first character; a fixed replacement would
// leave the one token in 64 that already starts with it unchanged.
func altered(token string) string {
	first := "x"
	if strings.HasPrefix(token, first) {
		first = "y"
	}
	return first + token[1:]
}

func TestCSRFTokens(t *testing.T) {
	st, db, c := newStore(t, models.SQLite)
	ctx := context.Background()
	mine, _ := st.New(httptest.NewRequest("GET", "/", nil), "portal")
	theirs, _ := st.New(httptest.NewRequest("GET", "/", nil), "portal")
	token, _ := st.CSRFToken(mine)
	other, _ := st.CSRFToken(theirs)
	switch {
	case !st.ValidCSRF(mine, token):
		t.Fatal("own token refused")
	case st.ValidCSRF(mine, other):
		t.Fatal("another visitor's token accepted")
	case st.ValidCSRF(mine, "") || st.ValidCSRF(mine, altered(token)):
		t.Fatal("empty or altered token accepted")
	}
	if fresh, _ := st.New(httptest.NewRequest("GET", "/", nil), "portal"); st.ValidCSRF(fresh, "") {
		t.Fatal("a session without a seed accepted an empty token")
	}
	// The form is a hash of the seed, not the seed.
	if seed, _ := mine.Values["csrf"].(string); seed == token || seed == "" {
		t.Fatal("the form token is the cookie's seed")
	}
	// A new key file entry (rotation) keeps tokens of older keys working
	// and makes new ones with the new key.
	old := newKeyPairs(t)
	before := storeWithKeys(db, old, c)
	sess, _ := before.New(httptest.NewRequest("GET", "/", nil), "portal")
	oldToken, _ := before.CSRFToken(sess)
	after := storeWithKeys(db, append(newKeyPairs(t), old...), c)
	if !after.ValidCSRF(sess, oldToken) {
		t.Fatal("token of the previous key refused after rotation")
	}
	if newToken, _ := after.CSRFToken(sess); newToken == oldToken || !after.ValidCSRF(sess, newToken) {
		t.Fatal("rotation did not move tokens to the new key")
	}
	// A new ID brings a new token.
	if err := st.Renew(ctx, mine); err != nil {
		t.Fatal(err)
	}
	if st.ValidCSRF(mine, token) {
		t.Fatal("token survived renewal")
	}
}

// Renewing a signed-in session (a password or privilege change) keeps the
// absolute expiry of its sign-in; renewing at sign-in starts a new one.
func TestRenewKeepsSignInAbsoluteExpiry(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		st, db, c := newStore(t, d)
		ctx := context.Background()
		u := addUser(t, db)

		pending, _ := st.New(httptest.NewRequest("GET", "/", nil), "portal")
		pending.Values[session.KeyPasswordAt] = c.now
		r := roundTrip(t, st, pending)
		c.now = c.now.Add(5 * time.Minute)
		signIn, _ := st.New(r, "portal")
		_ = st.Renew(ctx, signIn)
		signIn.Values[session.KeyUserID] = u.ID
		r = roundTrip(t, st, signIn)
		row, _ := db.Sessions.ByHash(ctx, security.Digest(signIn.ID))
		if want := c.now.Add(12 * time.Hour); !row.AbsoluteExpiresAt.Equal(want) {
			t.Fatalf("sign-in absolute expiry %v, want %v", row.AbsoluteExpiresAt, want)
		}
		signedInAt := c.now

		for range 15 {
			c.now = c.now.Add(20 * time.Minute)
			if s, _ := st.New(r, "portal"); s.IsNew {
				t.Fatal("session ended while active")
			}
		}
		sess, _ := st.New(r, "portal")
		_ = st.Renew(ctx, sess)
		r = roundTrip(t, st, sess)
		row, _ = db.Sessions.ByHash(ctx, security.Digest(sess.ID))
		if want := signedInAt.Add(12 * time.Hour); !row.AbsoluteExpiresAt.Equal(want) {
			t.Fatalf("renewed absolute expiry %v, want the sign-in's %v", row.AbsoluteExpiresAt, want)
		}
		if !row.CreatedAt.Equal(c.now) {
			t.Fatalf("renewed row issued at %v, want now", row.CreatedAt)
		}
		for c.now.Add(20 * time.Minute).Before(signedInAt.Add(12 * time.Hour)) {
			c.now = c.now.Add(20 * time.Minute)
			if s, _ := st.New(r, "portal"); s.IsNew {
				t.Fatal("renewed session ended before the sign-in's absolute expiry")
			}
		}
		c.now = signedInAt.Add(12 * time.Hour)
		if s, _ := st.New(r, "portal"); !s.IsNew {
			t.Fatal("renewed session outlived the sign-in's absolute expiry")
		}
	})
}

func addUser(t testing.TB, db *models.Store) *models.User {
	t.Helper()
	ctx := context.Background()
	a := &models.Account{Number: "12345678", Name: "A", PasswordPreset: "classic", MFAPolicy: "off"}
	if err := db.Accounts.Create(ctx, a); err != nil {
		t.Fatal(err)
	}
	u := &models.User{AccountID: a.ID, Username: "u", UsernameKey: "u", Email: "u@x.io", EmailKey: "u@x.io", DisplayName: "U", Status: "active"}
	if err := db.Users.Create(ctx, u); err != nil {
		t.Fatal(err)
	}
	return u
}
