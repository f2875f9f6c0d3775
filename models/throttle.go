package models

import (
	"context"
	"fmt"
	"time"
)

// Throttle counts attempts under a key (such as "login:ip:192.0.2.1") in a
// fixed window, and remembers a lock once the count reaches its limit.
// Kept in the database so every replica sees the same counts.
type Throttle struct {
	Key         string `gorm:"primaryKey"`
	WindowStart time.Time
	Count       int
	LockedUntil *time.Time
}

// ThrottleLimit describes how many attempts a window allows and how long
// the key stays locked once they are used up.
type ThrottleLimit struct {
	Window time.Duration
	Max    int
	Lock   time.Duration
}

// ByKeys returns the rows of those of keys that have one, in one
// query.
func (s ThrottleStore) ByKeys(ctx context.Context, keys []string) ([]Throttle, error) {
	var out []Throttle
	err := s.q(ctx).Where("key IN ?", keys).Find(&out).Error
	return out, translate(err)
}

// takeThrottleSQL counts one attempt in one statement, so no other
// statement (a parallel attempt, a clear) can come between the read and the
// write. A locked key is left as it is and returns no row. Otherwise a new
// window starts when the old one has run out or its lock has ended, and the
// attempt that brings the count to the limit locks the key from now on. The
// same text runs on PostgreSQL and SQLite (whose times are UTC text that
// orders like the times), but for the lock's end: a parameter that is a
// CASE's only result has no type PostgreSQL can infer, so it is cast there.
const takeThrottleSQL = `INSERT INTO throttles (key, window_start, count, locked_until)
VALUES (@key, @now, 1, @first_lock)
ON CONFLICT (key) DO UPDATE SET
  window_start = CASE WHEN throttles.locked_until IS NOT NULL OR throttles.window_start <= @window_cutoff
    THEN excluded.window_start ELSE throttles.window_start END,
  count = CASE WHEN throttles.locked_until IS NOT NULL OR throttles.window_start <= @window_cutoff
    THEN 1 ELSE throttles.count + 1 END,
  locked_until = CASE WHEN (CASE WHEN throttles.locked_until IS NOT NULL OR throttles.window_start <= @window_cutoff
    THEN 1 ELSE throttles.count + 1 END) >= @max THEN %s END
WHERE throttles.locked_until IS NULL OR throttles.locked_until <= @now
RETURNING key, window_start, count, locked_until`

// Take counts one attempt under key at now and returns the row
// after the count, or nil when the key is locked (then nothing changes).
// The count comes first and is atomic, so parallel attempts from any number
// of replicas each get their own number, and a parallel Clear
// cannot make it fail.
func (s ThrottleStore) Take(ctx context.Context, key string, now time.Time, lim ThrottleLimit) (*Throttle, error) {
	lockUntil := now.Add(lim.Lock)
	var firstLock *time.Time
	if lim.Max <= 1 {
		firstLock = &lockUntil
	}
	lockExpr := "@lock_until"
	if s.dialect == Postgres {
		lockExpr = "CAST(@lock_until AS timestamptz)"
	}
	var rows []Throttle
	err := s.q(ctx).Raw(fmt.Sprintf(takeThrottleSQL, lockExpr), map[string]any{
		"key": key, "now": now, "first_lock": firstLock, "window_cutoff": now.Add(-lim.Window),
		"max": lim.Max, "lock_until": lockUntil,
	}).Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return nil, translate(err)
	}
	return &rows[0], nil
}

// Refund takes back one attempt counted by Take in the
// window that began at windowStart (a right answer must not use up the
// limit), and lifts the lock that attempt set. It does nothing when the
// window has changed or the key was cleared since.
func (s ThrottleStore) Refund(ctx context.Context, key string, windowStart time.Time, lim ThrottleLimit) error {
	err := s.q(ctx).Exec(`UPDATE throttles SET count = count - 1,
  locked_until = CASE WHEN count - 1 >= @max THEN locked_until END
WHERE key = @key AND window_start = @window_start AND count > 0`,
		map[string]any{"key": key, "window_start": windowStart, "max": lim.Max}).Error
	return translate(err)
}

// Clear forgets the key's count and lock.
func (s ThrottleStore) Clear(ctx context.Context, key string) error {
	return translate(s.q(ctx).Where("key = ?", key).Delete(&Throttle{}).Error)
}

// DeleteStale removes rows whose window and lock both ended before
// cutoff.
func (s ThrottleStore) DeleteStale(ctx context.Context, cutoff time.Time) (int64, error) {
	res := s.q(ctx).Where("window_start < ? AND (locked_until IS NULL OR locked_until < ?)", cutoff, cutoff).
		Delete(&Throttle{})
	return res.RowsAffected, translate(res.Error)
}
