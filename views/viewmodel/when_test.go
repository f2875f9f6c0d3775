package viewmodel

import (
	"testing"
	"time"
)

func TestAt(t *testing.T) {
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		at    time.Time
		in    *time.Location
		short string
		full  string
		iso   string
	}{
		{"this year", time.Date(2026, 12, 3, 7, 51, 9, 0, time.UTC), nil,
			"3 Dec, 07:51", "Thursday 3 December 2026 at 07:51:09 UTC", "2026-12-03T07:51:09Z"},
		{"an earlier year", time.Date(2025, 1, 30, 23, 5, 0, 0, time.UTC), nil,
			"30 Jan 2025, 23:05", "Thursday 30 January 2025 at 23:05:00 UTC", "2025-01-30T23:05:00Z"},
		{"another zone is shown in UTC", time.Date(2026, 6, 1, 2, 0, 0, 0, time.FixedZone("CEST", 7200)), nil,
			"1 Jun, 00:00", "Monday 1 June 2026 at 00:00:00 UTC", "2026-06-01T00:00:00Z"},
		{"in the reader's zone, summer", time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), paris,
			"1 Jun, 02:00", "Monday 1 June 2026 at 02:00:00 CEST", "2026-06-01T02:00:00+02:00"},
		{"in the reader's zone, across a new year", time.Date(2025, 12, 31, 23, 30, 0, 0, time.UTC), paris,
			"1 Jan, 00:30", "Thursday 1 January 2026 at 00:30:00 CET", "2026-01-01T00:30:00+01:00"},
		{"zero", time.Time{}, paris, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := At(tt.at, now).In(tt.in)
			if got.Short != tt.short || got.Full != tt.full || got.ISO != tt.iso {
				t.Errorf("At().In() = %q, %q, %q; want %q, %q, %q", got.Short, got.Full, got.ISO, tt.short, tt.full, tt.iso)
			}
		})
	}
	if got := AtPtr(nil, now); got.ISO != "" || got.Short != "" {
		t.Errorf("AtPtr(nil) = %+v", got)
	}
}
