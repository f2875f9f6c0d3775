package models_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"accountportal/models"
	"accountportal/models/modelstest"
)

// ProfileFacts and PendingEmail read the address awaiting confirmation
// from the user's newest email-change link alone, and only while that link
// is unused, not voided and unexpired; ProfileFacts also reads the latest
// license acceptance and counts the unused backup codes.
func TestProfileFacts(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		a := newAccount(t, s, "57575757")
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		type link struct {
			purpose, addr string
			expires       time.Time
			used, voided  bool
		}
		live := func(addr string) link {
			return link{purpose: models.PurposeEmailChange, addr: addr, expires: t0.Add(time.Hour)}
		}
		used, voided, expired, atNow := live("used@example.com"), live("voided@example.com"), live("old@example.com"), live("now@example.com")
		used.used, voided.voided, expired.expires, atNow.expires = true, true, t0.Add(-time.Second), t0
		tests := []struct {
			name  string
			links []link // oldest first
			want  string
		}{
			{"no link", nil, ""},
			{"a live link", []link{live("new@example.com")}, "new@example.com"},
			{"the newest of two", []link{live("first@example.com"), live("second@example.com")}, "second@example.com"},
			{"used", []link{used}, ""},
			{"voided", []link{voided}, ""},
			{"expired", []link{expired}, ""},
			{"expiring now", []link{atNow}, ""},
			{"an older live link behind a used one", []link{live("older@example.com"), used}, ""},
			{"another purpose", []link{{purpose: models.PurposeReset, expires: t0.Add(time.Hour)}}, ""},
		}
		for i, tc := range tests {
			u := newUser(t, s, a.ID, fmt.Sprintf("user%d", i), false)
			for j, l := range tc.links {
				tok := &models.Token{UserID: u.ID, Purpose: l.purpose, SHA256: []byte(fmt.Sprintf("%d-%d", i, j)),
					CreatedAt: t0, ExpiresAt: l.expires, NewEmail: l.addr}
				must(s.Tokens.Create(ctx, tok))
				if l.used {
					must(s.Tokens.Use(ctx, tok.ID, t0))
				}
				if l.voided {
					must(s.Tokens.VoidOne(ctx, a.ID, u.ID, tok.ID, "test", t0))
				}
			}
			f, err := s.Users.ProfileFacts(ctx, models.ProfileAsk{UserID: u.ID, AccountID: a.ID, Now: t0, SupportEvents: 10})
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if got := deref(f.PendingEmail); got != tc.want {
				t.Errorf("%s: ProfileFacts pending %q, want %q", tc.name, got, tc.want)
			}
			if got, err := s.Tokens.PendingEmail(ctx, u.ID, t0); err != nil || got != tc.want {
				t.Errorf("%s: PendingEmail %q, %v; want %q", tc.name, got, err, tc.want)
			}
			if f.LicenseVersion != nil || f.LicenseAcceptedAt != nil || f.BackupCodesLeft != 0 {
				t.Errorf("%s: facts of a user with no license or codes: %+v", tc.name, f)
			}
		}

		ann := newUser(t, s, a.ID, "ann", false)
		must(s.Licenses.Publish(ctx, &models.LicenseVersion{Version: "2027-01", Title: "T", BodyMarkdown: "x", EffectiveAt: t0, PublishedAt: t0}))
		must(s.Licenses.Publish(ctx, &models.LicenseVersion{Version: "2027-02", Title: "T", BodyMarkdown: "x", EffectiveAt: t0, PublishedAt: t0}))
		for _, acc := range []models.LicenseAcceptance{
			{UserID: ann.ID, Version: "2027-01", AcceptedAt: t0.Add(2 * time.Hour)}, // the latest, though not the newest row
			{UserID: ann.ID, Version: "2026-01", AcceptedAt: t0},
		} {
			must(s.Users.AcceptLicense(ctx, &acc))
		}
		must(s.MFA.ReplaceBackupCodes(ctx, ann.ID, []models.BackupCode{{UserID: ann.ID, Prefix: "a", CodeHash: "x", CreatedAt: t0},
			{UserID: ann.ID, Prefix: "b", CodeHash: "y", CreatedAt: t0}, {UserID: ann.ID, Prefix: "c", CodeHash: "z", CreatedAt: t0}}))
		codes, err := s.MFA.UnusedBackupCodes(ctx, ann.ID, "a")
		must(err)
		must(s.MFA.UseBackupCode(ctx, codes[0].ID, t0))
		f, err := s.Users.ProfileFacts(ctx, models.ProfileAsk{UserID: ann.ID, AccountID: a.ID, Now: t0, SupportEvents: 10})
		if err != nil || deref(f.LicenseVersion) != "2027-01" || f.LicenseAcceptedAt == nil ||
			!f.LicenseAcceptedAt.Equal(t0.Add(2*time.Hour)) || f.BackupCodesLeft != 2 {
			t.Errorf("ann's facts: %+v %v", f, err)
		}
		// Sessions: the live ones are counted, and the asking session names
		// its device only when it is ann's.
		bob := newUser(t, s, a.ID, "bob", false)
		revoked := t0.Add(-time.Minute)
		for _, row := range []models.Session{
			{IDHash: []byte("ann-here"), UserID: &ann.ID, UserAgent: "here", IdleExpiresAt: t0.Add(time.Hour)},
			{IDHash: []byte("ann-there"), UserID: &ann.ID, UserAgent: "there", IdleExpiresAt: t0},
			{IDHash: []byte("ann-revoked"), UserID: &ann.ID, IdleExpiresAt: t0.Add(time.Hour), RevokedAt: &revoked},
			{IDHash: []byte("ann-idle"), UserID: &ann.ID, IdleExpiresAt: t0.Add(-time.Second)},
			{IDHash: []byte("bob-here"), UserID: &bob.ID, UserAgent: "bob's", IdleExpiresAt: t0.Add(time.Hour)},
		} {
			row.CreatedAt, row.LastSeenAt, row.AbsoluteExpiresAt = t0, t0, t0.Add(time.Hour)
			must(s.Sessions.Create(ctx, &row))
		}
		for _, tc := range []struct {
			current, want string
		}{{"ann-here", "here"}, {"ann-there", "there"}, {"bob-here", ""}, {"nobody", ""}} {
			f, err := s.Users.ProfileFacts(ctx, models.ProfileAsk{UserID: ann.ID, AccountID: a.ID, Current: []byte(tc.current), Now: t0})
			if err != nil || f.LiveSessions != 2 || deref(f.ThisDeviceAgent) != tc.want {
				t.Errorf("asked from %s: %d live, this device %q, %v; want 2, %q", tc.current, f.LiveSessions, deref(f.ThisDeviceAgent), err, tc.want)
			}
		}
		// Two acceptances at the same time: the later row is the latest.
		must(s.Users.AcceptLicense(ctx, &models.LicenseAcceptance{UserID: ann.ID, Version: "2027-02", AcceptedAt: t0.Add(2 * time.Hour)}))
		if f, err := s.Users.ProfileFacts(ctx, models.ProfileAsk{UserID: ann.ID, AccountID: a.ID, Now: t0, SupportEvents: 10}); err != nil || deref(f.LicenseVersion) != "2027-02" {
			t.Errorf("a tie of acceptance times: %v %v", deref(f.LicenseVersion), err)
		}
		if _, err := s.Users.ProfileFacts(ctx, models.ProfileAsk{UserID: 999999, AccountID: a.ID, Now: t0, SupportEvents: 10}); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("unknown user: %v", err)
		}
	})
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
