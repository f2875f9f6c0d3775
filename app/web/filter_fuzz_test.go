package web

import (
	"net/url"
	"testing"

	"accountportal/models"
)

// FuzzUserFilterFrom feeds the users list's filter parameters to their
// decoder: it never panics, keeps only known statuses, and the query it
// echoes back decodes to the same filter.
func FuzzUserFilterFrom(f *testing.F) {
	f.Add("smith", "active", "12", "yes", "no")
	f.Add("", "", "", "", "")
	f.Add("'%_\\", "deleted", "-1", "maybe", "YES")
	f.Add("\x00\xff", "suspended", "99999999999999999999", "no", "yes")
	f.Fuzz(func(t *testing.T, q, status, role, privileged, mfa string) {
		in := url.Values{"f_q": {q}, "f_status": {status}, "f_role": {role}, "f_privileged": {privileged}, "f_mfa": {mfa}}
		got, echo := filterFrom(in.Get, "f_")
		switch got.Status {
		case "", models.StatusActive, models.StatusSuspended, models.StatusInvited:
		default:
			t.Fatalf("unknown status kept: %q", got.Status)
		}
		again, _ := filterFrom(echo.Get, "")
		if again.Search != got.Search || again.Status != got.Status || again.RoleID != got.RoleID ||
			(again.Privileged == nil) != (got.Privileged == nil) || (again.MFA == nil) != (got.MFA == nil) {
			t.Fatalf("the echoed query %v decodes to %+v, not %+v", echo, again, got)
		}
	})
}
