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

// UsersByIDs returns the account's users among ids, in id order.
func (s *Store) UsersByIDs(ctx context.Context, accountID int64, ids []int64) ([]User, error) {
	var out []User
	cond, arg := s.inIDs("id", ids)
	err := s.q(ctx).Where("account_id = ?", accountID).Where(cond, arg).Order("id").Find(&out).Error
	return out, translate(err)
}

// SetStatusOf sets the status of the users with ids.
func (s *Store) SetStatusOf(ctx context.Context, ids []int64, status string, at time.Time) error {
	cond, arg := s.inIDs("id", ids)
	return translate(s.q(ctx).Model(&User{}).Where(cond, arg).
		Updates(map[string]any{"status": status, "updated_at": at}).Error)
}

// RevokedSuspended is the revocation reason suspension writes on sessions:
// their next request shows "Account Suspended" rather than the sign-in page.
const RevokedSuspended = "suspended"

// SuspendUsers suspends the users with ids: their sessions end at their
// next request and their outstanding links and codes stop working. Call it
// inside the transaction that audits the suspension.
func (s *Store) SuspendUsers(ctx context.Context, ids []int64, at time.Time) error {
	cond, arg := s.inIDs("id", ids)
	// Each user's status before (active or invited) is kept for
	// reactivation; the right-hand sides read the row as it was.
	err := s.q(ctx).Model(&User{}).Where(cond, arg).Where("status <> ?", StatusSuspended).
		Updates(map[string]any{"status_before_suspension": gorm.Expr("status"), "status": StatusSuspended, "updated_at": at}).Error
	if err != nil {
		return translate(err)
	}
	if _, err := s.RevokeSessionsOf(ctx, ids, RevokedSuspended, at); err != nil {
		return err
	}
	return s.VoidTokensOf(ctx, ids, "user suspended", at)
}

// ReactivateUsers gives the suspended users with ids back the status they
// had before their suspension (active when it was not recorded), and
// returns the ids of those who were invited: suspension voided their
// welcome links, so they need new ones.
func (s *Store) ReactivateUsers(ctx context.Context, ids []int64, at time.Time) ([]int64, error) {
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

// RevokeSessionsOf revokes every live session of the users with ids.
func (s *Store) RevokeSessionsOf(ctx context.Context, ids []int64, reason string, at time.Time) (int64, error) {
	cond, arg := s.inIDs("user_id", ids)
	res := s.q(ctx).Model(&Session{}).Where(cond, arg).Where("revoked_at IS NULL").
		Updates(map[string]any{"revoked_reason": reason, "revoked_at": at})
	return res.RowsAffected, translate(res.Error)
}

// VoidTokensOf voids every outstanding link and code of the users with ids.
func (s *Store) VoidTokensOf(ctx context.Context, ids []int64, reason string, at time.Time) error {
	cond, arg := s.inIDs("user_id", ids)
	return translate(s.q(ctx).Model(&Token{}).Where(cond, arg).Where("used_at IS NULL AND voided_at IS NULL").
		Updates(map[string]any{"voided_at": at, "void_reason": reason}).Error)
}

// AppendAuditFor adds one entry per target, alike but for the target, as
// bulk actions write them: on PostgreSQL in one statement whatever the
// number of targets.
func (s *Store) AppendAuditFor(ctx context.Context, e AuditEvent, targetIDs []int64, targetNames []string) error {
	if e.Details == "" {
		e.Details = "{}"
	}
	if s.dialect != Postgres {
		rows := make([]AuditEvent, len(targetIDs))
		for i := range targetIDs {
			rows[i] = e
			rows[i].TargetID, rows[i].TargetName = &targetIDs[i], targetNames[i]
		}
		return s.AppendAudits(ctx, rows)
	}
	return translate(s.q(ctx).Exec(`INSERT INTO audit_events
		(at, account_id, actor_id, actor_name, action, target_id, target_name, ip, user_agent, details)
		SELECT ?, ?, ?, ?, ?, t.id, t.name, ?, ?, ?::jsonb FROM unnest(?::bigint[], ?::text[]) AS t (id, name)`,
		e.At, e.AccountID, e.ActorID, e.ActorName, e.Action, e.IP, e.UserAgent, e.Details,
		pgArray(targetIDs), pgTextArray(targetNames)).Error)
}

// AppendAudits adds many entries to the audit log in a few statements.
func (s *Store) AppendAudits(ctx context.Context, events []AuditEvent) error {
	for i := range events {
		if events[i].Details == "" {
			events[i].Details = "{}"
		}
	}
	return translate(s.q(ctx).CreateInBatches(events, 1000).Error)
}

// DeleteUser deletes the user; their sessions, links, secrets and
// privileges go with them. Audit entries keep the names they copied.
func (s *Store) DeleteUser(ctx context.Context, accountID, userID int64) error {
	res := s.q(ctx).Where("id = ? AND account_id = ?", userID, accountID).Delete(&User{})
	return affectedOne(res.Error, res.RowsAffected)
}

// AuditForTarget returns the newest entries about a user, newest first.
func (s *Store) AuditForTarget(ctx context.Context, accountID, targetID int64, limit int) ([]AuditEvent, error) {
	var out []AuditEvent
	err := s.q(ctx).Where("account_id = ? AND target_id = ?", accountID, targetID).Order("id DESC").Limit(limit).Find(&out).Error
	return out, translate(err)
}

// LinksOfUser returns the user's reset and welcome links, newest first.
func (s *Store) LinksOfUser(ctx context.Context, userID int64, limit int) ([]Token, error) {
	var out []Token
	err := s.q(ctx).Where("user_id = ? AND purpose IN ?", userID, []string{PurposeReset, PurposeWelcome}).
		Order("id DESC").Limit(limit).Find(&out).Error
	return out, translate(err)
}

// VoidToken voids one outstanding token of the user; ErrNotFound when there
// is no such live token.
func (s *Store) VoidToken(ctx context.Context, userID, tokenID int64, reason string, at time.Time) error {
	res := s.q(ctx).Model(&Token{}).Where("id = ? AND user_id = ? AND used_at IS NULL AND voided_at IS NULL", tokenID, userID).
		Updates(map[string]any{"voided_at": at, "void_reason": reason})
	return affectedOne(res.Error, res.RowsAffected)
}

// UpdateUserDetails changes a user's name, username and email.
func (s *Store) UpdateUserDetails(ctx context.Context, u *User, at time.Time) error {
	res := s.q(ctx).Model(&User{}).Where("id = ? AND account_id = ?", u.ID, u.AccountID).Updates(map[string]any{
		"display_name": u.DisplayName, "username": u.Username, "username_key": u.UsernameKey,
		"email": u.Email, "email_key": u.EmailKey, "updated_at": at})
	return affectedOne(res.Error, res.RowsAffected)
}

// BulkTargets returns the account's users among ids with just what a bulk
// action needs to decide and record: id, names, email, status, flag.
func (s *Store) BulkTargets(ctx context.Context, accountID int64, ids []int64) ([]User, error) {
	var out []User
	cond, arg := s.inIDs("id", ids)
	q := s.q(ctx)
	if s.dialect == Postgres {
		// Locked in id order, like every lock on users, so batches and
		// single changes never deadlock; see LockUser.
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	err := q.Select("id", "account_id", "username", "email", "display_name", "status", "is_primary_admin", "mfa_enrolled_at").
		Where("account_id = ?", accountID).Where(cond, arg).Order("id").Find(&out).Error
	return out, translate(err)
}
