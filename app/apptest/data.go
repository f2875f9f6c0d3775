package apptest

import (
	"context"

	"accountportal/app/identity"
	"accountportal/app/security"
	"accountportal/models"
)

// User returns the user with the username, failing the test if missing.
func (e *Env) User(username string) *models.User {
	e.T.Helper()
	u, err := e.Store().UserByUsernameKey(context.Background(), identity.UsernameKey(username))
	if err != nil {
		e.T.Fatalf("user %s: %v", username, err)
	}
	return u
}

// AddUser creates a user of the account with a password, bypassing the
// pages that later issues build for this.
func (e *Env) AddUser(accountID int64, username, password, status string) *models.User {
	e.T.Helper()
	h := security.NewHasher(security.Argon2Params(e.App.Config.Argon2), 1, 0)
	hash, err := h.Hash(context.Background(), security.NormalizePassword(password))
	if err != nil {
		e.T.Fatal(err)
	}
	now := e.Clock.Now()
	u := &models.User{AccountID: accountID, Username: username, UsernameKey: identity.UsernameKey(username),
		Email: username + "@example.com", EmailKey: identity.EmailKey(username + "@example.com"),
		DisplayName: "User " + username, Status: status, PasswordHash: hash, PasswordChangedAt: &now}
	if err := e.Store().CreateUser(context.Background(), u); err != nil {
		e.T.Fatal(err)
	}
	return u
}
