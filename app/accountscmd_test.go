package app_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"accountportal/app"
	"accountportal/app/apptest"
	"accountportal/app/security"
	"accountportal/models"
)

// TestAccountsPurgeCommand: a dry run lists the due closed accounts and
// deletes nothing; --yes deletes them, keeps their audit entries and
// records the purge; an account closed recently stays.
func TestAccountsPurgeCommand(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{
		"PORTAL_DATABASE_URL":     "sqlite://" + filepath.Join(dir, "portal.db"),
		"PORTAL_SECRET_KEYS_FILE": filepath.Join(dir, "keys.json"),
		"PORTAL_PUBLIC_URL":       "https://portal.example.com",
	}
	run := func(args ...string) (int, string) {
		var out bytes.Buffer
		code := app.Main(context.Background(), append([]string{"accountportal", "accounts"}, args...), env(vars), &out)
		return code, out.String()
	}
	if code, out := run("purge"); code != 1 || !strings.Contains(out, "accountportal migrate") {
		t.Fatalf("before migrating: %d %s", code, out)
	}
	if code := app.Main(context.Background(), []string{"accountportal", "migrate"}, env(vars), io.Discard); code != 0 {
		t.Fatalf("migrate: %d", code)
	}
	if code := app.Main(context.Background(), []string{"accountportal", "operator", "create", "--email", "olga@provider.example",
		"--name", "Olga Ops"}, env(vars), io.Discard); code != 0 {
		t.Fatalf("create an operator: %d", code)
	}
	ctx := context.Background()
	store, err := models.Open(ctx, models.Options{URL: vars["PORTAL_DATABASE_URL"]})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	now := time.Now().UTC()
	closeAccount := func(number, name string, closedAt time.Time, users int) *models.Account {
		a := &models.Account{Number: number, Name: name, PasswordPreset: "classic", MFAPolicy: models.MFAOff}
		if err := store.Accounts.Create(ctx, a); err != nil {
			t.Fatal(err)
		}
		for i := range users {
			apptest.CreateUser(t, store, security.Argon2Params{MemoryKiB: 8, Iterations: 1, Parallelism: 1}, a.ID,
				number+"-"+string(rune('a'+i)), "Walrus+Tide42", models.StatusActive, now)
		}
		purgeAfter := closedAt.Add(90 * 24 * time.Hour)
		if err := store.Accounts.SetStatus(ctx, a.ID, []string{models.AccountActive}, models.AccountClosed, "ended", closedAt, &purgeAfter); err != nil {
			t.Fatal(err)
		}
		return a
	}
	old := closeAccount("91000001", "Gone Ltd", now.Add(-91*24*time.Hour), 2)
	recent := closeAccount("91000002", "Recent Ltd", now.Add(-24*time.Hour), 1)

	cases := []struct {
		name string
		args []string
		code int
		want []string
		not  string
	}{
		{"bad arguments", []string{"purge", "now"}, 1, []string{"usage: accountportal accounts purge [--yes]"}, ""},
		{"no subcommand", nil, 1, []string{"usage:"}, ""},
		{"dry run", []string{"purge"}, 0, []string{"91000001", "Gone Ltd", now.Add(-91 * 24 * time.Hour).Format("2006-01-02"),
			"2 users", "dry run: 1 accounts would be deleted"}, "Recent Ltd"},
		{"dry run changes nothing", []string{"purge"}, 0, []string{"Gone Ltd"}, ""},
		{"purge", []string{"purge", "--yes"}, 0, []string{"Gone Ltd", "deleted 1 accounts"}, "Recent Ltd"},
		{"nothing left", []string{"purge", "--yes"}, 0, []string{"no closed account is due"}, ""},
	}
	for _, tc := range cases {
		code, out := run(tc.args...)
		if code != tc.code {
			t.Errorf("%s: exit %d, want %d\n%s", tc.name, code, tc.code, out)
		}
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: output lacks %q:\n%s", tc.name, w, out)
			}
		}
		if tc.not != "" && strings.Contains(out, tc.not) {
			t.Errorf("%s: output names %q:\n%s", tc.name, tc.not, out)
		}
	}
	if _, err := store.Accounts.ByID(ctx, old.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("purged account: %v", err)
	}
	if _, err := store.Accounts.ByID(ctx, recent.ID); err != nil {
		t.Errorf("recently closed account: %v", err)
	}
	events, err := store.Audit.ForAccount(ctx, old.ID, 10)
	if err != nil || len(events) != 1 || events[0].Action != "provider.account_purged" {
		t.Errorf("purged account's audit: %+v %v", events, err)
	}
	staff, err := store.Accounts.Staff(ctx)
	if err != nil {
		t.Fatal(err)
	}
	logged, err := store.Audit.ForAccount(ctx, staff.ID, 50)
	purged := 0
	for _, e := range logged {
		if e.Action == "provider.account_purged" && strings.Contains(e.Details, `"account_number":"91000001"`) {
			purged++
		}
	}
	if err != nil || purged != 1 {
		t.Errorf("the provider's log holds %d purge entries of 91000001 (%v), want 1", purged, err)
	}
}
