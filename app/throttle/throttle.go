// Package throttle limits repeated attempts (sign-in, reset requests, ...)
// per key, with the counts in the database so all replicas share them.
package throttle

import (
	"context"
	"errors"
	"time"

	"accountportal/models"
)

// Limiter checks and counts attempts.
type Limiter struct {
	store *models.Store
	now   func() time.Time
}

// New returns a Limiter over store, reading the time from now.
func New(store *models.Store, now func() time.Time) *Limiter {
	return &Limiter{store: store, now: now}
}

// LockedUntil returns the latest time until which any of keys is locked, or
// the zero time when none is.
func (l *Limiter) LockedUntil(ctx context.Context, keys ...string) (time.Time, error) {
	now := l.now()
	var until time.Time
	for _, k := range keys {
		t, err := l.store.ThrottleByKey(ctx, k)
		if errors.Is(err, models.ErrNotFound) {
			continue
		}
		if err != nil {
			return time.Time{}, err
		}
		if t.LockedUntil != nil && t.LockedUntil.After(now) && t.LockedUntil.After(until) {
			until = *t.LockedUntil
		}
	}
	return until, nil
}

// Hit counts one attempt under key and returns the time until which the key
// is now locked, or the zero time.
func (l *Limiter) Hit(ctx context.Context, key string, lim models.ThrottleLimit) (time.Time, error) {
	now := l.now()
	var until time.Time
	err := l.store.InTx(ctx, func(tx *models.Store) error {
		t, err := tx.HitThrottle(ctx, key, now, lim)
		if err == nil && t.LockedUntil != nil && t.LockedUntil.After(now) {
			until = *t.LockedUntil
		}
		return err
	})
	return until, err
}

// Clear forgets key's attempts, as after a successful sign-in.
func (l *Limiter) Clear(ctx context.Context, key string) error {
	return l.store.ClearThrottle(ctx, key)
}
