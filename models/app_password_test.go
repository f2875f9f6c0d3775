package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"accountportal/models"
	"accountportal/models/modelstest"
)

func TestAppPasswordStore(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		a := newAccount(t, s, "55555555")
		b := newAccount(t, s, "55555556")
		ann := newUser(t, s, a.ID, "ann", true)
		bob := newUser(t, s, a.ID, "bob", false)
		cat := newUser(t, s, b.ID, "cat", true)
		if !a.AppPasswordsEnabled {
			t.Fatal("a new account has app passwords off; the default is on")
		}
		mk := func(u *models.User, name, digest string) *models.AppPassword {
			t.Helper()
			p := &models.AppPassword{AccountID: u.AccountID, UserID: u.ID, Name: name, Digest: []byte(digest), CreatedAt: t0}
			if err := s.AppPasswords().Create(ctx, p); err != nil {
				t.Fatal(err)
			}
			return p
		}
		p1 := mk(ann, "ACT!", "d1")
		p2 := mk(ann, "Sugar", "d2")
		mk(bob, "Bob's", "d3")
		catP := mk(cat, "Cat's", "d4")
		dup := &models.AppPassword{AccountID: a.ID, UserID: ann.ID, Name: "again", Digest: []byte("d1"), CreatedAt: t0}
		if err := s.AppPasswords().Create(ctx, dup); !errors.Is(err, models.ErrConflict) {
			t.Fatalf("duplicate digest: %v", err)
		}

		live, err := s.AppPasswords().LiveOf(ctx, a.ID, ann.ID)
		if err != nil || len(live) != 2 || live[0].ID != p2.ID || live[1].ID != p1.ID {
			t.Fatalf("ann's list, newest first: %+v %v", live, err)
		}
		// Scoped by account: ann's id under another account lists nothing.
		if other, err := s.AppPasswords().LiveOf(ctx, b.ID, ann.ID); err != nil || len(other) != 0 {
			t.Fatalf("ann's list under account b: %+v %v", other, err)
		}
		if n, err := s.AppPasswords().CountLive(ctx, ann.ID); err != nil || n != 2 {
			t.Fatalf("count: %d %v", n, err)
		}
		got, err := s.AppPasswords().ByDigest(ctx, []byte("d2"))
		if err != nil || got.ID != p2.ID || got.UserID != ann.ID || got.LastUsedAt != nil {
			t.Fatalf("by digest: %+v %v", got, err)
		}
		if _, err := s.AppPasswords().ByDigest(ctx, []byte("nope")); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("unknown digest: %v", err)
		}

		// Last use is written at most once a minute.
		for i, c := range []struct {
			at    time.Duration
			ip    string
			wrote bool
		}{{0, "192.0.2.1", true}, {30 * time.Second, "192.0.2.2", false}, {time.Minute, "192.0.2.3", true}} {
			wrote, err := s.AppPasswords().MarkUsed(ctx, p1.ID, c.ip, t0.Add(c.at), time.Minute)
			if err != nil || wrote != c.wrote {
				t.Fatalf("use %d: wrote=%v %v", i, wrote, err)
			}
		}
		got, _ = s.AppPasswords().ByDigest(ctx, []byte("d1"))
		if got.LastUsedAt == nil || !got.LastUsedAt.Equal(t0.Add(time.Minute)) || got.LastUsedIP != "192.0.2.3" {
			t.Fatalf("last use: %v %q", got.LastUsedAt, got.LastUsedIP)
		}

		// Revoking one: only the owner's, in their account, and only once.
		if _, err := s.AppPasswords().Revoke(ctx, a.ID, bob.ID, p1.ID, "x", t0); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("bob revoking ann's: %v", err)
		}
		if _, err := s.AppPasswords().Revoke(ctx, b.ID, ann.ID, p1.ID, "x", t0); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("revoking under another account: %v", err)
		}
		r, err := s.AppPasswords().Revoke(ctx, a.ID, ann.ID, p1.ID, models.AppPasswordRevokedByUser, t0)
		if err != nil || r.Name != "ACT!" || r.RevokedAt == nil {
			t.Fatalf("revoke: %+v %v", r, err)
		}
		if _, err := s.AppPasswords().Revoke(ctx, a.ID, ann.ID, p1.ID, "x", t0); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("revoking twice: %v", err)
		}
		got, _ = s.AppPasswords().ByDigest(ctx, []byte("d1"))
		if got.RevokedAt == nil || got.RevokedReason != models.AppPasswordRevokedByUser {
			t.Fatalf("revoked row: %+v", got)
		}
		if n, _ := s.AppPasswords().CountLive(ctx, ann.ID); n != 1 {
			t.Fatalf("count after revoke: %d", n)
		}

		// A user's, in one statement; then an account's.
		if n, err := s.AppPasswords().RevokeOf(ctx, []int64{ann.ID}, models.AppPasswordPasswordChanged, t0); err != nil || n != 1 {
			t.Fatalf("revoke of ann: %d %v", n, err)
		}
		if n, err := s.AppPasswords().RevokeAccount(ctx, a.ID, models.AppPasswordTurnedOffByAdmins, t0); err != nil || n != 1 {
			t.Fatalf("revoke account a: %d %v", n, err)
		}
		if got, _ := s.AppPasswords().ByDigest(ctx, []byte("d4")); got.RevokedAt != nil || got.ID != catP.ID {
			t.Fatalf("another account's app password was revoked: %+v", got)
		}

		// The setting.
		if err := s.Accounts.SetAppPasswords(ctx, a.ID, false, t0); err != nil {
			t.Fatal(err)
		}
		if on, err := s.Accounts.AppPasswordsOn(ctx, a.ID); err != nil || on {
			t.Fatalf("setting after turning off: %v %v", on, err)
		}
		if on, err := s.Accounts.AppPasswordsOn(ctx, b.ID); err != nil || !on {
			t.Fatalf("other account's setting: %v %v", on, err)
		}
	})
}

// TestAppPasswordsRevokedWithPasswordAndSuspension checks the two store
// methods every password change and every suspension go through.
func TestAppPasswordsRevokedWithPasswordAndSuspension(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		a := newAccount(t, s, "66666666")
		ann := newUser(t, s, a.ID, "ann", true)
		bob := newUser(t, s, a.ID, "bob", false)
		for i, u := range []*models.User{ann, ann, bob} {
			p := &models.AppPassword{AccountID: a.ID, UserID: u.ID, Name: "p", Digest: []byte{byte(i)}, CreatedAt: t0}
			if err := s.AppPasswords().Create(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		count := func(u *models.User) int64 {
			n, err := s.AppPasswords().CountLive(ctx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		// A rehash is no change of password.
		if err := s.Users.SetPasswordHash(ctx, ann.ID, "$argon2id$rehash", false, t0); err != nil || count(ann) != 2 {
			t.Fatalf("rehash revoked app passwords: %v, %d left", err, count(ann))
		}
		// A change inside a transaction that fails keeps them.
		boom := errors.New("boom")
		err := s.InTx(ctx, func(tx *models.Store) error {
			if err := tx.Users.SetPasswordHash(ctx, ann.ID, "$argon2id$new", true, t0); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) || count(ann) != 2 {
			t.Fatalf("rolled back change: %v, %d left", err, count(ann))
		}
		if err := s.Users.SetPasswordHash(ctx, ann.ID, "$argon2id$new", true, t0); err != nil || count(ann) != 0 || count(bob) != 1 {
			t.Fatalf("password change: %v; ann %d, bob %d", err, count(ann), count(bob))
		}
		if err := s.Users.Suspend(ctx, []int64{bob.ID}, t0); err != nil || count(bob) != 0 {
			t.Fatalf("suspension: %v; bob %d", err, count(bob))
		}
		p, _ := s.AppPasswords().ByDigest(ctx, []byte{2})
		if p.RevokedReason != models.AppPasswordUserSuspended {
			t.Fatalf("reason: %q", p.RevokedReason)
		}
	})
}
