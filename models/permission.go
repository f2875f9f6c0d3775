package models

import (
	"context"
	"time"

	"gorm.io/gorm/clause"
)

// UserPermission is an admin privilege area granted to a user directly.
type UserPermission struct {
	UserID        int64  `gorm:"primaryKey"`
	Permission    string `gorm:"primaryKey"`
	GrantedAt     time.Time
	GrantedByName string
}

// GrantPermission gives the user a privilege area; granting one they hold
// is no error.
func (s *Store) GrantPermission(ctx context.Context, p *UserPermission) error {
	return translate(s.q(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(p).Error)
}

// Standing is what every page needs to know about a user beyond their row:
// whether they hold any admin privilege and whether they set a passphrase.
type Standing struct {
	Privileged    bool
	HasPassphrase bool
}

// StandingOf answers both questions in one round trip.
func (s *Store) StandingOf(ctx context.Context, userID int64) (Standing, error) {
	var st Standing
	err := s.q(ctx).Raw(`SELECT
		EXISTS (SELECT 1 FROM user_permissions WHERE user_id = ?) AS privileged,
		EXISTS (SELECT 1 FROM secrets WHERE user_id = ? AND kind = ?) AS has_passphrase`,
		userID, userID, SecretPassphrase).Scan(&st).Error
	return st, translate(err)
}
