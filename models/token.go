package models

import (
	"context"
	"time"
)

// Token purposes.
const (
	PurposeReset       = "reset"
	PurposeWelcome     = "welcome"
	PurposeEmailChange = "email_change"
	PurposeSupportCode = "support_code"
	// PurposeInvitation is the link that invites an onboarded account's
	// Primary Admin to finish its setup.
	PurposeInvitation = "invitation"
)

// Token is a one-time link or code, bound to a user and a purpose. Only the
// SHA-256 of the secret is stored.
type Token struct {
	ID     int64
	UserID int64
	// AccountID is the user's; Create sets it.
	AccountID       int64
	Purpose         string
	SHA256          []byte `gorm:"column:sha256"`
	CreatedAt       time.Time
	ExpiresAt       time.Time
	UsedAt          *time.Time
	VoidedAt        *time.Time
	VoidReason      string
	RequestedByID   *int64
	RequestedByName string
	SentAt          *time.Time
	NewEmail        string
	// AnsweredBy is the digest of the key of the reset wizard's visit that
	// answered the user's security question; nil until one did.
	AnsweredBy []byte
	AnsweredAt *time.Time
}

// Create inserts t, with its user's account.
func (s TokenStore) Create(ctx context.Context, t *Token) error {
	if err := s.setAccountOf(ctx, t.UserID, &t.AccountID); err != nil {
		return err
	}
	return translate(s.q(ctx).Create(t).Error)
}

// ByDigest returns the token whose SHA-256 is digest, or ErrNotFound.
func (s TokenStore) ByDigest(ctx context.Context, digest []byte) (*Token, error) {
	var t Token
	if err := s.q(ctx).Where("sha256 = ?", digest).First(&t).Error; err != nil {
		return nil, translate(err)
	}
	return &t, nil
}

// ByIDAnyAccount returns the token with id, or ErrNotFound. Only for an id
// the portal holds itself: the reset wizard and the invitation keep the id
// of the link they found by digest in the server-side session.
func (s TokenStore) ByIDAnyAccount(ctx context.Context, id int64) (*Token, error) {
	var t Token
	if err := s.q(ctx).First(&t, id).Error; err != nil {
		return nil, translate(err)
	}
	return &t, nil
}

// Use marks a live token used. It returns ErrNotFound when the token
// is already used, voided or expired: of many parallel calls, one wins.
func (s TokenStore) Use(ctx context.Context, id int64, now time.Time) error {
	res := s.q(ctx).Model(&Token{}).
		Where("id = ? AND used_at IS NULL AND voided_at IS NULL AND expires_at > ?", id, now).
		Update("used_at", now)
	return affectedOne(res.Error, res.RowsAffected)
}

// Answer records that the visit whose key has digest by answered the
// security question of a live token, replacing an earlier visit's answer.
// It returns ErrNotFound when the token is used, voided or expired.
func (s TokenStore) Answer(ctx context.Context, id int64, by []byte, now time.Time) error {
	res := s.q(ctx).Model(&Token{}).
		Where("id = ? AND used_at IS NULL AND voided_at IS NULL AND expires_at > ?", id, now).
		Updates(map[string]any{"answered_by": by, "answered_at": now})
	return affectedOne(res.Error, res.RowsAffected)
}

// UseAnswered is Use for a token whose security question the
// visit with key digest by must have answered: it returns ErrNotFound too
// when another visit, or none, answered it.
func (s TokenStore) UseAnswered(ctx context.Context, id int64, by []byte, now time.Time) error {
	res := s.q(ctx).Model(&Token{}).
		Where("id = ? AND used_at IS NULL AND voided_at IS NULL AND expires_at > ? AND answered_by = ?", id, now, by).
		Update("used_at", now)
	return affectedOne(res.Error, res.RowsAffected)
}

// Void voids the user's outstanding tokens of the given purposes (all
// purposes when none are given), except keep (0 keeps none), and returns how
// many it voided.
func (s TokenStore) Void(ctx context.Context, userID int64, reason string, now time.Time, keep int64, purposes ...string) (int64, error) {
	q := s.q(ctx).Model(&Token{}).Where("user_id = ? AND used_at IS NULL AND voided_at IS NULL AND id <> ?", userID, keep)
	if len(purposes) > 0 {
		q = q.Where("purpose IN ?", purposes)
	}
	res := q.Updates(map[string]any{"voided_at": now, "void_reason": reason})
	return res.RowsAffected, translate(res.Error)
}

// OfUser returns the user's tokens of a purpose, newest first.
func (s TokenStore) OfUser(ctx context.Context, userID int64, purpose string, limit int) ([]Token, error) {
	var out []Token
	err := s.q(ctx).Where("user_id = ? AND purpose = ?", userID, purpose).Order("id DESC").Limit(limit).Find(&out).Error
	return out, translate(err)
}

// Has reports whether the user was ever given a link or code of
// purpose (used, voided or not).
func (s TokenStore) Has(ctx context.Context, userID int64, purpose string) (bool, error) {
	var n int64
	err := s.q(ctx).Model(&Token{}).Where("user_id = ? AND purpose = ?", userID, purpose).Limit(1).Count(&n).Error
	return n > 0, translate(err)
}

// VoidOf voids every outstanding link and code of the users with ids.
func (s TokenStore) VoidOf(ctx context.Context, ids []int64, reason string, at time.Time) error {
	cond, arg := s.inIDs("user_id", ids)
	return translate(s.q(ctx).Model(&Token{}).Where(cond, arg).Where("used_at IS NULL AND voided_at IS NULL").
		Updates(map[string]any{"voided_at": at, "void_reason": reason}).Error)
}

// LinksOf returns the user's reset, welcome and invitation links, newest
// first.
func (s TokenStore) LinksOf(ctx context.Context, userID int64, limit int) ([]Token, error) {
	var out []Token
	err := s.q(ctx).Where("user_id = ? AND purpose IN ?", userID, []string{PurposeReset, PurposeWelcome, PurposeInvitation}).
		Order("id DESC").Limit(limit).Find(&out).Error
	return out, translate(err)
}

// VoidOne voids one outstanding token of the user of the account;
// ErrNotFound when there is no such live token.
func (s TokenStore) VoidOne(ctx context.Context, accountID, userID, tokenID int64, reason string, at time.Time) error {
	res := s.q(ctx).Model(&Token{}).
		Where("account_id = ? AND id = ? AND user_id = ? AND used_at IS NULL AND voided_at IS NULL", accountID, tokenID, userID).
		Updates(map[string]any{"voided_at": at, "void_reason": reason})
	return affectedOne(res.Error, res.RowsAffected)
}
