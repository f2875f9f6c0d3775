// Package jobs runs the work that must outlive a request and a replica: the
// users console's bulk actions. It wraps River (github.com/riverqueue/river),
// a job queue kept in the portal's own database: jobs are inserted in the
// caller's transaction, leased by one replica at a time, retried, and taken
// over by another replica when the one working them dies.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"

	"accountportal/models"
)

// Config tunes the queue.
type Config struct {
	// Timeout bounds one job (one batch of a bulk action). A job still
	// running twice as long is taken as lost with its replica and run
	// again by another.
	Timeout time.Duration
	// Poll is how often an idle replica looks for work.
	Poll time.Duration
	// Workers is how many jobs one replica works at once.
	Workers int
	// Name identifies this replica in the queue's rows.
	Name string
	// StartOnWake starts working at the first Wake instead of at Start:
	// tests start no workers they do not use.
	StartOnWake bool
}

// BatchWorker works one batch of a bulk job (admin.Bulk does). finish
// must be called inside the batch's transaction.
type BatchWorker interface {
	WorkBatch(ctx context.Context, jobID, after int64, lastTry bool, finish func(tx *models.Store) error) error
}

// Queue puts work in the database and, once started, works it.
type Queue struct {
	client  *river.Client[*sql.Tx]
	batches *batchWorker
	cfg     Config
	log     *slog.Logger

	mu      sync.Mutex
	started bool
	stop    context.CancelFunc
}

// New returns a queue over store's database; it works nothing until Start
// (or, with StartOnWake, the first Wake).
func New(store *models.Store, log *slog.Logger, cfg Config) (*Queue, error) {
	driver, err := store.QueueDriver()
	if err != nil {
		return nil, err
	}
	batches := &batchWorker{dialect: store.Dialect()}
	workers := river.NewWorkers()
	river.AddWorker(workers, batches)
	client, err := river.NewClient(driver, &river.Config{
		ID:                   cfg.Name,
		Logger:               log,
		PollOnly:             true,
		FetchPollInterval:    cfg.Poll,
		FetchCooldown:        min(cfg.Poll, 100*time.Millisecond),
		JobTimeout:           cfg.Timeout,
		RescueStuckJobsAfter: 2 * cfg.Timeout,
		MaxAttempts:          3,
		Queues:               map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Workers}},
		Workers:              workers,
	})
	if err != nil {
		return nil, err
	}
	return &Queue{client: client, batches: batches, cfg: cfg, log: log}, nil
}

// Handle names who works bulk batches; call it before Start.
func (q *Queue) Handle(w BatchWorker) { q.batches.work = w }

// EnqueueBatch queues the batch of a bulk job that follows user after,
// inside tx: it exists once tx commits, and never if it rolls back.
func (q *Queue) EnqueueBatch(ctx context.Context, tx *models.Store, jobID, after int64) error {
	sqlTx, err := tx.SQLTx()
	if err != nil {
		return err
	}
	_, err = q.client.InsertTx(ctx, sqlTx, BatchArgs{JobID: jobID, After: after}, nil)
	return err
}

// Wake says work is waiting. Replicas find it by polling; with
// StartOnWake, it starts the workers.
func (q *Queue) Wake() {
	if q.cfg.StartOnWake {
		if err := q.Start(); err != nil {
			q.log.Error("job queue did not start", "err", err)
		}
	}
}

// Start begins working jobs, once.
func (q *Queue) Start() error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.started {
		return nil
	}
	if q.batches.work == nil {
		return errors.New("jobs: no worker for bulk batches")
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := q.client.Start(ctx); err != nil {
		cancel()
		return err
	}
	q.started, q.stop = true, cancel
	return nil
}

// Stop finishes the jobs being worked and stops; past ctx's deadline it
// cancels them (their transactions roll back, and another replica works
// them again).
func (q *Queue) Stop(ctx context.Context) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if !q.started {
		return nil
	}
	defer q.stop()
	q.started = false
	return q.client.Stop(ctx)
}

// BatchArgs names one batch of a bulk job: the one after user After.
type BatchArgs struct {
	JobID int64 `json:"job_id"`
	After int64 `json:"after"`
}

// Kind names the job in the queue's rows.
func (BatchArgs) Kind() string { return "bulk_batch" }

type batchWorker struct {
	river.WorkerDefaults[BatchArgs]
	dialect models.Dialect
	work    BatchWorker
}

// Work works the batch and marks the queue's job done in the batch's own
// transaction, so a batch is never applied without its job being done.
func (w *batchWorker) Work(ctx context.Context, job *river.Job[BatchArgs]) error {
	lastTry := job.Attempt >= job.MaxAttempts
	return w.work.WorkBatch(ctx, job.Args.JobID, job.Args.After, lastTry, func(tx *models.Store) error {
		sqlTx, err := tx.SQLTx()
		if err != nil {
			return err
		}
		return w.complete(ctx, sqlTx, job)
	})
}

func (w *batchWorker) complete(ctx context.Context, tx *sql.Tx, job *river.Job[BatchArgs]) error {
	var err error
	if w.dialect == models.SQLite {
		_, err = river.JobCompleteTx[*riversqlite.Driver](ctx, tx, job)
	} else {
		_, err = river.JobCompleteTx[*riverdatabasesql.Driver](ctx, tx, job)
	}
	return err
}
