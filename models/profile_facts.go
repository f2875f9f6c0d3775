package models

import (
	"context"
	"sync"
	"time"
)

// pendingEmailSQL is the address the user's newest email-change link
// would confirm, or NULL when there is none or that link was used, voided
// or has expired: a newer link voids the older ones, so only the newest can
// be pending. It refers to users.id; its parameters are now and the
// purpose.
const pendingEmailSQL = "(SELECT CASE WHEN t.used_at IS NULL AND t.voided_at IS NULL AND t.expires_at > ? " +
	"THEN t.new_email END FROM tokens t WHERE t.user_id = users.id AND t.purpose = ? ORDER BY t.id DESC LIMIT 1)"

// ProfileFacts is what My Profile shows about a user beside their details.
type ProfileFacts struct {
	// PendingEmail is the address awaiting confirmation, or nil.
	PendingEmail *string `gorm:"column:pending_email"`
	// BackupCodesLeft counts the user's unused backup codes.
	BackupCodesLeft int64 `gorm:"column:backup_codes_left"`
	// LiveSessions counts the user's live sessions (as Listed counts them).
	LiveSessions int64 `gorm:"column:live_sessions"`
	// ThisDeviceAgent is the user agent the asking session was started
	// with, or nil when that session is not the user's.
	ThisDeviceAgent *string `gorm:"column:this_device_agent"`
	// LicenseVersion and LicenseAcceptedAt are the user's latest
	// acceptance of the license agreement; nil when they accepted none.
	LicenseVersion    *string    `gorm:"column:license_version"`
	LicenseAcceptedAt *time.Time `gorm:"column:license_accepted_at"`
	// SupportEvents are the support desk's newest verifications of the
	// user, newest first.
	SupportEvents []AuditEvent `gorm:"-"`
}

// ProfileAsk says whose ProfileFacts to read: the user, their account,
// the hash of the session asking, the time, and how many support desk
// verifications to list.
type ProfileAsk struct {
	UserID, AccountID int64
	Current           []byte
	Now               time.Time
	SupportEvents     int
}

// profileRow is one row of ProfileFacts' statement: the facts, repeated
// beside each support event (or once, beside none).
type profileRow struct {
	ProfileFacts
	Event AuditEvent `gorm:"embedded;embeddedPrefix:ev_"`
}

// ProfileFacts reads everything My Profile shows beyond the session's own
// user in one statement, where it took three: scalar subqueries for the
// pending address and the counts, a join to the latest license acceptance
// (a join keeps the column's type, which SQLite loses for a subquery's
// value), and the support desk's newest verifications joined beside them.
// It returns ErrNotFound for an unknown user.
func (s UserStore) ProfileFacts(ctx context.Context, ask ProfileAsk) (ProfileFacts, error) {
	query, err := profileFactsSQL()
	if err != nil {
		return ProfileFacts{}, err
	}
	var rows []profileRow
	err = s.q(ctx).Raw(query, ask.Now, PurposeEmailChange, ask.Now, ask.Current, ask.UserID,
		ask.AccountID, ask.UserID, ask.SupportEvents).Scan(&rows).Error
	if err != nil {
		return ProfileFacts{}, translate(err)
	}
	if len(rows) == 0 {
		return ProfileFacts{}, ErrNotFound
	}
	out := rows[0].ProfileFacts
	for _, r := range rows {
		if r.Event.ID != 0 {
			out.SupportEvents = append(out.SupportEvents, r.Event)
		}
	}
	return out, nil
}

// liveSessionSQL is the condition Listed and ProfileFacts count a session
// as live by, its columns unqualified so that it reads the sessions of the
// innermost query; its parameter is now.
const liveSessionSQL = "revoked_at IS NULL AND idle_expires_at >= ?"

// profileFactsSQL is ProfileFacts' statement. The support events' action
// prefix is written into the SQL, not bound: only a literal pattern lets
// PostgreSQL use the partial index on support events.
var profileFactsSQL = sync.OnceValues(func() (string, error) {
	events, err := prefixedColumns(&AuditEvent{}, "e", "ev_")
	if err != nil {
		return "", err
	}
	return `SELECT f.*, ` + events + ` FROM (
		SELECT ` + pendingEmailSQL + ` AS pending_email,
			(SELECT count(*) FROM backup_codes b WHERE b.user_id = users.id AND b.used_at IS NULL) AS backup_codes_left,
			(SELECT count(*) FROM sessions s WHERE s.user_id = users.id AND ` + liveSessionSQL + `) AS live_sessions,
			(SELECT s.user_agent FROM sessions s WHERE s.id_hash = ? AND s.user_id = users.id) AS this_device_agent,
			la.version AS license_version, la.accepted_at AS license_accepted_at
		FROM users
		LEFT JOIN license_acceptances la ON la.id = (SELECT l.id FROM license_acceptances l
			WHERE l.user_id = users.id ORDER BY l.accepted_at DESC, l.id DESC LIMIT 1)
		WHERE users.id = ?
	) f LEFT JOIN (
		SELECT * FROM audit_events WHERE account_id = ? AND target_id = ? AND action LIKE '` + SupportEventPrefix + `%'
		ORDER BY id DESC LIMIT ?
	) e ON 1 = 1
	ORDER BY e.id DESC`, nil
})

// PendingEmail returns the address awaiting the user's confirmation, or ""
// (by the same rule as ProfileFacts).
func (s TokenStore) PendingEmail(ctx context.Context, userID int64, now time.Time) (string, error) {
	var out ProfileFacts
	err := s.q(ctx).Table("users").Select(pendingEmailSQL+" AS pending_email", now, PurposeEmailChange).
		Where("users.id = ?", userID).Scan(&out).Error
	if err != nil || out.PendingEmail == nil {
		return "", translate(err)
	}
	return *out.PendingEmail, nil
}
