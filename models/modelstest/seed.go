package modelstest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"accountportal/models"
)

// SeedUsers inserts n users into the account in one statement, for
// benchmarks and the replica test (PostgreSQL only). Names combine 60 first
// names, 88 surnames and the row number, emails spread over 12 domains, so
// searches meet text as varied as a real directory's rather than a million
// rows sharing one prefix. It lives with the tests, not in the binary.
func SeedUsers(ctx context.Context, s *models.Store, accountID int64, n int) error {
	db, err := postgresDB(s)
	if err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, seedUsersSQL, n, accountID); err != nil {
		return fmt.Errorf("modelstest: seed users: %w", err)
	}
	_, err = db.ExecContext(ctx, "ANALYZE users")
	return err
}

const seedUsersSQL = `WITH f AS (SELECT regexp_split_to_array('anna ben carla dev elena finn grace hugo iris jack kira liam maya noah olga pavel
			quinn rosa sam tara umar vera will xena yusuf zoe adam beth carl dina emil fay gus hana ivan jade kurt lena
			milo nina oscar pia raj sara theo una vic wren yara zane alba bruno cleo dario esme felix gina hector ines joel', '\s+') AS a),
		l AS (SELECT regexp_split_to_array('smith jones taylor brown williams wilson johnson davies patel wright walker white
			edwards hughes green hall lewis harris clarke jackson wood turner martin cooper hill ward morris moore clark
			lee king baker harrison morgan allen james scott phillips watson davis parker price bennett young griffiths
			mitchell kelly cook carter richardson bailey collins bell shaw murphy miller cox richards khan marshall
			anderson simpson ellis adams singh begum wilkinson foster chapman powell webb rogers gray mason ali hunt', '\s+') AS a),
		d AS (SELECT regexp_split_to_array('acme.example globex.example initech.example umbrella.example hooli.example
			vandelay.example stark.example wayne.example wonka.example tyrell.example cyberdyne.example soylent.example', '\s+') AS a),
		rows AS (SELECT i, f.a[1 + i % cardinality(f.a)] AS fn, l.a[1 + (i / cardinality(f.a)) % cardinality(l.a)] AS ln,
			d.a[1 + (i / 7) % cardinality(d.a)] AS dom
			FROM generate_series(1, $1) AS i, f, l, d)
		INSERT INTO users (account_id, username, username_key, email, email_key, display_name, status,
			password_hash, created_at, updated_at)
		SELECT $2, fn || '.' || ln || i, fn || '.' || ln || i, fn || '.' || ln || i || '@' || dom,
			fn || '.' || ln || i || '@' || dom, initcap(fn) || ' ' || initcap(ln), 'active', '', now(), now()
		FROM rows`

// SeedMFA marks the first n users of the account as enrolled in MFA, with
// a placeholder seed and ten backup codes each, for benchmarks (PostgreSQL
// only).
func SeedMFA(ctx context.Context, s *models.Store, accountID int64, n int) error {
	db, err := postgresDB(s)
	if err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	steps := []struct {
		sql  string
		args []any
	}{
		{`CREATE TEMP TABLE seeded ON COMMIT DROP AS SELECT id FROM users WHERE account_id = $1 AND NOT is_primary_admin ORDER BY id LIMIT $2`, []any{accountID, n}},
		{`UPDATE users SET mfa_enrolled_at = now(), totp_last_step = 0 WHERE id IN (SELECT id FROM seeded)`, nil},
		{`INSERT INTO secrets (user_id, account_id, kind, key_id, nonce, ciphertext, updated_at) SELECT id, $1, 'totp_seed', 1, '\x00', '\x00', now() FROM seeded`, []any{accountID}},
		{`INSERT INTO backup_codes (user_id, account_id, prefix, code_hash, created_at) SELECT id, $1, 'ABCD', 'x', now() FROM seeded, generate_series(1, 10)`, []any{accountID}},
	}
	for _, st := range steps {
		if _, err := tx.ExecContext(ctx, st.sql, st.args...); err != nil {
			return fmt.Errorf("modelstest: seed MFA: %w", err)
		}
	}
	return tx.Commit()
}

func postgresDB(s *models.Store) (*sql.DB, error) {
	if s.Dialect() != models.Postgres {
		return nil, errors.New("modelstest: seeding needs PostgreSQL")
	}
	return s.SQLDB()
}
