package models

import (
	"context"
	"time"

	"gorm.io/gorm/clause"
)

// Kinds of encrypted secret.
const (
	SecretPassphrase = "passphrase"
	SecretTOTPSeed   = "totp_seed"
)

// Secret is a value sealed with the key ring: shown again to its owner, so
// encrypted rather than hashed.
type Secret struct {
	UserID     int64  `gorm:"primaryKey"`
	Kind       string `gorm:"primaryKey"`
	KeyID      int
	Nonce      []byte
	Ciphertext []byte
	UpdatedAt  time.Time
}

// PutSecret inserts or replaces the user's secret of that kind.
func (s *Store) PutSecret(ctx context.Context, sec *Secret) error {
	return translate(s.q(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "user_id"}, {Name: "kind"}},
		DoUpdates: clause.AssignmentColumns([]string{"key_id", "nonce", "ciphertext", "updated_at"}),
	}).Create(sec).Error)
}

// SecretOf returns the user's secret of that kind, or ErrNotFound.
func (s *Store) SecretOf(ctx context.Context, userID int64, kind string) (*Secret, error) {
	var sec Secret
	err := s.q(ctx).Where("user_id = ? AND kind = ?", userID, kind).First(&sec).Error
	if err != nil {
		return nil, translate(err)
	}
	return &sec, nil
}
