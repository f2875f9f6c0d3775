package models

import (
	"context"
	"time"

	"gorm.io/gorm/clause"
)

// User statuses.
const (
	StatusActive    = "active"
	StatusSuspended = "suspended"
	StatusInvited   = "invited"
)

// User is one person of one account.
type User struct {
	ID                  int64
	AccountID           int64
	Username            string
	UsernameKey         string
	Email               string
	EmailKey            string
	DisplayName         string
	Status              string
	IsPrimaryAdmin      bool
	PasswordHash        string
	PasswordChangedAt   *time.Time
	SecurityQuestion    string
	SecurityAnswerHash  string
	MFAEnrolledAt       *time.Time `gorm:"column:mfa_enrolled_at"`
	TOTPLastStep        *int64     `gorm:"column:totp_last_step"`
	LastSignInAt        *time.Time
	PrivilegesChangedAt *time.Time
	CreatedAt           time.Time
	UpdatedAt           time.Time

	// MFAResetAt is when an administrator reset the user's second factor;
	// until they enrol again, sign-in makes them.
	MFAResetAt *time.Time `gorm:"column:mfa_reset_at"`
	// StatusBeforeSuspension is what reactivation restores.
	StatusBeforeSuspension *string
	// ExternalID is the identity provider's id of the user (SCIM
	// externalId), unique in the account when set.
	ExternalID *string `gorm:"column:external_id"`
	// Language and TimeZone are the user's own choices ("": the account's).
	Language string
	TimeZone string
	// SignInLanguage is the language the user's last sign-in was read in
	// ("" when unknown): what emails fall back to when neither they nor
	// their account chose one.
	SignInLanguage string
}

// Create inserts u. It returns ErrConflict when the username is taken
// or the account already has a Primary Admin and u claims to be one.
func (s UserStore) Create(ctx context.Context, u *User) error {
	return translate(s.q(ctx).Create(u).Error)
}

// InAccount returns the user with id in the account, or ErrNotFound: a
// user of another account is not found, so a caller that forgets to
// compare accounts still cannot reach one.
func (s UserStore) InAccount(ctx context.Context, accountID, id int64) (*User, error) {
	var u User
	if err := s.q(ctx).Where("account_id = ? AND id = ?", accountID, id).Take(&u).Error; err != nil {
		return nil, translate(err)
	}
	return &u, nil
}

// ByIDAnyAccount returns the user with id whatever their account, or
// ErrNotFound. It is for ids the portal itself holds, never for one from a
// request: the user of a sign-in in progress (kept in the server-side
// session) and of an emailed link (found by its digest). docs/design.md
// lists the service-wide lookups.
func (s UserStore) ByIDAnyAccount(ctx context.Context, id int64) (*User, error) {
	var u User
	if err := s.q(ctx).First(&u, id).Error; err != nil {
		return nil, translate(err)
	}
	return &u, nil
}

// LockInAccount returns the user with id in the account, or ErrNotFound.
// On PostgreSQL the row stays locked until the transaction ends, so two
// changes to one user (say, an administrator's edit and the Primary Admin
// starting a transfer to them) happen one after the other, the second
// seeing the first.
func (s UserStore) LockInAccount(ctx context.Context, accountID, id int64) (*User, error) {
	q := s.q(ctx)
	if s.dialect == Postgres {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var u User
	if err := q.Where("account_id = ? AND id = ?", accountID, id).Take(&u).Error; err != nil {
		return nil, translate(err)
	}
	return &u, nil
}

// ByUsernameKey returns the user whose normalised username is key, or
// ErrNotFound.
func (s UserStore) ByUsernameKey(ctx context.Context, key string) (*User, error) {
	var u User
	if err := s.q(ctx).Where("username_key = ?", key).First(&u).Error; err != nil {
		return nil, translate(err)
	}
	return &u, nil
}

// ByUsernameInAccount returns the user of the account whose normalised
// username is key, or ErrNotFound: another account's user is not found, so
// a form where an administrator types a username reaches only their own.
func (s UserStore) ByUsernameInAccount(ctx context.Context, accountID int64, key string) (*User, error) {
	var u User
	if err := s.q(ctx).Where("account_id = ? AND username_key = ?", accountID, key).Take(&u).Error; err != nil {
		return nil, translate(err)
	}
	return &u, nil
}

// UsernameTaken reports whether a user already has the normalised username.
func (s UserStore) UsernameTaken(ctx context.Context, key string) (bool, error) {
	var n int64
	err := s.q(ctx).Model(&User{}).Where("username_key = ?", key).Count(&n).Error
	return n > 0, translate(err)
}

// SetPasswordHash replaces the user's password hash. When changed is true
// the change is the user's (or a reset's): password_changed_at moves and
// the user's app passwords are revoked, so call it inside the
// transaction of the change. A rehash with new parameters passes false.
func (s UserStore) SetPasswordHash(ctx context.Context, userID int64, hash string, changed bool, at time.Time) error {
	fields := map[string]any{"password_hash": hash, "updated_at": at}
	if changed {
		fields["password_changed_at"] = at
	}
	res := s.q(ctx).Model(&User{}).Where("id = ?", userID).Updates(fields)
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	if !changed {
		return nil
	}
	// Every password change and reset comes through here: the app
	// passwords made under the old password stop working with it.
	_, err := s.store().AppPasswords().RevokeOf(ctx, []int64{userID}, AppPasswordPasswordChanged, at)
	return err
}

// RecordSignIn stamps the user's last sign-in time and the language it
// was read in ("" leaves the one kept).
func (s UserStore) RecordSignIn(ctx context.Context, userID int64, at time.Time, lang string) error {
	changes := map[string]any{"last_sign_in_at": at}
	if lang != "" {
		changes["sign_in_language"] = lang
	}
	return translate(s.q(ctx).Model(&User{}).Where("id = ?", userID).Updates(changes).Error)
}

// SetStatus changes the user's status. It returns ErrNotFound when there
// is no such user.
func (s UserStore) SetStatus(ctx context.Context, userID int64, status string, at time.Time) error {
	res := s.q(ctx).Model(&User{}).Where("id = ?", userID).
		Updates(map[string]any{"status": status, "updated_at": at})
	return affectedOne(res.Error, res.RowsAffected)
}

// ActiveByEmail returns the active users whose email address is key, of
// accounts neither suspended nor closed (whose users get no mail).
func (s UserStore) ActiveByEmail(ctx context.Context, key string, limit int) ([]User, error) {
	var out []User
	err := s.q(ctx).Where("email_key = ? AND status = ?", key, StatusActive).
		Where("NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = users.account_id AND a.status IN ?)",
			[]string{AccountSuspended, AccountClosed}).
		Order("id").Limit(limit).Find(&out).Error
	return out, translate(err)
}

// PrimaryAdminOf returns the account's Primary Admin, or ErrNotFound.
func (s UserStore) PrimaryAdminOf(ctx context.Context, accountID int64) (*User, error) {
	var u User
	if err := s.q(ctx).Where("account_id = ? AND is_primary_admin", accountID).First(&u).Error; err != nil {
		return nil, translate(err)
	}
	return &u, nil
}

// SetSecurityQuestion replaces the user's security question and answer
// hash; empty strings clear them.
func (s UserStore) SetSecurityQuestion(ctx context.Context, userID int64, question, answerHash string, at time.Time) error {
	res := s.q(ctx).Model(&User{}).Where("id = ?", userID).Updates(map[string]any{
		"security_question": question, "security_answer_hash": answerHash, "updated_at": at})
	return affectedOne(res.Error, res.RowsAffected)
}

// SetLanguage sets the user's own language and time zone ("" for the
// account's).
func (s UserStore) SetLanguage(ctx context.Context, userID int64, lang, zone string, at time.Time) error {
	res := s.q(ctx).Model(&User{}).Where("id = ?", userID).Updates(map[string]any{
		"language": lang, "time_zone": zone, "updated_at": at})
	return affectedOne(res.Error, res.RowsAffected)
}

// SetEmail changes the user's email address and its lookup key.
func (s UserStore) SetEmail(ctx context.Context, userID int64, email, key string, at time.Time) error {
	res := s.q(ctx).Model(&User{}).Where("id = ?", userID).Updates(map[string]any{
		"email": email, "email_key": key, "updated_at": at})
	return affectedOne(res.Error, res.RowsAffected)
}

// SetDisplayName changes the user's display name.
func (s UserStore) SetDisplayName(ctx context.Context, userID int64, name string, at time.Time) error {
	res := s.q(ctx).Model(&User{}).Where("id = ?", userID).Updates(map[string]any{"display_name": name, "updated_at": at})
	return affectedOne(res.Error, res.RowsAffected)
}

// Of returns every user of an account, by name.
func (s UserStore) Of(ctx context.Context, accountID int64) ([]User, error) {
	var out []User
	err := s.q(ctx).Where("account_id = ?", accountID).Order("display_name, id").Find(&out).Error
	return out, translate(err)
}

// WithEmailInAccount returns up to limit users of the account whose email
// address is key, by id: the create-user form warns of them.
func (s UserStore) WithEmailInAccount(ctx context.Context, accountID int64, key string, limit int) ([]User, error) {
	var out []User
	err := s.q(ctx).Where("account_id = ? AND email_key = ?", accountID, key).Order("id").Limit(limit).Find(&out).Error
	return out, translate(err)
}

// ByExternalID returns the user of the account whose SCIM externalId is
// ext, or ErrNotFound.
func (s UserStore) ByExternalID(ctx context.Context, accountID int64, ext string) (*User, error) {
	var u User
	if err := s.q(ctx).Where("account_id = ? AND external_id = ?", accountID, ext).Take(&u).Error; err != nil {
		return nil, translate(err)
	}
	return &u, nil
}

// SetExternalID sets (nil: clears) the user's SCIM externalId. It returns
// ErrConflict when another user of the account has it.
func (s UserStore) SetExternalID(ctx context.Context, accountID, userID int64, ext *string, at time.Time) error {
	res := s.q(ctx).Model(&User{}).Where("id = ? AND account_id = ?", userID, accountID).
		Updates(map[string]any{"external_id": ext, "updated_at": at})
	return affectedOne(translate(res.Error), res.RowsAffected)
}
