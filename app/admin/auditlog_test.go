package admin_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"accountportal/app/admin"
	"accountportal/app/identity"
	"accountportal/models"
	"accountportal/models/modelstest"
)

var auditT0 = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func TestCSVSafe(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"Ada Admin (ada)", "Ada Admin (ada)"},
		{"=HYPERLINK(\"http://evil\",\"x\")", "'=HYPERLINK(\"http://evil\",\"x\")"},
		{"+1 555 0100", "'+1 555 0100"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"a=b", "a=b"},
		{" =1", " =1"},
		{"'already", "'already"},
		{"{\"k\":\"=x\"}", "{\"k\":\"=x\"}"},
		{"Ünïcode", "Ünïcode"},
	}
	for _, tc := range cases {
		if got := admin.CSVSafe(tc.in); got != tc.want {
			t.Errorf("CSVSafe(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// auditWorld is a store with one account's events and a service over it.
type auditWorld struct {
	store   *models.Store
	svc     *admin.Audit
	viewer  *identity.Principal
	account *models.Account
}

func newAuditWorld(t *testing.T, d models.Dialect) *auditWorld {
	t.Helper()
	s := modelstest.Open(t, d, func() time.Time { return auditT0 })
	a := &models.Account{Number: "74000001", Name: "Acme", PasswordPreset: "classic", MFAPolicy: models.MFAOff}
	if err := s.Accounts.Create(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	svc := admin.NewAudit(s)
	viewer := &identity.Principal{User: &models.User{ID: 1, AccountID: a.ID}, Account: a,
		Permissions: map[string]bool{identity.PermAuditView: true}}
	return &auditWorld{store: s, svc: svc, viewer: viewer, account: a}
}

func (w *auditWorld) add(t *testing.T, at time.Time, actor, action, target string) int64 {
	t.Helper()
	e := &models.AuditEvent{At: at, AccountID: &w.account.ID, ActorName: actor, Action: action, TargetName: target,
		IP: "192.0.2.1", UserAgent: "-Mozilla/5.0"}
	if err := w.store.Audit.Append(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	return e.ID
}

func TestAuditFilterValidation(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		w := newAuditWorld(t, d)
		lastOfDay := w.add(t, time.Date(2026, 11, 23, 23, 59, 59, 0, time.UTC), "Ada", "x", "")
		nextDay := w.add(t, time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC), "Ada", "x", "")
		day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
		cases := []struct {
			name     string
			f        admin.AuditFilter
			problems []admin.AuditProblem
			want     []int64
		}{
			{"no filter", admin.AuditFilter{}, nil, []int64{nextDay, lastOfDay}},
			{"to includes its whole day", admin.AuditFilter{To: day(2026, 11, 23)}, nil, []int64{lastOfDay}},
			{"from starts at midnight", admin.AuditFilter{From: day(2026, 11, 24)}, nil, []int64{nextDay}},
			{"one day", admin.AuditFilter{From: day(2026, 11, 23), To: day(2026, 11, 23)}, nil, []int64{lastOfDay}},
			{"time of day does not count", admin.AuditFilter{From: day(2026, 11, 23).Add(23 * time.Hour), To: day(2026, 11, 23).Add(time.Hour)},
				nil, []int64{lastOfDay}},
			{"year out of range", admin.AuditFilter{To: day(9999, 12, 31)}, []admin.AuditProblem{admin.AuditToOutOfRange}, nil},
			{"year before 1970", admin.AuditFilter{From: day(1969, 12, 31)}, []admin.AuditProblem{admin.AuditFromOutOfRange}, nil},
			{"both out of range", admin.AuditFilter{From: day(0, 1, 1), To: day(9999, 1, 1)},
				[]admin.AuditProblem{admin.AuditFromOutOfRange, admin.AuditToOutOfRange}, nil},
			{"end before start", admin.AuditFilter{From: day(2026, 11, 24), To: day(2026, 11, 23)},
				[]admin.AuditProblem{admin.AuditEndsBeforeStart}, nil},
			{"long name", admin.AuditFilter{Actor: strings.Repeat("a", 101)}, []admin.AuditProblem{admin.AuditActorTooLong}, nil},
			{"long target in characters", admin.AuditFilter{Target: strings.Repeat("é", 101)},
				[]admin.AuditProblem{admin.AuditTargetTooLong}, nil},
			{"name of the longest length", admin.AuditFilter{Actor: strings.Repeat("é", 100)}, nil, []int64{}},
			{"cursor beside no event is ignored", admin.AuditFilter{Cursor: admin.AuditCursor{Direction: admin.AuditNewer, ID: -4}},
				nil, []int64{nextDay, lastOfDay}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				page, err := w.svc.AuditLog(context.Background(), w.viewer, tc.f)
				if tc.problems != nil {
					var bad *admin.AuditFilterError
					if !errors.As(err, &bad) || !slices.Equal(bad.Problems, tc.problems) {
						t.Fatalf("error %v, want problems %v", err, tc.problems)
					}
					if page == nil || !slices.Equal(page.Actions, []string{"x"}) || len(page.Events) != 0 {
						t.Fatalf("page with an invalid filter: %+v", page)
					}
					if err := w.svc.ExportAudit(context.Background(), w.viewer, tc.f, &bytes.Buffer{}); !errors.As(err, &bad) {
						t.Fatalf("export with an invalid filter: %v", err)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if got := eventIDs(page.Events); !slices.Equal(got, tc.want) {
					t.Fatalf("events %v, want %v", got, tc.want)
				}
			})
		}
	})
}

func eventIDs(events []models.AuditEvent) []int64 {
	out := make([]int64, len(events))
	for i, e := range events {
		out[i] = e.ID
	}
	return out
}

func TestAuditLogNeedsPrivilege(t *testing.T) {
	w := newAuditWorld(t, models.SQLite)
	w.add(t, auditT0, "Ada", "x", "")
	plain := &identity.Principal{User: &models.User{ID: 2, AccountID: w.account.ID}, Account: w.account,
		Permissions: map[string]bool{identity.PermRolesManage: true}}
	if _, err := w.svc.AuditLog(context.Background(), plain, admin.AuditFilter{}); !errors.Is(err, admin.ErrNoAuditView) {
		t.Fatalf("page without audit.view: %v", err)
	}
	var buf bytes.Buffer
	if err := w.svc.ExportAudit(context.Background(), plain, admin.AuditFilter{}, &buf); !errors.Is(err, admin.ErrNoAuditView) || buf.Len() != 0 {
		t.Fatalf("export without audit.view: %v, wrote %q", err, buf.String())
	}
	primary := &identity.Principal{User: &models.User{ID: 3, AccountID: w.account.ID, IsPrimaryAdmin: true}, Account: w.account}
	if _, err := w.svc.AuditLog(context.Background(), primary, admin.AuditFilter{}); err != nil {
		t.Fatalf("Primary Admin: %v", err)
	}
}

// The cursors walk 120 events in pages of 50 and back, each event once.
func TestAuditLogCursors(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		w := newAuditWorld(t, d)
		var want []int64
		for i := range 120 {
			want = append(want, w.add(t, auditT0.Add(time.Duration(i)*time.Second), "Ada", "x", ""))
		}
		slices.Reverse(want)
		ctx := context.Background()
		var seen [][]int64
		var last *admin.AuditPage
		q := admin.AuditFilter{}
		for {
			page, err := w.svc.AuditLog(ctx, w.viewer, q)
			if err != nil {
				t.Fatal(err)
			}
			last = page
			if (len(seen) == 0) != page.Prev.IsZero() {
				t.Fatalf("page %d: newer cursor %+v", len(seen), page.Prev)
			}
			seen = append(seen, eventIDs(page.Events))
			if page.Next.IsZero() {
				break
			}
			q = admin.AuditFilter{Cursor: page.Next}
		}
		if len(seen) != 3 || !slices.Equal(slices.Concat(seen...), want) {
			t.Fatalf("forward: %v", seen)
		}
		q = admin.AuditFilter{Cursor: last.Prev}
		for i := 1; i >= 0; i-- {
			page, err := w.svc.AuditLog(ctx, w.viewer, q)
			if err != nil || !slices.Equal(eventIDs(page.Events), seen[i]) || page.Next.IsZero() {
				t.Fatalf("back to page %d: %v (next %+v, %v)", i, eventIDs(page.Events), page.Next, err)
			}
			if (i == 0) != page.Prev.IsZero() {
				t.Fatalf("page %d: newer cursor %+v", i, page.Prev)
			}
			q = admin.AuditFilter{Cursor: page.Prev}
		}
		page, _ := w.svc.AuditLog(ctx, w.viewer, admin.AuditFilter{Size: 25})
		if len(page.Events) != 25 || page.Size != 25 {
			t.Fatalf("size 25: %d events", len(page.Events))
		}
		page, _ = w.svc.AuditLog(ctx, w.viewer, admin.AuditFilter{Size: 100000})
		if page.Size != admin.DefaultAuditPageSize {
			t.Fatalf("an unoffered size was used: %d", page.Size)
		}
	})
}

func TestExportAuditCSV(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		w := newAuditWorld(t, d)
		w.add(t, auditT0, "Ada (ada)", "user.created", "=HYPERLINK(\"http://evil\",\"x\")")
		w.add(t, auditT0.Add(time.Hour), "Bob (bob)", "sign_in.success", "Bob (bob)")
		var buf bytes.Buffer
		if err := w.svc.ExportAudit(context.Background(), w.viewer, admin.AuditFilter{Actor: "ada", Cursor: admin.AuditCursor{Direction: admin.AuditOlder, ID: 1}}, &buf); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		want := [][]string{
			{"time", "actor", "action", "target", "ip", "user agent", "details", "description"},
			{"2026-11-23T12:00:00Z", "Ada (ada)", "user.created", "'=HYPERLINK(\"http://evil\",\"x\")", "192.0.2.1", "'-Mozilla/5.0", "{}",
				"Ada created user =HYPERLINK(\"http://evil\",\"x\")"},
		}
		if !slices.EqualFunc(rows, want, slices.Equal) {
			t.Fatalf("csv:\n%q\nwant\n%q", rows, want)
		}
	})
}
