package admin

import (
	"context"
	"encoding/csv"
	"errors"
	"io"

	"accountportal/app/apperr"
	"accountportal/app/identity"
	"accountportal/models"
)

// ErrNoSuchJob answers a bulk job that is not the actor's account's.
var ErrNoSuchJob = apperr.New(apperr.NotFound, "No such bulk action in this account.")

// BulkJobPage is one bulk job with a page of its users' outcomes.
type BulkJobPage struct {
	Job     models.BulkJob
	Results []models.BulkJobResult
	// Next is the user id to list the next page after, or 0 at the end.
	Next int64
}

// BulkJob returns one of the account's bulk jobs and up to limit of its
// outcomes after user afterID, of one kind (models.Outcome*) or any ("").
func (s *Bulk) BulkJob(ctx context.Context, actor *identity.Principal, id int64, outcome string, afterID int64, limit int) (*BulkJobPage, error) {
	job, err := s.jobOf(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	rows, err := s.store.BulkJobs.Results(ctx, job.AccountID, job.ID, outcome, afterID, limit+1)
	if err != nil {
		return nil, err
	}
	page := &BulkJobPage{Job: *job, Results: rows}
	if len(rows) > limit {
		page.Results = rows[:limit]
		page.Next = rows[limit-1].UserID
	}
	return page, nil
}

// jobOf returns one of the actor's account's bulk jobs.
func (s *Bulk) jobOf(ctx context.Context, actor *identity.Principal, id int64) (*models.BulkJob, error) {
	if !actor.Can(identity.PermUsersManage) {
		return nil, ErrNoUsersManage
	}
	job, err := s.store.BulkJobs.Of(ctx, actor.Account.ID, id)
	if errors.Is(err, models.ErrNotFound) {
		return nil, ErrNoSuchJob
	}
	return job, err
}

// BulkJobs returns the account's newest bulk jobs.
func (s *Bulk) BulkJobs(ctx context.Context, actor *identity.Principal, limit int) ([]models.BulkJob, error) {
	if !actor.Can(identity.PermUsersManage) {
		return nil, ErrNoUsersManage
	}
	return s.store.BulkJobs.List(ctx, actor.Account.ID, limit)
}

// ExportBulkResults writes every outcome of one of the account's bulk jobs
// as CSV, in batches.
func (s *Bulk) ExportBulkResults(ctx context.Context, actor *identity.Principal, id int64, w io.Writer) error {
	job, err := s.jobOf(ctx, actor, id)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"name", "username", "outcome", "why"}); err != nil {
		return err
	}
	var after int64
	for {
		rows, err := s.store.BulkJobs.Results(ctx, job.AccountID, job.ID, "", after, s.batch)
		if err != nil || len(rows) == 0 {
			cw.Flush()
			return errors.Join(err, cw.Error())
		}
		for _, r := range rows {
			if err := cw.Write([]string{CSVSafe(r.DisplayName), CSVSafe(r.Username), r.Outcome, CSVSafe(r.Why)}); err != nil {
				return err
			}
		}
		after = rows[len(rows)-1].UserID
	}
}
