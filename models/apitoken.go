package models

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm/clause"
)

// APIToken is a named credential for the JSON API, kept per account. Only
// the SHA-256 of its secret is stored. It acts as its owner, within its own
// permissions; OwnerID is nil when the owner was deleted (the token is then
// paused until the account's Primary Admin adopts it).
type APIToken struct {
	ID        int64
	AccountID int64
	Name      string
	SHA256    []byte `gorm:"column:sha256"`
	// Permissions are the permission keys the token was given, space
	// separated in the row; use Perms to read them.
	Permissions string
	OwnerID     *int64
	OwnerName   string
	// CreatedByID is who created the token (nil once deleted): they may
	// still hold its secret after the Primary Admin adopts it, so the token
	// never acts on them.
	CreatedByID   *int64
	CreatedByName string
	CreatedAt     time.Time
	ExpiresAt     *time.Time
	LastUsedAt    *time.Time
	LastUsedIP    string `gorm:"column:last_used_ip"`
	RevokedAt     *time.Time
	RevokedByName string
}

// TableName names the table of API tokens.
func (APIToken) TableName() string { return "api_tokens" }

// Perms returns the token's permission keys.
func (t *APIToken) Perms() []string { return strings.Fields(t.Permissions) }

// Expired reports whether the token's expiry has passed at now.
func (t *APIToken) Expired(now time.Time) bool {
	return t.ExpiresAt != nil && !now.Before(*t.ExpiresAt)
}

// APITokenTouchEvery is how often a token's last use is written: at most
// once a minute, like a session's last-seen time, so a busy integration
// does not write a row per request.
const APITokenTouchEvery = time.Minute

// Create inserts t; a clash of digests (never expected) is ErrConflict.
func (s APITokenStore) Create(ctx context.Context, t *APIToken) error {
	return translate(s.q(ctx).Create(t).Error)
}

// ByDigest returns the token whose secret hashes to digest, revoked or
// not, or ErrNotFound.
func (s APITokenStore) ByDigest(ctx context.Context, digest []byte) (*APIToken, error) {
	var t APIToken
	if err := s.q(ctx).Where("sha256 = ?", digest).First(&t).Error; err != nil {
		return nil, translate(err)
	}
	return &t, nil
}

// InAccount returns the account's token with id, or ErrNotFound.
func (s APITokenStore) InAccount(ctx context.Context, accountID, id int64) (*APIToken, error) {
	var t APIToken
	if err := s.q(ctx).Where("account_id = ? AND id = ?", accountID, id).First(&t).Error; err != nil {
		return nil, translate(err)
	}
	return &t, nil
}

// NameLive reports whether a live (unrevoked) token of the account has the
// name, compared as the unique index compares it (case-insensitively).
func (s APITokenStore) NameLive(ctx context.Context, accountID int64, name string) (bool, error) {
	var n int64
	err := s.q(ctx).Model(&APIToken{}).Where("account_id = ? AND lower(name) = lower(?) AND revoked_at IS NULL", accountID, name).
		Count(&n).Error
	return n > 0, translate(err)
}

// List returns the account's tokens, newest first, revoked ones included.
func (s APITokenStore) List(ctx context.Context, accountID int64) ([]APIToken, error) {
	var out []APIToken
	err := s.q(ctx).Where("account_id = ?", accountID).Order("id DESC").Find(&out).Error
	return out, translate(err)
}

// Revoke marks the account's live token id revoked at now by the named
// person. It returns ErrNotFound when there is no such live token.
func (s APITokenStore) Revoke(ctx context.Context, accountID, id int64, by string, now time.Time) error {
	res := s.q(ctx).Model(&APIToken{}).Where("account_id = ? AND id = ? AND revoked_at IS NULL", accountID, id).
		Updates(map[string]any{"revoked_at": now, "revoked_by_name": by})
	return affectedOne(res.Error, res.RowsAffected)
}

// Adopt makes the user the owner of the account's live token id. It
// returns ErrNotFound when there is no such live token.
func (s APITokenStore) Adopt(ctx context.Context, accountID, id, ownerID int64, ownerName string) error {
	res := s.q(ctx).Model(&APIToken{}).Where("account_id = ? AND id = ? AND revoked_at IS NULL", accountID, id).
		Updates(map[string]any{"owner_id": ownerID, "owner_name": ownerName})
	return affectedOne(res.Error, res.RowsAffected)
}

// Touch records a use of token id from ip at now, unless one was recorded
// less than APITokenTouchEvery before: the condition is in the statement,
// so replicas racing write it once.
func (s APITokenStore) Touch(ctx context.Context, id int64, ip string, now time.Time) error {
	err := s.q(ctx).Model(&APIToken{}).
		Where("id = ? AND (last_used_at IS NULL OR last_used_at <= ?)", id, now.Add(-APITokenTouchEvery)).
		Updates(map[string]any{"last_used_at": now, "last_used_ip": ip}).Error
	return translate(err)
}

// APIIdempotency is the kept answer to a POST sent with an Idempotency-Key.
type APIIdempotency struct {
	ID          int64
	TokenID     int64
	Key         string
	RequestHash []byte
	// Status is 0 while the first request is being answered.
	Status int
	Body   string
	// Location is the Location header of the answer (a created resource's
	// address), given again with it.
	Location  string
	CreatedAt time.Time
}

// TableName names the table of kept answers.
func (APIIdempotency) TableName() string { return "api_idempotency" }

// ClaimIdempotency starts answering the token's request with key: it
// inserts a row with status 0 and returns nil, or, when the key was used
// before, returns that row (its Status is 0 while it is still answered).
func (s APITokenStore) ClaimIdempotency(ctx context.Context, tokenID int64, key string, hash []byte, now time.Time) (*APIIdempotency, error) {
	row := &APIIdempotency{TokenID: tokenID, Key: key, RequestHash: hash, CreatedAt: now}
	res := s.q(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(row)
	if res.Error != nil {
		return nil, translate(res.Error)
	}
	if res.RowsAffected == 1 {
		return nil, nil
	}
	var old APIIdempotency
	if err := s.q(ctx).Where("token_id = ? AND key = ?", tokenID, key).First(&old).Error; err != nil {
		return nil, translate(err)
	}
	return &old, nil
}

// FinishIdempotency keeps the answer to the token's request with key.
func (s APITokenStore) FinishIdempotency(ctx context.Context, tokenID int64, key string, status int, body, location string) error {
	return translate(s.q(ctx).Model(&APIIdempotency{}).Where("token_id = ? AND key = ?", tokenID, key).
		Updates(map[string]any{"status": status, "body": body, "location": location}).Error)
}

// ForgetIdempotency drops the token's key, after a request that failed
// for no fault of its own, so a retry acts.
func (s APITokenStore) ForgetIdempotency(ctx context.Context, tokenID int64, key string) error {
	return translate(s.q(ctx).Where("token_id = ? AND key = ?", tokenID, key).Delete(&APIIdempotency{}).Error)
}

// ExpireIdempotency forgets the token's keys created before cutoff.
func (s APITokenStore) ExpireIdempotency(ctx context.Context, tokenID int64, cutoff time.Time) error {
	return translate(s.q(ctx).Where("token_id = ? AND created_at < ?", tokenID, cutoff).Delete(&APIIdempotency{}).Error)
}
