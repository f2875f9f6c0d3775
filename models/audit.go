package models

import (
	"context"
	"time"
)

// AuditEvent is one entry of the append-only audit log. Names are copied
// so the entry still reads correctly after the people in it are deleted.
type AuditEvent struct {
	ID         int64
	At         time.Time
	AccountID  *int64
	ActorID    *int64
	ActorName  string
	Action     string
	TargetID   *int64
	TargetName string
	IP         string `gorm:"column:ip"`
	UserAgent  string
	Details    string
}

// AppendAudit adds an entry to the audit log.
func (s *Store) AppendAudit(ctx context.Context, e *AuditEvent) error {
	if e.Details == "" {
		e.Details = "{}"
	}
	return translate(s.q(ctx).Create(e).Error)
}

// AuditForAccount returns the newest entries of an account, newest first.
func (s *Store) AuditForAccount(ctx context.Context, accountID int64, limit int) ([]AuditEvent, error) {
	var out []AuditEvent
	err := s.q(ctx).Where("account_id = ?", accountID).Order("id DESC").Limit(limit).Find(&out).Error
	return out, translate(err)
}
