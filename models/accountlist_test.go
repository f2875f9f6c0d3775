package models_test

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"accountportal/models"
	"accountportal/models/modelstest"
)

// accountFixture is a customer account the list tests create.
type accountFixture struct {
	number, name, status string
	created              time.Time
}

// listFixtures has names that tie but for case, creation times that tie,
// and every status.
func listFixtures() []accountFixture {
	at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
	return []accountFixture{
		{"30000001", "Acme Ltd", models.AccountActive, at(1)},
		{"30000002", "acme ltd", models.AccountPending, at(1)},
		{"30000003", "Globex", models.AccountSuspended, at(2)},
		{"30000004", "Initech", models.AccountActive, at(3)},
		{"30000005", "Umbrella 100%", models.AccountClosed, at(0)},
		{"30000006", "ACME Holdings", models.AccountActive, at(5)},
		{"30000007", "Hooli", models.AccountPending, at(4)},
		{"30000008", "Wayne_Co", models.AccountActive, at(4)},
	}
}

func TestAccountListOrdersFiltersAndPages(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		fixtures := listFixtures()
		ids := map[string]int64{}
		for _, f := range fixtures {
			a := &models.Account{Number: f.number, Name: f.name, Status: f.status, PasswordPreset: "classic",
				MFAPolicy: models.MFAOff, CreatedAt: f.created, UpdatedAt: f.created}
			if err := s.Accounts.Create(ctx, a); err != nil {
				t.Fatal(err)
			}
			ids[f.number] = a.ID
		}
		staff := &models.Account{Number: "99999999", Name: "Acme Staff", Kind: models.KindStaff, PasswordPreset: "classic", MFAPolicy: models.MFAOff}
		if err := s.Accounts.Create(ctx, staff); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name   string
			filter models.AccountFilter
			keep   func(accountFixture) bool
		}{
			{"everyone", models.AccountFilter{}, func(accountFixture) bool { return true }},
			{"name contains acme, any case", models.AccountFilter{NameContains: "ACME"},
				func(f accountFixture) bool { return strings.Contains(strings.ToLower(f.name), "acme") }},
			{"a percent sign is no wildcard", models.AccountFilter{NameContains: "100%"},
				func(f accountFixture) bool { return f.number == "30000005" }},
			{"an underscore is no wildcard", models.AccountFilter{NameContains: "e_c"},
				func(f accountFixture) bool { return f.number == "30000008" }},
			{"number", models.AccountFilter{Number: "30000003"}, func(f accountFixture) bool { return f.number == "30000003" }},
			{"staff account's number", models.AccountFilter{Number: "99999999"}, func(accountFixture) bool { return false }},
			{"active", models.AccountFilter{Status: models.AccountActive}, func(f accountFixture) bool { return f.status == models.AccountActive }},
			{"pending acme", models.AccountFilter{Status: models.AccountPending, NameContains: "acme"},
				func(f accountFixture) bool { return f.number == "30000002" }},
			{"nothing", models.AccountFilter{NameContains: "zzz"}, func(accountFixture) bool { return false }},
		}
		for _, c := range cases {
			for _, sort := range []string{models.AccountsByName, models.AccountsByNumber, models.AccountsByCreated} {
				for _, desc := range []bool{false, true} {
					t.Run(fmt.Sprintf("%s/%s/desc=%v", c.name, sort, desc), func(t *testing.T) {
						want := expectedOrder(fixtures, c.keep, sort, desc, ids)
						got := numbers(listAll(t, s, c.filter, models.AccountPage{Sort: sort, Desc: desc, Limit: 100}))
						if !slices.Equal(got, want) {
							t.Fatalf("one page: %v, want %v", got, want)
						}
						if fwd := walkForward(t, s, c.filter, sort, desc, 2); !slices.Equal(fwd, want) {
							t.Fatalf("forward by 2: %v, want %v", fwd, want)
						}
						if back := walkBackward(t, s, c.filter, sort, desc, 2); !slices.Equal(back, want) {
							t.Fatalf("backward from the last page by 2: %v, want %v", back, want)
						}
					})
				}
			}
		}
	})
}

// TestAccountListPagesNamesOutsideASCII: the cursor carries the database's
// own sort key, so names its lower() and Go's disagree on (SQLite lowers
// ASCII only) still page without gaps or repeats.
func TestAccountListPagesNamesOutsideASCII(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		for i, name := range []string{"Ärzte Berlin", "ärzte Bonn", "Öl AG", "Zeta", "zeta", "Éclair SA", "Ángel", "apple"} {
			a := &models.Account{Number: fmt.Sprintf("4000000%d", i), Name: name, PasswordPreset: "classic", MFAPolicy: models.MFAOff}
			if err := s.Accounts.Create(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		for _, desc := range []bool{false, true} {
			all := numbers(listAll(t, s, models.AccountFilter{}, models.AccountPage{Sort: models.AccountsByName, Desc: desc, Limit: 100}))
			if len(all) != 8 {
				t.Fatalf("listed %d", len(all))
			}
			if fwd := walkForward(t, s, models.AccountFilter{}, models.AccountsByName, desc, 3); !slices.Equal(fwd, all) {
				t.Fatalf("desc=%v forward: %v, want %v", desc, fwd, all)
			}
			if back := walkBackward(t, s, models.AccountFilter{}, models.AccountsByName, desc, 3); !slices.Equal(back, all) {
				t.Fatalf("desc=%v backward: %v, want %v", desc, back, all)
			}
		}
	})
}

func TestAccountUserCounts(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		a, b, empty := newAccount(t, s, "50000001"), newAccount(t, s, "50000002"), newAccount(t, s, "50000003")
		newUser(t, s, a.ID, "a1", true)
		newUser(t, s, a.ID, "a2", false)
		u := newUser(t, s, a.ID, "a3", false)
		if err := s.Users.SetStatus(ctx, u.ID, models.StatusSuspended, t0); err != nil {
			t.Fatal(err)
		}
		newUser(t, s, b.ID, "b1", true)
		counts, err := s.Accounts.UserCounts(ctx, []int64{a.ID, b.ID, empty.ID})
		if err != nil || counts[a.ID] != 3 || counts[b.ID] != 1 || counts[empty.ID] != 0 {
			t.Fatalf("counts %v %v", counts, err)
		}
		byStatus, err := s.Accounts.UsersByStatus(ctx, a.ID)
		if err != nil || byStatus[models.StatusActive] != 2 || byStatus[models.StatusSuspended] != 1 || len(byStatus) != 2 {
			t.Fatalf("by status %v %v", byStatus, err)
		}
		if last, err := s.Accounts.LastSignIn(ctx, a.ID); err != nil || last != nil {
			t.Fatalf("last sign-in before any: %v %v", last, err)
		}
		for i, at := range []time.Time{t0.Add(time.Hour), t0.Add(3 * time.Hour), t0.Add(2 * time.Hour)} {
			if err := s.Users.RecordSignIn(ctx, []int64{u.ID, u.ID - 1, u.ID - 2}[i], at, ""); err != nil {
				t.Fatal(err)
			}
		}
		if last, err := s.Accounts.LastSignIn(ctx, a.ID); err != nil || last == nil || !last.Equal(t0.Add(3*time.Hour)) {
			t.Fatalf("last sign-in: %v %v", last, err)
		}
	})
}

func expectedOrder(fixtures []accountFixture, keep func(accountFixture) bool, sort string, desc bool, ids map[string]int64) []string {
	var kept []accountFixture
	for _, f := range fixtures {
		if keep(f) {
			kept = append(kept, f)
		}
	}
	slices.SortFunc(kept, func(a, b accountFixture) int {
		var c int
		switch sort {
		case models.AccountsByNumber:
			c = cmp.Compare(a.number, b.number)
		case models.AccountsByCreated:
			c = a.created.Compare(b.created)
		default:
			c = cmp.Compare(strings.ToLower(a.name), strings.ToLower(b.name))
		}
		if c == 0 {
			c = cmp.Compare(ids[a.number], ids[b.number])
		}
		if desc {
			return -c
		}
		return c
	})
	out := []string{}
	for _, f := range kept {
		out = append(out, f.number)
	}
	return out
}

func listAll(t *testing.T, s *models.Store, f models.AccountFilter, p models.AccountPage) []models.ListedAccount {
	t.Helper()
	rows, err := s.Accounts.List(context.Background(), f, p)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func numbers(rows []models.ListedAccount) []string {
	out := []string{}
	for _, r := range rows {
		out = append(out, r.Number)
	}
	return out
}

// walkForward reads every page from the first, following the last row.
func walkForward(t *testing.T, s *models.Store, f models.AccountFilter, sort string, desc bool, size int) []string {
	t.Helper()
	out := []string{}
	p := models.AccountPage{Sort: sort, Desc: desc, Limit: size}
	for range 100 {
		rows := listAll(t, s, f, p)
		more := len(rows) > size
		if more {
			rows = rows[:size]
		}
		out = append(out, numbers(rows)...)
		if !more {
			return out
		}
		c := models.CursorOf(&rows[len(rows)-1], sort)
		p.After = &c
	}
	t.Fatal("no end")
	return nil
}

// walkBackward reads every page from the last, following the first row.
func walkBackward(t *testing.T, s *models.Store, f models.AccountFilter, sort string, desc bool, size int) []string {
	t.Helper()
	out := []string{}
	p := models.AccountPage{Sort: sort, Desc: desc, Limit: size, Last: true}
	for range 100 {
		rows := listAll(t, s, f, p)
		more := len(rows) > size
		if more {
			rows = rows[1:]
		}
		out = append(numbers(rows), out...)
		if !more {
			return out
		}
		c := models.CursorOf(&rows[0], sort)
		p.Last, p.Before = false, &c
	}
	t.Fatal("no end")
	return nil
}
