package models

import (
	"context"
	"html"
	"strings"
	"time"

	"gorm.io/gorm/clause"
)

// OutboxMessage is an email waiting to be sent, or sent. It is written in
// the same transaction as the change that caused it, so a change is never
// committed without its email, nor an email sent for a change rolled back.
type OutboxMessage struct {
	ID     int64
	ToAddr string
	// ToName is the recipient's name, for a shared body's RecipientName.
	ToName   string
	Subject  string
	TextBody string
	HTMLBody string `gorm:"column:html_body"`
	TokenID  *int64
	// BodyID, when set, names the shared text and HTML of a message sent
	// alike to many; TextBody and HTMLBody are then filled from it on read.
	BodyID *int64
	// AccountID is the customer account whose user the message is for, or
	// nil for mail outside any account's (the provider's own notices). The
	// message is withheld, not sent, while that account is suspended or
	// closed.
	AccountID     *int64
	CreatedAt     time.Time
	Attempts      int
	NextAttemptAt time.Time
	LeaseOwner    string
	SentAt        *time.Time
	LastError     string
	// WithheldAt is when the message was given up because its account
	// was suspended or closed; it is never tried again.
	WithheldAt *time.Time
}

// TableName names the outbox table.
func (OutboxMessage) TableName() string { return "outbox" }

// Enqueue adds a message to the outbox, due now.
func (s OutboxStore) Enqueue(ctx context.Context, m *OutboxMessage) error {
	if m.NextAttemptAt.IsZero() {
		m.NextAttemptAt = m.CreatedAt
	}
	return translate(s.q(ctx).Create(m).Error)
}

// Lease claims up to limit due, unsent messages for owner until
// leaseUntil and returns them. Claimed rows are invisible to other workers
// until the lease ends; on PostgreSQL rows being claimed by another worker
// are skipped (FOR UPDATE SKIP LOCKED), so workers never wait on each other.
func (s OutboxStore) Lease(ctx context.Context, owner string, now, leaseUntil time.Time, limit int) ([]OutboxMessage, error) {
	var out []OutboxMessage
	err := s.store().InTx(ctx, func(tx *Store) error {
		if err := tx.Outbox.withhold(ctx, now); err != nil {
			return err
		}
		q := tx.q(ctx).Where("sent_at IS NULL AND withheld_at IS NULL AND next_attempt_at <= ?", now).Order("id").Limit(limit)
		if s.dialect == Postgres {
			q = q.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
		}
		if err := q.Find(&out).Error; err != nil || len(out) == 0 {
			return err
		}
		ids := make([]int64, len(out))
		for i := range out {
			ids[i] = out[i].ID
			out[i].LeaseOwner, out[i].NextAttemptAt = owner, leaseUntil
			out[i].Attempts++
		}
		err := tx.q(ctx).Model(&OutboxMessage{}).Where("id IN ?", ids).Updates(map[string]any{
			"lease_owner": owner, "next_attempt_at": leaseUntil, "attempts": clause.Expr{SQL: "attempts + 1"},
		}).Error
		if err != nil {
			return err
		}
		return tx.Outbox.fillBodies(ctx, out)
	})
	return out, translate(err)
}

// withheldReason is the last error of a message withheld for its account.
const withheldReason = "not sent: the account is suspended or closed"

// withhold gives up the due messages of suspended and closed accounts, so
// that no mail reaches their users, not even mail queued before the
// suspension, and none is retried for ever. Only due messages are looked
// at (the pending index), each account by its key.
func (s OutboxStore) withhold(ctx context.Context, now time.Time) error {
	return translate(s.q(ctx).Model(&OutboxMessage{}).
		Where("sent_at IS NULL AND withheld_at IS NULL AND next_attempt_at <= ? AND account_id IS NOT NULL", now).
		Where("EXISTS (SELECT 1 FROM accounts a WHERE a.id = outbox.account_id AND a.status IN ?)",
			[]string{AccountSuspended, AccountClosed}).
		Updates(map[string]any{"withheld_at": now, "last_error": withheldReason}).Error)
}

// RecipientName stands for the recipient's name in a shared body; each
// message says its own recipient's name in its place when it is read.
const RecipientName = "[[recipient name]]"

// MailBody is the shared text of a message sent alike to many users.
type MailBody struct {
	ID        int64
	TextBody  string
	HTMLBody  string `gorm:"column:html_body"`
	CreatedAt time.Time
}

// fillBodies reads the shared bodies of messages that have one.
func (s OutboxStore) fillBodies(ctx context.Context, msgs []OutboxMessage) error {
	var ids []int64
	for _, m := range msgs {
		if m.BodyID != nil {
			ids = append(ids, *m.BodyID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var bodies []MailBody
	if err := s.q(ctx).Where("id IN ?", ids).Find(&bodies).Error; err != nil {
		return translate(err)
	}
	byID := make(map[int64]MailBody, len(bodies))
	for _, b := range bodies {
		byID[b.ID] = b
	}
	for i := range msgs {
		if msgs[i].BodyID != nil {
			b := byID[*msgs[i].BodyID]
			name := msgs[i].ToName
			msgs[i].TextBody = strings.ReplaceAll(b.TextBody, RecipientName, name)
			msgs[i].HTMLBody = strings.ReplaceAll(b.HTMLBody, RecipientName, html.EscapeString(name))
		}
	}
	return nil
}

// MarkSent records that the owner's leased message went out, and stamps
// the token it carried. It returns ErrNotFound when the lease was lost.
func (s OutboxStore) MarkSent(ctx context.Context, id int64, owner string, at time.Time) error {
	return s.store().InTx(ctx, func(tx *Store) error {
		var m OutboxMessage
		if err := tx.q(ctx).Where("id = ? AND lease_owner = ? AND sent_at IS NULL", id, owner).First(&m).Error; err != nil {
			return translate(err)
		}
		if err := tx.q(ctx).Model(&OutboxMessage{}).Where("id = ?", id).
			Updates(map[string]any{"sent_at": at, "last_error": ""}).Error; err != nil {
			return translate(err)
		}
		if m.TokenID == nil {
			return nil
		}
		return translate(tx.q(ctx).Model(&Token{}).Where("id = ? AND sent_at IS NULL", *m.TokenID).
			Update("sent_at", at).Error)
	})
}

// MarkFailed records a failed attempt and when to try again.
func (s OutboxStore) MarkFailed(ctx context.Context, id int64, owner, reason string, retryAt time.Time) error {
	res := s.q(ctx).Model(&OutboxMessage{}).Where("id = ? AND lease_owner = ? AND sent_at IS NULL", id, owner).
		Updates(map[string]any{"last_error": reason, "next_attempt_at": retryAt})
	return affectedOne(res.Error, res.RowsAffected)
}

// Recent returns the newest messages, newest first (the dev mailbox).
func (s OutboxStore) Recent(ctx context.Context, limit int) ([]OutboxMessage, error) {
	var out []OutboxMessage
	if err := s.q(ctx).Order("id DESC").Limit(limit).Find(&out).Error; err != nil {
		return nil, translate(err)
	}
	return out, s.fillBodies(ctx, out)
}

// ByID returns one message, or ErrNotFound.
func (s OutboxStore) ByID(ctx context.Context, id int64) (*OutboxMessage, error) {
	var m OutboxMessage
	if err := s.q(ctx).First(&m, id).Error; err != nil {
		return nil, translate(err)
	}
	one := []OutboxMessage{m}
	if err := s.fillBodies(ctx, one); err != nil {
		return nil, err
	}
	return &one[0], nil
}

// Pending counts messages not yet sent.
func (s OutboxStore) Pending(ctx context.Context) (int64, error) {
	var n int64
	return n, translate(s.q(ctx).Model(&OutboxMessage{}).Where("sent_at IS NULL AND withheld_at IS NULL").Count(&n).Error)
}

// EnqueueToUsers queues one message to each user with ids, all alike
// but for the recipient, in one statement: bulk actions tell every user
// they touched without writing messages one by one.
func (s OutboxStore) EnqueueToUsers(ctx context.Context, ids []int64, subject, text, html string, at time.Time) error {
	body := &MailBody{TextBody: text, HTMLBody: html, CreatedAt: at}
	if err := s.q(ctx).Create(body).Error; err != nil {
		return translate(err)
	}
	cond, arg := s.inIDs("id", ids)
	return translate(s.q(ctx).Exec(`INSERT INTO outbox (to_addr, to_name, subject, text_body, html_body, body_id, created_at, next_attempt_at, account_id)
		SELECT email, display_name, ?, '', '', ?, ?, ?, account_id FROM users WHERE `+cond, subject, body.ID, at, at, arg).Error)
}
