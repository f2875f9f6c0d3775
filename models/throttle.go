package models

import (
	"context"
	"time"

	"gorm.io/gorm/clause"
)

// Throttle counts events under a key (such as "login:ip:192.0.2.1") in a
// fixed window, and remembers a lock once the count reaches its limit.
// Kept in the database so every replica sees the same counts.
type Throttle struct {
	Key         string `gorm:"primaryKey"`
	WindowStart time.Time
	Count       int
	LockedUntil *time.Time
}

// ThrottleLimit describes how many events a window allows and how long the
// key stays locked once they are used up.
type ThrottleLimit struct {
	Window time.Duration
	Max    int
	Lock   time.Duration
}

// ThrottlesByKeys returns the rows of those of keys that have one, in one
// query.
func (s *Store) ThrottlesByKeys(ctx context.Context, keys []string) ([]Throttle, error) {
	var out []Throttle
	err := s.q(ctx).Where("key IN ?", keys).Find(&out).Error
	return out, translate(err)
}

// HitThrottle counts one event under key at now and returns the row after
// the count. Call it inside InTx: the row is locked from read to write, so
// parallel hits from several replicas are all counted.
func (s *Store) HitThrottle(ctx context.Context, key string, now time.Time, lim ThrottleLimit) (*Throttle, error) {
	fresh := &Throttle{Key: key, WindowStart: now, Count: 0}
	if err := s.q(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(fresh).Error; err != nil {
		return nil, translate(err)
	}
	var t Throttle
	q := s.q(ctx).Where("key = ?", key)
	if s.dialect == Postgres {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	if err := q.First(&t).Error; err != nil {
		return nil, translate(err)
	}
	if !t.WindowStart.Add(lim.Window).After(now) {
		t.WindowStart, t.Count = now, 0
	}
	t.Count++
	if t.Count >= lim.Max && (t.LockedUntil == nil || t.LockedUntil.Before(now)) {
		until := now.Add(lim.Lock)
		t.LockedUntil = &until
	}
	err := s.q(ctx).Model(&Throttle{}).Where("key = ?", key).Updates(map[string]any{
		"window_start": t.WindowStart, "count": t.Count, "locked_until": t.LockedUntil,
	}).Error
	return &t, translate(err)
}

// ClearThrottle forgets the key's count and lock.
func (s *Store) ClearThrottle(ctx context.Context, key string) error {
	return translate(s.q(ctx).Where("key = ?", key).Delete(&Throttle{}).Error)
}

// DeleteStaleThrottles removes rows whose window and lock both ended before
// cutoff.
func (s *Store) DeleteStaleThrottles(ctx context.Context, cutoff time.Time) (int64, error) {
	res := s.q(ctx).Where("window_start < ? AND (locked_until IS NULL OR locked_until < ?)", cutoff, cutoff).
		Delete(&Throttle{})
	return res.RowsAffected, translate(res.Error)
}
