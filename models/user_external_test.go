package models_test

import (
	"context"
	"errors"
	"testing"

	"accountportal/models"
	"accountportal/models/modelstest"
)

// A SCIM externalId is unique in its account when set: another account
// may use the same one, and any number of users have none. Matches on it
// and on the other SCIM filter fields find only the account's users.
func TestUserExternalID(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		a := newAccount(t, s, "77777771")
		b := newAccount(t, s, "77777772")
		ann := newUser(t, s, a.ID, "ann", true)
		bob := newUser(t, s, a.ID, "bob", false)
		newUser(t, s, a.ID, "cid", false)
		zed := newUser(t, s, b.ID, "zed", true)
		ext := "00u1"
		if err := s.Users.SetExternalID(ctx, a.ID, ann.ID, &ext, fixedNow()); err != nil {
			t.Fatal(err)
		}
		if err := s.Users.SetExternalID(ctx, b.ID, zed.ID, &ext, fixedNow()); err != nil {
			t.Errorf("the same externalId in another account: %v", err)
		}
		if err := s.Users.SetExternalID(ctx, a.ID, bob.ID, &ext, fixedNow()); !errors.Is(err, models.ErrConflict) {
			t.Errorf("a taken externalId: %v, want ErrConflict", err)
		}
		if err := s.Users.SetExternalID(ctx, a.ID, zed.ID, &ext, fixedNow()); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("another account's user: %v, want ErrNotFound", err)
		}
		if u, err := s.Users.ByExternalID(ctx, a.ID, ext); err != nil || u.ID != ann.ID {
			t.Errorf("ByExternalID: %v %v", u, err)
		}
		if _, err := s.Users.ByExternalID(ctx, a.ID, "00U1"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("externalId is case-exact: %v", err)
		}
		match := &models.UserMatch{Or: true, Parts: []models.UserMatch{
			{Field: models.MatchExternalID, Value: ext},
			{Field: models.MatchUsernameKey, Value: "bob"},
			{Field: models.MatchUsernameKey, Value: "zed"},
		}}
		f := models.UserFilter{AccountID: a.ID, Match: match}
		users, err := s.Users.ListByID(ctx, f, 0, 10)
		if err != nil || len(users) != 2 || users[0].ID != ann.ID || users[1].ID != bob.ID {
			t.Errorf("match: %v %v", users, err)
		}
		if n, err := s.Users.Count(ctx, f); err != nil || n != 2 {
			t.Errorf("count: %d %v", n, err)
		}
		if users, err := s.Users.ListByID(ctx, f, 1, 10); err != nil || len(users) != 1 || users[0].ID != bob.ID {
			t.Errorf("offset 1: %v %v", users, err)
		}
		bad := models.UserFilter{AccountID: a.ID, Match: &models.UserMatch{Field: "password_hash", Value: "x"}}
		if _, err := s.Users.ListByID(ctx, bad, 0, 10); err == nil {
			t.Error("a match on a column outside the list ran")
		}
	})
}
