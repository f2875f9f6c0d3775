package models

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// The set-based statements of bulk actions. Each takes one batch of ids
// that the caller already checked belong to the account and may be acted
// on, so a batch is a few statements whatever its size.

// ByIDs returns the account's users among ids, in id order.
func (s UserStore) ByIDs(ctx context.Context, accountID int64, ids []int64) ([]User, error) {
	var out []User
	cond, arg := s.inIDs("id", ids)
	err := s.q(ctx).Where("account_id = ?", accountID).Where(cond, arg).Order("id").Find(&out).Error
	return out, translate(err)
}

// SetStatusOf sets the status of the users with ids.
func (s UserStore) SetStatusOf(ctx context.Context, ids []int64, status string, at time.Time) error {
	cond, arg := s.inIDs("id", ids)
	return translate(s.q(ctx).Model(&User{}).Where(cond, arg).
		Updates(map[string]any{"status": status, "updated_at": at}).Error)
}

// Suspend suspends the users with ids: their sessions end at their
// next request, their app passwords are revoked and their outstanding
// links and codes stop working. Call it
// inside the transaction that audits the suspension.
func (s UserStore) Suspend(ctx context.Context, ids []int64, at time.Time) error {
	cond, arg := s.inIDs("id", ids)
	// Each user's status before (active or invited) is kept for
	// reactivation; the right-hand sides read the row as it was.
	err := s.q(ctx).Model(&User{}).Where(cond, arg).Where("status <> ?", StatusSuspended).
		Updates(map[string]any{"status_before_suspension": gorm.Expr("status"), "status": StatusSuspended, "updated_at": at}).Error
	if err != nil {
		return translate(err)
	}
	if _, err := s.store().Sessions.RevokeOf(ctx, ids, RevokedSuspended, at); err != nil {
		return err
	}
	if _, err := s.store().AppPasswords().RevokeOf(ctx, ids, AppPasswordUserSuspended, at); err != nil {
		return err
	}
	return s.store().Tokens.VoidOf(ctx, ids, "user suspended", at)
}

// Reactivate gives the suspended users with ids back the status they
// had before their suspension (active when it was not recorded), and
// returns the ids of those who were invited: suspension voided their
// welcome links, so they need new ones.
func (s UserStore) Reactivate(ctx context.Context, ids []int64, at time.Time) ([]int64, error) {
	cond, arg := s.inIDs("id", ids)
	var invited []int64
	err := s.q(ctx).Model(&User{}).Where(cond, arg).
		Where("status = ? AND status_before_suspension = ?", StatusSuspended, StatusInvited).Order("id").Pluck("id", &invited).Error
	if err != nil {
		return nil, translate(err)
	}
	err = s.q(ctx).Model(&User{}).Where(cond, arg).Where("status = ?", StatusSuspended).
		Updates(map[string]any{"status": gorm.Expr("COALESCE(status_before_suspension, ?)", StatusActive),
			"status_before_suspension": nil, "updated_at": at}).Error
	return invited, translate(err)
}

// Delete deletes the user; their sessions, links, secrets and
// privileges go with them. Audit entries keep the names they copied.
func (s UserStore) Delete(ctx context.Context, accountID, userID int64) error {
	res := s.q(ctx).Where("id = ? AND account_id = ?", userID, accountID).Delete(&User{})
	return affectedOne(res.Error, res.RowsAffected)
}

// UpdateDetails changes a user's name, username and email.
func (s UserStore) UpdateDetails(ctx context.Context, u *User, at time.Time) error {
	res := s.q(ctx).Model(&User{}).Where("id = ? AND account_id = ?", u.ID, u.AccountID).Updates(map[string]any{
		"display_name": u.DisplayName, "username": u.Username, "username_key": u.UsernameKey,
		"email": u.Email, "email_key": u.EmailKey, "updated_at": at})
	return affectedOne(res.Error, res.RowsAffected)
}

// BulkTargets returns the account's users among ids with just what a bulk
// action needs to decide, record and tell them: id, names, email, status,
// flag, and their language and time zone for the email it sends.
func (s UserStore) BulkTargets(ctx context.Context, accountID int64, ids []int64) ([]User, error) {
	// Room for every row up front: GORM fills a slice with capacity in
	// place, rather than growing it (and copying each User) as it scans.
	out := make([]User, 0, len(ids))
	cond, arg := s.inIDs("id", ids)
	q := s.q(ctx)
	if s.dialect == Postgres {
		// Locked in id order, like every lock on users, so batches and
		// single changes never deadlock; see UserStore.Lock.
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	err := q.Select("id", "account_id", "username", "email", "display_name", "status", "is_primary_admin", "mfa_enrolled_at",
		"language", "time_zone", "sign_in_language").
		Where("account_id = ?", accountID).Where(cond, arg).Order("id").Find(&out).Error
	return out, translate(err)
}
