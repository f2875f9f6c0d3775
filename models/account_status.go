package models

import (
	"context"
	"time"
)

// SetStatus moves the customer account id to status when it is now in one
// of from, recording the operator's reason and, for a closure, when its
// data may be purged (nil otherwise). The condition is in the update, so
// of two operators acting at once only one moves it. It returns
// ErrConflict when the account is not in one of from (or is not a
// customer's).
func (s AccountStore) SetStatus(ctx context.Context, id int64, from []string, status, reason string,
	at time.Time, purgeAfter *time.Time) error {
	res := s.q(ctx).Model(&Account{}).Where("id = ? AND kind = ? AND status IN ?", id, KindCustomer, from).
		Updates(map[string]any{"status": status, "status_reason": reason, "status_changed_at": at,
			"purge_after": purgeAfter, "updated_at": at})
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrConflict
	}
	return nil
}

// PurgeCandidate is a closed account whose retention has passed.
type PurgeCandidate struct {
	Account
	Users int64
}

// Purgeable returns the closed customer accounts whose purge_after is not
// after now, oldest closure first, with how many users each has.
func (s AccountStore) Purgeable(ctx context.Context, now time.Time) ([]PurgeCandidate, error) {
	var out []PurgeCandidate
	err := s.q(ctx).Model(&Account{}).
		Select("accounts.*, (SELECT count(*) FROM users u WHERE u.account_id = accounts.id) AS users").
		Where("kind = ? AND status = ? AND purge_after <= ?", KindCustomer, AccountClosed, now).
		Order("status_changed_at, id").Scan(&out).Error
	return out, translate(err)
}

// Purge deletes the closed account id, if its purge_after is not after
// now, with its users and everything of theirs (sessions, links, secrets,
// roles, mail). Audit events have no foreign key and stay. It returns
// ErrNotFound when there is no such account to purge.
func (s AccountStore) Purge(ctx context.Context, id int64, now time.Time) error {
	return s.store().InTx(ctx, func(tx *Store) error {
		var n int64
		err := tx.q(ctx).Model(&Account{}).Where("id = ? AND kind = ? AND status = ? AND purge_after <= ?",
			id, KindCustomer, AccountClosed, now).Count(&n).Error
		if err != nil || n == 0 {
			return errOr(translate(err), ErrNotFound)
		}
		// A role in use may not be deleted (RESTRICT), so its members go
		// first; the rest follows the account by cascade.
		if err := tx.q(ctx).Exec("DELETE FROM user_roles WHERE user_id IN (SELECT id FROM users WHERE account_id = ?)", id).Error; err != nil {
			return translate(err)
		}
		return translate(tx.q(ctx).Exec("DELETE FROM accounts WHERE id = ?", id).Error)
	})
}

func errOr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}
