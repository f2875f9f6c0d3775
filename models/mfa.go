package models

import (
	"context"
	"time"
)

// BackupCode is one single-use second-factor code.
type BackupCode struct {
	ID        int64
	UserID    int64
	AccountID int64 // the user's; ReplaceBackupCodes sets it
	Prefix    string
	CodeHash  string
	CreatedAt time.Time
	UsedAt    *time.Time
}

// Enrol records a confirmed authenticator: the sealed seed, the step
// of the code that confirmed it, and a fresh set of backup codes.
func (s MFAStore) Enrol(ctx context.Context, seed *Secret, step int64, codes []BackupCode, at time.Time) error {
	if err := s.store().Secrets.Put(ctx, seed); err != nil {
		return err
	}
	res := s.q(ctx).Model(&User{}).Where("id = ?", seed.UserID).
		Updates(map[string]any{"mfa_enrolled_at": at, "totp_last_step": step, "mfa_reset_at": nil, "updated_at": at})
	if err := affectedOne(res.Error, res.RowsAffected); err != nil {
		return err
	}
	return s.ReplaceBackupCodes(ctx, seed.UserID, codes)
}

// ReplaceBackupCodes voids the user's old codes and stores the new set.
func (s MFAStore) ReplaceBackupCodes(ctx context.Context, userID int64, codes []BackupCode) error {
	if err := s.q(ctx).Where("user_id = ?", userID).Delete(&BackupCode{}).Error; err != nil {
		return translate(err)
	}
	if len(codes) == 0 {
		return nil
	}
	var accountID int64
	if err := s.setAccountOf(ctx, userID, &accountID); err != nil {
		return err
	}
	for i := range codes {
		codes[i].AccountID = accountID
	}
	return translate(s.q(ctx).Create(&codes).Error)
}

// AcceptTOTPStep records step as the user's last accepted one if it is
// later than the one recorded, and reports whether it was. Of parallel
// submissions of one code, exactly one is accepted.
func (s MFAStore) AcceptTOTPStep(ctx context.Context, userID, step int64) (bool, error) {
	res := s.q(ctx).Model(&User{}).
		Where("id = ? AND mfa_enrolled_at IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < ?)", userID, step).
		Update("totp_last_step", step)
	return res.RowsAffected == 1, translate(res.Error)
}

// UnusedBackupCodes returns the user's unused codes with prefix.
func (s MFAStore) UnusedBackupCodes(ctx context.Context, userID int64, prefix string) ([]BackupCode, error) {
	var out []BackupCode
	err := s.q(ctx).Where("user_id = ? AND prefix = ? AND used_at IS NULL", userID, prefix).Find(&out).Error
	return out, translate(err)
}

// UseBackupCode marks a code used; of parallel uses exactly one wins, the
// others get ErrNotFound.
func (s MFAStore) UseBackupCode(ctx context.Context, id int64, at time.Time) error {
	res := s.q(ctx).Model(&BackupCode{}).Where("id = ? AND used_at IS NULL", id).Update("used_at", at)
	return affectedOne(res.Error, res.RowsAffected)
}

// CountUnusedBackupCodes returns how many unused codes the user has left.
func (s MFAStore) CountUnusedBackupCodes(ctx context.Context, userID int64) (int64, error) {
	var n int64
	err := s.q(ctx).Model(&BackupCode{}).Where("user_id = ? AND used_at IS NULL", userID).Count(&n).Error
	return n, translate(err)
}

// ResetOf removes the authenticator and backup codes of the users with
// ids, in a few statements. With byAdmin the users must enrol again at
// their next sign-in whatever the account's policy (MFAResetAt is set).
func (s MFAStore) ResetOf(ctx context.Context, ids []int64, byAdmin bool, at time.Time) error {
	cond, arg := s.inIDs("user_id", ids)
	if err := s.q(ctx).Where(cond, arg).Where("kind = ?", SecretTOTPSeed).Delete(&Secret{}).Error; err != nil {
		return translate(err)
	}
	if err := s.q(ctx).Where(cond, arg).Delete(&BackupCode{}).Error; err != nil {
		return translate(err)
	}
	idCond, idArg := s.inIDs("id", ids)
	var resetAt *time.Time
	if byAdmin {
		resetAt = &at
	}
	return translate(s.q(ctx).Model(&User{}).Where(idCond, idArg).
		Updates(map[string]any{"mfa_enrolled_at": nil, "totp_last_step": nil, "mfa_reset_at": resetAt, "updated_at": at}).Error)
}
