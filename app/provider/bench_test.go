package provider_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"accountportal/app/identity"
	"accountportal/app/provider"
	"accountportal/models"
	"accountportal/models/modelstest"
)

// BenchmarkOperatorAccounts seeds 100,000 customer accounts and 1,000,000
// users (ten to an account) into PostgreSQL and measures the operator
// console's list as the page asks for it (the page of 50 and its users
// counts): the first and the last page in each order, a status filter, a
// name search and a number lookup. Run with -benchtime 1x (make bench).
func BenchmarkOperatorAccounts(b *testing.B) {
	if os.Getenv("BENCH_ACCOUNTS") == "" {
		b.Skip("set BENCH_ACCOUNTS=1 (make bench does) to seed 100,000 accounts and 1,000,000 users")
	}
	ctx := context.Background()
	store, err := models.Open(ctx, models.Options{URL: modelstest.NewURL(b, models.Postgres), MaxOpenConns: 4})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	start := time.Now()
	if err := seedAccounts(ctx, store, 100_000, 10); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded 100,000 accounts and 1,000,000 users in %v", time.Since(start).Round(time.Millisecond))
	svc := provider.NewService(store, time.Now, slog.New(slog.DiscardHandler), nil, nil)
	op := &identity.Principal{User: &models.User{DisplayName: "Olga Ops"}, Account: &models.Account{Kind: models.KindStaff},
		Permissions: map[string]bool{identity.PermOperator: true}}
	list := func(q provider.ListQuery) func() {
		return func() {
			l, err := svc.ListAccounts(ctx, op, q)
			if err != nil || len(l.Rows) == 0 {
				b.Fatalf("list %+v: %v", q, err)
			}
		}
	}
	for b.Loop() {
		var line []string
		measure := func(name string, q provider.ListQuery) {
			d := timeIt(200, list(q))
			p50, p99 := ms(d[len(d)/2]), ms(d[len(d)*99/100])
			b.ReportMetric(p50, name+"_p50_ms")
			b.ReportMetric(p99, name+"_p99_ms")
			line = append(line, fmt.Sprintf("%s p50 %.2f ms p99 %.2f ms", name, p50, p99))
		}
		measure("first_page", provider.ListQuery{})
		measure("last_page", provider.ListQuery{Last: true})
		next, err := svc.ListAccounts(ctx, op, provider.ListQuery{})
		if err != nil {
			b.Fatal(err)
		}
		measure("second_page", provider.ListQuery{After: next.Next})
		measure("created_desc_first", provider.ListQuery{Sort: "created", Order: "desc"})
		measure("created_desc_last", provider.ListQuery{Sort: "created", Order: "desc", Last: true})
		measure("number_last", provider.ListQuery{Sort: "number", Last: true})
		measure("suspended_first", provider.ListQuery{Status: models.AccountSuspended})
		measure("suspended_last", provider.ListQuery{Status: models.AccountSuspended, Last: true})
		measure("search_name", provider.ListQuery{Search: "harbour freight"})
		measure("search_broad", provider.ListQuery{Search: "tech"})
		measure("number_lookup", provider.ListQuery{Search: "20076543"})
		b.Logf("operator accounts at 100,000 accounts / 1,000,000 users: %s", strings.Join(line, "; "))
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func timeIt(n int, fn func()) []time.Duration {
	out := make([]time.Duration, n)
	for i := range out {
		t := time.Now()
		fn()
		out[i] = time.Since(t)
	}
	slices.Sort(out)
	return out
}

// seedAccounts inserts n customer accounts and perAccount users for each,
// set-based (INSERT … SELECT over generate_series). Company names combine
// 40 words, 40 trades and 8 legal forms, so names repeat as real ones do
// and searches meet varied text; statuses are mostly active, some pending,
// suspended and closed; creation times spread over ten years.
func seedAccounts(ctx context.Context, s *models.Store, n, perAccount int) error {
	db, err := s.SQLDB()
	if err != nil {
		return err
	}
	steps := []struct {
		sql  string
		args []any
	}{
		{`WITH w AS (SELECT regexp_split_to_array('acme northwind harbour summit pinnacle blue red green silver golden
				river lake forest mountain coastal metro urban rural global united premier prime apex zenith
				nova stellar quantum vertex cedar maple oak pine willow birch falcon eagle hawk raven', '\s+') AS a),
			t AS (SELECT regexp_split_to_array('freight logistics telecom dental legal accounting consulting software
				tech media design print foods bakery brewing coffee motors auto fitness health care clinic
				pharmacy energy solar water plumbing electric builders homes realty insurance finance capital
				ventures labs studio travel', '\s+') AS a),
			f AS (SELECT regexp_split_to_array('Ltd LLC Inc GmbH SA BV Pty Co', '\s+') AS a)
		INSERT INTO accounts (number, name, kind, status, status_reason, password_preset, mfa_policy, created_at, updated_at)
		SELECT (20000000 + i)::text,
			initcap(w.a[1 + i % cardinality(w.a)]) || ' ' || initcap(t.a[1 + (i / 7) % cardinality(t.a)]) || ' ' || f.a[1 + (i / 13) % cardinality(f.a)],
			'customer',
			CASE WHEN i % 100 < 80 THEN 'active' WHEN i % 100 < 90 THEN 'pending' WHEN i % 100 < 97 THEN 'suspended' ELSE 'closed' END,
			'', 'classic', 'off', now() - make_interval(mins => i * 52), now()
		FROM generate_series(1, $1::int) AS i, w, t, f`, []any{n}},
		{`INSERT INTO users (account_id, username, username_key, email, email_key, display_name, status, is_primary_admin,
			password_hash, created_at, updated_at)
		SELECT a.id, 'user' || i, 'user' || i, 'user' || i || '@example.com', 'user' || i || '@example.com', 'User ' || i,
			CASE WHEN i % 10 = 3 THEN 'invited' WHEN i % 10 = 7 THEN 'suspended' ELSE 'active' END, i <= $1::int, '', now(), now()
		FROM generate_series(1, $1::int * $2::int) AS i
		JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM accounts WHERE kind = 'customer') AS a ON a.k = (i - 1) % $1::int`, []any{n, perAccount}},
		{`ANALYZE accounts`, nil},
		{`ANALYZE users`, nil},
	}
	for _, st := range steps {
		if _, err := db.ExecContext(ctx, st.sql, st.args...); err != nil {
			return fmt.Errorf("seed accounts: %w", err)
		}
	}
	return nil
}
