// Package throttle limits repeated attempts (sign-in, reset requests, ...)
// per key, with the counts in the database so all replicas share them.
//
// An attempt is counted before it is checked (Take), so however many
// arrive at once, at most a limit's Max of them are ever compared; a right
// answer is then taken back (Refund) or clears the key (Limiter.Clear), so
// it does not use up anyone's limit.
package throttle

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"accountportal/app/apperr"
	"accountportal/models"
)

// Limiter counts attempts.
type Limiter struct {
	store *models.Store
	now   func() time.Time
}

// New returns a Limiter over store, reading the time from now.
func New(store *models.Store, now func() time.Time) *Limiter {
	return &Limiter{store: store, now: now}
}

// Key names one count an attempt is made against, and its limit.
type Key struct {
	Name  string
	Limit models.ThrottleLimit
}

// Result is a key's state after counting an attempt.
type Result struct {
	// Count is the number of attempts in the current window, this one
	// included.
	Count int
	// LockedUntil is when the lock this attempt started ends: set only on
	// the attempt that used up the limit.
	LockedUntil time.Time
	// WindowStart is when the current window began.
	WindowStart time.Time
}

// Attempt is an attempt that was counted and may now be checked.
type Attempt struct {
	store *models.Store
	keys  []Key
	rows  []models.Throttle
}

// errRefused rolls back a Take that found a key locked.
var errRefused = errors.New("throttle: locked")

// Take counts one attempt under every key, in one transaction, before the
// caller compares anything. When any key is locked nothing is counted and
// the error is an apperr.TooMany error that lifts when the last of the
// locks ends. The attempt that reaches a key's Max is the last one allowed
// and locks the key; if it turns out right, Refund lifts the lock again.
func (l *Limiter) Take(ctx context.Context, keys ...Key) (*Attempt, error) {
	return l.take(ctx, false, keys)
}

// Count is Take for a rate limit rather than a guard on guesses: its
// commit does not wait for the database's disk (Store.CommitUnflushed), so
// a request costs no flush, and a crash of the database may forget the
// last fraction of a second of counts. Parallel requests are counted as
// exactly as by Take.
func (l *Limiter) Count(ctx context.Context, keys ...Key) (*Attempt, error) {
	return l.take(ctx, true, keys)
}

func (l *Limiter) take(ctx context.Context, unflushed bool, keys []Key) (*Attempt, error) {
	// One order for every caller, so two takes of the same keys cannot
	// each hold the row the other waits for.
	keys = slices.Clone(keys)
	slices.SortFunc(keys, func(a, b Key) int { return strings.Compare(a.Name, b.Name) })
	now := l.now()
	var rows []models.Throttle
	var until time.Time
	err := l.store.InTx(ctx, func(tx *models.Store) error {
		if unflushed {
			if err := tx.CommitUnflushed(ctx); err != nil {
				return err
			}
		}
		rows = rows[:0]
		var locked []string
		for _, k := range keys {
			row, err := tx.Throttles.Take(ctx, k.Name, now, k.Limit)
			if err != nil {
				return err
			}
			if row == nil {
				locked = append(locked, k.Name)
				continue
			}
			rows = append(rows, *row)
		}
		if len(locked) == 0 {
			return nil
		}
		// Read inside the transaction: the take above holds the rows, so
		// no clear can come between and hide the lock.
		var err error
		if until, err = LockedUntil(ctx, tx, now, locked...); err != nil {
			return err
		}
		return errRefused
	})
	if errors.Is(err, errRefused) {
		return nil, apperr.Throttled(until)
	}
	if err != nil {
		return nil, err
	}
	return &Attempt{store: l.store, keys: keys, rows: rows}, nil
}

// Result returns the state of the named key after this attempt.
func (a *Attempt) Result(name string) Result {
	for i, k := range a.keys {
		if k.Name != name {
			continue
		}
		r := Result{Count: a.rows[i].Count, WindowStart: a.rows[i].WindowStart}
		if a.rows[i].LockedUntil != nil {
			r.LockedUntil = *a.rows[i].LockedUntil
		}
		return r
	}
	return Result{}
}

// Locked returns when the lock this attempt started ends, the latest over
// its keys, or the zero time when it started none.
func (a *Attempt) Locked() time.Time {
	var until time.Time
	for _, k := range a.keys {
		if r := a.Result(k.Name); r.LockedUntil.After(until) {
			until = r.LockedUntil
		}
	}
	return until
}

// Refund takes the attempt back under every key: it was right, or it was
// never compared (the hasher was busy, the database failed). A key cleared
// or in a new window since is left alone.
func (a *Attempt) Refund(ctx context.Context) error {
	var errs []error
	for i, k := range a.keys {
		errs = append(errs, a.store.Throttles.Refund(ctx, k.Name, a.rows[i].WindowStart, k.Limit))
	}
	return errors.Join(errs...)
}

// LockedUntil returns the latest time until which any of keys is locked, or
// the zero time when none is. It only reads: use it to show a lock, never
// to decide whether to compare (that is Take's job).
func (l *Limiter) LockedUntil(ctx context.Context, keys ...string) (time.Time, error) {
	return LockedUntil(ctx, l.store, l.now(), keys...)
}

// LockedUntil is Limiter.LockedUntil through a given store, for callers
// already inside a transaction.
func LockedUntil(ctx context.Context, store *models.Store, now time.Time, keys ...string) (time.Time, error) {
	rows, err := store.Throttles.ByKeys(ctx, keys)
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

// Clear forgets key's attempts, as after a successful sign-in.
func (l *Limiter) Clear(ctx context.Context, key string) error {
	return l.store.Throttles.Clear(ctx, key)
}
