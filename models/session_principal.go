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
	query, err := sessionWithUserSQL[s.dialect]()
	if err != nil {
		return nil, nil, err
	}
	var out []sessionAndUser
	if err := s.q(ctx).Raw(query, SecretPassphrase, now, hash).Scan(&out).Error; err != nil {
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

// sessionWithUserSQL is ByHashWithUser's statement, written once per
// dialect: it runs on every signed-in request, and building it through
// GORM's clauses each time cost a fifth of the statement's CPU.
var sessionWithUserSQL = map[Dialect]func() (string, error){
	SQLite:   sync.OnceValues(func() (string, error) { return sessionWithUserQuery(SQLite) }),
	Postgres: sync.OnceValues(func() (string, error) { return sessionWithUserQuery(Postgres) }),
}

func sessionWithUserQuery(d Dialect) (string, error) {
	sessCols, err := sessionColumns()
	if err != nil {
		return "", err
	}
	sel, err := principalSelect(d)
	if err != nil {
		return "", err
	}
	return "SELECT " + sessCols + ", " + sel + ` FROM sessions
		LEFT JOIN users ON users.id = sessions.user_id
		LEFT JOIN accounts ON accounts.id = users.account_id
		WHERE sessions.id_hash = ? LIMIT 1`, nil
}
