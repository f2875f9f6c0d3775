package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"accountportal/models"
	"accountportal/models/modelstest"
)

func TestSessionLifecycle(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		a := newAccount(t, s, "44444444")
		u := newUser(t, s, a.ID, "ann", true)
		other := newUser(t, s, a.ID, "bob", false)
		mk := func(hash string, uid *int64, idle time.Time) {
			t.Helper()
			row := &models.Session{IDHash: []byte(hash), UserID: uid, CreatedAt: t0, LastSeenAt: t0,
				IdleExpiresAt: idle, AbsoluteExpiresAt: t0.Add(12 * time.Hour), IdleTimeoutSeconds: 1800,
				IP: "192.0.2.1", UserAgent: "test", Data: "{}"}
			if err := s.Sessions.Create(ctx, row); err != nil {
				t.Fatal(err)
			}
		}
		mk("a1", &u.ID, t0.Add(30*time.Minute))
		mk("a2", &u.ID, t0.Add(30*time.Minute))
		mk("b1", &other.ID, t0.Add(30*time.Minute))
		mk("anon", nil, t0.Add(-time.Second))

		if err := s.Sessions.Touch(ctx, []byte("a1"), t0.Add(time.Minute), t0.Add(31*time.Minute)); err != nil {
			t.Fatal(err)
		}
		pw := t0.Add(time.Minute)
		if err := s.Sessions.UpdateState(ctx, []byte("a1"), models.SessionState{UserID: &u.ID, Data: `{"k":"v"}`, PasswordAt: &pw}); err != nil {
			t.Fatal(err)
		}
		row, err := s.Sessions.ByHash(ctx, []byte("a1"))
		if err != nil || row.Data != `{"k":"v"}` || !row.PasswordAt.Equal(pw) || !row.IdleExpiresAt.Equal(t0.Add(31*time.Minute)) {
			t.Fatalf("session a1: %+v %v", row, err)
		}
		live, err := s.Sessions.OfUser(ctx, u.ID, t0)
		if err != nil || len(live) != 2 || string(live[0].IDHash) != "a1" {
			t.Fatalf("sessions of user: %v %v", live, err)
		}

		n, err := s.Sessions.RevokeUser(ctx, u.ID, "suspended", t0)
		if err != nil || n != 2 {
			t.Fatalf("revoked %d, err %v", n, err)
		}
		row, _ = s.Sessions.ByHash(ctx, []byte("a2"))
		if row.RevokedReason == nil || *row.RevokedReason != "suspended" {
			t.Fatalf("revoked row keeps no reason: %+v", row)
		}
		if err := s.Sessions.Touch(ctx, []byte("a2"), t0, t0); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("touching a revoked session: %v", err)
		}
		if err := s.Sessions.UpdateState(ctx, []byte("a2"), models.SessionState{Data: "{}"}); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("updating a revoked session: %v", err)
		}
		if row, _ := s.Sessions.ByHash(ctx, []byte("b1")); row.RevokedAt != nil {
			t.Fatal("another user's session was revoked")
		}

		gone, err := s.Sessions.DeleteExpired(ctx, t0, 100)
		if err != nil || gone != 1 {
			t.Fatalf("expired sessions deleted: %d %v", gone, err)
		}
		if _, err := s.Sessions.ByHash(ctx, []byte("anon")); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("expired session still there: %v", err)
		}
		if err := s.Sessions.Delete(ctx, []byte("b1")); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Sessions.ByHash(ctx, []byte("b1")); !errors.Is(err, models.ErrNotFound) {
			t.Fatal("deleted session still there")
		}
	})
}

// Times are compared inside SQL (expiry, throttle windows); on SQLite they
// are text, so sub-second and whole-second values must still order right.
func TestTimeComparisonsAcrossFractions(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		whole := t0
		frac := t0.Add(500 * time.Millisecond)
		for i, exp := range []time.Time{whole, frac, t0.Add(150 * time.Millisecond)} {
			row := &models.Session{IDHash: []byte{byte(i)}, CreatedAt: t0, LastSeenAt: t0, IdleExpiresAt: exp,
				AbsoluteExpiresAt: t0.Add(time.Hour), IdleTimeoutSeconds: 60, Data: "{}"}
			if err := s.Sessions.Create(ctx, row); err != nil {
				t.Fatal(err)
			}
		}
		n, err := s.Sessions.DeleteExpired(ctx, t0.Add(200*time.Millisecond), 10)
		if err != nil || n != 2 {
			t.Fatalf("deleted %d sessions expired before +200ms, want 2 (err %v)", n, err)
		}
	})
}

// A user's newest sessions are listed and kept; the rest are revoked in one
// statement with the reason, leaving other users alone.
func TestRecentSessionsAndLimit(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		a := newAccount(t, s, "55555555")
		u := newUser(t, s, a.ID, "ann", true)
		other := newUser(t, s, a.ID, "bob", false)
		mk := func(i int, uid int64) {
			t.Helper()
			seen := t0.Add(time.Duration(i) * time.Second)
			row := &models.Session{IDHash: []byte{byte(uid), byte(i)}, UserID: &uid, CreatedAt: t0, LastSeenAt: seen,
				IdleExpiresAt: t0.Add(30 * time.Minute), AbsoluteExpiresAt: t0.Add(12 * time.Hour), IdleTimeoutSeconds: 1800, Data: "{}"}
			if err := s.Sessions.Create(ctx, row); err != nil {
				t.Fatal(err)
			}
		}
		for i := range 30 {
			mk(i, u.ID)
		}
		mk(0, other.ID)

		recent, err := s.Sessions.Recent(ctx, u.ID, t0, 5)
		if err != nil || len(recent) != 5 || recent[0].IDHash[1] != 29 || recent[4].IDHash[1] != 25 {
			t.Fatalf("recent sessions: %d %v", len(recent), err)
		}
		if n, err := s.Sessions.CountOfUser(ctx, u.ID, t0); err != nil || n != 30 {
			t.Fatalf("count %d %v", n, err)
		}
		n, err := s.Sessions.RevokeBeyond(ctx, u.ID, 9, models.RevokedSessionLimit, t0)
		if err != nil || n != 21 {
			t.Fatalf("revoked %d %v", n, err)
		}
		live, _ := s.Sessions.OfUser(ctx, u.ID, t0)
		if len(live) != 9 || live[8].IDHash[1] != 21 {
			t.Fatalf("kept %d sessions, oldest kept %v", len(live), live[len(live)-1].IDHash)
		}
		row, _ := s.Sessions.ByHash(ctx, []byte{byte(u.ID), 0})
		if row.RevokedReason == nil || *row.RevokedReason != models.RevokedSessionLimit {
			t.Fatalf("oldest session: %+v", row)
		}
		if n, _ := s.Sessions.CountOfUser(ctx, other.ID, t0); n != 1 {
			t.Fatal("another user's session was revoked")
		}
		if n, err := s.Sessions.RevokeBeyond(ctx, u.ID, 0, models.RevokedSessionLimit, t0); err != nil || n != 9 {
			t.Fatalf("keep none: %d %v", n, err)
		}
	})
}

// Listed puts the current session first wherever its recency would place
// it, counts every live session beyond the limit, and leaves out revoked,
// idle-expired and other users' sessions, in both dialects.
func TestListedSessions(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		a := newAccount(t, s, "56565656")
		u := newUser(t, s, a.ID, "ann", true)
		other := newUser(t, s, a.ID, "bob", false)
		mk := func(i int, uid int64, idle time.Time) {
			t.Helper()
			row := &models.Session{IDHash: []byte{byte(uid), byte(i)}, UserID: &uid, CreatedAt: t0,
				LastSeenAt: t0.Add(time.Duration(i) * time.Second), IdleExpiresAt: idle,
				AbsoluteExpiresAt: t0.Add(12 * time.Hour), IdleTimeoutSeconds: 1800, Data: "{}"}
			if err := s.Sessions.Create(ctx, row); err != nil {
				t.Fatal(err)
			}
		}
		for i := range 8 {
			mk(i, u.ID, t0.Add(30*time.Minute))
		}
		mk(20, u.ID, t0.Add(-time.Second)) // idle-expired, and the most recent
		mk(21, u.ID, t0.Add(30*time.Minute))
		if _, err := s.Sessions.RevokeOthers(ctx, u.ID, []byte{byte(u.ID), 0}, "test", t0); err != nil {
			t.Fatal(err)
		}
		for i := 30; i < 36; i++ {
			mk(i, u.ID, t0.Add(30*time.Minute))
		}
		mk(40, other.ID, t0.Add(30*time.Minute))
		// Live: 0 (the oldest) and 30..35.
		tests := []struct {
			name    string
			current []byte
			limit   int
			want    []byte // second bytes of the hashes, in order
		}{
			{"current oldest, beyond the limit", []byte{byte(u.ID), 0}, 3, []byte{0, 35, 34}},
			{"current most recent", []byte{byte(u.ID), 35}, 3, []byte{35, 34, 33}},
			{"current in the middle", []byte{byte(u.ID), 32}, 10, []byte{32, 35, 34, 33, 31, 30, 0}},
			{"current revoked", []byte{byte(u.ID), 5}, 2, []byte{35, 34}},
			{"current expired", []byte{byte(u.ID), 20}, 2, []byte{35, 34}},
			{"current another user's", []byte{byte(other.ID), 40}, 2, []byte{35, 34}},
		}
		for _, tc := range tests {
			rows, total, err := s.Sessions.Listed(ctx, u.ID, tc.current, t0, tc.limit)
			if err != nil || total != 7 {
				t.Fatalf("%s: total %d, %v", tc.name, total, err)
			}
			var got []byte
			for _, r := range rows {
				if *r.UserID != u.ID {
					t.Fatalf("%s: listed another user's session", tc.name)
				}
				got = append(got, r.IDHash[1])
			}
			if string(got) != string(tc.want) {
				t.Errorf("%s: listed %v, want %v", tc.name, got, tc.want)
			}
		}
		if rows, total, err := s.Sessions.Listed(ctx, 999999, nil, t0, 3); err != nil || total != 0 || len(rows) != 0 {
			t.Errorf("user without sessions: %d rows, total %d, %v", len(rows), total, err)
		}
	})
}
