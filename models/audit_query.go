package models

import (
	"context"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// AuditFilter selects the audit events of one account. Empty fields and
// zero times do not filter.
type AuditFilter struct {
	AccountID int64
	// Actor and Target match anywhere in the copied names, ignoring case.
	Actor, Target string
	// Action matches exactly.
	Action string
	// ActionPrefix matches the start of the action, as "support." for
	// every support desk verification.
	ActionPrefix string
	// From is inclusive and To exclusive.
	From, To time.Time
}

// auditBatch is how many rows Each reads per query: large enough to
// keep the number of queries low, small enough to bound memory.
const auditBatch = 1000

// where adds the filter's conditions to q. The account condition is always
// there, so no query of this file can see another account's events.
func (f AuditFilter) where(q *gorm.DB) *gorm.DB {
	q = q.Where("account_id = ?", f.AccountID)
	if f.Actor != "" {
		q = q.Where(`lower(actor_name) LIKE ? ESCAPE '\'`, containsPattern(f.Actor))
	}
	if f.Target != "" {
		q = q.Where(`lower(target_name) LIKE ? ESCAPE '\'`, containsPattern(f.Target))
	}
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if f.ActionPrefix != "" {
		esc := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
		q = q.Where(`action LIKE ? ESCAPE '\'`, esc.Replace(f.ActionPrefix)+"%")
	}
	if !f.From.IsZero() {
		q = q.Where("at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("at < ?", f.To.UTC())
	}
	return q
}

// containsPattern turns text into a LIKE pattern matching it anywhere. The
// user's own % and _ are escaped, so they match themselves rather than
// any text. SQLite's lower() folds ASCII letters only, so other letters
// match only in the case they were typed.
func containsPattern(text string) string {
	esc := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + esc.Replace(strings.ToLower(text)) + "%"
}

// Page returns at most limit events matching f, newest first. With
// beforeID > 0 it returns the newest events older than that id (the next
// page); otherwise, with afterID > 0, the oldest events newer than that id
// (the previous page), still newest first. Callers who want to know
// whether another page follows ask for one more event than they show.
// Paging by id never skips or repeats an event, however many are added
// meanwhile, and costs the same on the last page as on the first.
func (s AuditStore) Page(ctx context.Context, f AuditFilter, beforeID, afterID int64, limit int) ([]AuditEvent, error) {
	q := f.where(s.q(ctx).Model(&AuditEvent{})).Limit(limit)
	var out []AuditEvent
	if beforeID <= 0 && afterID > 0 {
		// The events just after the cursor come first in ascending order.
		err := q.Where("id > ?", afterID).Order("id ASC").Find(&out).Error
		slices.Reverse(out)
		return out, translate(err)
	}
	if beforeID > 0 {
		q = q.Where("id < ?", beforeID)
	}
	err := q.Order("id DESC").Find(&out).Error
	return out, translate(err)
}

// Actions returns the distinct actions of an account's events, in
// alphabetical order, for the audit log's filter.
func (s AuditStore) Actions(ctx context.Context, accountID int64) ([]string, error) {
	var out []string
	err := s.q(ctx).Model(&AuditEvent{}).Where("account_id = ?", accountID).
		Distinct("action").Order("action").Pluck("action", &out).Error
	return out, translate(err)
}

// Each calls fn with every event matching f, newest first, reading
// them in batches by id so that memory stays bounded and no connection is
// held while fn runs (fn may write to a slow client). It stops at the
// first error, from the database or from fn, and returns it.
func (s AuditStore) Each(ctx context.Context, f AuditFilter, fn func(AuditEvent) error) error {
	var before int64
	for {
		batch, err := s.Page(ctx, f, before, 0, auditBatch)
		if err != nil {
			return err
		}
		for _, e := range batch {
			if err := fn(e); err != nil {
				return err
			}
		}
		if len(batch) < auditBatch {
			return nil
		}
		before = batch[len(batch)-1].ID
	}
}
