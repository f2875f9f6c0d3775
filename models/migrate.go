package models

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"accountportal/migrations"
)

// migrationLockID is the PostgreSQL advisory lock key that serialises
// migrations across replicas starting together ("acctport" in ASCII).
const migrationLockID int64 = 0x61636374706f7274

// Migrate brings the schema up to the newest version and returns the
// versions it applied. On PostgreSQL it holds an advisory lock meanwhile,
// so replicas that start together migrate once.
func (s *Store) Migrate(ctx context.Context) ([]int64, error) {
	p, err := s.migrator()
	if err != nil {
		return nil, err
	}
	results, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	applied := make([]int64, 0, len(results))
	for _, r := range results {
		applied = append(applied, r.Source.Version)
	}
	if err := s.migrateQueue(ctx); err != nil {
		return applied, fmt.Errorf("migrate the job queue: %w", err)
	}
	return applied, nil
}

// queueLockID is the advisory lock key that serialises the job queue's
// migrations across replicas ("acctjobs" in ASCII).
const queueLockID int64 = 0x616363746a6f6273

// migrateQueue applies the job queue's (River's) own migrations, which it
// ships and versions itself. On PostgreSQL an advisory lock held on one
// connection keeps replicas that start together from racing; each River
// migration runs in a transaction of its own, as some need.
func (s *Store) migrateQueue(ctx context.Context) error {
	driver, err := s.QueueDriver()
	if err != nil {
		return err
	}
	m, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return err
	}
	if s.dialect == Postgres {
		db, err := s.SQLDB()
		if err != nil {
			return err
		}
		conn, err := db.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", queueLockID); err != nil {
			return err
		}
		defer func() {
			_, _ = conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", queueLockID)
		}()
	}
	_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	return err
}

// QueueDriver returns the job queue's (River's) driver for this database,
// over the Store's own pool.
func (s *Store) QueueDriver() (riverdriver.Driver[*sql.Tx], error) {
	db, err := s.SQLDB()
	if err != nil {
		return nil, err
	}
	if s.dialect == Postgres {
		return riverdatabasesql.New(db), nil
	}
	return riversqlite.New(db), nil
}

// SchemaVersion returns the newest applied migration and the newest known.
func (s *Store) SchemaVersion(ctx context.Context) (current, latest int64, err error) {
	p, err := s.migrator()
	if err != nil {
		return 0, 0, err
	}
	if current, err = p.GetDBVersion(ctx); err != nil {
		return 0, 0, err
	}
	sources := p.ListSources()
	if len(sources) > 0 {
		latest = sources[len(sources)-1].Version
	}
	return current, latest, nil
}

func (s *Store) migrator() (*goose.Provider, error) {
	fsys, err := migrations.FS(string(s.dialect))
	if err != nil {
		return nil, err
	}
	db, err := s.SQLDB()
	if err != nil {
		return nil, err
	}
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true)}
	dialect := goose.DialectSQLite3
	if s.dialect == Postgres {
		dialect = goose.DialectPostgres
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(migrationLockID))
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	return goose.NewProvider(dialect, db, fsys, opts...)
}
