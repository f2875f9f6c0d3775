package viewmodel

import (
	"testing"
	"time"
)

func TestAt(t *testing.T) {
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		at    time.Time
		short string
		full  string
		iso   string
	}{
		{"this year", time.Date(2026, 12, 3, 7, 51, 9, 0, time.UTC),
			"3 Dec, 07:51", "Thursday 3 December 2026 at 07:51:09 UTC", "2026-12-03T07:51:09Z"},
		{"an earlier year", time.Date(2025, 1, 30, 23, 5, 0, 0, time.UTC),
			"30 Jan 2025, 23:05", "Thursday 30 January 2025 at 23:05:00 UTC", "2025-01-30T23:05:00Z"},
		{"another zone is shown in UTC", time.Date(2026, 6, 1, 2, 0, 0, 0, time.FixedZone("CEST", 7200)),
			"1 Jun, 00:00", "Monday 1 June 2026 at 00:00:00 UTC", "2026-06-01T00:00:00Z"},
		{"zero", time.Time{}, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := At(tt.at, now)
			if got.Short != tt.short || got.Full != tt.full || got.ISO != tt.iso {
				t.Errorf("At() = %q, %q, %q; want %q, %q, %q", got.Short, got.Full, got.ISO, tt.short, tt.full, tt.iso)
			}
		})
	}
	if got := AtPtr(nil, now); got.ISO != "" || got.Short != "" {
		t.Errorf("AtPtr(nil) = %+v", got)
	}
}
