package models_test

import (
	"bytes"
	"context"
	"log/slog"
	"regexp"
	"strings"
	"testing"

	"accountportal/models"
	"accountportal/models/modelstest"
)

// inlinedKind finds the secret kind written into the SQL text as a quoted
// literal (single quotes on PostgreSQL, escaped double on SQLite).
var inlinedKind = regexp.MustCompile(`kind = \\?["']` + models.SecretPassphrase)

// TestStatementLog checks what the store logs at each level: failures
// always, every statement at debug, and never a bound value.
func TestStatementLog(t *testing.T) {
	const secret = "the-bound-value-4417"
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		for _, tc := range []struct {
			name     string
			level    slog.Level
			fail     bool
			wantSQL  bool
			wantFail bool
		}{
			{"warn level, statement succeeds", slog.LevelWarn, false, false, false},
			{"warn level, statement fails", slog.LevelWarn, true, true, true},
			{"debug level, statement succeeds", slog.LevelDebug, false, true, false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				var buf bytes.Buffer
				log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: tc.level}))
				s, err := models.Open(context.Background(), models.Options{URL: modelstest.NewURL(t, d), Logger: log})
				if err != nil {
					t.Fatal(err)
				}
				defer s.Close()
				if _, err := s.Migrate(context.Background()); err != nil {
					t.Fatal(err)
				}
				a := newAccount(t, s, "10000001")
				u := newUser(t, s, a.ID, secret, false)
				buf.Reset()
				if tc.fail {
					// A second user of that name breaks the unique index.
					err = s.Users.Create(context.Background(), &models.User{AccountID: a.ID, Username: secret,
						UsernameKey: secret, Email: "x@example.com", EmailKey: "x@example.com", Status: models.StatusActive})
				} else {
					// One statement through GORM's processor, one through
					// its recorder (Raw/Table + Scan).
					_, err = s.Users.ByUsernameKey(context.Background(), secret)
					if err == nil {
						_, err = s.Users.PrincipalByID(context.Background(), u.ID, fixedNow())
					}
				}
				if (err != nil) != tc.fail {
					t.Fatalf("err = %v, want failure %v", err, tc.fail)
				}
				out := buf.String()
				if got := strings.Contains(out, "username_key"); got != tc.wantSQL {
					t.Errorf("SQL in the log = %v, want %v:\n%s", got, tc.wantSQL, out)
				}
				if got := strings.Contains(out, "has_passphrase"); got != (tc.wantSQL && !tc.fail) {
					t.Errorf("SQL in the log = %v, want %v:\n%s", got, tc.wantSQL, out)
				}
				if got := strings.Contains(out, "level=ERROR"); got != tc.wantFail {
					t.Errorf("error logged = %v, want %v:\n%s", got, tc.wantFail, out)
				}
				if strings.Contains(out, secret) || inlinedKind.MatchString(out) {
					t.Errorf("a bound value reached the log:\n%s", out)
				}
			})
		}
	})
}
