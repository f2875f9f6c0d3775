package models_test

import (
	"context"
	"errors"
	"testing"

	"accountportal/models"
	"accountportal/models/modelstest"
)

// A username typed on an administrator's form finds only a user of their
// own account: another account's answers as if nobody had the name.
func TestUserByUsernameInAccount(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		a := newAccount(t, s, "77777777")
		b := newAccount(t, s, "77777778")
		ann := newUser(t, s, a.ID, "ann", true)
		zed := newUser(t, s, b.ID, "zed", true)
		cases := []struct {
			name    string
			account int64
			key     string
			want    int64
		}{
			{"own account's user", a.ID, "ann", ann.ID},
			{"the other account's own user", b.ID, "zed", zed.ID},
			{"another account's user", a.ID, "zed", 0},
			{"nobody's username", a.ID, "nobody", 0},
			{"empty key", a.ID, "", 0},
		}
		for _, c := range cases {
			u, err := s.Users.ByUsernameInAccount(ctx, c.account, c.key)
			switch {
			case c.want == 0 && !errors.Is(err, models.ErrNotFound):
				t.Errorf("%s: %v, %v; want ErrNotFound", c.name, u, err)
			case c.want != 0 && (err != nil || u.ID != c.want):
				t.Errorf("%s: %v, %v; want user %d", c.name, u, err, c.want)
			}
		}
	})
}
