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
}

// NewBulk returns the bulk actions' service. factors check the
// administrator's own code before a second-factor reset; queue carries the
// batches of a job.
func NewBulk(sh Shared, resets ResetIssuer, factors MFAChecker, queue BatchQueue, log *slog.Logger) *Bulk {
	return &Bulk{core: newCore(sh), resets: resets, factors: factors, queue: queue, log: log, batch: defaultBatch}
}

// BulkPreview returns the first limit users of a selection and how many
// it holds in all, for the page that asks "are you sure?".
func (s *Bulk) BulkPreview(ctx context.Context, actor *identity.Principal, sel Selection, limit int) ([]models.User, int64, error) {
	if !actor.Can(identity.PermUsersManage) {
		return nil, 0, ErrNoUsersManage
	}
	if sel.Matching == nil {
		ids := dedupeIDs(sel.IDs)
		users, err := s.store.Users.ByIDs(ctx, actor.Account.ID, ids[:min(len(ids), s.batch)])
		if err != nil {
			return nil, 0, err
		}
		total := int64(len(users))
		if len(ids) > s.batch {
			total = int64(len(ids))
		}
		return users[:min(len(users), limit)], total, nil
	}
	f := *sel.Matching
	f.AccountID = actor.Account.ID
	total, err := s.store.Users.Count(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	ids, err := s.store.Users.MatchingIDs(ctx, f, 0, limit)
	if err != nil {
		return nil, 0, err
	}
	users, err := s.store.Users.ByIDs(ctx, actor.Account.ID, ids)
	return users, total, err
}
