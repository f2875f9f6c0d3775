package models_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"accountportal/models"
	"accountportal/models/modelstest"
)

// TestPendingAccountActivatesOnce: a pending account becomes active once,
// however many try at once; an active account is not "activated" again.
func TestPendingAccountActivatesOnce(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		a := &models.Account{Number: "45454545", Name: "Pending Ltd", PasswordPreset: "classic", MFAPolicy: models.MFAOff,
			Status: models.AccountPending}
		if err := s.Accounts.Create(ctx, a); err != nil {
			t.Fatal(err)
		}
		active := newAccount(t, s, "46464646")
		var wg sync.WaitGroup
		wins := make(chan struct{}, 10)
		for range 10 {
			wg.Go(func() {
				if s.Accounts.ActivatePending(ctx, a.ID, t0) == nil {
					wins <- struct{}{}
				}
			})
		}
		wg.Wait()
		if len(wins) != 1 {
			t.Fatalf("%d activations succeeded", len(wins))
		}
		got, _ := s.Accounts.ByID(ctx, a.ID)
		if got.Status != models.AccountActive || got.StatusChangedAt == nil || !got.StatusChangedAt.Equal(t0) {
			t.Errorf("activated account: %q %v", got.Status, got.StatusChangedAt)
		}
		if err := s.Accounts.ActivatePending(ctx, active.ID, t0); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("activating an active account: %v", err)
		}
	})
}

// TestInvitedUserJoinsOnce: Join gives an invited user their password and
// question and makes them active; a user who is not invited is untouched.
func TestInvitedUserJoinsOnce(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		a := newAccount(t, s, "47474747")
		u := &models.User{AccountID: a.ID, Username: "ivy", UsernameKey: "ivy", Email: "ivy@example.com",
			EmailKey: "ivy@example.com", DisplayName: "Ivy", Status: models.StatusInvited, IsPrimaryAdmin: true}
		if err := s.Users.Create(ctx, u); err != nil {
			t.Fatal(err)
		}
		if err := s.Users.Join(ctx, u.ID, "$argon2id$pw", "First ferry?", "$argon2id$answer", t0); err != nil {
			t.Fatal(err)
		}
		got, _ := s.Users.ByIDAnyAccount(ctx, u.ID)
		if got.Status != models.StatusActive || got.PasswordHash != "$argon2id$pw" || got.SecurityQuestion != "First ferry?" ||
			got.SecurityAnswerHash != "$argon2id$answer" || got.PasswordChangedAt == nil {
			t.Errorf("joined user: %+v", got)
		}
		if err := s.Users.Join(ctx, u.ID, "$argon2id$other", "", "", t0); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("joining twice: %v", err)
		}
		if got, _ = s.Users.ByIDAnyAccount(ctx, u.ID); got.PasswordHash != "$argon2id$pw" {
			t.Error("a second join changed the password")
		}
	})
}
