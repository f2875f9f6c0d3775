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
	"accountportal/app/apperr"
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
			t.Errorf("csvSafe(%q) = %q, want %q", tc.in, got, tc.want)
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
	if err := s.CreateAccount(context.Background(), a); err != nil {
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
	if err := w.store.AppendAudit(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	return e.ID
}

func TestAuditQueryValidation(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		w := newAuditWorld(t, d)
		lastOfDay := w.add(t, time.Date(2026, 11, 23, 23, 59, 59, 0, time.UTC), "Ada", "x", "")
		nextDay := w.add(t, time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC), "Ada", "x", "")
		cases := []struct {
			name   string
			q      admin.AuditQuery
			fields string // the invalid fields, comma-separated
			want   []int64
		}{
			{"no filter", admin.AuditQuery{}, "", []int64{nextDay, lastOfDay}},
			{"to includes its whole day", admin.AuditQuery{To: "2026-11-23"}, "", []int64{lastOfDay}},
			{"from starts at midnight", admin.AuditQuery{From: "2026-11-24"}, "", []int64{nextDay}},
			{"one day", admin.AuditQuery{From: "2026-11-23", To: "2026-11-23"}, "", []int64{lastOfDay}},
			{"spaces around a date", admin.AuditQuery{From: " 2026-11-24 "}, "", []int64{nextDay}},
			{"not a date", admin.AuditQuery{From: "yesterday"}, "from", nil},
			{"no such day", admin.AuditQuery{To: "2026-02-30"}, "to", nil},
			{"other layout", admin.AuditQuery{From: "23/11/2026"}, "from", nil},
			{"year out of range", admin.AuditQuery{To: "9999-12-31"}, "to", nil},
			{"both bad", admin.AuditQuery{From: "x", To: "y"}, "from,to", nil},
			{"end before start", admin.AuditQuery{From: "2026-11-24", To: "2026-11-23"}, "to", nil},
			{"long name", admin.AuditQuery{Actor: strings.Repeat("a", 101)}, "actor", nil},
			{"malformed cursor is ignored", admin.AuditQuery{Before: "abc", After: "-4"}, "", []int64{nextDay, lastOfDay}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				page, err := w.svc.AuditLog(context.Background(), w.viewer, tc.q)
				if tc.fields != "" {
					ae, ok := apperr.As(err)
					if !ok || ae.Code != apperr.Invalid || strings.Join(sortedKeys(ae.Fields), ",") != tc.fields {
						t.Fatalf("error %v, want invalid %s", err, tc.fields)
					}
					if page == nil || !slices.Equal(page.Actions, []string{"x"}) || len(page.Events) != 0 {
						t.Fatalf("page with an invalid filter: %+v", page)
					}
					if err := w.svc.ExportAudit(context.Background(), w.viewer, tc.q, &bytes.Buffer{}); !apperr.Is(err, apperr.Invalid) {
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

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
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
	if _, err := w.svc.AuditLog(context.Background(), plain, admin.AuditQuery{}); !errors.Is(err, admin.ErrNoAuditView) {
		t.Fatalf("page without audit.view: %v", err)
	}
	var buf bytes.Buffer
	if err := w.svc.ExportAudit(context.Background(), plain, admin.AuditQuery{}, &buf); !errors.Is(err, admin.ErrNoAuditView) || buf.Len() != 0 {
		t.Fatalf("export without audit.view: %v, wrote %q", err, buf.String())
	}
	primary := &identity.Principal{User: &models.User{ID: 3, AccountID: w.account.ID, IsPrimaryAdmin: true}, Account: w.account}
	if _, err := w.svc.AuditLog(context.Background(), primary, admin.AuditQuery{}); err != nil {
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
		q := admin.AuditQuery{}
		for {
			page, err := w.svc.AuditLog(ctx, w.viewer, q)
			if err != nil {
				t.Fatal(err)
			}
			last = page
			if (len(seen) == 0) != (page.Prev == "") {
				t.Fatalf("page %d: newer cursor %q", len(seen), page.Prev)
			}
			seen = append(seen, eventIDs(page.Events))
			if page.Next == "" {
				break
			}
			q = admin.AuditQuery{Before: page.Next}
		}
		if len(seen) != 3 || !slices.Equal(slices.Concat(seen...), want) {
			t.Fatalf("forward: %v", seen)
		}
		q = admin.AuditQuery{After: last.Prev}
		for i := 1; i >= 0; i-- {
			page, err := w.svc.AuditLog(ctx, w.viewer, q)
			if err != nil || !slices.Equal(eventIDs(page.Events), seen[i]) || page.Next == "" {
				t.Fatalf("back to page %d: %v (next %q, %v)", i, eventIDs(page.Events), page.Next, err)
			}
			if (i == 0) != (page.Prev == "") {
				t.Fatalf("page %d: newer cursor %q", i, page.Prev)
			}
			q = admin.AuditQuery{After: page.Prev}
		}
		page, _ := w.svc.AuditLog(ctx, w.viewer, admin.AuditQuery{Size: "25"})
		if len(page.Events) != 25 || page.Size != 25 {
			t.Fatalf("size 25: %d events", len(page.Events))
		}
		page, _ = w.svc.AuditLog(ctx, w.viewer, admin.AuditQuery{Size: "100000"})
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
		if err := w.svc.ExportAudit(context.Background(), w.viewer, admin.AuditQuery{Actor: "ada", Before: "1"}, &buf); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		want := [][]string{
			{"time", "actor", "action", "target", "ip", "user agent", "details"},
			{"2026-11-23T12:00:00Z", "Ada (ada)", "user.created", "'=HYPERLINK(\"http://evil\",\"x\")", "192.0.2.1", "'-Mozilla/5.0", "{}"},
		}
		if !slices.EqualFunc(rows, want, slices.Equal) {
			t.Fatalf("csv:\n%q\nwant\n%q", rows, want)
		}
	})
}
