package models

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// TestAccountKeysMigrationBackfills: migration 13 gives the rows of every
// table of one customer's data their account, from their user or bulk
// job; a session nobody signed in on stays without one. It goes down
// again.
func TestAccountKeysMigrationBackfills(t *testing.T) {
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
	if _, err := p.UpTo(ctx, 12); err != nil {
		t.Fatal(err)
	}
	db, err := s.SQLDB()
	if err != nil {
		t.Fatal(err)
	}
	const when = `'2026-11-23 12:00:00'`
	for _, stmt := range []string{
		`INSERT INTO accounts (id, number, name, password_preset, mfa_policy, created_at, updated_at) VALUES (5, '12345678', 'Acme', 'classic', 'off', ` + when + `, ` + when + `)`,
		`INSERT INTO users (id, account_id, username, username_key, email, email_key, display_name, created_at, updated_at) VALUES (9, 5, 'ann', 'ann', 'ann@example.com', 'ann@example.com', 'Ann', ` + when + `, ` + when + `)`,
		`INSERT INTO secrets (user_id, kind, key_id, nonce, ciphertext, updated_at) VALUES (9, 'passphrase', 1, x'00', x'00', ` + when + `)`,
		`INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, idle_expires_at, absolute_expires_at, idle_timeout_seconds, data) VALUES (x'01', 9, ` + when + `, ` + when + `, ` + when + `, ` + when + `, 60, '{}')`,
		`INSERT INTO sessions (id_hash, created_at, last_seen_at, idle_expires_at, absolute_expires_at, idle_timeout_seconds, data) VALUES (x'02', ` + when + `, ` + when + `, ` + when + `, ` + when + `, 60, '{}')`,
		`INSERT INTO license_acceptances (user_id, version, accepted_at) VALUES (9, 'v1', ` + when + `)`,
		`INSERT INTO user_permissions (user_id, permission, granted_at) VALUES (9, 'billing.info', ` + when + `)`,
		`INSERT INTO user_roles (user_id, role_id, assigned_at) VALUES (9, 1, ` + when + `)`,
		`INSERT INTO backup_codes (user_id, prefix, code_hash, created_at) VALUES (9, 'ABCD', 'x', ` + when + `)`,
		`INSERT INTO bulk_jobs (id, account_id, actor_name, action, reason, selection, status, created_at, updated_at) VALUES (4, 5, 'Ann', 'signout', 'r', '{}', 'done', ` + when + `, ` + when + `)`,
		`INSERT INTO bulk_job_results (job_id, user_id, display_name, username, outcome) VALUES (4, 9, 'Ann', 'ann', 'done')`,
	} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	if _, err := p.UpTo(ctx, 13); err != nil {
		t.Fatal(err)
	}
	for table, want := range map[string]int{"secrets": 1, "sessions": 1, "license_acceptances": 1, "user_permissions": 1,
		"user_roles": 1, "backup_codes": 1, "bulk_job_results": 1} {
		var n int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM `+table+` WHERE account_id = 5`).Scan(&n); err != nil || n != want {
			t.Errorf("%s: %d rows of account 5 (%v), want %d", table, n, err, want)
		}
	}
	var anonymous int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sessions WHERE account_id IS NULL`).Scan(&anonymous); err != nil || anonymous != 1 {
		t.Errorf("sessions without a user: %d (%v)", anonymous, err)
	}
	if _, err := p.DownTo(ctx, 12); err != nil {
		t.Fatalf("down: %v", err)
	}
}
