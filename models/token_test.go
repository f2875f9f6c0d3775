package models_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"accountportal/models"
	"accountportal/models/modelstest"
)

func TestTokensUseOnceAndVoid(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		a := newAccount(t, s, "55555555")
		u := newUser(t, s, a.ID, "ann", true)
		mk := func(digest string, purpose string, expires time.Time) *models.Token {
			tok := &models.Token{UserID: u.ID, Purpose: purpose, SHA256: []byte(digest), CreatedAt: t0, ExpiresAt: expires}
			if err := s.Tokens.Create(ctx, tok); err != nil {
				t.Fatal(err)
			}
			return tok
		}
		live := mk("live", models.PurposeReset, t0.Add(time.Hour))
		expired := mk("expired", models.PurposeReset, t0.Add(-time.Second))
		welcome := mk("welcome", models.PurposeWelcome, t0.Add(time.Hour))
		other := mk("other", models.PurposeEmailChange, t0.Add(time.Hour))

		if got, err := s.Tokens.ByDigest(ctx, []byte("live")); err != nil || got.ID != live.ID {
			t.Fatalf("by digest: %v %v", got, err)
		}
		if err := s.Tokens.Use(ctx, expired.ID, t0); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("expired token used: %v", err)
		}
		// Of many parallel uses, one wins.
		var wg sync.WaitGroup
		wins := make(chan struct{}, 20)
		for range 20 {
			wg.Go(func() {
				if s.Tokens.Use(ctx, live.ID, t0) == nil {
					wins <- struct{}{}
				}
			})
		}
		wg.Wait()
		if len(wins) != 1 {
			t.Fatalf("%d parallel uses succeeded", len(wins))
		}
		n, err := s.Tokens.Void(ctx, u.ID, "password changed", t0, 0, models.PurposeReset, models.PurposeWelcome)
		if err != nil || n != 2 { // the expired reset token and the welcome token
			t.Fatalf("voided %d (%v)", n, err)
		}
		if got, _ := s.Tokens.ByIDAnyAccount(ctx, welcome.ID); got.VoidedAt == nil || got.VoidReason != "password changed" {
			t.Fatalf("welcome token: %+v", got)
		}
		if got, _ := s.Tokens.ByIDAnyAccount(ctx, other.ID); got.VoidedAt != nil {
			t.Fatal("token of another purpose voided")
		}
		if err := s.Tokens.Use(ctx, welcome.ID, t0); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("voided token used: %v", err)
		}
		list, err := s.Tokens.OfUser(ctx, u.ID, models.PurposeReset, 10)
		if err != nil || len(list) != 2 || list[0].ID != expired.ID {
			t.Fatalf("ledger: %v %v", list, err)
		}
	})
}

func TestAnsweredTokenIsUsedOnlyByTheVisitThatAnswered(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		a := newAccount(t, s, "55555556")
		u := newUser(t, s, a.ID, "ann", true)
		tok := &models.Token{UserID: u.ID, Purpose: models.PurposeReset, SHA256: []byte("q"), CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
		if err := s.Tokens.Create(ctx, tok); err != nil {
			t.Fatal(err)
		}
		mine, theirs := []byte("visit one"), []byte("visit two")
		if err := s.Tokens.UseAnswered(ctx, tok.ID, mine, t0); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("unanswered token used: %v", err)
		}
		if err := s.Tokens.Answer(ctx, tok.ID, theirs, t0); err != nil {
			t.Fatal(err)
		}
		if err := s.Tokens.Answer(ctx, tok.ID, mine, t0); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Tokens.ByIDAnyAccount(ctx, tok.ID); string(got.AnsweredBy) != string(mine) || got.AnsweredAt == nil {
			t.Fatalf("answered: %+v", got)
		}
		if err := s.Tokens.UseAnswered(ctx, tok.ID, theirs, t0); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("token used by a visit whose answer was replaced: %v", err)
		}
		// Of many parallel uses by the visit that answered, one wins.
		var wg sync.WaitGroup
		wins := make(chan struct{}, 20)
		for range 20 {
			wg.Go(func() {
				if s.Tokens.UseAnswered(ctx, tok.ID, mine, t0) == nil {
					wins <- struct{}{}
				}
			})
		}
		wg.Wait()
		if len(wins) != 1 {
			t.Fatalf("%d parallel uses succeeded", len(wins))
		}
		if err := s.Tokens.Answer(ctx, tok.ID, mine, t0); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("used token answered: %v", err)
		}
	})
}

func TestRecoveryQueueTakesEachRequestOnce(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		for _, id := range []string{"a", "b", "c"} {
			if err := s.Recoveries.Queue(ctx, &models.RecoveryRequest{Kind: models.RecoverPassword, Identifier: id, CreatedAt: t0}); err != nil {
				t.Fatal(err)
			}
		}
		var mu sync.Mutex
		seen := map[string]int{}
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for {
					err := s.InTx(ctx, func(tx *models.Store) error {
						r, err := tx.Recoveries.Take(ctx)
						if err == nil {
							mu.Lock()
							seen[r.Identifier]++
							mu.Unlock()
						}
						return err
					})
					if err != nil {
						return
					}
				}
			})
		}
		wg.Wait()
		if len(seen) != 3 || seen["a"] != 1 || seen["b"] != 1 || seen["c"] != 1 {
			t.Fatalf("taken: %v", seen)
		}
		// A failed handler leaves the request queued.
		_ = s.Recoveries.Queue(ctx, &models.RecoveryRequest{Kind: models.RecoverUsername, Identifier: "d", CreatedAt: t0})
		boom := errors.New("boom")
		_ = s.InTx(ctx, func(tx *models.Store) error { _, _ = tx.Recoveries.Take(ctx); return boom })
		err := s.InTx(ctx, func(tx *models.Store) error {
			r, err := tx.Recoveries.Take(ctx)
			if err == nil && r.Identifier != "d" {
				t.Errorf("took %q", r.Identifier)
			}
			return err
		})
		if err != nil {
			t.Fatalf("request lost after a failed handler: %v", err)
		}
	})
}
