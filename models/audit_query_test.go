package models_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"accountportal/models"
	"accountportal/models/modelstest"
)

// appendEvents writes n events of the account one minute apart from t0
// (every call starts again at t0),
// with the given actor, action and target, and returns their ids in order.
func appendEvents(t *testing.T, s *models.Store, accountID *int64, n int, actor, action, target string) []int64 {
	t.Helper()
	ids := make([]int64, 0, n)
	err := s.InTx(context.Background(), func(tx *models.Store) error {
		for i := range n {
			e := &models.AuditEvent{At: t0.Add(time.Duration(i) * time.Minute), AccountID: accountID,
				ActorName: actor, Action: action, TargetName: target}
			if err := tx.Audit.Append(context.Background(), e); err != nil {
				return err
			}
			ids = append(ids, e.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func idsOf(events []models.AuditEvent) []int64 {
	out := make([]int64, len(events))
	for i, e := range events {
		out[i] = e.ID
	}
	return out
}

func TestAuditFilters(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		a, b := newAccount(t, s, "71000001"), newAccount(t, s, "71000002")
		percent := appendEvents(t, s, &a.ID, 1, "Ada Admin (ada)", "sign_in.success", "100% Sure (sure)")
		zeros := appendEvents(t, s, &a.ID, 1, "Bob_Builder (bob)", "sign_in.failed", "1000 Sure (thou)")
		plainB := appendEvents(t, s, &a.ID, 1, "BobXBuilder (bobx)", "role.created", "Night shift")
		late := appendEvents(t, s, &a.ID, 3, "Cleo (cleo)", "role.created", "Back\\slash")
		appendEvents(t, s, &b.ID, 2, "Ada Admin (ada)", "sign_in.success", "100% Sure (sure)")
		appendEvents(t, s, nil, 1, "Ada Admin (ada)", "sign_in.success", "")

		cases := []struct {
			name string
			f    models.AuditFilter
			want []int64
		}{
			{"everything of the account", models.AuditFilter{}, concat(late, plainB, zeros, percent)},
			{"actor ignores case", models.AuditFilter{Actor: "ADA"}, percent},
			{"underscore is literal", models.AuditFilter{Actor: "b_b"}, zeros},
			{"underscore matches itself only", models.AuditFilter{Actor: "Bob_"}, zeros},
			{"percent is literal", models.AuditFilter{Target: "0%"}, percent},
			{"backslash is literal", models.AuditFilter{Target: `k\s`}, late},
			{"target", models.AuditFilter{Target: "sure"}, concat(zeros, percent)},
			{"action is exact", models.AuditFilter{Action: "role.created"}, concat(late, plainB)},
			{"action prefix matches nothing", models.AuditFilter{Action: "role"}, nil},
			{"from is inclusive", models.AuditFilter{From: t0.Add(time.Minute)}, late[1:]},
			{"to is exclusive", models.AuditFilter{To: t0.Add(2 * time.Minute)}, concat(late[:2], plainB, zeros, percent)},
			{"from and to", models.AuditFilter{From: t0.Add(time.Minute), To: t0.Add(2 * time.Minute)}, late[1:2]},
			{"combined", models.AuditFilter{Actor: "cleo", Action: "role.created", From: t0.Add(time.Minute)}, late[1:]},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				tc.f.AccountID = a.ID
				got, err := s.Audit.Page(ctx, tc.f, 0, 0, 100)
				if err != nil {
					t.Fatal(err)
				}
				want := slices.Clone(tc.want)
				slices.SortFunc(want, func(x, y int64) int { return int(y - x) })
				if !slices.Equal(idsOf(got), want) {
					t.Fatalf("got %v, want %v", idsOf(got), want)
				}
			})
		}
		actions, err := s.Audit.Actions(ctx, a.ID)
		if err != nil || strings.Join(actions, ",") != "role.created,sign_in.failed,sign_in.success" {
			t.Fatalf("actions %v %v", actions, err)
		}
		if actions, _ := s.Audit.Actions(ctx, b.ID); strings.Join(actions, ",") != "sign_in.success" {
			t.Fatalf("another account's actions %v", actions)
		}
	})
}

func concat(parts ...[]int64) []int64 { return slices.Concat(parts...) }

// Paging forward and back with cursors shows every event exactly once, in
// order, and never another account's.
func TestAuditKeysetPaging(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		a, b := newAccount(t, s, "72000001"), newAccount(t, s, "72000002")
		var all []int64
		// Interleave the other account's events so ids of a are not
		// contiguous.
		for range 4 {
			all = append(all, appendEvents(t, s, &a.ID, 30, "Ada", "x", "")...)
			appendEvents(t, s, &b.ID, 7, "Bo", "x", "")
		}
		slices.Reverse(all)
		f := models.AuditFilter{AccountID: a.ID}
		const size = 50

		var pages [][]int64
		var before int64
		for {
			got, err := s.Audit.Page(ctx, f, before, 0, size)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) == 0 {
				break
			}
			pages = append(pages, idsOf(got))
			before = got[len(got)-1].ID
		}
		if len(pages) != 3 || len(pages[2]) != 20 || !slices.Equal(slices.Concat(pages...), all) {
			t.Fatalf("forward pages %v", pages)
		}
		// Back from the last page: each previous page is the same as before.
		after := pages[2][0]
		for i := 1; i >= 0; i-- {
			got, err := s.Audit.Page(ctx, f, 0, after, size)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(idsOf(got), pages[i]) {
				t.Fatalf("back to page %d: %v, want %v", i, idsOf(got), pages[i])
			}
			after = got[0].ID
		}
		if got, _ := s.Audit.Page(ctx, f, 0, after, size); len(got) != 0 {
			t.Fatalf("newer than the newest: %v", idsOf(got))
		}
	})
}

func TestEachAuditStreamsInBatches(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		a, b := newAccount(t, s, "73000001"), newAccount(t, s, "73000002")
		want := appendEvents(t, s, &a.ID, 2001, "Ada", "x", "")
		appendEvents(t, s, &b.ID, 5, "Bo", "x", "")
		slices.Reverse(want)
		var got []int64
		err := s.Audit.Each(ctx, models.AuditFilter{AccountID: a.ID}, func(e models.AuditEvent) error {
			got = append(got, e.ID)
			return nil
		})
		if err != nil || !slices.Equal(got, want) {
			t.Fatalf("streamed %d events (%v), want %d", len(got), err, len(want))
		}
		stop := errors.New("stop")
		n := 0
		err = s.Audit.Each(ctx, models.AuditFilter{AccountID: a.ID}, func(models.AuditEvent) error {
			n++
			return stop
		})
		if !errors.Is(err, stop) || n != 1 {
			t.Fatalf("error from fn: %v after %d calls", err, n)
		}
	})
}
