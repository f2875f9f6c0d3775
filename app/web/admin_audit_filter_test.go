package web

import (
	"maps"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"accountportal/app/admin"
	apages "accountportal/views/pages/admin"
)

// auditFields reads q as the audit page does and returns the filter with
// every field message: the handler's for what it cannot read, the admin
// service's for what the filter means.
func auditFields(q auditForm) (admin.AuditFilter, map[string]string) {
	f, fields := q.filter()
	addAuditProblems(f.Check(), fields)
	return f, fields
}

func TestAuditFormFilter(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	const (
		startDate = "Enter the start date as a real date, like 2026-11-23."
		endDate   = "Enter the end date as a real date, like 2026-11-23."
		tooLong   = "Enter at most 100 characters."
		endFirst  = "The end date must be the same as or after the start date."
	)
	for _, tc := range []struct {
		name   string
		query  string
		want   admin.AuditFilter
		fields map[string]string
	}{
		{"nothing", "", admin.AuditFilter{}, nil},
		{"names trimmed", "actor=+Ada+&target=%09bob&action=+user.created+",
			admin.AuditFilter{Actor: "Ada", Target: "bob", Action: "user.created"}, nil},
		{"days", "from=2026-11-23&to=2026-11-24", admin.AuditFilter{From: day(2026, 11, 23), To: day(2026, 11, 24)}, nil},
		{"spaces around a date", "from=+2026-11-24+", admin.AuditFilter{From: day(2026, 11, 24)}, nil},
		{"not a date", "from=yesterday", admin.AuditFilter{}, map[string]string{"from": startDate}},
		{"no such day", "to=2026-02-30", admin.AuditFilter{}, map[string]string{"to": endDate}},
		{"other layout", "from=23/11/2026", admin.AuditFilter{}, map[string]string{"from": startDate}},
		{"year out of range", "to=9999-12-31", admin.AuditFilter{To: day(9999, 12, 31)}, map[string]string{"to": endDate}},
		{"the zero day", "from=0001-01-01", admin.AuditFilter{}, map[string]string{"from": startDate}},
		{"year 0", "from=0000-01-01", admin.AuditFilter{From: day(0, 1, 1)}, map[string]string{"from": startDate}},
		{"both bad", "from=x&to=y", admin.AuditFilter{}, map[string]string{"from": startDate, "to": endDate}},
		{"end before start", "from=2026-11-24&to=2026-11-23", admin.AuditFilter{From: day(2026, 11, 24), To: day(2026, 11, 23)},
			map[string]string{"to": endFirst}},
		{"long name and bad date", "actor=" + strings.Repeat("a", 101) + "&from=x",
			admin.AuditFilter{Actor: strings.Repeat("a", 101)}, map[string]string{"actor": tooLong, "from": startDate}},
		{"long target", "target=" + strings.Repeat("a", 101), admin.AuditFilter{Target: strings.Repeat("a", 101)},
			map[string]string{"target": tooLong}},
		{"support view", "view=support", admin.AuditFilter{View: admin.AuditViewSupport}, nil},
		{"unknown view", "view=other", admin.AuditFilter{}, nil},
		{"older", "before=+12+", admin.AuditFilter{Cursor: admin.AuditCursor{Direction: admin.AuditOlder, ID: 12}}, nil},
		{"newer", "after=7", admin.AuditFilter{Cursor: admin.AuditCursor{Direction: admin.AuditNewer, ID: 7}}, nil},
		{"before wins over after", "before=12&after=7", admin.AuditFilter{Cursor: admin.AuditCursor{Direction: admin.AuditOlder, ID: 12}}, nil},
		{"malformed cursor is ignored", "before=abc&after=-4", admin.AuditFilter{}, nil},
		{"malformed before leaves after", "before=abc&after=4", admin.AuditFilter{Cursor: admin.AuditCursor{Direction: admin.AuditNewer, ID: 4}}, nil},
		{"size", "size=+25+", admin.AuditFilter{Size: 25}, nil},
		{"size not a number", "size=many", admin.AuditFilter{}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := url.ParseQuery(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			got, fields := auditFields(readAuditForm(v.Get))
			if got != tc.want {
				t.Errorf("filter %+v, want %+v", got, tc.want)
			}
			if !maps.Equal(fields, tc.fields) {
				t.Errorf("fields %v, want %v", fields, tc.fields)
			}
		})
	}
}

// The links of a page carry its cursors back as the parameter they came in.
func TestAuditCursorParam(t *testing.T) {
	for _, c := range []admin.AuditCursor{{Direction: admin.AuditOlder, ID: 9}, {Direction: admin.AuditNewer, ID: 3}} {
		key, value := auditCursorParam(c)
		if got := parseAuditCursor(url.Values{key: {value}}.Get(apages.AuditBefore), url.Values{key: {value}}.Get(apages.AuditAfter)); got != c {
			t.Errorf("%+v written as %s=%s reads back as %+v", c, key, value, got)
		}
	}
	// Past the oldest event, the way back is "after 0", which is the newest page.
	if key, value := auditCursorParam(admin.AuditCursor{Direction: admin.AuditNewer}); key != "after" || value != "0" {
		t.Errorf("newer than nothing written as %s=%s", key, value)
	}
}

// FuzzAuditFilter feeds the audit log's query string to its reader and
// the admin service's check: it never panics, an accepted filter stays
// within its bounds, and a refusal names only the filter's own fields.
func FuzzAuditFilter(f *testing.F) {
	f.Add("ada", "pat", "sign_in.success", "2026-11-01", "2026-11-30", "support", "123")
	f.Add("", "", "", "", "", "", "")
	f.Add("%_\\", "'; DROP TABLE users;--", "x", "2026-02-30", "0000-01-01", "x", "-5")
	f.Add("é", "", "", "9999-12-31", "1970-01-01", "", "99999999999999999999")
	f.Add("", "", "", "0001-01-01", "1969-12-31", "", "0")
	f.Fuzz(func(t *testing.T, actor, target, action, from, to, view, cursor string) {
		q := auditForm{Actor: actor, Target: target, Action: action, From: from, To: to, View: view, Before: cursor}
		got, fields := auditFields(q)
		if got.Cursor.ID < 0 || (got.Cursor.IsZero() != (got.Cursor.ID == 0)) {
			t.Fatalf("cursor %q read as %+v", cursor, got.Cursor)
		}
		if (view == auditViewSupport) != (got.View == admin.AuditViewSupport) {
			t.Fatalf("view %q read as %v", view, got.View)
		}
		if len(fields) > 0 {
			for field := range fields {
				switch field {
				case apages.AuditActor, apages.AuditTarget, apages.AuditFrom, apages.AuditTo:
				default:
					t.Fatalf("message for unknown field %q", field)
				}
			}
			return
		}
		if utf8.RuneCountInString(got.Actor) > admin.MaxAuditText || utf8.RuneCountInString(got.Target) > admin.MaxAuditText {
			t.Fatalf("accepted over-long names: %+v", got)
		}
		for _, d := range []time.Time{got.From, got.To} {
			if !d.IsZero() && (d.Year() < 1970 || d.Year() > 9998) {
				t.Fatalf("accepted the day %v", d)
			}
		}
		if !got.From.IsZero() && !got.To.IsZero() && got.To.Before(got.From) {
			t.Fatalf("accepted a range that ends before it starts: %+v", got)
		}
	})
}
