// Package models holds the portal's GORM structs and the Store: every query
// the services run, on PostgreSQL or SQLite, and the transaction boundary.
package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
)

// Errors the Store returns instead of driver or GORM errors.
var (
	// ErrNotFound means the row asked for does not exist (or is not visible
	// in the scope asked for).
	ErrNotFound = errors.New("models: not found")
	// ErrConflict means a unique or foreign-key rule refused the write.
	ErrConflict = errors.New("models: conflict")
)

// Dialect names the database engine behind a Store.
type Dialect string

// The supported dialects.
const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// Options configure Open.
type Options struct {
	// URL is sqlite://PATH or postgres://...
	URL string
	// MaxOpenConns bounds the PostgreSQL pool; SQLite always uses one
	// connection, because SQLite allows one writer at a time.
	MaxOpenConns int
	// Now stamps created_at and updated_at; it defaults to time.Now.
	Now func() time.Time
	// Logger receives failed and slow statements, and every statement when
	// it is enabled at debug level; bound values are never logged. Nil
	// discards them.
	Logger *slog.Logger
	// OnStatement, when set, is told the number of bound parameters of
	// every statement run (benchmarks check bulk actions stay under
	// PostgreSQL's limit of 65,535).
	OnStatement func(vars int)
}

// Store runs the portal's queries, grouped by subject: tx.Users,
// tx.Sessions, tx.Tokens and the rest. A Store made by InTx runs them all
// inside that transaction.
type Store struct {
	conn
	APITokens  APITokenStore
	Accounts   AccountStore
	Audit      AuditStore
	BulkJobs   BulkJobStore
	Licenses   LicenseStore
	MFA        MFAStore
	Outbox     OutboxStore
	Privileges PrivilegeStore
	Recoveries RecoveryStore
	Roles      RoleStore
	Secrets    SecretStore
	Sessions   SessionStore
	Throttles  ThrottleStore
	Tokens     TokenStore
	Transfers  TransferStore
	Users      UserStore
}

// conn is the database handle every store of a Store shares: the pool, or
// the transaction InTx opened.
type conn struct {
	db      *gorm.DB
	dialect Dialect
	outage  *outage
}

// newStore returns the stores of one connection.
func newStore(c conn) *Store {
	return &Store{conn: c, APITokens: APITokenStore{c}, Accounts: AccountStore{c}, Audit: AuditStore{c}, BulkJobs: BulkJobStore{c}, Licenses: LicenseStore{c}, MFA: MFAStore{c},
		Outbox: OutboxStore{c}, Privileges: PrivilegeStore{c}, Recoveries: RecoveryStore{c}, Roles: RoleStore{c},
		Secrets: SecretStore{c}, Sessions: SessionStore{c}, Throttles: ThrottleStore{c}, Tokens: TokenStore{c},
		Transfers: TransferStore{c}, Users: UserStore{c}}
}

// store returns every store of c, for the few queries of one subject that
// read or write another's rows in the same transaction.
func (c conn) store() *Store { return newStore(c) }

// Open connects to the database at opts.URL. It does not migrate.
func Open(ctx context.Context, opts Options) (*Store, error) {
	dialector, dialect, err := dialectorFor(opts.URL)
	if err != nil {
		return nil, err
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	down := newOutage(opts.Logger)
	db, err := gorm.Open(dialector, &gorm.Config{
		TranslateError:         true,
		SkipDefaultTransaction: true,
		PrepareStmt:            false,
		NowFunc:                func() time.Time { return now().UTC() },
		Logger:                 newStatementLog(opts.Logger, down),
	})
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	configurePool(sqlDB, dialect, opts.MaxOpenConns)
	if opts.OnStatement != nil {
		if err := watchStatements(db, opts.OnStatement); err != nil {
			return nil, err
		}
	}
	if err := sqlDB.PingContext(ctx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	return newStore(conn{db: db, dialect: dialect, outage: down}), nil
}

func dialectorFor(url string) (gorm.Dialector, Dialect, error) {
	switch {
	case strings.HasPrefix(url, "sqlite://"):
		path := strings.TrimPrefix(url, "sqlite://")
		if path == "" {
			return nil, "", errors.New("open database: sqlite:// needs a file path")
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, "", fmt.Errorf("open database: %w", err)
		}
		// The file holds password hashes and sealed secrets: create it
		// readable by the owner only (SQLite gives its journal files the
		// same mode).
		if f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE, 0o600); err == nil {
			_ = f.Close()
		}
		dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)" +
			"&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_time_format=sqlite&_txlock=immediate"
		return sqlite.Open(dsn), SQLite, nil
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		return postgres.New(postgres.Config{DSN: url}), Postgres, nil
	}
	return nil, "", errors.New("open database: URL must start with sqlite:// or postgres://")
}

func configurePool(db *sql.DB, dialect Dialect, maxOpen int) {
	if dialect == SQLite {
		db.SetMaxOpenConns(1)
		db.SetMaxIdleConns(1)
		db.SetConnMaxLifetime(0)
		return
	}
	if maxOpen < 1 {
		maxOpen = 20
	}
	db.SetMaxOpenConns(maxOpen)
	db.SetMaxIdleConns(maxOpen)
	db.SetConnMaxIdleTime(5 * time.Minute)
}

// Dialect reports which database engine the Store talks to.
func (s *Store) Dialect() Dialect { return s.dialect }

// Close closes the connection pool.
func (s *Store) Close() error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// Ping checks that the database answers. Like every call, it tells the
// outage log, so health checks notice the database's return even when no
// request comes.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	err = sqlDB.PingContext(ctx)
	s.outage.note(ctx, err)
	return err
}

// SQLDB returns the pool underneath, for migrations and pool statistics.
func (s *Store) SQLDB() (*sql.DB, error) { return s.db.DB() }

// ErrNotInTx means SQLTx was called on a Store that InTx did not make.
var ErrNotInTx = errors.New("models: not in a transaction")

// SQLTx returns the transaction a Store made by InTx runs in, so a library
// that writes its own rows (the job queue) can write them in the same
// transaction.
func (s *Store) SQLTx() (*sql.Tx, error) {
	tx, ok := s.db.Statement.ConnPool.(*sql.Tx)
	if !ok {
		return nil, ErrNotInTx
	}
	return tx, nil
}

// CommitUnflushed lets the transaction fn of InTx runs in commit without
// waiting for its log to reach the disk (PostgreSQL's synchronous_commit
// off, for this transaction alone): the commit is as visible to every
// other transaction as any, and a crash of the database may forget the
// last fraction of a second of such commits. For counters that can afford
// that (an API token's rate limit), never for what the portal promised.
// On SQLite it does nothing.
func (s *Store) CommitUnflushed(ctx context.Context) error {
	if s.dialect != Postgres {
		return nil
	}
	if _, err := s.SQLTx(); err != nil {
		return err
	}
	return translate(s.q(ctx).Exec("SET LOCAL synchronous_commit = off").Error)
}

// InTx runs fn in one transaction: it commits when fn returns nil and rolls
// back otherwise. fn must use the Store it is given, never the outer one:
// on SQLite the outer Store would wait for the only connection, which the
// transaction holds.
func (s *Store) InTx(ctx context.Context, fn func(tx *Store) error) error {
	ran := false
	var fnErr error
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ran = true
		fnErr = fn(newStore(conn{db: tx, dialect: s.dialect, outage: s.outage}))
		return fnErr
	})
	// Statements inside fn told the outage log themselves; BEGIN and
	// COMMIT do not pass through it.
	if err != nil && (!ran || fnErr == nil) {
		s.outage.note(ctx, err)
	}
	return err
}

// q starts a query bound to ctx.
func (s conn) q(ctx context.Context) *gorm.DB { return s.db.WithContext(ctx) }

// translate maps GORM and driver errors to the Store's own.
func translate(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return ErrNotFound
	case errors.Is(err, gorm.ErrDuplicatedKey), errors.Is(err, gorm.ErrForeignKeyViolated),
		// SQLite reports an ON DELETE RESTRICT violation with a code the
		// GORM dialect does not translate.
		strings.Contains(err.Error(), "FOREIGN KEY constraint failed"):
		return fmt.Errorf("%w: %w", ErrConflict, err)
	}
	return err
}

// watchStatements reports every statement's parameter count to fn.
func watchStatements(db *gorm.DB, fn func(vars int)) error {
	report := func(tx *gorm.DB) { fn(len(tx.Statement.Vars)) }
	cb := db.Callback()
	for _, err := range []error{
		cb.Create().After("gorm:create").Register("portal:vars_create", report),
		cb.Query().After("gorm:query").Register("portal:vars_query", report),
		cb.Update().After("gorm:update").Register("portal:vars_update", report),
		cb.Delete().After("gorm:delete").Register("portal:vars_delete", report),
		cb.Raw().After("gorm:raw").Register("portal:vars_raw", report),
		cb.Row().After("gorm:row").Register("portal:vars_row", report),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}

// setAccountOf sets *accountID to the user's account unless the caller
// set it, for rows of tables that carry the account beside the user. It
// returns ErrNotFound when there is no such user.
func (c conn) setAccountOf(ctx context.Context, userID int64, accountID *int64) error {
	if *accountID != 0 {
		return nil
	}
	var ids []int64
	if err := c.q(ctx).Model(&User{}).Where("id = ?", userID).Pluck("account_id", &ids).Error; err != nil {
		return translate(err)
	}
	if len(ids) == 0 {
		return ErrNotFound
	}
	*accountID = ids[0]
	return nil
}

// accountOfUserExpr is the account of the user with id, inside an
// update; NULL for no user.
func accountOfUserExpr(userID *int64) any {
	if userID == nil {
		return nil
	}
	return gorm.Expr("(SELECT account_id FROM users WHERE id = ?)", *userID)
}
