package admin

import (
	"testing"
	"time"

	"accountportal/models"
)

// storeFilter keeps the query within its account, makes To include its
// whole day, ignores the time of day and narrows the support view to the
// desk's events.
func TestStoreFilter(t *testing.T) {
	day := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		f    AuditFilter
		want models.AuditFilter
	}{
		{"empty", AuditFilter{}, models.AuditFilter{AccountID: 42}},
		{"names", AuditFilter{Actor: "ada", Target: "bob", Action: "user.created"},
			models.AuditFilter{AccountID: 42, Actor: "ada", Target: "bob", Action: "user.created"}},
		{"days", AuditFilter{From: day, To: day}, models.AuditFilter{AccountID: 42, From: day, To: day.AddDate(0, 0, 1)}},
		{"times of day", AuditFilter{From: day.Add(13 * time.Hour), To: day.Add(time.Minute)},
			models.AuditFilter{AccountID: 42, From: day, To: day.AddDate(0, 0, 1)}},
		{"another zone", AuditFilter{From: time.Date(2026, 11, 24, 1, 0, 0, 0, time.FixedZone("CET", 3600))},
			models.AuditFilter{AccountID: 42, From: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)}},
		{"support view", AuditFilter{View: AuditViewSupport}, models.AuditFilter{AccountID: 42, ActionPrefix: models.SupportEventPrefix}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := storeFilter(42, tc.f); got != tc.want {
				t.Fatalf("storeFilter = %+v, want %+v", got, tc.want)
			}
		})
	}
}
