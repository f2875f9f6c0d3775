package models

import (
	"context"
	"time"

	"gorm.io/gorm/clause"
)

// LicenseAcceptance records that a user agreed to a version of the license.
type LicenseAcceptance struct {
	ID         int64
	UserID     int64
	AccountID  int64 // the user's; AcceptLicense sets it
	Version    string
	AcceptedAt time.Time
	IP         string `gorm:"column:ip"`
}

// AcceptLicense records the acceptance; accepting the same version twice
// keeps the first record.
func (s UserStore) AcceptLicense(ctx context.Context, a *LicenseAcceptance) error {
	if err := s.setAccountOf(ctx, a.UserID, &a.AccountID); err != nil {
		return err
	}
	return translate(s.q(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(a).Error)
}

// HasAcceptedLicense reports whether the user accepted version.
func (s UserStore) HasAcceptedLicense(ctx context.Context, userID int64, version string) (bool, error) {
	var n int64
	err := s.q(ctx).Model(&LicenseAcceptance{}).
		Where("user_id = ? AND version = ?", userID, version).Count(&n).Error
	return n > 0, translate(err)
}
