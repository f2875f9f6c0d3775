package admin

import (
	"context"
	"log/slog"

	"accountportal/app/identity"
	"accountportal/models"
)

// Bulk runs bulk actions on users: the preview, the jobs that work them in
// batches on any replica, and their results.
type Bulk struct {
	core
	resets  ResetIssuer
	factors MFAChecker
	queue   BatchQueue
	log     *slog.Logger
	// batch is how many users one bulk transaction handles.
	batch int
	// beforeCommit, when set (by tests), runs before each bulk batch
	// commits; an error rolls that batch back.
	beforeCommit func(ids []int64) error
	// selections saves decoding a job's selection for every batch.
	selections selectionCache
}

// NewBulk returns the bulk actions' service. factors check the
// administrator's own code before a second-factor reset; queue carries the
// batches of a job.
func NewBulk(sh Shared, resets ResetIssuer, factors MFAChecker, queue BatchQueue, log *slog.Logger) *Bulk {
	return &Bulk{core: newCore(sh), resets: resets, factors: factors, queue: queue, log: log, batch: defaultBatch}
}

// Preview is what a bulk action would do, for the page that asks "are you
// sure?". The skip rules are those the job applies, checked on the first
// batch of the selection (Checked users); the rest are checked as the job
// reaches them.
type Preview struct {
	// Total is how many users the selection holds.
	Total int64
	// Checked is how many of them the skip rules were applied to.
	Checked int64
	// Acting lists the first of the checked users the action applies to;
	// Skipped the first it would skip, each with why.
	Acting  []models.User
	Skipped []Outcome
	// SkipCount is how many of the checked users would be skipped.
	SkipCount int64
}

// Acts is how many users the action is expected to change: every user of
// the selection but those the check found it would skip.
func (p *Preview) Acts() int64 { return p.Total - p.SkipCount }

// BulkPreview applies the bulk skip rules to the first batch of a
// selection and lists up to limit users on each side. It returns
// ErrNoUsersManage for an actor who may not manage users.
func (s *Bulk) BulkPreview(ctx context.Context, actor *identity.Principal, action string, sel Selection, limit int) (*Preview, error) {
	if !actor.Can(identity.PermUsersManage) {
		return nil, ErrNoUsersManage
	}
	ids, total, err := s.firstBatch(ctx, actor, sel)
	if err != nil {
		return nil, err
	}
	users, err := s.store.Users.ByIDs(ctx, actor.Account.ID, ids)
	if err != nil {
		return nil, err
	}
	outcomes, _, err := s.sortBatch(ctx, s.store, actor, action, users)
	if err != nil {
		return nil, err
	}
	p := &Preview{Total: total, Checked: int64(len(users))}
	if sel.Matching == nil {
		// Chosen ids of no user of the account are no one to act on.
		p.Total -= int64(len(ids) - len(users))
	}
	for _, o := range outcomes {
		switch {
		case o.Done && len(p.Acting) < limit:
			p.Acting = append(p.Acting, o.User)
		case !o.Done:
			p.SkipCount++
			if len(p.Skipped) < limit {
				p.Skipped = append(p.Skipped, o)
			}
		}
	}
	return p, nil
}

// firstBatch returns the ids of the selection's first batch, in the order
// the job works them, and how many users the selection holds.
func (s *Bulk) firstBatch(ctx context.Context, actor *identity.Principal, sel Selection) ([]int64, int64, error) {
	if sel.Matching == nil {
		ids := sortedIDs(dedupeIDs(sel.IDs))
		return ids[:min(len(ids), s.batch)], int64(len(ids)), nil
	}
	f := *sel.Matching
	f.AccountID = actor.Account.ID
	total, err := s.store.Users.Count(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	ids, err := s.store.Users.MatchingIDs(ctx, f, 0, s.batch)
	return ids, total, err
}
