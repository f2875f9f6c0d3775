package models

import (
	"context"
	"time"
)

// pendingEmailSQL is the address the user's newest email-change link
// would confirm, or NULL when there is none or that link was used, voided
// or has expired: a newer link voids the older ones, so only the newest can
// be pending. It refers to users.id; its parameters are now and the
// purpose.
const pendingEmailSQL = "(SELECT CASE WHEN t.used_at IS NULL AND t.voided_at IS NULL AND t.expires_at > ? " +
	"THEN t.new_email END FROM tokens t WHERE t.user_id = users.id AND t.purpose = ? ORDER BY t.id DESC LIMIT 1)"

// ProfileFacts are the single values My Profile shows about a user beside
// their details and sessions.
type ProfileFacts struct {
	// PendingEmail is the address awaiting confirmation, or nil.
	PendingEmail *string `gorm:"column:pending_email"`
	// BackupCodesLeft counts the user's unused backup codes.
	BackupCodesLeft int64 `gorm:"column:backup_codes_left"`
	// LicenseVersion and LicenseAcceptedAt are the user's latest
	// acceptance of the license agreement; nil when they accepted none.
	LicenseVersion    *string    `gorm:"column:license_version"`
	LicenseAcceptedAt *time.Time `gorm:"column:license_accepted_at"`
}

// ProfileFacts reads the user's ProfileFacts in one statement where they
// took three: scalar subqueries for the pending address and the count, and
// a join to the latest acceptance (a join keeps the column's type, which
// SQLite loses for a subquery's value). It returns ErrNotFound for an
// unknown user.
func (s UserStore) ProfileFacts(ctx context.Context, userID int64, now time.Time) (ProfileFacts, error) {
	var out ProfileFacts
	res := s.q(ctx).Table("users").
		Select(pendingEmailSQL+" AS pending_email, "+
			"(SELECT count(*) FROM backup_codes b WHERE b.user_id = users.id AND b.used_at IS NULL) AS backup_codes_left, "+
			"la.version AS license_version, la.accepted_at AS license_accepted_at", now, PurposeEmailChange).
		Joins("LEFT JOIN license_acceptances la ON la.id = (SELECT l.id FROM license_acceptances l "+
			"WHERE l.user_id = users.id ORDER BY l.accepted_at DESC, l.id DESC LIMIT 1)").
		Where("users.id = ?", userID).Scan(&out)
	if res.Error == nil && res.RowsAffected == 0 {
		return out, ErrNotFound
	}
	return out, translate(res.Error)
}

// PendingEmail returns the address awaiting the user's confirmation, or ""
// (by the same rule as ProfileFacts).
func (s TokenStore) PendingEmail(ctx context.Context, userID int64, now time.Time) (string, error) {
	var out ProfileFacts
	err := s.q(ctx).Table("users").Select(pendingEmailSQL+" AS pending_email", now, PurposeEmailChange).
		Where("users.id = ?", userID).Scan(&out).Error
	if err != nil || out.PendingEmail == nil {
		return "", translate(err)
	}
	return *out.PendingEmail, nil
}
