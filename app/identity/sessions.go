package identity

import (
	"context"
	"time"

	"accountportal/app/audit"
	"accountportal/models"
)

// MaxSessionsPerUser is how many sessions one user keeps at once. Signing
// in again beyond it ends the least recently used, so someone who signs in
// many times a day (or a script) neither piles up live sessions nor makes
// their session lists grow.
const MaxSessionsPerUser = 10

// ActionSessionsLimited is audited when a sign-in ended older sessions.
const ActionSessionsLimited = "session.limit_reached"

// limitSessions keeps the user's most recently used sessions, one fewer
// than MaxSessionsPerUser since the sign-in's own session is written after
// this transaction, revokes the rest (their next request says the session
// ended) and audits how many went.
func limitSessions(ctx context.Context, tx *models.Store, u *models.User, now time.Time, from audit.Origin) error {
	n, err := tx.Sessions.RevokeBeyond(ctx, u.ID, MaxSessionsPerUser-1, models.RevokedSessionLimit, now)
	if err != nil || n == 0 {
		return err
	}
	return audit.Record(ctx, tx, now, audit.Entry{AccountID: u.AccountID, Actor: audit.PartyOf(u),
		Action: ActionSessionsLimited, Target: audit.PartyOf(u), Origin: from,
		Details: map[string]any{"sessions_ended": n, "limit": MaxSessionsPerUser}})
}
