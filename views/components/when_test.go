package components

import (
	"context"
	"testing"
	"time"

	"accountportal/views/i18n"
	"accountportal/views/viewmodel"
)

// A moment is written in the reader's zone and language: the names of
// months and days, their order, and the zone's abbreviation.
func TestTimeInTheReadersZoneAndLanguage(t *testing.T) {
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	paris, berlin := i18n.ZoneOf("Europe/Paris"), i18n.ZoneOf("Europe/Berlin")
	tests := []struct {
		name, lang  string
		zone        *time.Location
		at          time.Time
		short, full string
		iso         string
	}{
		{"English, UTC", "en", nil, time.Date(2026, 12, 3, 7, 51, 9, 0, time.UTC),
			"3 Dec, 07:51", "Thursday 3 December 2026 at 07:51:09 UTC", "2026-12-03T07:51:09Z"},
		{"English, summer in Paris", "en", paris, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC),
			"1 Jun, 02:00", "Monday 1 June 2026 at 02:00:00 CEST", "2026-06-01T02:00:00+02:00"},
		{"English, across a new year", "en", paris, time.Date(2025, 12, 31, 23, 30, 0, 0, time.UTC),
			"1 Jan, 00:30", "Thursday 1 January 2026 at 00:30:00 CET", "2026-01-01T00:30:00+01:00"},
		{"Spanish", "es", nil, time.Date(2026, 12, 3, 7, 51, 9, 0, time.UTC),
			"3 dic, 07:51", "jueves, 3 de diciembre de 2026, 07:51:09 UTC", "2026-12-03T07:51:09Z"},
		{"French, an earlier year", "fr", paris, time.Date(2025, 2, 10, 8, 0, 0, 0, time.UTC),
			"10 févr. 2025, 09:00", "lundi 10 février 2025 à 09:00:00 CET", "2025-02-10T09:00:00+01:00"},
		{"French, the first of the month", "fr", paris, time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC),
			"1er juin, 10:00", "lundi 1er juin 2026 à 10:00:00 CEST", "2026-06-01T10:00:00+02:00"},
		{"German", "de", berlin, time.Date(2026, 3, 29, 12, 0, 0, 0, time.UTC),
			"29. März, 14:00", "Sonntag, 29. März 2026 um 14:00:00 CEST", "2026-03-29T14:00:00+02:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := i18n.WithLanguage(context.Background(), tt.lang)
			if tt.zone != nil {
				ctx = i18n.WithZone(ctx, tt.zone)
			}
			got := local(ctx, viewmodel.At(tt.at, now))
			if got.Short != tt.short || got.Full != tt.full || got.ISO != tt.iso {
				t.Errorf("got %q, %q, %q; want %q, %q, %q", got.Short, got.Full, got.ISO, tt.short, tt.full, tt.iso)
			}
		})
	}
}
