package models

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Bulk job states.
const (
	BulkQueued  = "queued"
	BulkRunning = "running"
	BulkDone    = "done"
	BulkFailed  = "failed"
)

// Outcomes of one user in a bulk job.
const (
	OutcomeDone    = "done"
	OutcomeSkipped = "skipped"
	OutcomeFailed  = "failed"
)

// BulkJob is a bulk action on users, worked in batches. CursorID is the
// highest user id handled so far; a batch moves it in the transaction
// that changes the batch's users.
type BulkJob struct {
	ID           int64
	AccountID    int64
	ActorID      *int64
	ActorName    string
	Action       string
	Reason       string
	Selection    string
	IP           string `gorm:"column:ip"`
	UserAgent    string
	Status       string
	Failure      string
	CursorID     int64
	Total        int64
	DoneCount    int64
	SkippedCount int64
	FailedCount  int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
	FinishedAt   *time.Time
}

// BulkJobResult is one user's outcome of a bulk job.
type BulkJobResult struct {
	JobID       int64 `gorm:"primaryKey"`
	UserID      int64 `gorm:"primaryKey"`
	AccountID   int64 // the job's; AddResults sets it
	DisplayName string
	Username    string
	Outcome     string
	Why         string
}

// Create records a new bulk job.
func (s BulkJobStore) Create(ctx context.Context, j *BulkJob) error {
	return translate(s.q(ctx).Create(j).Error)
}

// LockAnyAccount returns the job for update: on PostgreSQL its row stays
// locked until the transaction ends, so two workers handed the same batch
// take turns and the second finds the cursor moved. SQLite has one writer.
// It is the job queue's: the id comes from the queue, never a request;
// pages read a job with Of.
func (s BulkJobStore) LockAnyAccount(ctx context.Context, id int64) (*BulkJob, error) {
	q := s.q(ctx).Where("id = ?", id)
	if s.dialect == Postgres {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var j BulkJob
	if err := q.First(&j).Error; err != nil {
		return nil, translate(err)
	}
	return &j, nil
}

// BulkProgress is what one batch adds to its job.
type BulkProgress struct {
	CursorID              int64
	Done, Skipped, Failed int64
	Finished              bool
	Status, Failure       string
}

// Advance moves the job's cursor and counts on by one batch, and
// finishes it when the batch was the last.
func (s BulkJobStore) Advance(ctx context.Context, id int64, p BulkProgress, at time.Time) error {
	set := map[string]any{
		"cursor_id":     p.CursorID,
		"done_count":    gorm.Expr("done_count + ?", p.Done),
		"skipped_count": gorm.Expr("skipped_count + ?", p.Skipped),
		"failed_count":  gorm.Expr("failed_count + ?", p.Failed),
		"status":        p.Status,
		"updated_at":    at,
	}
	if p.Failure != "" {
		set["failure"] = p.Failure
	}
	if p.Finished {
		set["finished_at"] = at
	}
	res := s.q(ctx).Model(&BulkJob{}).Where("id = ?", id).Updates(set)
	return affectedOne(res.Error, res.RowsAffected)
}

// AddResults records users' outcomes of a job. A user recorded before
// makes it fail with ErrConflict: nobody is handled twice.
func (s BulkJobStore) AddResults(ctx context.Context, rows []BulkJobResult) error {
	if len(rows) == 0 {
		return nil
	}
	// Every row of a call belongs to one job (its batch), hence one account.
	var accountID int64
	if err := s.q(ctx).Model(&BulkJob{}).Where("id = ?", rows[0].JobID).Pluck("account_id", &accountID).Error; err != nil {
		return translate(err)
	}
	for i := range rows {
		rows[i].AccountID = accountID
	}
	if s.dialect == Postgres {
		return s.addResultsPostgres(ctx, rows)
	}
	// Seven columns a row keep a statement well under SQLite's 32,766 bound
	// parameters.
	return translate(s.q(ctx).CreateInBatches(rows, 1000).Error)
}

// addResultsPostgres inserts the rows in one statement whatever their
// number, each column travelling as one array: a batch of 5,000 outcomes
// was five statements of 7,000 parameters, which GORM built row by row.
func (s BulkJobStore) addResultsPostgres(ctx context.Context, rows []BulkJobResult) error {
	users := make([]int64, len(rows))
	names := make([]string, len(rows))
	usernames := make([]string, len(rows))
	outcomes := make([]string, len(rows))
	whys := make([]string, len(rows))
	for i, r := range rows {
		users[i], names[i], usernames[i], outcomes[i], whys[i] = r.UserID, r.DisplayName, r.Username, r.Outcome, r.Why
	}
	return translate(s.q(ctx).Exec(`INSERT INTO bulk_job_results (job_id, user_id, account_id, display_name, username, outcome, why)
		SELECT ?, t.user_id, ?, t.display_name, t.username, t.outcome, t.why
		FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[]) AS t (user_id, display_name, username, outcome, why)`,
		rows[0].JobID, rows[0].AccountID, pgArray(users), pgTextArray(names), pgTextArray(usernames), pgTextArray(outcomes),
		pgTextArray(whys)).Error)
}

// Of returns one job of the account, or ErrNotFound.
func (s BulkJobStore) Of(ctx context.Context, accountID, id int64) (*BulkJob, error) {
	var j BulkJob
	if err := s.q(ctx).Where("account_id = ? AND id = ?", accountID, id).First(&j).Error; err != nil {
		return nil, translate(err)
	}
	return &j, nil
}

// List returns the account's newest jobs, newest first.
func (s BulkJobStore) List(ctx context.Context, accountID int64, limit int) ([]BulkJob, error) {
	var out []BulkJob
	err := s.q(ctx).Where("account_id = ?", accountID).Order("id DESC").Limit(limit).Find(&out).Error
	return out, translate(err)
}

// Results returns up to limit outcomes of the account's job after user
// afterID, in user id order; outcome "" means any. Another account's job
// has none.
func (s BulkJobStore) Results(ctx context.Context, accountID, jobID int64, outcome string, afterID int64, limit int) ([]BulkJobResult, error) {
	q := s.q(ctx).Where("account_id = ? AND job_id = ? AND user_id > ?", accountID, jobID, afterID)
	if outcome != "" {
		q = q.Where("outcome = ?", outcome)
	}
	var out []BulkJobResult
	err := q.Order("user_id").Limit(limit).Find(&out).Error
	return out, translate(err)
}
