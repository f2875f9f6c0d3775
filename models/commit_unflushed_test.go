package models_test

import (
	"context"
	"errors"
	"testing"

	"accountportal/models"
	"accountportal/models/modelstest"
)

// CommitUnflushed turns PostgreSQL's synchronous_commit off for its own
// transaction only, and is refused outside one; on SQLite it does nothing.
func TestCommitUnflushed(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		err := s.InTx(ctx, func(tx *models.Store) error {
			if err := tx.CommitUnflushed(ctx); err != nil {
				return err
			}
			if d == models.Postgres {
				if got := setting(t, tx); got != "off" {
					t.Errorf("inside the transaction synchronous_commit is %q", got)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if d != models.Postgres {
			return
		}
		if got := setting(t, s); got != "on" {
			t.Errorf("after the transaction synchronous_commit is %q", got)
		}
		if err := s.CommitUnflushed(ctx); !errors.Is(err, models.ErrNotInTx) {
			t.Errorf("outside a transaction: %v", err)
		}
	})
}

func setting(t *testing.T, s *models.Store) string {
	t.Helper()
	var v string
	if tx, err := s.SQLTx(); err == nil {
		if err := tx.QueryRow("SHOW synchronous_commit").Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	db, err := s.SQLDB()
	if err != nil {
		t.Fatal(err)
	}
	// A pool of one connection would not show another's setting; the
	// setting is per transaction, so any connection answers "on".
	if err := db.QueryRow("SHOW synchronous_commit").Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}
