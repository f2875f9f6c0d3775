package session_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gorilla/sessions"

	"accountportal/app/security"
	"accountportal/app/session"
	"accountportal/models"
	"accountportal/models/modelstest"
)

func TestMain(m *testing.M) { modelstest.Main(m) }

type clock struct{ now time.Time }

func (c *clock) Now() time.Time { return c.now }

func newStore(t testing.TB, d models.Dialect) (*session.Store, *models.Store, *clock) {
	t.Helper()
	c := &clock{now: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	db := modelstest.Open(t, d, c.Now)
	return storeWithKeys(db, newKeyPairs(t), c), db, c
}

// visitorKey is the one value test sessions may keep without a row.
const visitorKey = "typed"

func storeWithKeys(db *models.Store, keyPairs [][]byte, c *clock) *session.Store {
	return session.NewStore(db, keyPairs, c.Now, session.Config{
		Idle: 30 * time.Minute, Absolute: 12 * time.Hour,
		ClientIP:    func(*http.Request) string { return "192.0.2.9" },
		VisitorKeys: []string{visitorKey},
	})
}

func newKeyPairs(t testing.TB) [][]byte {
	t.Helper()
	keys, err := security.NewMemoryKeyRing()
	if err != nil {
		t.Fatal(err)
	}
	return keys.CookieKeyPairs()
}

// roundTrip saves sess as a response and returns a request carrying the
// cookie that response set.
func roundTrip(t testing.TB, st *session.Store, sess *sessions.Session) *http.Request {
	t.Helper()
	w := httptest.NewRecorder()
	if err := st.Save(httptest.NewRequest("GET", "/", nil), w, sess); err != nil {
		t.Fatalf("save: %v", err)
	}
	r := httptest.NewRequest("GET", "/", nil)
	for _, c := range w.Result().Cookies() {
		r.AddCookie(c)
	}
	return r
}

func TestNewSessionRoundTrip(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		st, db, _ := newStore(t, d)
		sess, err := st.New(httptest.NewRequest("GET", "/", nil), "portal")
		if err != nil || !sess.IsNew || sess.ID != "" {
			t.Fatalf("fresh session: %+v %v", sess, err)
		}
		sess.Values["k"] = "v"
		r := roundTrip(t, st, sess)
		if len(sess.ID) != 43 {
			t.Fatalf("session ID %q is not 256 random bits", sess.ID)
		}
		cookie, _ := r.Cookie("portal")
		if cookie.Value == sess.ID || len(cookie.Value) < 60 {
			t.Fatal("cookie carries the raw ID instead of a signed, encrypted one")
		}
		row, err := db.Sessions.ByHash(context.Background(), security.Digest(sess.ID))
		if err != nil || row.IP != "192.0.2.9" || row.UserID != nil {
			t.Fatalf("row: %+v %v", row, err)
		}
		loaded, err := st.New(r, "portal")
		if err != nil || loaded.IsNew || loaded.Values["k"] != "v" {
			t.Fatalf("loaded: %+v %v", loaded, err)
		}
	})
}

func TestTamperedOrForeignCookieStartsFresh(t *testing.T) {
	st, _, _ := newStore(t, models.SQLite)
	other, _, _ := newStore(t, models.SQLite)
	sess, _ := st.New(httptest.NewRequest("GET", "/", nil), "portal")
	sess.Values["k"] = "v"
	r := roundTrip(t, st, sess)
	cookie, _ := r.Cookie("portal")
	visitor, _ := st.New(httptest.NewRequest("GET", "/", nil), "portal")
	visitor.Values[visitorKey] = "ann"
	vr := roundTrip(t, st, visitor)
	vcookie, _ := vr.Cookie("portal")

	for name, value := range map[string]string{
		"tampered":         altered(cookie.Value),
		"tampered visitor": altered(vcookie.Value),
		"garbage":          "not-a-cookie",
	} {
		req := httptest.NewRequest("GET", "/", nil)
		req.AddCookie(&http.Cookie{Name: "portal", Value: value})
		if s, _ := st.New(req, "portal"); !s.IsNew || len(s.Values) != 0 {
			t.Errorf("%s cookie accepted", name)
		}
	}
	// Signed with another portal's keys: refused.
	for name, r := range map[string]*http.Request{"session": r, "visitor": vr} {
		if s, _ := other.New(r, "portal"); !s.IsNew || len(s.Values) != 0 {
			t.Errorf("%s cookie from other keys accepted", name)
		}
	}
}

func TestUserAndPasswordTimeLiveInColumns(t *testing.T) {
	st, db, c := newStore(t, models.SQLite)
	ctx := context.Background()
	a := &models.Account{Number: "12345678", Name: "A", PasswordPreset: "classic", MFAPolicy: "off"}
	_ = db.Accounts.Create(ctx, a)
	u := &models.User{AccountID: a.ID, Username: "u", UsernameKey: "u", Email: "u@x.io", EmailKey: "u@x.io", DisplayName: "U", Status: "active"}
	_ = db.Users.Create(ctx, u)

	sess, _ := st.New(httptest.NewRequest("GET", "/", nil), "portal")
	sess.Values[session.KeyUserID] = u.ID
	sess.Values[session.KeyPasswordAt] = c.now
	r := roundTrip(t, st, sess)
	live, _ := db.Sessions.OfUser(ctx, u.ID, c.now)
	if len(live) != 1 || live[0].PasswordAt == nil || !live[0].PasswordAt.Equal(c.now) {
		t.Fatalf("columns not written: %+v", live)
	}
	loaded, _ := st.New(r, "portal")
	if loaded.Values[session.KeyUserID] != u.ID {
		t.Fatalf("user id read back as %v", loaded.Values[session.KeyUserID])
	}
	sess.Values["bad"] = 42
	if err := st.Save(httptest.NewRequest("GET", "/", nil), httptest.NewRecorder(), sess); err == nil {
		t.Fatal("non-string value saved")
	}
}

func TestExpiryAndTouch(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		st, _, c := newStore(t, d)
		sess, _ := st.New(httptest.NewRequest("GET", "/", nil), "portal")
		sess.Values["k"] = "v"
		r := roundTrip(t, st, sess)

		c.now = c.now.Add(20 * time.Minute)
		if s, _ := st.New(r, "portal"); s.IsNew {
			t.Fatal("expired after 20 idle minutes")
		}
		// That request touched the session, so 20 more minutes are fine.
		c.now = c.now.Add(20 * time.Minute)
		if s, _ := st.New(r, "portal"); s.IsNew {
			t.Fatal("touch did not extend the idle expiry")
		}
		c.now = c.now.Add(30 * time.Minute)
		if s, _ := st.New(r, "portal"); !s.IsNew {
			t.Fatal("alive after 30 idle minutes")
		}
	})
}

func TestRenewDeletesOldRow(t *testing.T) {
	st, db, _ := newStore(t, models.SQLite)
	ctx := context.Background()
	sess, _ := st.New(httptest.NewRequest("GET", "/", nil), "portal")
	sess.Values["k"] = "v"
	old := roundTrip(t, st, sess)
	oldID := sess.ID
	if err := st.Renew(ctx, sess); err != nil {
		t.Fatal(err)
	}
	fresh := roundTrip(t, st, sess)
	if sess.ID == oldID {
		t.Fatal("ID not renewed")
	}
	if _, err := db.Sessions.ByHash(ctx, security.Digest(oldID)); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("old row: %v", err)
	}
	if s, _ := st.New(old, "portal"); !s.IsNew {
		t.Fatal("old cookie still opens the session")
	}
	if s, _ := st.New(fresh, "portal"); s.IsNew || s.Values["k"] != "v" {
		t.Fatal("values lost on renew")
	}
}

func TestDeletedSessionIsNotRevived(t *testing.T) {
	st, _, _ := newStore(t, models.SQLite)
	sess, _ := st.New(httptest.NewRequest("GET", "/", nil), "portal")
	sess.Values["k"] = "v"
	r := roundTrip(t, st, sess)
	loaded, _ := st.New(r, "portal")
	// Signed out in another tab while this request ran.
	sess.Options.MaxAge = -1
	_ = st.Save(r, httptest.NewRecorder(), sess)
	loaded.Values["k"] = "v"
	if err := st.Save(r, httptest.NewRecorder(), loaded); !errors.Is(err, session.ErrGone) {
		t.Fatalf("saving a deleted session: %v", err)
	}
	if s, _ := st.New(r, "portal"); !s.IsNew {
		t.Fatal("deleted session came back")
	}
}

// BenchmarkSessionLookup measures what every signed-in request pays to find
// its session: cookie decode, SHA-256 and one primary-key read.
func BenchmarkSessionLookup(b *testing.B) {
	for _, d := range modelstest.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			st, _, _ := newStore(b, d)
			sess, _ := st.New(httptest.NewRequest("GET", "/", nil), "portal")
			sess.Values["k"] = "v"
			r := roundTrip(b, st, sess)
			b.ReportAllocs()
			for b.Loop() {
				if s, err := st.New(r, "portal"); err != nil || s.IsNew {
					b.Fatal("lookup failed", err)
				}
			}
		})
	}
}

// Reader finds a live session's user without changing the session: a
// revoked one reads as nobody and still tells its next page why.
func TestReaderLooksWithoutTouching(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		st, db, c := newStore(t, d)
		ctx := context.Background()
		a := &models.Account{Number: "12345678", Name: "A", PasswordPreset: "classic", MFAPolicy: "off", Language: "fr"}
		if err := db.Accounts.Create(ctx, a); err != nil {
			t.Fatal(err)
		}
		u := &models.User{AccountID: a.ID, Username: "u", UsernameKey: "u", Email: "u@x.io", EmailKey: "u@x.io",
			DisplayName: "U", Status: "active", Language: "es"}
		if err := db.Users.Create(ctx, u); err != nil {
			t.Fatal(err)
		}
		if got, err := st.Reader(httptest.NewRequest("GET", "/", nil), "portal"); got != nil || err != nil {
			t.Fatalf("no cookie: %v, %v", got, err)
		}
		visitor, _ := st.New(httptest.NewRequest("GET", "/", nil), "portal")
		visitor.Values[visitorKey] = "ann"
		if got, err := st.Reader(roundTrip(t, st, visitor), "portal"); got != nil || err != nil {
			t.Fatalf("visitor's cookie: %v, %v", got, err)
		}
		sess, _ := st.New(httptest.NewRequest("GET", "/", nil), "portal")
		sess.Values[session.KeyUserID] = u.ID
		r := roundTrip(t, st, sess)
		got, err := st.Reader(r, "portal")
		if err != nil || got == nil || got.ID != u.ID || got.Language != "es" || got.Account.Language != "fr" {
			t.Fatalf("signed in: %+v, %v", got, err)
		}
		if _, err := db.Sessions.RevokeUser(ctx, u.ID, "signed_out_by_admin", c.now); err != nil {
			t.Fatal(err)
		}
		if got, err := st.Reader(r, "portal"); got != nil || err != nil {
			t.Fatalf("revoked: %v, %v", got, err)
		}
		if s, _ := st.New(r, "portal"); s.Values[session.KeyRevoked] != "signed_out_by_admin" {
			t.Fatalf("the revocation's reason went: %v", s.Values)
		}
	})
}
