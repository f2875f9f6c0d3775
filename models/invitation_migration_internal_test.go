package models

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// TestInvitationMigrationKeepsOutboxLinks: on SQLite, migration 14 rebuilds
// the tokens table to allow invitation links. The tokens, their columns and
// the outbox's links to them survive the rebuild, going up and down.
func TestInvitationMigrationKeepsOutboxLinks(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	s, err := Open(ctx, Options{URL: "sqlite://" + filepath.Join(t.TempDir(), "portal.db"), Now: func() time.Time { return at }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	p, err := s.migrator()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 13); err != nil {
		t.Fatal(err)
	}
	db, err := s.SQLDB()
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		`INSERT INTO accounts (id, number, name, password_preset, mfa_policy, created_at, updated_at) VALUES (1, '12345678', 'Acme', 'classic', 'off', '2026-11-23 12:00:00', '2026-11-23 12:00:00')`,
		`INSERT INTO users (id, account_id, username, username_key, email, email_key, display_name, created_at, updated_at) VALUES (1, 1, 'ann', 'ann', 'ann@example.com', 'ann@example.com', 'Ann', '2026-11-23 12:00:00', '2026-11-23 12:00:00')`,
		`INSERT INTO tokens (id, user_id, purpose, sha256, created_at, expires_at, answered_by) VALUES (7, 1, 'reset', x'01', '2026-11-23 12:00:00', '2026-11-23 13:00:00', x'02')`,
		`INSERT INTO outbox (id, to_addr, subject, text_body, html_body, token_id, created_at, next_attempt_at) VALUES (3, 'ann@example.com', 's', 't', 'h', 7, '2026-11-23 12:00:00', '2026-11-23 12:00:00')`,
	} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	check := func(when string) {
		t.Helper()
		var tokenID int64
		var answered []byte
		if err := db.QueryRowContext(ctx, `SELECT o.token_id, t.answered_by FROM outbox o JOIN tokens t ON t.id = o.token_id WHERE o.id = 3`).
			Scan(&tokenID, &answered); err != nil || tokenID != 7 || string(answered) != "\x02" {
			t.Fatalf("%s: outbox link %d, answered_by %x (%v)", when, tokenID, answered, err)
		}
	}
	if _, err := p.UpTo(ctx, 14); err != nil {
		t.Fatal(err)
	}
	check("after the migration")
	// The model is the latest schema's; at version 14 the row is written by hand.
	if _, err := db.ExecContext(ctx, `INSERT INTO tokens (user_id, purpose, sha256, created_at, expires_at) VALUES (1, 'invitation', x'03', '2026-11-23 12:00:00', '2026-11-23 13:00:00')`); err != nil {
		t.Fatalf("invitation token after the migration: %v", err)
	}
	if _, err := p.DownTo(ctx, 13); err != nil {
		t.Fatal(err)
	}
	check("after going back down")
	if _, err := db.ExecContext(ctx, `INSERT INTO tokens (user_id, purpose, sha256, created_at, expires_at) VALUES (1, 'invitation', x'04', '2026-11-23 12:00:00', '2026-11-23 13:00:00')`); err == nil {
		t.Fatal("an invitation token was accepted before the migration")
	}
}
