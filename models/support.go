package models

import (
	"context"
	"time"
)

// SupportEventPrefix starts the action of every support desk verification
// in the audit log.
const SupportEventPrefix = "support."

// SupportEventsFor returns the newest support desk verifications of the
// user targetID in accountID, for the caller's own My Profile.
func (s *Store) SupportEventsFor(ctx context.Context, accountID, targetID int64, limit int) ([]AuditEvent, error) {
	var out []AuditEvent
	// The prefix is written into the SQL, not bound: only a literal
	// pattern lets PostgreSQL use the partial index on support events.
	err := s.q(ctx).Where("account_id = ? AND target_id = ? AND action LIKE '"+SupportEventPrefix+"%'", accountID, targetID).
		Order("id DESC").Limit(limit).Find(&out).Error
	return out, translate(err)
}

// UsersOf returns every user of an account, by name.
func (s *Store) UsersOf(ctx context.Context, accountID int64) ([]User, error) {
	var out []User
	err := s.q(ctx).Where("account_id = ?", accountID).Order("display_name, id").Find(&out).Error
	return out, translate(err)
}

// EnsureStaffAccount returns the support desk's account, creating it with
// a on first use. Two operators creating the first agent at once both get
// the one account: the unique index on staff accounts lets only one in.
func (s *Store) EnsureStaffAccount(ctx context.Context, a *Account, at time.Time) (*Account, error) {
	if got, err := s.StaffAccount(ctx); err == nil {
		return got, nil
	}
	a.Kind, a.CreatedAt, a.UpdatedAt = KindStaff, at, at
	err := s.CreateAccount(ctx, a)
	if err == nil {
		return a, nil
	}
	if got, err2 := s.StaffAccount(ctx); err2 == nil {
		return got, nil
	}
	return nil, err
}
