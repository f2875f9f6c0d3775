package profile

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"time"

	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/models"
	"accountportal/views/emails"
)

// ErrNoSuchSession answers a sign-out of a session that is not the user's
// own: unknown, or someone else's, alike.
var ErrNoSuchSession = apperr.New(apperr.NotFound, "That session has already ended.")

// ErrSessionEnded answers a sign-out of one of the user's own sessions that
// had already ended (a list left open in another tab): nothing to do, and
// nothing about anyone else to hide.
var ErrSessionEnded = errors.New("profile: the session had already ended")

// SessionView is one of the user's sessions, as My Profile lists it.
type SessionView struct {
	// Handle names the session in forms: the hex SHA-256 of its ID, which
	// cannot be turned back into a cookie.
	Handle     string
	Device     string
	IP         string
	Started    time.Time
	LastActive time.Time
	ThisDevice bool
}

// ListedSessions is how many sessions My Profile lists, so the page stays
// small whatever the user's history.
const ListedSessions = 10

// SessionList is the part of the user's live sessions that My Profile shows.
type SessionList struct {
	// Rows are this device's session first, then the others most
	// recently used first, at most ListedSessions in all.
	Rows []SessionView
	// Total counts every live session of the user, listed or not.
	Total int64
}

// Sessions lists the user's most recent live sessions, always including
// the one with hash current, and counts them all, in one statement.
func (s *Service) Sessions(ctx context.Context, userID int64, current []byte) (SessionList, error) {
	rows, total, err := s.store.Sessions.Listed(ctx, userID, current, s.now(), ListedSessions)
	if err != nil {
		return SessionList{}, err
	}
	list := SessionList{Total: total}
	for i := range rows {
		list.Rows = append(list.Rows, view(&rows[i], bytes.Equal(rows[i].IDHash, current)))
	}
	return list, nil
}

func view(r *models.Session, this bool) SessionView {
	return SessionView{Handle: hex.EncodeToString(r.IDHash), Device: Device(r.UserAgent), IP: r.IP,
		Started: r.CreatedAt, LastActive: r.LastSeenAt, ThisDevice: this}
}

// SignOutSession ends one of the user's own sessions. A handle of one of
// their sessions that had already ended returns ErrSessionEnded; any other
// handle that is not one of their live sessions, ErrNoSuchSession.
func (s *Service) SignOutSession(ctx context.Context, u *models.User, handle string, from audit.Origin) error {
	hash, err := hex.DecodeString(handle)
	if err != nil || len(hash) != 32 {
		return ErrNoSuchSession
	}
	return s.change(ctx, u, ActionSessionSignedOut, emails.Text{}, emails.Text{}, from, nil, func(tx *models.Store, now time.Time) error {
		err := tx.Sessions.Revoke(ctx, u.AccountID, u.ID, hash, "signed_out_elsewhere", now)
		if errors.Is(err, models.ErrNotFound) {
			return whyNotLive(ctx, tx, u, hash)
		}
		return err
	})
}

// whyNotLive tells the user's own ended session (ErrSessionEnded) from a
// session that is unknown or not theirs (ErrNoSuchSession, one answer for
// both, so another user's session shows nothing).
func whyNotLive(ctx context.Context, tx *models.Store, u *models.User, hash []byte) error {
	row, err := tx.Sessions.ByHash(ctx, hash)
	if errors.Is(err, models.ErrNotFound) {
		return ErrNoSuchSession
	}
	if err != nil {
		return err
	}
	if row.UserID == nil || *row.UserID != u.ID || row.AccountID == nil || *row.AccountID != u.AccountID {
		return ErrNoSuchSession
	}
	return ErrSessionEnded
}

// SignOutOthers ends every session of the user except current.
func (s *Service) SignOutOthers(ctx context.Context, u *models.User, current []byte, from audit.Origin) (int64, error) {
	var n int64
	err := s.change(ctx, u, ActionOthersSignedOut, emails.Text{}, emails.Text{}, from, nil, func(tx *models.Store, now time.Time) error {
		var err error
		n, err = tx.Sessions.RevokeOthers(ctx, u.ID, current, "signed_out_elsewhere", now)
		return err
	})
	return n, err
}
