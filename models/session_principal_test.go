package models_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"accountportal/models"
	"accountportal/models/modelstest"
)

// ByHashWithUser must read exactly what ByHash and PrincipalByID read
// separately, for a session with a user and for one without.
func TestSessionWithUserReadsWhatTheTwoReadsWould(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		a := newAccount(t, s, "45454545")
		u := newUser(t, s, a.ID, "ann", true)
		bob := newUser(t, s, a.ID, "bob", false)
		for _, perm := range []string{"users", "billing.info"} {
			if err := s.Privileges.Grant(ctx, &models.UserPermission{UserID: bob.ID, Permission: perm, GrantedAt: t0}); err != nil {
				t.Fatal(err)
			}
		}
		mk := func(hash string, uid *int64) {
			t.Helper()
			row := &models.Session{IDHash: []byte(hash), UserID: uid, CreatedAt: t0, LastSeenAt: t0,
				IdleExpiresAt: t0.Add(time.Hour), AbsoluteExpiresAt: t0.Add(12 * time.Hour), IdleTimeoutSeconds: 1800,
				IP: "192.0.2.1", UserAgent: "test", Data: `{"k":"v"}`}
			if err := s.Sessions.Create(ctx, row); err != nil {
				t.Fatal(err)
			}
		}
		mk("ann", &u.ID)
		mk("bob", &bob.ID)
		mk("pending", nil)
		for _, c := range []struct {
			hash string
			user *models.User
		}{{"ann", u}, {"bob", bob}, {"pending", nil}} {
			sess, pu, err := s.Sessions.ByHashWithUser(ctx, []byte(c.hash), t0)
			if err != nil {
				t.Fatalf("%s: %v", c.hash, err)
			}
			want, _ := s.Sessions.ByHash(ctx, []byte(c.hash))
			if !reflect.DeepEqual(normalSession(sess), normalSession(want)) {
				t.Errorf("%s: session\n%+v, want\n%+v", c.hash, sess, want)
			}
			if c.user == nil {
				if pu != nil {
					t.Errorf("%s: a user for a session without one: %+v", c.hash, pu)
				}
				continue
			}
			wantUser, err := s.Users.PrincipalByID(ctx, c.user.ID, t0)
			if err != nil {
				t.Fatal(err)
			}
			if pu == nil || !reflect.DeepEqual(normalPrincipal(pu), normalPrincipal(wantUser)) {
				t.Errorf("%s: user\n%+v, want\n%+v", c.hash, pu, wantUser)
			}
		}
		if _, _, err := s.Sessions.ByHashWithUser(ctx, []byte("nobody"), t0); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("unknown session: %v", err)
		}
	})
}

// normalSession and normalPrincipal drop what differs only in how a
// driver hands back a time's location.
func normalSession(s *models.Session) models.Session {
	c := *s
	c.CreatedAt, c.LastSeenAt, c.IdleExpiresAt, c.AbsoluteExpiresAt = c.CreatedAt.UTC(), c.LastSeenAt.UTC(), c.IdleExpiresAt.UTC(), c.AbsoluteExpiresAt.UTC()
	return c
}

func normalPrincipal(p *models.PrincipalUser) models.PrincipalUser {
	c := *p
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	c.Account.CreatedAt = c.Account.CreatedAt.UTC()
	return c
}
