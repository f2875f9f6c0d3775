package models

import (
	"context"
	"time"

	"gorm.io/gorm/clause"
)

// AppPassword is a secret the portal generated for one user's integration
// (a CRM plug-in): only its SHA-256 is kept. A revoked one stays, with the
// reason, until its user or account is deleted.
type AppPassword struct {
	ID            int64
	AccountID     int64
	UserID        int64
	Name          string
	Digest        []byte
	CreatedAt     time.Time
	LastUsedAt    *time.Time
	LastUsedIP    string `gorm:"column:last_used_ip"`
	RevokedAt     *time.Time
	RevokedReason string
}

// Why app passwords are revoked, as kept in revoked_reason.
const (
	AppPasswordRevokedByUser     = "revoked by its owner"
	AppPasswordPasswordChanged   = "password changed"
	AppPasswordUserSuspended     = "user suspended"
	AppPasswordTurnedOffByAdmins = "turned off for the account"
)

// AppPasswordStore keeps app passwords. It is reached by Store.AppPasswords
// (a method rather than a field of Store, so branches that add stores do
// not touch the same line).
type AppPasswordStore struct{ conn }

// AppPasswords returns the app password queries of s's connection (or
// transaction).
func (s *Store) AppPasswords() AppPasswordStore { return AppPasswordStore{s.conn} }

// Create inserts p. It returns ErrConflict when the digest is taken.
func (s AppPasswordStore) Create(ctx context.Context, p *AppPassword) error {
	return translate(s.q(ctx).Create(p).Error)
}

// LiveOf returns the user's app passwords that are not revoked, newest
// first, scoped to the account.
func (s AppPasswordStore) LiveOf(ctx context.Context, accountID, userID int64) ([]AppPassword, error) {
	var out []AppPassword
	err := s.q(ctx).Where("account_id = ? AND user_id = ? AND revoked_at IS NULL", accountID, userID).
		Order("id DESC").Find(&out).Error
	return out, translate(err)
}

// CountLive counts the user's app passwords that are not revoked.
func (s AppPasswordStore) CountLive(ctx context.Context, userID int64) (int64, error) {
	var n int64
	err := s.q(ctx).Model(&AppPassword{}).Where("user_id = ? AND revoked_at IS NULL", userID).Count(&n).Error
	return n, translate(err)
}

// ByDigest returns the app password whose secret has digest, revoked or
// not, or ErrNotFound.
func (s AppPasswordStore) ByDigest(ctx context.Context, digest []byte) (*AppPassword, error) {
	var p AppPassword
	if err := s.q(ctx).Where("digest = ?", digest).First(&p).Error; err != nil {
		return nil, translate(err)
	}
	return &p, nil
}

// Revoke revokes one live app password of the user, scoped to the
// account, and returns it. It returns ErrNotFound when there is no such
// live app password.
func (s AppPasswordStore) Revoke(ctx context.Context, accountID, userID, id int64, reason string, at time.Time) (*AppPassword, error) {
	var p AppPassword
	err := s.q(ctx).Where("id = ? AND account_id = ? AND user_id = ? AND revoked_at IS NULL", id, accountID, userID).First(&p).Error
	if err != nil {
		return nil, translate(err)
	}
	res := s.q(ctx).Model(&AppPassword{}).Where("id = ? AND revoked_at IS NULL", id).
		Updates(map[string]any{"revoked_at": at, "revoked_reason": reason})
	if err := affectedOne(res.Error, res.RowsAffected); err != nil {
		return nil, err
	}
	p.RevokedAt, p.RevokedReason = &at, reason
	return &p, nil
}

// RevokeOf revokes every live app password of the users with ids in one
// statement, and returns how many it revoked.
func (s AppPasswordStore) RevokeOf(ctx context.Context, ids []int64, reason string, at time.Time) (int64, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	cond, arg := s.inIDs("user_id", ids)
	res := s.q(ctx).Model(&AppPassword{}).Where(cond, arg).Where("revoked_at IS NULL").
		Updates(map[string]any{"revoked_at": at, "revoked_reason": reason})
	return res.RowsAffected, translate(res.Error)
}

// RevokeAccount revokes every live app password of the account in one
// statement, and returns how many it revoked.
func (s AppPasswordStore) RevokeAccount(ctx context.Context, accountID int64, reason string, at time.Time) (int64, error) {
	res := s.q(ctx).Model(&AppPassword{}).Where("account_id = ? AND revoked_at IS NULL", accountID).
		Updates(map[string]any{"revoked_at": at, "revoked_reason": reason})
	return res.RowsAffected, translate(res.Error)
}

// MarkUsed records a use of the app password from ip at at, unless its
// last recorded use is less than every ago: a busy integration writes the
// row at most once per interval. It reports whether it wrote.
func (s AppPasswordStore) MarkUsed(ctx context.Context, id int64, ip string, at time.Time, every time.Duration) (bool, error) {
	res := s.q(ctx).Model(&AppPassword{}).Where("id = ? AND (last_used_at IS NULL OR last_used_at <= ?)", id, at.Add(-every)).
		Updates(map[string]any{"last_used_at": at, "last_used_ip": ip})
	return res.RowsAffected == 1, translate(res.Error)
}

// SetAppPasswords turns the account's app passwords on or off. Turning
// them off does not revoke them: the caller does, in the same
// transaction.
func (s AccountStore) SetAppPasswords(ctx context.Context, accountID int64, on bool, at time.Time) error {
	res := s.q(ctx).Model(&Account{}).Where("id = ?", accountID).
		Updates(map[string]any{"app_passwords_enabled": on, "updated_at": at})
	return affectedOne(res.Error, res.RowsAffected)
}

// AppPasswordsOn reports whether the account lets its users make app
// passwords. On PostgreSQL it holds a share lock on the account's row
// until the transaction ends, so an admin turning the setting off (which
// updates the row, then revokes every app password of the account) waits
// for a creation in progress, or the creation waits and sees it off.
func (s AccountStore) AppPasswordsOn(ctx context.Context, accountID int64) (bool, error) {
	q := s.q(ctx)
	if s.dialect == Postgres {
		q = q.Clauses(clause.Locking{Strength: "SHARE"})
	}
	var a Account
	if err := q.Select("id", "app_passwords_enabled").Where("id = ?", accountID).Take(&a).Error; err != nil {
		return false, translate(err)
	}
	return a.AppPasswordsEnabled, nil
}
