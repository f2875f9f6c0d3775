package models

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Session is the server side of a browser session. Only the SHA-256 of the
// cookie's random ID is stored, so a copy of this table opens no session.
type Session struct {
	IDHash             []byte `gorm:"primaryKey"`
	UserID             *int64
	AccountID          *int64 // the user's, set with UserID
	CreatedAt          time.Time
	LastSeenAt         time.Time
	IdleExpiresAt      time.Time
	AbsoluteExpiresAt  time.Time
	IdleTimeoutSeconds int
	IP                 string `gorm:"column:ip"`
	UserAgent          string
	Data               string
	PasswordAt         *time.Time
	RevokedReason      *string
	RevokedAt          *time.Time
}

// RevokedSessionLimit is the revocation reason of sessions ended because
// their user signed in again with more sessions than are kept per user.
const RevokedSessionLimit = "session_limit"

// Create inserts a new session row.
func (s SessionStore) Create(ctx context.Context, row *Session) error {
	if row.UserID != nil && row.AccountID == nil {
		row.AccountID = new(int64)
		if err := s.setAccountOf(ctx, *row.UserID, row.AccountID); err != nil {
			return err
		}
	}
	return translate(s.q(ctx).Create(row).Error)
}

// ByHash returns the session with the hashed ID, or ErrNotFound.
func (s SessionStore) ByHash(ctx context.Context, hash []byte) (*Session, error) {
	var row Session
	if err := s.q(ctx).Where("id_hash = ?", hash).First(&row).Error; err != nil {
		return nil, translate(err)
	}
	return &row, nil
}

// Touch records activity on a live session and pushes its idle
// expiry out. It returns ErrNotFound when the row is gone or revoked.
func (s SessionStore) Touch(ctx context.Context, hash []byte, seen, idleExpires time.Time) error {
	res := s.q(ctx).Model(&Session{}).Where("id_hash = ? AND revoked_at IS NULL", hash).
		Updates(map[string]any{"last_seen_at": seen, "idle_expires_at": idleExpires})
	return affectedOne(res.Error, res.RowsAffected)
}

// SessionState is what a request may change on its session.
type SessionState struct {
	UserID     *int64
	Data       string
	PasswordAt *time.Time
}

// UpdateState writes the session's user, data and password time.
// It returns ErrNotFound when the row is gone or revoked, so a session that
// was signed out in another tab is never brought back.
func (s SessionStore) UpdateState(ctx context.Context, hash []byte, st SessionState) error {
	res := s.q(ctx).Model(&Session{}).Where("id_hash = ? AND revoked_at IS NULL", hash).
		Updates(map[string]any{"user_id": st.UserID, "account_id": accountOfUserExpr(st.UserID), "data": st.Data, "password_at": st.PasswordAt})
	return affectedOne(res.Error, res.RowsAffected)
}

// Delete removes the session row; deleting a missing row is no error.
func (s SessionStore) Delete(ctx context.Context, hash []byte) error {
	return translate(s.q(ctx).Where("id_hash = ?", hash).Delete(&Session{}).Error)
}

// RevokeUser marks every live session of the user revoked, with the
// reason, in one statement, and returns how many it revoked. Revoked rows stay
// until they expire so the next request from any device can say why it ended.
func (s SessionStore) RevokeUser(ctx context.Context, userID int64, reason string, at time.Time) (int64, error) {
	res := s.q(ctx).Model(&Session{}).Where("user_id = ? AND revoked_at IS NULL", userID).
		Updates(map[string]any{"revoked_reason": reason, "revoked_at": at})
	return res.RowsAffected, translate(res.Error)
}

// DeleteExpired removes sessions whose idle or absolute expiry has
// passed, at most limit of them, and returns how many went.
func (s SessionStore) DeleteExpired(ctx context.Context, now time.Time, limit int) (int64, error) {
	sub := s.q(ctx).Model(&Session{}).Select("id_hash").
		Where("idle_expires_at < ? OR absolute_expires_at < ?", now, now).Limit(limit)
	res := s.q(ctx).Where("id_hash IN (?)", sub).Delete(&Session{})
	return res.RowsAffected, translate(res.Error)
}

// OfUser returns every live session of the user, most recently
// used first. Pages use Recent, whose limit keeps them small
// whatever the user's history.
func (s SessionStore) OfUser(ctx context.Context, userID int64, now time.Time) ([]Session, error) {
	return s.Recent(ctx, userID, now, -1)
}

// Recent returns up to limit (all when negative) of the user's live
// sessions, most recently used first.
func (s SessionStore) Recent(ctx context.Context, userID int64, now time.Time, limit int) ([]Session, error) {
	var out []Session
	err := s.live(ctx, userID, now).Order("last_seen_at DESC, created_at DESC").Limit(limit).Find(&out).Error
	return out, translate(err)
}

// CountOfUser returns how many live sessions the user has.
func (s SessionStore) CountOfUser(ctx context.Context, userID int64, now time.Time) (int64, error) {
	var n int64
	err := s.live(ctx, userID, now).Count(&n).Error
	return n, translate(err)
}

// Listed returns up to limit of the user's live sessions, the one with hash
// current first (when it is one of them), then the others most recently
// used first, and how many live sessions the user has in all: one
// statement for what My Profile shows, where a list, a count and a read of
// the current session would be three. The window count is taken before the
// LIMIT, so it counts every live session.
func (s SessionStore) Listed(ctx context.Context, userID int64, current []byte, now time.Time, limit int) ([]Session, int64, error) {
	var rows []struct {
		Session
		Total int64
	}
	err := s.live(ctx, userID, now).Select("sessions.*, count(*) OVER () AS total").
		Order(clause.OrderBy{Expression: clause.Expr{SQL: "CASE WHEN id_hash = ? THEN 0 ELSE 1 END, last_seen_at DESC, created_at DESC",
			Vars: []any{current}}}).
		Limit(limit).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return nil, 0, translate(err)
	}
	out := make([]Session, len(rows))
	for i := range rows {
		out[i] = rows[i].Session
	}
	return out, rows[0].Total, nil
}

func (s SessionStore) live(ctx context.Context, userID int64, now time.Time) *gorm.DB {
	return s.q(ctx).Model(&Session{}).Where("user_id = ? AND "+liveSessionSQL, userID, now)
}

// RevokeBeyond revokes the user's sessions other than the keep most
// recently used live ones, with the reason, in one statement, and returns
// how many it revoked.
func (s SessionStore) RevokeBeyond(ctx context.Context, userID int64, keep int, reason string, at time.Time) (int64, error) {
	kept := s.live(ctx, userID, at).Select("id_hash").Order("last_seen_at DESC, created_at DESC").Limit(keep)
	q := s.q(ctx).Model(&Session{}).Where("user_id = ? AND revoked_at IS NULL", userID)
	if keep > 0 {
		q = q.Where("id_hash NOT IN (?)", kept)
	}
	res := q.Updates(map[string]any{"revoked_reason": reason, "revoked_at": at})
	return res.RowsAffected, translate(res.Error)
}

func affectedOne(err error, n int64) error {
	if err != nil {
		return translate(err)
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// RevokeOthers revokes every live session of the user but keep, in
// one statement, and returns how many it revoked.
func (s SessionStore) RevokeOthers(ctx context.Context, userID int64, keep []byte, reason string, at time.Time) (int64, error) {
	res := s.q(ctx).Model(&Session{}).Where("user_id = ? AND revoked_at IS NULL AND id_hash <> ?", userID, keep).
		Updates(map[string]any{"revoked_reason": reason, "revoked_at": at})
	return res.RowsAffected, translate(res.Error)
}

// Revoke revokes one live session of the user of the account; it returns
// ErrNotFound when the user has no such session.
func (s SessionStore) Revoke(ctx context.Context, accountID, userID int64, hash []byte, reason string, at time.Time) error {
	res := s.q(ctx).Model(&Session{}).Where("account_id = ? AND user_id = ? AND id_hash = ? AND revoked_at IS NULL", accountID, userID, hash).
		Updates(map[string]any{"revoked_reason": reason, "revoked_at": at})
	return affectedOne(res.Error, res.RowsAffected)
}

// RevokedSuspended is the revocation reason suspension writes on sessions:
// their next request shows "Account Suspended" rather than the sign-in page.
const RevokedSuspended = "suspended"

// RevokeOf revokes every live session of the users with ids.
func (s SessionStore) RevokeOf(ctx context.Context, ids []int64, reason string, at time.Time) (int64, error) {
	cond, arg := s.inIDs("user_id", ids)
	res := s.q(ctx).Model(&Session{}).Where(cond, arg).Where("revoked_at IS NULL").
		Updates(map[string]any{"revoked_reason": reason, "revoked_at": at})
	return res.RowsAffected, translate(res.Error)
}
