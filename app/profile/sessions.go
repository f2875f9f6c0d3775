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
)

// ErrNoSuchSession answers a sign-out of a session that is not the user's
// own live session.
var ErrNoSuchSession = apperr.New(apperr.NotFound, "That session has already ended.")

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

// Sessions lists the user's live sessions, marking the one with hash
// current.
func (s *Service) Sessions(ctx context.Context, userID int64, current []byte) ([]SessionView, error) {
	rows, err := s.store.SessionsOfUser(ctx, userID, s.now())
	if err != nil {
		return nil, err
	}
	out := make([]SessionView, len(rows))
	for i, r := range rows {
		out[i] = SessionView{Handle: hex.EncodeToString(r.IDHash), Device: Device(r.UserAgent), IP: r.IP,
			Started: r.CreatedAt, LastActive: r.LastSeenAt, ThisDevice: bytes.Equal(r.IDHash, current)}
	}
	return out, nil
}

// SignOutSession ends one of the user's own sessions. A handle that is not
// one of their live sessions returns ErrNoSuchSession.
func (s *Service) SignOutSession(ctx context.Context, u *models.User, handle string, from audit.Origin) error {
	hash, err := hex.DecodeString(handle)
	if err != nil || len(hash) != 32 {
		return ErrNoSuchSession
	}
	return s.change(ctx, u, ActionSessionSignedOut, "", "", from, nil, func(tx *models.Store, now time.Time) error {
		err := tx.RevokeSession(ctx, u.ID, hash, "signed_out_elsewhere", now)
		if errors.Is(err, models.ErrNotFound) {
			return ErrNoSuchSession
		}
		return err
	})
}

// SignOutOthers ends every session of the user except current.
func (s *Service) SignOutOthers(ctx context.Context, u *models.User, current []byte, from audit.Origin) (int64, error) {
	var n int64
	err := s.change(ctx, u, ActionOthersSignedOut, "", "", from, nil, func(tx *models.Store, now time.Time) error {
		var err error
		n, err = tx.RevokeOtherSessions(ctx, u.ID, current, "signed_out_elsewhere", now)
		return err
	})
	return n, err
}
