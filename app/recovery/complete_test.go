package recovery_test

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"testing"
	"time"

	"accountportal/app/audit"
	"accountportal/app/profile"
	"accountportal/app/recovery"
	"accountportal/app/security"
	"accountportal/app/throttle"
	"accountportal/models"
	"accountportal/models/modelstest"
)

var t0 = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

const newPassword = "Zebra+Lamp7"

// resetFixture is a user with a live reset link, and the service.
type resetFixture struct {
	svc   *recovery.Service
	store *models.Store
	raw   string
}

func newResetFixture(t *testing.T, d models.Dialect, question bool) resetFixture {
	t.Helper()
	ctx := context.Background()
	now := func() time.Time { return t0 }
	store := modelstest.Open(t, d, now)
	hasher := security.NewHasher(security.Argon2Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1}, 4, time.Second)
	public, _ := url.Parse("https://portal.example")
	svc := recovery.NewService(store, hasher, throttle.New(store, now), now, slog.New(slog.DiscardHandler),
		public, recovery.DefaultConfig(), nil)
	a := &models.Account{Number: "12345678", Name: "Acme Ltd", PasswordPreset: "classic", MFAPolicy: models.MFAOff}
	if err := store.Accounts.Create(ctx, a); err != nil {
		t.Fatal(err)
	}
	pw, err := hasher.Hash(ctx, "Old+Pass123")
	if err != nil {
		t.Fatal(err)
	}
	u := &models.User{AccountID: a.ID, Username: "ada", UsernameKey: "ada", Email: "ada@example.com",
		EmailKey: "ada@example.com", DisplayName: "Ada", Status: models.StatusActive, PasswordHash: pw}
	if err := store.Users.Create(ctx, u); err != nil {
		t.Fatal(err)
	}
	if question {
		answer, err := hasher.Hash(ctx, profile.NormalizeAnswer("Rex"))
		if err == nil {
			err = store.Users.SetSecurityQuestion(ctx, u.ID, "Name of your first pet?", answer, t0)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	raw, digest := security.NewToken()
	if err := store.Tokens.Create(ctx, &models.Token{UserID: u.ID, Purpose: models.PurposeReset, SHA256: digest,
		CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	return resetFixture{svc: svc, store: store, raw: raw}
}

func (f resetFixture) open(t *testing.T) recovery.Link {
	t.Helper()
	l, err := f.svc.OpenLink(context.Background(), f.raw)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestCompleteNeedsTheAnswerOfItsOwnVisit runs the wizard without HTTP: a
// user with a security question sets a new password only from the visit
// (opening of the link) that answered it, as the token row records.
func TestCompleteNeedsTheAnswerOfItsOwnVisit(t *testing.T) {
	for _, tc := range []struct {
		name     string
		question bool
		// answer is what each visit answers before the first completes,
		// in order; "" answers nothing.
		answers []string
		want    error
	}{
		{"no question, nothing answered", false, []string{""}, nil},
		{"question unanswered", true, []string{""}, recovery.ErrQuestionFirst},
		{"question answered", true, []string{"rex"}, nil},
		{"question answered wrongly", true, []string{"fido"}, recovery.ErrQuestionFirst},
		{"another visit answered", true, []string{"", "Rex"}, recovery.ErrQuestionFirst},
		{"the link opened again after the answer", true, []string{"Rex", ""}, nil},
		{"another visit answered after this one", true, []string{"Rex", "Rex"}, recovery.ErrQuestionFirst},
	} {
		t.Run(tc.name, func(t *testing.T) {
			modelstest.Each(t, func(t *testing.T, d models.Dialect) {
				ctx := context.Background()
				f := newResetFixture(t, d, tc.question)
				var visits []recovery.Link
				for _, answer := range tc.answers {
					l := f.open(t)
					visits = append(visits, l)
					if answer != "" {
						_ = f.svc.CheckAnswer(ctx, l, answer, audit.Origin{IP: "192.0.2.1"})
					}
				}
				first := visits[0]
				step, err := f.svc.Step(ctx, first)
				if err != nil {
					t.Fatal(err)
				}
				if due := step.QuestionDue(); due != (tc.want != nil) {
					t.Errorf("QuestionDue = %v", due)
				}
				err = f.svc.Complete(ctx, recovery.NewPassword{Link: first, Password: newPassword, Confirm: newPassword},
					audit.Origin{IP: "192.0.2.1"})
				if !errors.Is(err, tc.want) {
					t.Fatalf("Complete = %v, want %v", err, tc.want)
				}
			})
		})
	}
}
