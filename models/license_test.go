package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"accountportal/models"
	"accountportal/models/modelstest"
)

// TestLicenseVersions: the version in force is the latest whose day has
// come; a version name is published once; NotAccepted names the account's
// own users who can sign in and have not accepted.
func TestLicenseVersions(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		seeded, err := s.Licenses.Current(ctx, t0)
		if err != nil || seeded.Version != "2026-01" {
			t.Fatalf("the seeded version: %+v %v", seeded, err)
		}
		publish := func(version string, at time.Time) {
			t.Helper()
			v := &models.LicenseVersion{Version: version, Title: "T " + version, BodyMarkdown: "Text.", EffectiveAt: at, PublishedAt: t0}
			if err := s.Licenses.Publish(ctx, v); err != nil {
				t.Fatal(err)
			}
		}
		publish("2027-01", t0.Add(-time.Hour))
		publish("2027-02", t0.Add(24*time.Hour))
		cases := []struct {
			at   time.Time
			want string
		}{
			{t0.Add(-2 * time.Hour), "2026-01"},
			{t0, "2027-01"},
			{t0.Add(24*time.Hour - time.Second), "2027-01"},
			{t0.Add(24 * time.Hour), "2027-02"},
		}
		for _, tc := range cases {
			if v, err := s.Licenses.Current(ctx, tc.at); err != nil || v.Version != tc.want {
				t.Errorf("in force at %v: %+v %v, want %s", tc.at, v, err, tc.want)
			}
		}
		dup := &models.LicenseVersion{Version: "2027-01", Title: "again", BodyMarkdown: "x", EffectiveAt: t0, PublishedAt: t0}
		if err := s.Licenses.Publish(ctx, dup); !errors.Is(err, models.ErrConflict) {
			t.Errorf("publishing a taken name: %v", err)
		}

		a := newAccount(t, s, "77777777")
		b := newAccount(t, s, "77777778")
		ann := newUser(t, s, a.ID, "ann", true)
		newUser(t, s, a.ID, "bob", false)
		sue := newUser(t, s, a.ID, "sue", false)
		newUser(t, s, b.ID, "zed", false)
		if err := s.Users.SetStatus(ctx, sue.ID, models.StatusSuspended, t0); err != nil {
			t.Fatal(err)
		}
		if err := s.Users.AcceptLicense(ctx, &models.LicenseAcceptance{UserID: ann.ID, Version: "2027-01", AcceptedAt: t0}); err != nil {
			t.Fatal(err)
		}
		users, err := s.Licenses.NotAccepted(ctx, a.ID, "2027-01")
		if err != nil || len(users) != 1 || users[0].Username != "bob" {
			t.Fatalf("not accepted in a: %v %v, want bob alone", users, err)
		}
		if got, err := s.Licenses.AcceptedBy(ctx, ann.ID); err != nil || len(got) != 1 || got[0].Version != "2027-01" {
			t.Fatalf("ann's acceptances: %v %v", got, err)
		}
	})
}

// A version's translations: the seeded version has Spanish, French and
// German; a version gets its own; one per language; none is ErrNotFound.
func TestLicenseTranslations(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		seeded, err := s.Licenses.Current(ctx, t0)
		if err != nil {
			t.Fatal(err)
		}
		if langs, err := s.Licenses.Translations(ctx, seeded.ID); err != nil || len(langs) != 3 || langs[0] != "de" || langs[2] != "fr" {
			t.Fatalf("the seeded version's translations: %v %v", langs, err)
		}
		if fr, err := s.Licenses.Translation(ctx, seeded.ID, "fr"); err != nil || fr.Title != "Conditions d’utilisation d’Account Portal" {
			t.Fatalf("French: %+v %v", fr, err)
		}
		v := &models.LicenseVersion{Version: "2027-01", Title: "T", BodyMarkdown: "Text.", EffectiveAt: t0, PublishedAt: t0}
		if err := s.Licenses.Publish(ctx, v); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Licenses.Translation(ctx, v.ID, "es"); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("no Spanish yet: %v", err)
		}
		es := &models.LicenseTranslation{VersionID: v.ID, Language: "es", Title: "C", BodyMarkdown: "Texto."}
		if err := s.Licenses.AddTranslation(ctx, es); err != nil {
			t.Fatal(err)
		}
		if err := s.Licenses.AddTranslation(ctx, &models.LicenseTranslation{VersionID: v.ID, Language: "es", Title: "D", BodyMarkdown: "x"}); !errors.Is(err, models.ErrConflict) {
			t.Errorf("a second Spanish text: %v", err)
		}
		if got, err := s.Licenses.Translation(ctx, v.ID, "es"); err != nil || got.BodyMarkdown != "Texto." {
			t.Errorf("Spanish: %+v %v", got, err)
		}
	})
}
