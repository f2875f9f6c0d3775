package models

import (
	"context"
	"sync"
	"time"
)

// sessionColumns lists every column of sessions under the prefix sess_.
var sessionColumns = sync.OnceValues(func() (string, error) { return prefixedColumns(&Session{}, "sessions", "sess_") })

// sessionAndUser is one row of ByHashWithUser: the session, and its user
// (zero when the session has none) with what a request needs of them.
type sessionAndUser struct {
	Session Session `gorm:"embedded;embeddedPrefix:sess_"`
	PrincipalUser
}

// ByHashWithUser returns the session with the hashed ID and, when it has a
// user, that user as PrincipalByID would at now, in one round trip: every
// signed-in request starts with these two reads. The user is nil for a
// session without one. Both come from the same snapshot, so a revocation
// or a suspension committed before the call is seen by it.
func (s SessionStore) ByHashWithUser(ctx context.Context, hash []byte, now time.Time) (*Session, *PrincipalUser, error) {
	sessCols, err := sessionColumns()
	if err != nil {
		return nil, nil, err
	}
	sel, args, err := principalSelect(s.dialect, now)
	if err != nil {
		return nil, nil, err
	}
	var out []sessionAndUser
	err = s.q(ctx).Table("sessions").Select(sessCols+", "+sel, args...).
		Joins("LEFT JOIN users ON users.id = sessions.user_id").
		Joins("LEFT JOIN accounts ON accounts.id = users.account_id").
		Where("sessions.id_hash = ?", hash).Limit(1).Scan(&out).Error
	if err != nil {
		return nil, nil, translate(err)
	}
	if len(out) == 0 {
		return nil, nil, ErrNotFound
	}
	row := out[0]
	if row.Session.UserID == nil || row.ID != *row.Session.UserID {
		return &row.Session, nil, nil
	}
	return &row.Session, &row.PrincipalUser, nil
}
