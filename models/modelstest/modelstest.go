// Package modelstest gives tests a fresh, migrated database of either
// dialect: a temporary SQLite file, or a PostgreSQL database with a random
// name cloned from a migrated template and dropped when the test ends.
//
// PostgreSQL comes from TEST_DATABASE_URL, else the local default
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable. When neither
// answers, PostgreSQL tests skip, unless TEST_PG_REQUIRED=1 (make test and
// CI set it), in which case they fail.
package modelstest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver for the admin connection

	"accountportal/models"
)

// DefaultPostgresURL is used when TEST_DATABASE_URL is not set.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// Dialects lists the dialects every store test runs on.
func Dialects() []models.Dialect { return []models.Dialect{models.SQLite, models.Postgres} }

// Each runs f as a subtest once per dialect.
func Each(t *testing.T, f func(t *testing.T, d models.Dialect)) {
	for _, d := range Dialects() {
		t.Run(string(d), func(t *testing.T) { f(t, d) })
	}
}

// Open returns a fresh migrated Store of dialect d, closed when t ends.
func Open(t testing.TB, d models.Dialect, now func() time.Time) *models.Store {
	t.Helper()
	s, err := models.Open(context.Background(), models.Options{URL: NewURL(t, d), Now: now})
	if err != nil {
		t.Fatalf("open %s: %v", d, err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if d == models.SQLite {
		if _, err := s.Migrate(context.Background()); err != nil {
			t.Fatalf("migrate: %v", err)
		}
	}
	return s
}

// NewURL returns the URL of a fresh database of dialect d. A SQLite one is
// empty (migrate it); a PostgreSQL one is already migrated.
func NewURL(t testing.TB, d models.Dialect) string {
	t.Helper()
	if d == models.SQLite {
		return "sqlite://" + filepath.Join(t.TempDir(), "portal.db")
	}
	return newPostgres(t, true)
}

// newPostgres creates a database for the test, a copy of the migrated
// template or empty, drops it when the test ends and returns its URL.
// Without a server it skips the test, or fails it under TEST_PG_REQUIRED=1.
func newPostgres(t testing.TB, migrated bool) string {
	t.Helper()
	pg.once.Do(prepare)
	if pg.err != nil {
		if os.Getenv("TEST_PG_REQUIRED") == "1" {
			t.Fatalf("PostgreSQL is required (TEST_PG_REQUIRED=1) but unavailable: %v", pg.err)
		}
		t.Skipf("PostgreSQL unavailable, skipping: %v", pg.err)
	}
	name := "apt_" + randomHex()
	create := "CREATE DATABASE " + name
	if migrated {
		create += " TEMPLATE " + pg.template
	}
	if _, err := pg.admin.Exec(create); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		if _, err := pg.admin.Exec(fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", name)); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	return withDatabase(pg.base, name)
}

// NewEmptyPostgresURL returns the URL of a new, empty PostgreSQL database,
// for tests of migrating itself.
func NewEmptyPostgresURL(t testing.TB) string {
	t.Helper()
	return newPostgres(t, false)
}

// Main runs a package's tests and then drops its PostgreSQL template.
// Call it from TestMain in every package that uses PostgreSQL.
func Main(m *testing.M) {
	code := m.Run()
	if pg.admin != nil {
		_, _ = pg.admin.Exec(fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", pg.template))
		_ = pg.admin.Close()
	}
	os.Exit(code)
}

// pg is the package's one connection to the PostgreSQL server. Tests of a
// package share it; it is created on first use and only read afterwards.
var pg struct {
	once     sync.Once
	err      error
	admin    *sql.DB
	base     *url.URL
	template string
}

func prepare() {
	raw := os.Getenv("TEST_DATABASE_URL")
	if raw == "" {
		raw = DefaultPostgresURL
	}
	base, err := url.Parse(raw)
	if err != nil {
		pg.err = fmt.Errorf("TEST_DATABASE_URL: %w", err)
		return
	}
	admin, err := sql.Open("pgx", raw)
	if err != nil {
		pg.err = err
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := admin.PingContext(ctx); err != nil {
		_ = admin.Close()
		pg.err = fmt.Errorf("%s: %w", base.Redacted(), err)
		return
	}
	admin.SetMaxOpenConns(2)
	pg.admin, pg.base, pg.template = admin, base, "apt_tpl_"+randomHex()
	if _, err := admin.Exec(fmt.Sprintf("CREATE DATABASE %s", pg.template)); err != nil {
		pg.err = fmt.Errorf("create template: %w", err)
		return
	}
	s, err := models.Open(ctx, models.Options{URL: withDatabase(base, pg.template)})
	if err != nil {
		pg.err = err
		return
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		pg.err = fmt.Errorf("migrate template: %w", err)
	}
}

func withDatabase(base *url.URL, name string) string {
	u := *base
	u.Path = "/" + name
	return u.String()
}

func randomHex() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
