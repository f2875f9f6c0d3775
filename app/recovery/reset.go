package recovery

import (
	"context"
	"strconv"
	"time"

	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/app/mail"
	"accountportal/app/security"
	"accountportal/app/throttle"
	"accountportal/models"
)

// ErrNotActive refuses an administrator's reset for a user who cannot sign in.
var ErrNotActive = apperr.New(apperr.Conflict, "Only active users can be sent a password reset.")

// SendPasswordReset emails the user a fresh reset link at an administrator's
// request ("Your administrator asked you to reset your password"). The
// administrator never sees or sets the password. It returns an
// apperr.NotFound error when the user is not in the administrator's account
// and ErrNotActive when the user is suspended or has not joined yet.
func (s *Service) SendPasswordReset(ctx context.Context, actor *models.User, userID int64, from audit.Origin) error {
	err := s.store.InTx(ctx, func(tx *models.Store) error {
		u, err := tx.Users.InAccount(ctx, actor.AccountID, userID)
		if err != nil {
			return apperr.New(apperr.NotFound, "No such user.")
		}
		if u.Status != models.StatusActive {
			return ErrNotActive
		}
		return s.IssueReset(ctx, tx, u, actor, "", from)
	})
	if err == nil {
		s.mailWake()
	}
	return err
}

// IssueReset creates a reset link for u, voids the older ones, queues the
// email and audits it, all in tx: callers that act on many users at once
// call it inside their own transaction. actor is the administrator who
// asked, or nil when the user asked; reason is the one they gave, if any
// (a bulk action's), kept in the audit entry, the one entry of the link.
func (s *Service) IssueReset(ctx context.Context, tx *models.Store, u *models.User, actor *models.User, reason string, from audit.Origin) error {
	_, err := s.issue(ctx, tx, u, actor, reason, from)
	return err
}

func (s *Service) issue(ctx context.Context, tx *models.Store, u *models.User, actor *models.User, reason string, from audit.Origin) (*models.Token, error) {
	now := s.now()
	if _, err := tx.Tokens.Void(ctx, u.ID, "newer link sent", now, 0, models.PurposeReset); err != nil {
		return nil, err
	}
	raw, digest := security.NewToken()
	t := &models.Token{UserID: u.ID, Purpose: models.PurposeReset, SHA256: digest,
		CreatedAt: now, ExpiresAt: now.Add(s.cfg.ResetTTL)}
	who, requestedBy := audit.PartyOf(u), ""
	byProvider := actor != nil && actor.AccountID != u.AccountID
	if actor != nil {
		t.RequestedByID, t.RequestedByName = &actor.ID, actor.DisplayName
		who, requestedBy = audit.PartyOf(actor), actor.DisplayName
	}
	if byProvider {
		// The account's ledger and log name the provider's operator as the
		// customer knows them, never by their staff address.
		t.RequestedByName = "the provider's operator " + actor.DisplayName
		who = &audit.Party{ID: actor.ID, Name: t.RequestedByName}
	}
	if err := tx.Tokens.Create(ctx, t); err != nil {
		return nil, err
	}
	// The recipient's language: their own, else their account's; for a
	// reset they asked for themselves, else the language they asked in.
	reader := mail.Visitor
	if actor != nil {
		reader = mail.Reader
	}
	rctx, err := reader(ctx, tx, u)
	if err != nil {
		return nil, err
	}
	msg, err := mail.ResetEmail{To: u.Email, DisplayName: u.DisplayName, Username: u.Username,
		Link: s.link("/reset/" + raw), ValidFor: s.cfg.ResetTTL, RequestedBy: requestedBy,
		ByProvider: byProvider}.Message(rctx)
	if err != nil {
		return nil, err
	}
	msg.AccountID = u.AccountID
	if err := mail.Enqueue(ctx, tx, msg, &t.ID, now); err != nil {
		return nil, err
	}
	details := map[string]any{"link_id": t.ID, "by_admin": actor != nil,
		"expires_at": t.ExpiresAt.UTC().Format("2006-01-02T15:04:05Z")}
	if reason != "" {
		details["reason"] = reason
	}
	return t, audit.Record(ctx, tx, now, audit.Entry{AccountID: u.AccountID, Actor: who,
		Action: audit.ActionResetRequested, Target: audit.PartyOf(u), Origin: from, Details: details})
}

func answerKey(userID int64) string { return "reset:answer:user:" + strconv.FormatInt(userID, 10) }

// AnswerKey is the throttle key whose lock blocks the user's password
// reset after wrong security answers.
func (s *Service) AnswerKey(userID int64) string { return answerKey(userID) }

// AnswerLockedUntil returns when the block on resetting the user's password
// after wrong security answers ends, or the zero time when there is none.
func (s *Service) AnswerLockedUntil(ctx context.Context, userID int64) (time.Time, error) {
	return s.limiter.LockedUntil(ctx, answerKey(userID))
}

// LiftAnswerLock ends the block on resetting the user's password after
// wrong security answers, and forgets the wrong answers, inside the
// caller's transaction (an administrator clears the question or unblocks
// the user). It reports whether the user was blocked.
func (s *Service) LiftAnswerLock(ctx context.Context, tx *models.Store, userID int64) (bool, error) {
	until, err := throttle.LockedUntil(ctx, tx, s.now(), answerKey(userID))
	if err != nil {
		return false, err
	}
	return !until.IsZero(), tx.Throttles.Clear(ctx, answerKey(userID))
}

// BlockedAmong returns which of the users with ids wrong security answers
// block from resetting their password, through tx: an administrator's
// reset link would lead them only to "Password reset is blocked".
func (s *Service) BlockedAmong(ctx context.Context, tx *models.Store, ids []int64) (map[int64]bool, error) {
	keys := make([]string, len(ids))
	byKey := make(map[string]int64, len(ids))
	for i, id := range ids {
		keys[i] = answerKey(id)
		byKey[keys[i]] = id
	}
	rows, err := tx.Throttles.ByKeys(ctx, keys)
	if err != nil {
		return nil, err
	}
	now := s.now()
	out := map[int64]bool{}
	for _, r := range rows {
		if r.LockedUntil != nil && r.LockedUntil.After(now) {
			out[byKey[r.Key]] = true
		}
	}
	return out, nil
}
