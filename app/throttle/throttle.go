// Package throttle limits repeated attempts (sign-in, reset requests, ...)
// per key, with the counts in the database so all replicas share them.
package throttle

import (
	"context"
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

// Result is a key's state after counting an attempt.
type Result struct {
	// Count is the number of attempts in the current window.
	Count int
	// LockedUntil is when the key's lock ends, or zero when it is not locked.
	LockedUntil time.Time
}

// LockedUntil returns the latest time until which any of keys is locked, or
// the zero time when none is.
func (l *Limiter) LockedUntil(ctx context.Context, keys ...string) (time.Time, error) {
	return LockedUntil(ctx, l.store, l.now(), keys...)
}

// LockedUntil is Limiter.LockedUntil through a given store, for callers
// already inside a transaction.
func LockedUntil(ctx context.Context, store *models.Store, now time.Time, keys ...string) (time.Time, error) {
	rows, err := store.ThrottlesByKeys(ctx, keys)
	if err != nil {
		return time.Time{}, err
	}
	var until time.Time
	for _, t := range rows {
		if t.LockedUntil != nil && t.LockedUntil.After(now) && t.LockedUntil.After(until) {
			until = *t.LockedUntil
		}
	}
	return until, nil
}

// Hit counts one attempt under key and returns the key's state after it.
func (l *Limiter) Hit(ctx context.Context, key string, lim models.ThrottleLimit) (Result, error) {
	now := l.now()
	var res Result
	err := l.store.InTx(ctx, func(tx *models.Store) error {
		t, err := tx.HitThrottle(ctx, key, now, lim)
		if err != nil {
			return err
		}
		res.Count = t.Count
		if t.LockedUntil != nil && t.LockedUntil.After(now) {
			res.LockedUntil = *t.LockedUntil
		}
		return nil
	})
	return res, err
}

// Allow counts an attempt under each key unless one of them is already
// locked, and reports whether the attempt may go ahead. The attempt that
// uses up a limit still goes ahead; the ones after it do not.
func (l *Limiter) Allow(ctx context.Context, keys map[string]models.ThrottleLimit) (bool, error) {
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	until, err := l.LockedUntil(ctx, names...)
	if err != nil || !until.IsZero() {
		return false, err
	}
	for k, lim := range keys {
		if _, err := l.Hit(ctx, k, lim); err != nil {
			return false, err
		}
	}
	return true, nil
}

// Clear forgets key's attempts, as after a successful sign-in.
func (l *Limiter) Clear(ctx context.Context, key string) error {
	return l.store.ClearThrottle(ctx, key)
}
