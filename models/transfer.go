package models

import (
	"context"
	"time"
)

// Outcomes of a Primary Admin transfer.
const (
	TransferAccepted  = "accepted"
	TransferDeclined  = "declined"
	TransferCancelled = "cancelled"
)

// PrimaryTransfer is a request to make another user the Primary Admin.
type PrimaryTransfer struct {
	ID         int64
	AccountID  int64
	FromUserID int64
	ToUserID   int64
	CreatedAt  time.Time
	ExpiresAt  time.Time
	DecidedAt  *time.Time
	Outcome    string
}

// Create records a pending transfer. It returns ErrConflict when
// the account already has one pending.
func (s TransferStore) Create(ctx context.Context, t *PrimaryTransfer) error {
	return translate(s.q(ctx).Create(t).Error)
}

// Pending returns the account's undecided transfer (expired or
// not), or ErrNotFound.
func (s TransferStore) Pending(ctx context.Context, accountID int64) (*PrimaryTransfer, error) {
	var t PrimaryTransfer
	if err := s.q(ctx).Where("account_id = ? AND decided_at IS NULL", accountID).First(&t).Error; err != nil {
		return nil, translate(err)
	}
	return &t, nil
}

// Decide records the outcome of a pending transfer that has not
// expired (a cancellation may also close an expired one). Of racing
// decisions exactly one succeeds; the others get ErrNotFound.
func (s TransferStore) Decide(ctx context.Context, id int64, outcome string, now time.Time) error {
	q := s.q(ctx).Model(&PrimaryTransfer{}).Where("id = ? AND decided_at IS NULL", id)
	if outcome != TransferCancelled {
		q = q.Where("expires_at > ?", now)
	}
	res := q.Updates(map[string]any{"decided_at": now, "outcome": outcome})
	return affectedOne(res.Error, res.RowsAffected)
}

// SetPrimaryAdmin moves the Primary Admin flag of the account from one user
// to another in the caller's transaction. It returns ErrNotFound when from
// is no longer the Primary Admin.
func (s TransferStore) SetPrimaryAdmin(ctx context.Context, accountID, from, to int64, now time.Time) error {
	res := s.q(ctx).Model(&User{}).Where("id = ? AND account_id = ? AND is_primary_admin", from, accountID).
		Updates(map[string]any{"is_primary_admin": false, "privileges_changed_at": now, "updated_at": now})
	if err := affectedOne(res.Error, res.RowsAffected); err != nil {
		return err
	}
	res = s.q(ctx).Model(&User{}).Where("id = ? AND account_id = ? AND status = ?", to, accountID, StatusActive).
		Updates(map[string]any{"is_primary_admin": true, "privileges_changed_at": now, "updated_at": now})
	return affectedOne(res.Error, res.RowsAffected)
}

// MakePrimaryAdmin flags a user of an account without one as its Primary
// Admin (for accounts created outside setup, such as in tests and imports).
// It returns ErrConflict when the account already has one.
func (s TransferStore) MakePrimaryAdmin(ctx context.Context, userID int64) error {
	res := s.q(ctx).Model(&User{}).Where("id = ?", userID).Update("is_primary_admin", true)
	return affectedOne(res.Error, res.RowsAffected)
}
