package support

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/models"
)

// ActionCodeIssued records that an admin made a one-time support code. It
// is not under "support." so it never counts as a verification.
const ActionCodeIssued = "support_code.issued"

// ErrCodeNotAdmin refuses a support code to users who may not ask the
// support desk for anything.
var ErrCodeNotAdmin = apperr.New(apperr.Forbidden, "Only admins can make a support code.")

// Code is a one-time support code, shown once to the admin who made it.
type Code struct {
	Value     string
	ExpiresAt time.Time
}

// codeDigest is what the tokens table keeps of a code. The user's id is
// part of it, so two users holding the same six digits do not collide.
func codeDigest(userID int64, code string) []byte {
	d := sha256.Sum256([]byte("support-code\x00" + strconv.FormatInt(userID, 10) + "\x00" + code))
	return d[:]
}

// CodeTTL is how long a support code works.
func (s *Service) CodeTTL() time.Duration { return s.cfg.CodeTTL }

// MayIssueCode reports whether p may make a support code: admins of
// customer accounts, who are the ones allowed to ask the desk for anything.
func MayIssueCode(p *identity.Principal) bool { return p.IsAdmin() && !p.Account.IsStaff() }

// IssueCode makes a 6-digit code the admin can give the support desk
// instead of their passphrase, valid for 15 minutes and once. It voids the
// admin's earlier codes. Like seeing the passphrase, it needs the password
// typed within the last five minutes (identity.ErrReauthRequired).
func (s *Service) IssueCode(ctx context.Context, p *identity.Principal, passwordAt time.Time, from audit.Origin) (*Code, error) {
	if !MayIssueCode(p) {
		return nil, ErrCodeNotAdmin
	}
	now := s.now()
	if !identity.Recent(passwordAt, now) {
		return nil, identity.ErrReauthRequired
	}
	// A digest can repeat one of the user's old codes; draw again then.
	for range 5 {
		code, err := randomCode()
		if err != nil {
			return nil, err
		}
		t := &models.Token{UserID: p.User.ID, Purpose: models.PurposeSupportCode, SHA256: codeDigest(p.User.ID, code),
			CreatedAt: now, ExpiresAt: now.Add(s.cfg.CodeTTL)}
		err = s.store.InTx(ctx, func(tx *models.Store) error {
			if _, err := tx.Tokens.Void(ctx, p.User.ID, "newer code made", now, 0, models.PurposeSupportCode); err != nil {
				return err
			}
			if err := tx.Tokens.Create(ctx, t); err != nil {
				return err
			}
			return audit.Record(ctx, tx, now, audit.Entry{AccountID: p.Account.ID, Actor: audit.PartyOf(p.User),
				Action: ActionCodeIssued, Target: audit.PartyOf(p.User), Origin: from,
				Details: map[string]any{"expires_at": t.ExpiresAt.UTC().Format(time.RFC3339)}})
		})
		if errors.Is(err, models.ErrConflict) {
			continue
		}
		if err != nil {
			return nil, err
		}
		return &Code{Value: code, ExpiresAt: t.ExpiresAt}, nil
	}
	return nil, errors.New("support: no fresh support code after 5 draws")
}

func randomCode() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%06d", n.Int64()), nil
}

// useCode spends the user's code if it is live, and reports whether it was.
func (s *Service) useCode(ctx context.Context, userID int64, code string) (bool, error) {
	t, err := s.store.Tokens.ByDigest(ctx, codeDigest(userID, code))
	if errors.Is(err, models.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if t.UserID != userID || t.Purpose != models.PurposeSupportCode {
		return false, nil
	}
	// Tokens.Use succeeds once, for a code neither used, voided nor expired;
	// of two agents racing with the same code, one wins.
	err = s.store.Tokens.Use(ctx, t.ID, s.now())
	if errors.Is(err, models.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// Check is one of the support desk's verifications of a user, as the user
// sees it in My Profile.
type Check struct {
	At    time.Time
	Agent string
	// Area is the permission key asked about, or "" when the entry has none.
	Area    string
	Outcome Outcome
}

// Checks turns the support desk's verifications, read back from the audit
// log (newest first, as models.ProfileFacts lists them), into what the
// user's My Profile shows of them.
func Checks(events []models.AuditEvent) []Check {
	out := make([]Check, 0, len(events))
	for _, e := range events {
		var d struct {
			Area string `json:"area"`
		}
		_ = json.Unmarshal([]byte(e.Details), &d) // entries without details show no area
		out = append(out, Check{At: e.At, Agent: e.ActorName, Area: d.Area,
			Outcome: Outcome(strings.TrimPrefix(e.Action, models.SupportEventPrefix))})
	}
	return out
}
