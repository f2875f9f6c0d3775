package models

import (
	"context"
	"time"

	"gorm.io/gorm/clause"
)

// Kinds of recovery request.
const (
	RecoverPassword = "password"
	RecoverUsername = "username"
)

// RecoveryRequest is a forgot-password or forgot-username request, queued
// exactly as typed and handled off the request path.
type RecoveryRequest struct {
	ID         int64
	Kind       string
	Identifier string
	IP         string `gorm:"column:ip"`
	UserAgent  string
	// Language is the language the request was made in ("" for none), for
	// the email of a user who chose none.
	Language  string
	CreatedAt time.Time
}

// Queue stores a request for the recovery worker.
func (s RecoveryStore) Queue(ctx context.Context, r *RecoveryRequest) error {
	return translate(s.q(ctx).Create(r).Error)
}

// Take removes the oldest queued request and returns it, or
// ErrNotFound when the queue is empty. Call it inside InTx and handle the
// request in the same transaction: if handling fails the request stays
// queued, and on PostgreSQL a request another worker holds is skipped.
func (s RecoveryStore) Take(ctx context.Context) (*RecoveryRequest, error) {
	var r RecoveryRequest
	q := s.q(ctx).Order("id").Limit(1)
	if s.dialect == Postgres {
		q = q.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
	}
	if err := q.Find(&r).Error; err != nil {
		return nil, translate(err)
	}
	if r.ID == 0 {
		return nil, ErrNotFound
	}
	return &r, translate(s.q(ctx).Delete(&RecoveryRequest{}, r.ID).Error)
}
