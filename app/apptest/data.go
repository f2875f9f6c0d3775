package apptest

import (
	"context"
	"testing"
	"time"

	"accountportal/app/identity"
	"accountportal/app/secrets"
	"accountportal/app/security"
	"accountportal/models"
)

// User returns the user with the username, failing the test if missing.
func (e *Env) User(username string) *models.User {
	e.T.Helper()
	u, err := e.Store().Users.ByUsernameKey(context.Background(), identity.UsernameKey(username))
	if err != nil {
		e.T.Fatalf("user %s: %v", username, err)
	}
	return u
}

// AddUser creates a user of the account with a password, bypassing the
// users console, so a test can start from the user it needs.
func (e *Env) AddUser(accountID int64, username, password, status string) *models.User {
	e.T.Helper()
	return CreateUser(e.T, e.Store(), security.Argon2Params(e.App.Config.Argon2), accountID, username, password, status, e.Clock.Now())
}

// CreateUser writes a user named username (email username@example.com)
// with password hashed under params, for tests that hold only a database.
func CreateUser(t testing.TB, store *models.Store, params security.Argon2Params, accountID int64,
	username, password, status string, now time.Time) *models.User {
	t.Helper()
	u := &models.User{AccountID: accountID, Username: username, UsernameKey: identity.UsernameKey(username),
		Email: username + "@example.com", EmailKey: identity.EmailKey(username + "@example.com"),
		DisplayName: "User " + username, Status: status, PasswordHash: HashPassword(t, params, password), PasswordChangedAt: &now}
	if err := store.Users.Create(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

// HashPassword hashes password as the portal stores it.
func HashPassword(t testing.TB, params security.Argon2Params, password string) string {
	t.Helper()
	hash, err := security.NewHasher(params, 1, 0).Hash(context.Background(), security.NormalizePassword(password))
	if err != nil {
		t.Fatal(err)
	}
	return hash
}

// AddAccount creates another customer account with a Primary Admin, as
// setup would for a second company.
func (e *Env) AddAccount(number, name, adminUsername, password string) (*models.Account, *models.User) {
	e.T.Helper()
	a := &models.Account{Number: number, Name: name, PasswordPreset: "classic", MFAPolicy: models.MFAOff}
	if err := e.Store().Accounts.Create(context.Background(), a); err != nil {
		e.T.Fatal(err)
	}
	u := e.AddUser(a.ID, adminUsername, password, models.StatusActive)
	if err := e.Store().Transfers.MakePrimaryAdmin(context.Background(), u.ID); err != nil {
		e.T.Fatal(err)
	}
	u.IsPrimaryAdmin = true
	return a, u
}

// GiveRole gives the user the built-in role with key ("company_admin",
// "it_admin", "billing_admin") or, when key is a number, that role id.
func (e *Env) GiveRole(userID int64, key string) {
	e.T.Helper()
	ctx := context.Background()
	r, err := e.Store().Roles.Builtin(ctx, key)
	if err != nil {
		e.T.Fatalf("role %s: %v", key, err)
	}
	e.GiveRoleID(userID, r.ID)
}

// GiveRoleID gives the user the role with id.
func (e *Env) GiveRoleID(userID, roleID int64) {
	e.T.Helper()
	if err := e.Store().Roles.Assign(context.Background(), &models.UserRole{UserID: userID, RoleID: roleID, AssignedAt: e.Clock.Now()}); err != nil {
		e.T.Fatal(err)
	}
}

// AddRole creates a custom role of the account.
func (e *Env) AddRole(accountID int64, name string, permissions ...string) int64 {
	e.T.Helper()
	now := e.Clock.Now()
	r := &models.Role{AccountID: &accountID, Name: name, CreatedAt: now, UpdatedAt: now}
	if err := e.Store().Roles.Create(context.Background(), r, permissions); err != nil {
		e.T.Fatal(err)
	}
	return r.ID
}

// Grant gives the user privilege areas directly.
func (e *Env) Grant(userID int64, permissions ...string) {
	e.T.Helper()
	for _, p := range permissions {
		if err := e.Store().Privileges.Grant(context.Background(), &models.UserPermission{UserID: userID, Permission: p, GrantedAt: e.Clock.Now()}); err != nil {
			e.T.Fatal(err)
		}
	}
}

// SetMFAPolicy changes the account's MFA policy directly.
func (e *Env) SetMFAPolicy(accountID int64, policy string) {
	e.T.Helper()
	e.setSecurity(accountID, func(sec *models.AccountSecurity) { sec.MFAPolicy = policy })
}

// RequireSecurityQuestion turns the account's "require a security
// question" setting on or off, as the Security page would.
func (e *Env) RequireSecurityQuestion(accountID int64, on bool) {
	e.T.Helper()
	e.setSecurity(accountID, func(sec *models.AccountSecurity) { sec.RequireSecurityQuestion = on })
}

// setSecurity saves the account's security settings as change leaves them.
func (e *Env) setSecurity(accountID int64, change func(*models.AccountSecurity)) {
	e.T.Helper()
	a, err := e.Store().Accounts.ByID(context.Background(), accountID)
	if err != nil {
		e.T.Fatal(err)
	}
	sec := models.AccountSecurity{
		PasswordPreset: a.PasswordPreset, IntegrationSafe: a.IntegrationSafe, RequireSecurityQuestion: a.RequireSecurityQuestion,
		MFAPolicy: a.MFAPolicy, SessionIdleMinutes: a.SessionIdleMinutes, SessionAbsoluteMinutes: a.SessionAbsoluteMinutes}
	change(&sec)
	if err := e.Store().Accounts.SetSecurity(context.Background(), accountID, sec, e.Clock.Now()); err != nil {
		e.T.Fatal(err)
	}
}

// SetPassphrase seals value as the user's support passphrase, as saving
// it in My Profile would.
func (e *Env) SetPassphrase(userID int64, value string) {
	e.T.Helper()
	sec, err := e.App.Secrets.Seal(secrets.Passphrase, userID, value, e.Clock.Now())
	if err != nil {
		e.T.Fatal(err)
	}
	if err := e.Store().Secrets.Put(context.Background(), sec); err != nil {
		e.T.Fatal(err)
	}
}
