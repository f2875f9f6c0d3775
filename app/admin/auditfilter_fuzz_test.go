package admin

import (
	"testing"
	"unicode/utf8"

	"accountportal/app/apperr"
)

// FuzzAuditFilter feeds the audit log's query string to its validator:
// it never panics, an accepted filter stays within its account and its
// bounds, and a refusal names only the filter's own fields.
func FuzzAuditFilter(f *testing.F) {
	f.Add("ada", "pat", "sign_in.success", "2026-11-01", "2026-11-30", "support", "123")
	f.Add("", "", "", "", "", "", "")
	f.Add("%_\\", "'; DROP TABLE users;--", "x", "2026-02-30", "0000-01-01", "x", "-5")
	f.Add("é", "", "", "9999-12-31", "1970-01-01", "", "99999999999999999999")
	f.Fuzz(func(t *testing.T, actor, target, action, from, to, view, cursor string) {
		q := AuditQuery{Actor: actor, Target: target, Action: action, From: from, To: to, View: view, Before: cursor}
		got, err := auditFilter(42, q)
		if got.AccountID != 42 {
			t.Fatalf("filter left its account: %+v", got)
		}
		if c := parseCursor(cursor); c < 0 {
			t.Fatalf("cursor %q parsed to %d", cursor, c)
		}
		if err != nil {
			ae, ok := apperr.As(err)
			if !ok || ae.Code != apperr.Invalid {
				t.Fatalf("error %v", err)
			}
			for field := range ae.Fields {
				switch field {
				case FieldAuditActor, FieldAuditTarget, FieldAuditFrom, FieldAuditTo:
				default:
					t.Fatalf("message for unknown field %q", field)
				}
			}
			return
		}
		if utf8.RuneCountInString(got.Actor) > maxAuditText || utf8.RuneCountInString(got.Target) > maxAuditText {
			t.Fatalf("accepted over-long names: %+v", got)
		}
		if !got.From.IsZero() && !got.To.IsZero() && got.To.Before(got.From) {
			t.Fatalf("accepted a range that ends before it starts: %+v", got)
		}
		if (view == AuditViewSupport) != (got.ActionPrefix != "") {
			t.Fatalf("view %q gave prefix %q", view, got.ActionPrefix)
		}
	})
}
