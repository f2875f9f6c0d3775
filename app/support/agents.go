package support

import (
	"context"
	"errors"
	"strings"
	"time"

	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/app/security"
	"accountportal/models"
)

// Agent actions in the staff account's audit log.
const (
	ActionAgentCreated  = "support.agent_created"
	ActionAgentDisabled = "support.agent_disabled"
)

// AgentLinkTTL is how long a new agent's set-password link works.
const AgentLinkTTL = 72 * time.Hour

// staffAccount is what the support desk's account is created with: it is
// never found by customer searches, and every agent must use a second
// factor.
func staffAccount() *models.Account {
	return &models.Account{Number: "00000000", Name: "Support desk", PasswordPreset: string(security.PresetNIST),
		MFAPolicy: models.MFAEveryone}
}

// NewAgent is who the operator adds to the support desk.
type NewAgent struct {
	DisplayName string
	Email       string
}

// CreateAgent adds an agent, invited, with a one-time link to choose a
// password, which it returns for the operator to hand over. The agent's
// username is their email address.
func (s *Service) CreateAgent(ctx context.Context, in NewAgent) (*models.User, string, error) {
	name, email := strings.TrimSpace(in.DisplayName), strings.TrimSpace(in.Email)
	if msg := identity.CheckDisplayName(name); msg != "" {
		return nil, "", apperr.New(apperr.Invalid, "--name: "+msg)
	}
	if msg := identity.CheckEmail(email); msg != "" {
		return nil, "", apperr.New(apperr.Invalid, "--email: "+msg)
	}
	now := s.now()
	staff, err := s.store.Accounts.EnsureStaff(ctx, staffAccount(), now)
	if err != nil {
		return nil, "", err
	}
	u := &models.User{AccountID: staff.ID, Username: email, UsernameKey: identity.UsernameKey(email),
		Email: email, EmailKey: identity.EmailKey(email), DisplayName: name, Status: models.StatusInvited}
	raw, digest := security.NewToken()
	err = s.store.InTx(ctx, func(tx *models.Store) error {
		if err := tx.Users.Create(ctx, u); err != nil {
			if errors.Is(err, models.ErrConflict) {
				return apperr.New(apperr.Conflict, "--email: the username "+email+" is taken")
			}
			return err
		}
		t := &models.Token{UserID: u.ID, Purpose: models.PurposeWelcome, SHA256: digest, CreatedAt: now,
			ExpiresAt: now.Add(AgentLinkTTL), RequestedByName: "operator"}
		if err := tx.Tokens.Create(ctx, t); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Entry{AccountID: staff.ID, Action: ActionAgentCreated,
			Target: audit.PartyOf(u), Details: map[string]any{"by": "command line"}})
	})
	if err != nil {
		return nil, "", err
	}
	return u, s.publicURL.JoinPath("/welcome/" + raw).String(), nil
}

// Agents returns every agent of the support desk, by name.
func (s *Service) Agents(ctx context.Context) ([]models.User, error) {
	staff, err := s.store.Accounts.Staff(ctx)
	if errors.Is(err, models.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return s.store.Users.Of(ctx, staff.ID)
}

// DisableAgent suspends the agent with email: their sessions end at their
// next request and they cannot sign in again.
func (s *Service) DisableAgent(ctx context.Context, email string) (*models.User, error) {
	staff, err := s.store.Accounts.Staff(ctx)
	if err != nil {
		return nil, apperr.New(apperr.NotFound, "there are no support agents")
	}
	u, err := s.store.Users.ByUsernameKey(ctx, identity.UsernameKey(strings.TrimSpace(email)))
	if err != nil || u.AccountID != staff.ID {
		return nil, apperr.New(apperr.NotFound, "no support agent has the email "+email)
	}
	now := s.now()
	err = s.store.InTx(ctx, func(tx *models.Store) error {
		if err := tx.Users.Suspend(ctx, []int64{u.ID}, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Entry{AccountID: staff.ID, Action: ActionAgentDisabled,
			Target: audit.PartyOf(u), Details: map[string]any{"by": "command line"}})
	})
	u.Status = models.StatusSuspended
	return u, err
}
