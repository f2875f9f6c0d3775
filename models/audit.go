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

// Append adds an entry to the audit log.
func (s AuditStore) Append(ctx context.Context, e *AuditEvent) error {
	if e.Details == "" {
		e.Details = "{}"
	}
	return translate(s.q(ctx).Create(e).Error)
}

// ForAccount returns the newest entries of an account, newest first.
func (s AuditStore) ForAccount(ctx context.Context, accountID int64, limit int) ([]AuditEvent, error) {
	var out []AuditEvent
	err := s.q(ctx).Where("account_id = ?", accountID).Order("id DESC").Limit(limit).Find(&out).Error
	return out, translate(err)
}

// AppendFor adds one entry per target, alike but for the target, as
// bulk actions write them: on PostgreSQL in one statement whatever the
// number of targets.
func (s AuditStore) AppendFor(ctx context.Context, e AuditEvent, targetIDs []int64, targetNames []string) error {
	if e.Details == "" {
		e.Details = "{}"
	}
	if s.dialect != Postgres {
		rows := make([]AuditEvent, len(targetIDs))
		for i := range targetIDs {
			rows[i] = e
			rows[i].TargetID, rows[i].TargetName = &targetIDs[i], targetNames[i]
		}
		return s.AppendMany(ctx, rows)
	}
	return translate(s.q(ctx).Exec(`INSERT INTO audit_events
		(at, account_id, actor_id, actor_name, action, target_id, target_name, ip, user_agent, details)
		SELECT ?, ?, ?, ?, ?, t.id, t.name, ?, ?, ?::jsonb FROM unnest(?::bigint[], ?::text[]) AS t (id, name)`,
		e.At, e.AccountID, e.ActorID, e.ActorName, e.Action, e.IP, e.UserAgent, e.Details,
		pgArray(targetIDs), pgTextArray(targetNames)).Error)
}

// AppendMany adds many entries to the audit log in a few statements.
func (s AuditStore) AppendMany(ctx context.Context, events []AuditEvent) error {
	for i := range events {
		if events[i].Details == "" {
			events[i].Details = "{}"
		}
	}
	return translate(s.q(ctx).CreateInBatches(events, 1000).Error)
}

// ForTarget returns the newest entries about a user, newest first.
func (s AuditStore) ForTarget(ctx context.Context, accountID, targetID int64, limit int) ([]AuditEvent, error) {
	var out []AuditEvent
	err := s.q(ctx).Where("account_id = ? AND target_id = ?", accountID, targetID).Order("id DESC").Limit(limit).Find(&out).Error
	return out, translate(err)
}

// SupportEventPrefix starts the action of every support desk verification
// in the audit log.
const SupportEventPrefix = "support."
