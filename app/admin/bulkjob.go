package admin

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"sort"
	"strings"
	"sync"

	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/models"
)

// BatchQueue puts the next batch of a bulk job in the job queue inside the
// caller's transaction, so a batch and its successor commit together; any
// replica may then work it.
type BatchQueue interface {
	EnqueueBatch(ctx context.Context, tx *models.Store, jobID, after int64) error
	// Wake tells the queue that work is waiting.
	Wake()
}

// Audit actions of bulk jobs (each user also gets the action's own entry).
const (
	ActionBulkStarted  = "bulk.started"
	ActionBulkFinished = "bulk.finished"
	ActionBulkFailed   = "bulk.failed"
)

// BulkRequest is a bulk action as an administrator asked for it.
type BulkRequest struct {
	Action    string
	Selection Selection
	Reason    string
	// AdminCode is the administrator's own second-factor code, which
	// resetting others' second factors needs when they have one.
	AdminCode string
}

// storedSelection is a Selection as a job keeps it.
type storedSelection struct {
	IDs    []int64            `json:"ids,omitempty"`
	Filter *models.UserFilter `json:"filter,omitempty"`
}

// StartBulk checks the request and records it as a bulk job, with its
// selection, actor and reason, queueing its first batch in the same
// transaction; the job queue works it from there, on any replica. It
// returns the job's id; an apperr.Invalid error with field messages; or
// ErrNoUsersManage.
func (s *Bulk) StartBulk(ctx context.Context, actor *identity.Principal, req BulkRequest, from audit.Origin) (int64, error) {
	if err := s.checkBulk(ctx, actor, req, from); err != nil {
		return 0, err
	}
	stored, total, err := s.storeSelection(ctx, actor, req.Selection)
	if err != nil {
		return 0, err
	}
	now := s.now()
	job := &models.BulkJob{AccountID: actor.Account.ID, ActorID: &actor.User.ID, ActorName: actor.User.DisplayName,
		Action: req.Action, Reason: strings.TrimSpace(req.Reason), Selection: stored, IP: from.IP, UserAgent: from.UserAgent,
		Status: models.BulkQueued, Total: total, CreatedAt: now, UpdatedAt: now}
	err = s.store.InTx(ctx, func(tx *models.Store) error {
		if err := tx.BulkJobs.Create(ctx, job); err != nil {
			return err
		}
		err := audit.Record(ctx, tx, now, audit.Entry{AccountID: actor.Account.ID, Actor: audit.PartyOf(actor.User),
			Action: ActionBulkStarted, Origin: from,
			Details: map[string]any{"job_id": job.ID, "action": req.Action, "users": total, "reason": job.Reason}})
		if err != nil {
			return err
		}
		return s.queue.EnqueueBatch(ctx, tx, job.ID, 0)
	})
	if err != nil {
		return 0, err
	}
	s.queue.Wake()
	return job.ID, nil
}

// checkBulk applies the rules every bulk request must meet. The reason is
// checked before the administrator's code: a code once accepted cannot be
// used again, so it must not be spent on a form that fails.
func (s *Bulk) checkBulk(ctx context.Context, actor *identity.Principal, req BulkRequest, from audit.Origin) error {
	if !actor.Can(identity.PermUsersManage) {
		return ErrNoUsersManage
	}
	if BulkLabel(req.Action) == "" {
		return apperr.New(apperr.Invalid, "Choose an action.")
	}
	if err := checkReason(req.Reason); err != nil {
		return err
	}
	if req.Action != BulkResetMFA {
		return nil
	}
	if actor.APIToken != "" {
		// The token's creator typed their code when giving it this.
		if !actor.Permissions[identity.PermUsersMFAReset] {
			return ErrTokenNoMFAReset
		}
		return nil
	}
	return s.factors.CheckAdminCode(ctx, actor, req.AdminCode, from)
}

// ErrTokenNoMFAReset refuses a second-factor reset to a token without
// "Reset second factors".
var ErrTokenNoMFAReset = apperr.New(apperr.Forbidden, "This token may not reset second factors: it needs the permission “Reset second factors”.")

// storeSelection turns a selection into the job's JSON and counts it.
func (s *Bulk) storeSelection(ctx context.Context, actor *identity.Principal, sel Selection) (string, int64, error) {
	var st storedSelection
	var total int64
	if sel.Matching != nil {
		f := *sel.Matching
		f.AccountID = actor.Account.ID
		n, err := s.store.Users.Count(ctx, f)
		if err != nil {
			return "", 0, err
		}
		st.Filter, total = &f, n
	} else {
		st.IDs = sortedIDs(dedupeIDs(sel.IDs))
		total = int64(len(st.IDs))
	}
	raw, err := json.Marshal(st)
	return string(raw), total, err
}

// WorkBatch works the batch of the job that follows user after, in one
// transaction that changes the batch's users, records their outcomes,
// moves the job's cursor, queues the next batch (or finishes the job) and
// calls finish, where the job queue marks its own job done. A batch whose
// cursor has moved on was handled already, and is only finished. When a
// batch fails, the error is returned for the queue to retry, unless
// lastTry: then its users are recorded as failed and the job moves on.
func (s *Bulk) WorkBatch(ctx context.Context, jobID, after int64, lastTry bool, finish func(tx *models.Store) error) error {
	err := s.store.InTx(ctx, func(tx *models.Store) error {
		return s.workBatch(ctx, tx, jobID, after, nil, finish)
	})
	if err != nil && lastTry {
		s.log.ErrorContext(ctx, "bulk batch failed for good", "job_id", jobID, "err", err)
		err = s.store.InTx(ctx, func(tx *models.Store) error {
			return s.workBatch(ctx, tx, jobID, after, err, finish)
		})
	}
	if err == nil {
		s.mailWake()
	}
	return err
}

// workBatch is WorkBatch inside tx. With failed set, the batch's users are
// recorded as failed with its message rather than acted on.
func (s *Bulk) workBatch(ctx context.Context, tx *models.Store, jobID, after int64, failed error, finish func(tx *models.Store) error) error {
	job, err := tx.BulkJobs.LockAnyAccount(ctx, jobID)
	if errors.Is(err, models.ErrNotFound) {
		return finish(tx)
	}
	if err != nil {
		return err
	}
	if job.CursorID != after || job.Status == models.BulkDone || job.Status == models.BulkFailed {
		return finish(tx)
	}
	actor, why, err := s.jobActor(ctx, tx, job)
	if err != nil {
		return err
	}
	if why != "" {
		if err := s.endJob(ctx, tx, job, actor, models.BulkFailed, why); err != nil {
			return err
		}
		return finish(tx)
	}
	ids, err := s.nextBatch(ctx, tx, job)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		if err := s.endJob(ctx, tx, job, actor, models.BulkDone, ""); err != nil {
			return err
		}
		return finish(tx)
	}
	if err := s.handleBatch(ctx, tx, job, actor, ids, failed); err != nil {
		return err
	}
	if err := s.queue.EnqueueBatch(ctx, tx, job.ID, ids[len(ids)-1]); err != nil {
		return err
	}
	return finish(tx)
}

// handleBatch acts on one batch (or, with failed set, records it as
// failed), records each user's outcome and moves the job on.
func (s *Bulk) handleBatch(ctx context.Context, tx *models.Store, job *models.BulkJob, actor *identity.Principal, ids []int64, failed error) error {
	now := s.now()
	var outcomes []Outcome
	if failed == nil {
		var err error
		outcomes, err = s.applyBatch(ctx, tx, actor, job.Action, ids, job.Reason, jobOrigin(job), now)
		if err != nil {
			return err
		}
	} else {
		users, err := tx.Users.ByIDs(ctx, job.AccountID, ids)
		if err != nil {
			return err
		}
		for _, u := range users {
			outcomes = append(outcomes, Outcome{User: u, Why: "failed, nothing changed for this batch: " + apperrMessage(failed)})
		}
	}
	var res Result
	res.add(outcomes)
	if err := tx.BulkJobs.AddResults(ctx, resultRows(job.ID, outcomes)); err != nil {
		return err
	}
	return tx.BulkJobs.Advance(ctx, job.ID, models.BulkProgress{CursorID: ids[len(ids)-1], Done: int64(res.Done),
		Skipped: int64(res.Skipped), Failed: int64(res.Failed), Status: models.BulkRunning}, now)
}

// jobActor loads the administrator who started the job as they are now:
// the job acts with their current privileges, and stops when they no
// longer manage users.
func (s *Bulk) jobActor(ctx context.Context, tx *models.Store, job *models.BulkJob) (*identity.Principal, string, error) {
	if job.ActorID == nil {
		return nil, "the administrator who started it was deleted", nil
	}
	actor, err := identity.PrincipalOf(ctx, tx, *job.ActorID, s.now())
	if errors.Is(err, models.ErrNotFound) {
		return nil, "the administrator who started it was deleted", nil
	}
	if err != nil {
		return nil, "", err
	}
	switch {
	case actor.User.Status != models.StatusActive:
		return actor, "the administrator who started it was deactivated", nil
	case !actor.Can(identity.PermUsersManage):
		return actor, "the administrator who started it no longer holds “Manage users”", nil
	}
	return actor, "", nil
}

// nextBatch returns the ids of the job's next batch: those after its
// cursor, in id order.
func (s *Bulk) nextBatch(ctx context.Context, tx *models.Store, job *models.BulkJob) ([]int64, error) {
	st, err := s.selections.of(job)
	if err != nil {
		return nil, err
	}
	if st.Filter != nil {
		f := *st.Filter
		f.AccountID = job.AccountID
		return tx.Users.MatchingIDs(ctx, f, job.CursorID, s.batch)
	}
	ids := st.IDs[sort.Search(len(st.IDs), func(i int) bool { return st.IDs[i] > job.CursorID }):]
	return slices.Clone(ids[:min(len(ids), s.batch)]), nil
}

// selectionCache keeps the last job's decoded selection. A selection never
// changes once its job is stored, and decoding one of 100,000 ids took
// 16–81 ms on the development machine (quiet to busy), for each of the
// job's 20 batches: more than some of the batch's statements.
type selectionCache struct {
	mu    sync.Mutex
	jobID int64
	sel   storedSelection
}

// of returns the job's selection, its ids sorted, decoding it only when
// the job is not the one last asked about.
func (c *selectionCache) of(job *models.BulkJob) (storedSelection, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.jobID == job.ID && c.jobID != 0 {
		return c.sel, nil
	}
	var st storedSelection
	if err := json.Unmarshal([]byte(job.Selection), &st); err != nil {
		return storedSelection{}, err
	}
	slices.Sort(st.IDs)
	c.jobID, c.sel = job.ID, st
	return st, nil
}

// endJob finishes the job as done or failed, and audits it.
func (s *Bulk) endJob(ctx context.Context, tx *models.Store, job *models.BulkJob, actor *identity.Principal, status, why string) error {
	now := s.now()
	err := tx.BulkJobs.Advance(ctx, job.ID, models.BulkProgress{CursorID: job.CursorID, Finished: true, Status: status, Failure: why}, now)
	if err != nil {
		return err
	}
	action := ActionBulkFinished
	details := map[string]any{"job_id": job.ID, "action": job.Action, "done": job.DoneCount, "skipped": job.SkippedCount, "failed": job.FailedCount}
	if status == models.BulkFailed {
		action, details["why"] = ActionBulkFailed, why
	}
	entry := audit.Entry{AccountID: job.AccountID, Action: action, Origin: jobOrigin(job), Details: details}
	if actor != nil {
		entry.Actor = audit.PartyOf(actor.User)
	} else {
		entry.Actor = &audit.Party{Name: job.ActorName}
	}
	return audit.Record(ctx, tx, now, entry)
}

func jobOrigin(job *models.BulkJob) audit.Origin {
	return audit.Origin{IP: job.IP, UserAgent: job.UserAgent}
}

// resultRows turns outcomes into the job's result rows.
func resultRows(jobID int64, outcomes []Outcome) []models.BulkJobResult {
	rows := make([]models.BulkJobResult, len(outcomes))
	for i, o := range outcomes {
		r := models.BulkJobResult{JobID: jobID, UserID: o.User.ID, DisplayName: o.User.DisplayName, Username: o.User.Username,
			Outcome: models.OutcomeDone}
		switch {
		case o.Done:
		case strings.HasPrefix(o.Why, "failed"):
			r.Outcome, r.Why = models.OutcomeFailed, strings.TrimPrefix(o.Why, "failed, ")
		default:
			r.Outcome, r.Why = models.OutcomeSkipped, strings.TrimPrefix(o.Why, "skipped: ")
		}
		rows[i] = r
	}
	return rows
}

// sortedIDs sorts ids in place and returns them: a job works a chosen set
// in id order, like a filter's, so one cursor serves both.
func sortedIDs(ids []int64) []int64 {
	slices.Sort(ids)
	return ids
}

// RunBulk starts a bulk job and works it to the end in this goroutine,
// returning every user's outcome: for tests and benchmarks. The console
// uses StartBulk, so the work outlives the request.
func (s *Bulk) RunBulk(ctx context.Context, actor *identity.Principal, req BulkRequest, from audit.Origin) (*Result, int64, error) {
	id, err := s.StartBulk(ctx, actor, req, from)
	if err != nil {
		return nil, 0, err
	}
	done := func(*models.Store) error { return nil }
	var total int64
	for {
		job, err := s.store.BulkJobs.Of(ctx, actor.Account.ID, id)
		if err != nil {
			return nil, id, err
		}
		total = job.Total
		if job.Status == models.BulkDone || job.Status == models.BulkFailed {
			break
		}
		if err := s.WorkBatch(ctx, id, job.CursorID, true, done); err != nil {
			return nil, id, err
		}
	}
	res, err := s.jobResult(ctx, actor.Account.ID, id, total)
	return res, id, err
}

// jobResult reads every outcome of a job, room made for total of them.
func (s *Bulk) jobResult(ctx context.Context, accountID, jobID, total int64) (*Result, error) {
	res := &Result{Outcomes: make([]Outcome, 0, total)}
	var after int64
	for {
		rows, err := s.store.BulkJobs.Results(ctx, accountID, jobID, "", after, 5000)
		if err != nil || len(rows) == 0 {
			return res, err
		}
		page := make([]Outcome, len(rows))
		for i, r := range rows {
			o := Outcome{User: models.User{ID: r.UserID, DisplayName: r.DisplayName, Username: r.Username}, Done: r.Outcome == models.OutcomeDone}
			switch r.Outcome {
			case models.OutcomeSkipped:
				o.Why = "skipped: " + r.Why
			case models.OutcomeFailed:
				o.Why = "failed, " + r.Why
			}
			page[i] = o
		}
		res.add(page)
		after = rows[len(rows)-1].UserID
	}
}
