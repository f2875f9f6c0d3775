package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"accountportal/models"
	"accountportal/models/modelstest"
)

// API tokens are kept per account, revoked and adopted by conditional
// updates, touched at most once a minute, and paused (no owner) when their
// owner is deleted.
func TestAPITokens(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		a := newAccount(t, s, "61616161")
		other := newAccount(t, s, "62626262")
		pa := newUser(t, s, a.ID, "pat", true)
		sam := newUser(t, s, a.ID, "sam", false)
		exp := t0.Add(time.Hour)
		tok := &models.APIToken{AccountID: a.ID, Name: "CRM", SHA256: []byte("digest-1"), Permissions: "users.manage audit.view",
			OwnerID: &sam.ID, OwnerName: "Sam", CreatedByName: "Sam", CreatedAt: t0, ExpiresAt: &exp}
		if err := s.APITokens.Create(ctx, tok); err != nil {
			t.Fatal(err)
		}
		clash := &models.APIToken{AccountID: a.ID, Name: "again", SHA256: []byte("digest-1"), OwnerName: "x", CreatedByName: "x", CreatedAt: t0}
		if err := s.APITokens.Create(ctx, clash); !errors.Is(err, models.ErrConflict) {
			t.Fatalf("same digest twice: %v", err)
		}
		got, err := s.APITokens.ByDigest(ctx, []byte("digest-1"))
		if err != nil || got.ID != tok.ID || len(got.Perms()) != 2 || got.Expired(t0) || !got.Expired(exp) {
			t.Fatalf("by digest: %+v %v", got, err)
		}
		if _, err := s.APITokens.InAccount(ctx, other.ID, tok.ID); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("another account's token: %v", err)
		}

		// An Idempotency-Key is claimed once per token; a second claim reads
		// the first one's row, in progress (status 0) and then finished.
		if old, err := s.APITokens.ClaimIdempotency(ctx, tok.ID, "k1", []byte("h"), t0); err != nil || old != nil {
			t.Fatalf("first claim: %+v %v", old, err)
		}
		if old, err := s.APITokens.ClaimIdempotency(ctx, tok.ID, "k1", []byte("h2"), t0); err != nil || old == nil || old.Status != 0 || string(old.RequestHash) != "h" {
			t.Fatalf("second claim: %+v %v", old, err)
		}
		if err := s.APITokens.FinishIdempotency(ctx, tok.ID, "k1", 201, "{}", "/api/v1/users/7"); err != nil {
			t.Fatal(err)
		}
		if old, err := s.APITokens.ClaimIdempotency(ctx, tok.ID, "k1", []byte("h"), t0); err != nil || old == nil || old.Status != 201 ||
			old.Body != "{}" || old.Location != "/api/v1/users/7" {
			t.Fatalf("claim after the answer: %+v %v", old, err)
		}
		if err := s.APITokens.ForgetIdempotency(ctx, tok.ID, "k1"); err != nil {
			t.Fatal(err)
		}
		if old, err := s.APITokens.ClaimIdempotency(ctx, tok.ID, "k1", []byte("h"), t0); err != nil || old != nil {
			t.Fatalf("claim after forgetting: %+v %v", old, err)
		}
		// Keys older than the cutoff are forgotten; newer ones stay.
		if err := s.APITokens.ExpireIdempotency(ctx, tok.ID, t0); err != nil {
			t.Fatal(err)
		}
		if old, _ := s.APITokens.ClaimIdempotency(ctx, tok.ID, "k1", []byte("h"), t0); old == nil {
			t.Fatal("a key as old as the cutoff was forgotten")
		}
		if err := s.APITokens.ExpireIdempotency(ctx, tok.ID, t0.Add(time.Second)); err != nil {
			t.Fatal(err)
		}
		if old, _ := s.APITokens.ClaimIdempotency(ctx, tok.ID, "k1", []byte("h"), t0); old != nil {
			t.Fatalf("an expired key was kept: %+v", old)
		}

		// Touch writes at most once a minute.
		touch := func(ip string, at time.Time) *models.APIToken {
			t.Helper()
			if err := s.APITokens.Touch(ctx, tok.ID, ip, at); err != nil {
				t.Fatal(err)
			}
			got, err := s.APITokens.InAccount(ctx, a.ID, tok.ID)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		if got := touch("192.0.2.1", t0); got.LastUsedIP != "192.0.2.1" || !got.LastUsedAt.Equal(t0) {
			t.Fatalf("first use: %+v", got)
		}
		if got := touch("192.0.2.2", t0.Add(30*time.Second)); got.LastUsedIP != "192.0.2.1" {
			t.Fatalf("second use within a minute was written: %+v", got)
		}
		if got := touch("192.0.2.3", t0.Add(time.Minute)); got.LastUsedIP != "192.0.2.3" {
			t.Fatalf("use a minute later was not written: %+v", got)
		}

		// The owner's deletion leaves the token without an owner; adopting it
		// gives it one again.
		if err := s.Users.Delete(ctx, a.ID, sam.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.APITokens.InAccount(ctx, a.ID, tok.ID); got.OwnerID != nil || got.OwnerName != "Sam" {
			t.Fatalf("after the owner's deletion: %+v", got)
		}
		if err := s.APITokens.Adopt(ctx, other.ID, tok.ID, pa.ID, "Pat"); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("adopted from another account: %v", err)
		}
		if err := s.APITokens.Adopt(ctx, a.ID, tok.ID, pa.ID, "Pat"); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.APITokens.InAccount(ctx, a.ID, tok.ID); got.OwnerID == nil || *got.OwnerID != pa.ID || got.OwnerName != "Pat" {
			t.Fatalf("after adoption: %+v", got)
		}

		// Revocation is one conditional update: the second one finds nothing.
		if err := s.APITokens.Revoke(ctx, other.ID, tok.ID, "Eve", t0); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("revoked from another account: %v", err)
		}
		if err := s.APITokens.Revoke(ctx, a.ID, tok.ID, "Pat", t0); err != nil {
			t.Fatal(err)
		}
		if err := s.APITokens.Revoke(ctx, a.ID, tok.ID, "Pat", t0); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("revoked twice: %v", err)
		}
		if err := s.APITokens.Adopt(ctx, a.ID, tok.ID, pa.ID, "Pat"); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("revoked token adopted: %v", err)
		}
		list, err := s.APITokens.List(ctx, a.ID)
		if err != nil || len(list) != 1 || list[0].RevokedAt == nil || list[0].RevokedByName != "Pat" {
			t.Fatalf("list: %+v %v", list, err)
		}
		if list, _ := s.APITokens.List(ctx, other.ID); len(list) != 0 {
			t.Fatalf("another account lists %+v", list)
		}
	})
}
