package models_test

import (
	"context"
	"errors"
	"testing"

	"accountportal/models"
	"accountportal/models/modelstest"
)

// A batch's outcomes are stored as given, names with quotes, backslashes,
// commas and braces included, and a user recorded twice is refused.
func TestBulkJobResultsRoundTrip(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		a := newAccount(t, s, "12345678")
		ann := newUser(t, s, a.ID, "ann", false)
		bob := newUser(t, s, a.ID, "bob", false)
		job := &models.BulkJob{AccountID: a.ID, ActorName: "ann", Action: "mfa", Selection: "{}", Status: models.BulkRunning, CreatedAt: t0, UpdatedAt: t0}
		if err := s.BulkJobs.Create(ctx, job); err != nil {
			t.Fatal(err)
		}
		want := []models.BulkJobResult{
			{JobID: job.ID, UserID: ann.ID, AccountID: a.ID, DisplayName: `Ann "Nan" O'Neil, {Jr} \ NULL`, Username: "ann", Outcome: models.OutcomeDone},
			{JobID: job.ID, UserID: bob.ID, AccountID: a.ID, DisplayName: "", Username: "bob", Outcome: models.OutcomeSkipped, Why: "that is you"},
		}
		if err := s.BulkJobs.AddResults(ctx, append([]models.BulkJobResult(nil), want...)); err != nil {
			t.Fatal(err)
		}
		got, err := s.BulkJobs.Results(ctx, a.ID, job.ID, "", 0, 10)
		if err != nil || len(got) != len(want) {
			t.Fatalf("results: %d %v", len(got), err)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("row %d: %+v, want %+v", i, got[i], want[i])
			}
		}
		again := []models.BulkJobResult{{JobID: job.ID, UserID: ann.ID, Username: "ann", Outcome: models.OutcomeDone}}
		if err := s.BulkJobs.AddResults(ctx, again); !errors.Is(err, models.ErrConflict) {
			t.Errorf("second outcome of ann: %v, want ErrConflict", err)
		}
	})
}
