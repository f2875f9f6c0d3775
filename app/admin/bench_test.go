package admin_test

import (
	"context"
	"io"
	"log/slog"
	"net/url"
	"os"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"accountportal/app/admin"
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/app/jobs"
	"accountportal/models"
	"accountportal/models/modelstest"
)

// BenchmarkUsersConsoleMillion seeds 1,000,000 users into one PostgreSQL
// account and measures what the users console does to the database: the
// first and the last page of the list, a selective and a broad search, and
// a bulk deactivation of 100,000 users. Run with -benchtime 1x (make bench).
func BenchmarkUsersConsoleMillion(b *testing.B) {
	if os.Getenv("BENCH_USERS") == "" {
		b.Skip("set BENCH_USERS=1 (make bench does) to seed a million users")
	}
	ctx := context.Background()
	var maxVars atomic.Int64
	store, err := models.Open(ctx, models.Options{URL: modelstest.NewURL(b, models.Postgres), MaxOpenConns: 4,
		OnStatement: func(n int) {
			for v := maxVars.Load(); int64(n) > v && !maxVars.CompareAndSwap(v, int64(n)); v = maxVars.Load() {
			}
		}})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	start := time.Now()
	actor := seedMillion(b, store)
	b.Logf("seeded 1,000,000 users in %v", time.Since(start).Round(time.Millisecond))
	// The state autovacuum reaches after a million inserts: the visibility
	// map set, so index-only scans (SCIM's counts and page starts) read no
	// rows.
	db, err := store.SQLDB()
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "VACUUM users"); err != nil {
		b.Fatal(err)
	}
	yes := true
	queue, err := jobs.New(store, slog.New(slog.DiscardHandler), jobs.Config{Timeout: time.Minute, Poll: time.Second, Workers: 1, Name: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	svc := admin.NewBulk(admin.Shared{Store: store, Now: time.Now, PublicURL: &url.URL{Scheme: "http", Host: "x"}}, nil, noMFA{}, queue,
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	for b.Loop() {
		f := models.UserFilter{AccountID: actor.Account.ID}
		last := lastPageCursor(b, store, f)
		report(b, "first_page", timeIt(200, func() { mustList(b, store, f, models.UserPage{Limit: 50}) }))
		report(b, "last_page", timeIt(200, func() { mustList(b, store, f, models.UserPage{Limit: 50, After: last}) }))
		selective := models.UserFilter{AccountID: actor.Account.ID, Search: "elena.scott765434"}
		report(b, "search_selective", timeIt(100, func() { mustList(b, store, selective, models.UserPage{Limit: 50}) }))
		broad := models.UserFilter{AccountID: actor.Account.ID, Search: "smith"}
		report(b, "search_broad", timeIt(100, func() { mustList(b, store, broad, models.UserPage{Limit: 50}) }))
		// SCIM's pages (Users.FindUsers): a count, then a page in id order
		// from an offset; an identity provider's lookup by userName.
		report(b, "scim_first_page", timeIt(20, func() { mustFind(b, store, f, 0) }))
		report(b, "scim_last_page", timeIt(20, func() { mustFind(b, store, f, 999_900) }))
		byName := models.UserFilter{AccountID: actor.Account.ID,
			Match: &models.UserMatch{Field: models.MatchUsernameKey, Value: "elena.scott765434"}}
		report(b, "scim_username_eq", timeIt(100, func() { mustFind(b, store, byName, 0) }))

		ids, err := store.Users.MatchingIDs(ctx, models.UserFilter{AccountID: actor.Account.ID, Status: models.StatusActive}, 0, 100_001)
		if err != nil {
			b.Fatal(err)
		}
		maxVars.Store(0)
		t0 := time.Now()
		res, _, err := svc.RunBulk(ctx, actor, admin.BulkRequest{Action: admin.BulkDeactivate, Selection: admin.Selection{IDs: ids[1:]},
			Reason: "benchmark"}, audit.Origin{IP: "127.0.0.1"})
		took := time.Since(t0)
		if err != nil || res.Done != 100_000 {
			b.Fatalf("bulk: %+v %v", res, err)
		}
		b.ReportMetric(took.Seconds(), "bulk_100k_s")

		if err := modelstest.SeedMFA(ctx, store, actor.Account.ID, 100_000); err != nil {
			b.Fatal(err)
		}
		enrolled, err := store.Users.MatchingIDs(ctx, models.UserFilter{AccountID: actor.Account.ID, MFA: &yes}, 0, 100_000)
		if err != nil || len(enrolled) != 100_000 {
			b.Fatalf("enrolled: %d %v", len(enrolled), err)
		}
		t0 = time.Now()
		res, _, err = svc.RunBulk(ctx, actor, admin.BulkRequest{Action: admin.BulkResetMFA, Selection: admin.Selection{IDs: enrolled},
			Reason: "benchmark"}, audit.Origin{IP: "127.0.0.1"})
		took = time.Since(t0)
		if err != nil || res.Done != 100_000 {
			b.Fatalf("mfa reset: %+v %v", res.Done, err)
		}
		b.ReportMetric(took.Seconds(), "mfa_reset_100k_s")
		b.ReportMetric(float64(maxVars.Load()), "max_params")
	}
}

// mustFind reads what one SCIM page reads: the count of matching users
// and up to 100 of them from offset, in id order.
func mustFind(b *testing.B, s *models.Store, f models.UserFilter, offset int) {
	ctx := context.Background()
	if _, err := s.Users.Count(ctx, f); err != nil {
		b.Fatal(err)
	}
	if _, err := s.Users.ListByID(ctx, f, offset, 100); err != nil {
		b.Fatal(err)
	}
}

func mustList(b *testing.B, s *models.Store, f models.UserFilter, p models.UserPage) {
	if _, err := s.Users.List(context.Background(), f, p); err != nil {
		b.Fatal(err)
	}
}

// lastPageCursor is where the last page of 50 starts, by name.
func lastPageCursor(b *testing.B, s *models.Store, f models.UserFilter) *models.UserCursor {
	users, err := s.Users.List(context.Background(), f, models.UserPage{Limit: 50, Before: &models.UserCursor{Key: "\uffff", ID: 1 << 62}})
	if err != nil || len(users) < 50 {
		b.Fatalf("last page: %v", err)
	}
	first := users[len(users)-50]
	return &models.UserCursor{Key: models.SortKeyOf(&first, models.SortName), ID: first.ID - 1}
}

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

func report(b *testing.B, name string, d []time.Duration) {
	b.ReportMetric(float64(d[len(d)/2].Microseconds())/1000, name+"_p50_ms")
	b.ReportMetric(float64(d[len(d)*99/100].Microseconds())/1000, name+"_p99_ms")
}

// seedMillion creates an account with a Primary Admin and 1,000,000 users
// in one INSERT … SELECT, and returns the admin as a principal.
func seedMillion(b *testing.B, s *models.Store) *identity.Principal {
	ctx := context.Background()
	a := &models.Account{Number: "10000001", Name: "Big Co", PasswordPreset: "classic", MFAPolicy: models.MFAOff}
	if err := s.Accounts.Create(ctx, a); err != nil {
		b.Fatal(err)
	}
	pa := &models.User{AccountID: a.ID, Username: "boss", UsernameKey: "boss", Email: "boss@example.com", EmailKey: "boss@example.com",
		DisplayName: "Boss", Status: models.StatusActive, IsPrimaryAdmin: true}
	if err := s.Users.Create(ctx, pa); err != nil {
		b.Fatal(err)
	}
	if err := modelstest.SeedUsers(ctx, s, a.ID, 1_000_000); err != nil {
		b.Fatal(err)
	}
	return &identity.Principal{User: pa, Account: a, Permissions: map[string]bool{}}
}

// noMFA stands for an administrator without a second factor.
type noMFA struct{}

func (noMFA) CheckAdminCode(context.Context, *identity.Principal, string, audit.Origin) error {
	return nil
}
