package admin

import (
	"context"
	"testing"

	"accountportal/views/viewmodel"
)

func TestBulkWords(t *testing.T) {
	ctx := context.Background()
	cases := []struct{ got, want string }{
		{BulkButton(ctx, "mfa", 3), "Reset MFA for 3 users"},
		{BulkButton(ctx, "deactivate", 1), "Deactivate 1 user"},
		{BulkTitle(ctx, "signout", 100000), "Sign out 100,000 users everywhere?"},
		{BulkTitle(ctx, "mfa", 2), "Reset multi-factor authentication for 2 users?"},
		{JobTitle(ctx, viewmodel.BulkJobRow{Code: "deactivate", Status: "done", Done: 3, Total: 4}), "3 users deactivated"},
		{JobTitle(ctx, viewmodel.BulkJobRow{Code: "reset", Status: "done", Done: 1, Total: 1}), "Password reset link sent to 1 user"},
		{JobTitle(ctx, viewmodel.BulkJobRow{Code: "reactivate", Status: "running", Total: 1234567}), "Reactivate 1,234,567 users: in progress"},
		{JobTitle(ctx, viewmodel.BulkJobRow{Code: "signout", Status: "failed", Total: 5}), "Stopped: Sign out 5 users everywhere"},
		{progress(ctx, viewmodel.BulkJobRow{Total: 100000, Done: 41000, Skipped: 999, Failed: 1}), "42,000 of 100,000 users handled (42%)"},
		{Thousands(ctx, 999), "999"},
		{Thousands(ctx, 1000), "1,000"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
