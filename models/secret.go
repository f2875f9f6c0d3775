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
	AccountID  int64  // the user's; Put sets it
	KeyID      int
	Nonce      []byte
	Ciphertext []byte
	UpdatedAt  time.Time
}

// Put inserts or replaces the user's secret of that kind.
func (s SecretStore) Put(ctx context.Context, sec *Secret) error {
	if err := s.setAccountOf(ctx, sec.UserID, &sec.AccountID); err != nil {
		return err
	}
	return translate(s.q(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "user_id"}, {Name: "kind"}},
		DoUpdates: clause.AssignmentColumns([]string{"key_id", "nonce", "ciphertext", "updated_at"}),
	}).Create(sec).Error)
}

// Of returns the user's secret of that kind, or ErrNotFound.
func (s SecretStore) Of(ctx context.Context, userID int64, kind string) (*Secret, error) {
	var sec Secret
	err := s.q(ctx).Where("user_id = ? AND kind = ?", userID, kind).First(&sec).Error
	if err != nil {
		return nil, translate(err)
	}
	return &sec, nil
}

// NotUnderKey returns up to limit secrets sealed under a key other
// than keyID, in a stable order after (userID, kind), for re-encryption in
// batches.
func (s SecretStore) NotUnderKey(ctx context.Context, keyID int, afterUser int64, afterKind string, limit int) ([]Secret, error) {
	var out []Secret
	err := s.q(ctx).Where("key_id <> ? AND (user_id > ? OR (user_id = ? AND kind > ?))", keyID, afterUser, afterUser, afterKind).
		Order("user_id, kind").Limit(limit).Find(&out).Error
	return out, translate(err)
}

// CountByKey returns how many secrets each data key seals.
func (s SecretStore) CountByKey(ctx context.Context) (map[int]int64, error) {
	var rows []struct {
		KeyID int
		N     int64
	}
	err := s.q(ctx).Model(&Secret{}).Select("key_id, count(*) AS n").Group("key_id").Scan(&rows).Error
	out := make(map[int]int64, len(rows))
	for _, r := range rows {
		out[r.KeyID] = r.N
	}
	return out, translate(err)
}

// Reseal replaces a secret's sealed value if it is still sealed under
// oldKey; it reports whether it replaced it (a concurrent change wins).
func (s SecretStore) Reseal(ctx context.Context, sec *Secret, oldKey int) (bool, error) {
	res := s.q(ctx).Model(&Secret{}).Where("user_id = ? AND kind = ? AND key_id = ?", sec.UserID, sec.Kind, oldKey).
		Updates(map[string]any{"key_id": sec.KeyID, "nonce": sec.Nonce, "ciphertext": sec.Ciphertext})
	return res.RowsAffected == 1, translate(res.Error)
}

// HasPassphrase reports whether the user has set a support passphrase.
func (s SecretStore) HasPassphrase(ctx context.Context, userID int64) (bool, error) {
	var n int64
	err := s.q(ctx).Model(&Secret{}).Where("user_id = ? AND kind = ?", userID, SecretPassphrase).Count(&n).Error
	return n > 0, translate(err)
}
