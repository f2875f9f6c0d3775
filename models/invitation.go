package models

import (
	"context"
	"time"
)

// ActivatePending makes a pending account active: its Primary Admin
// accepted the invitation. It returns ErrNotFound when the account is not
// pending (already active, suspended or closed meanwhile), so of two
// racing acceptances only one activates it.
func (s AccountStore) ActivatePending(ctx context.Context, id int64, at time.Time) error {
	res := s.q(ctx).Model(&Account{}).Where("id = ? AND status = ?", id, AccountPending).
		Updates(map[string]any{"status": AccountActive, "status_changed_at": at, "updated_at": at})
	return affectedOne(res.Error, res.RowsAffected)
}

// Join makes an invited user active with the password, security question
// and answer hash they chose. It returns ErrNotFound when the user is not
// invited (any more).
func (s UserStore) Join(ctx context.Context, userID int64, passwordHash, question, answerHash string, at time.Time) error {
	res := s.q(ctx).Model(&User{}).Where("id = ? AND status = ?", userID, StatusInvited).Updates(map[string]any{
		"status": StatusActive, "password_hash": passwordHash, "password_changed_at": at,
		"security_question": question, "security_answer_hash": answerHash, "updated_at": at})
	return affectedOne(res.Error, res.RowsAffected)
}
