package support

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/app/security"
	"accountportal/models"
)

// Staff actions in the staff account's audit log.
const (
	ActionAgentCreated     = "support.agent_created"
	ActionAgentDisabled    = "support.agent_disabled"
	ActionOperatorCreated  = "provider.operator_created"
	ActionOperatorDisabled = "provider.operator_disabled"
	ActionStaffMFAReset    = "provider.staff_mfa_reset"
)

// StaffRole is what a member of the provider's staff account does: answer
// the support desk (an agent) or run customer accounts (an operator).
type StaffRole struct {
	// Name is how the command line and messages call the role.
	Name              string
	created, disabled string
	isOperator        bool
}

// The staff roles.
var (
	RoleAgent    = StaffRole{Name: "support agent", created: ActionAgentCreated, disabled: ActionAgentDisabled}
	RoleOperator = StaffRole{Name: "operator", created: ActionOperatorCreated, disabled: ActionOperatorDisabled, isOperator: true}
)

// holds reports whether u, of the staff account, has the role.
func (r StaffRole) holds(ctx context.Context, store *models.Store, u *models.User) (bool, error) {
	perms, err := store.Privileges.Direct(ctx, u.ID)
	if err != nil {
		return false, err
	}
	return slices.Contains(perms, identity.PermOperator) == r.isOperator, nil
}

// AgentLinkTTL is how long a new agent's set-password link works.
const AgentLinkTTL = 72 * time.Hour

// staffAccount is what the support desk's account is created with: it is
// never found by customer searches, and every agent must use a second
// factor.
func staffAccount() *models.Account {
	return &models.Account{Number: "00000000", Name: "Support desk", PasswordPreset: string(security.PresetNIST),
		MFAPolicy: models.MFAEveryone}
}

// NewAgent is who is added to the provider's staff.
type NewAgent struct {
	DisplayName string
	Email       string
}

// CreateAgent adds a support desk agent; see CreateStaff.
func (s *Service) CreateAgent(ctx context.Context, in NewAgent) (*models.User, string, error) {
	return s.CreateStaff(ctx, RoleAgent, in)
}

// CreateStaff adds a member of the provider's staff with role, invited,
// with a one-time link to choose a password, which it returns to hand
// over. Their username is their email address; the staff account makes
// them use a second factor.
func (s *Service) CreateStaff(ctx context.Context, role StaffRole, in NewAgent) (*models.User, string, error) {
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
		if role.isOperator {
			grant := &models.UserPermission{UserID: u.ID, Permission: identity.PermOperator, GrantedAt: now,
				GrantedByName: "command line"}
			if err := tx.Privileges.Grant(ctx, grant); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, now, audit.Entry{AccountID: staff.ID, Action: role.created,
			Target: audit.PartyOf(u), Details: map[string]any{"by": "command line"}})
	})
	if err != nil {
		return nil, "", err
	}
	return u, s.publicURL.JoinPath("/welcome/" + raw).String(), nil
}

// Agents returns every agent of the support desk, by name.
func (s *Service) Agents(ctx context.Context) ([]models.User, error) { return s.Staff(ctx, RoleAgent) }

// Staff returns every member of the provider's staff with role, by name.
func (s *Service) Staff(ctx context.Context, role StaffRole) ([]models.User, error) {
	staff, err := s.store.Accounts.Staff(ctx)
	if errors.Is(err, models.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	all, err := s.store.Users.Of(ctx, staff.ID)
	if err != nil {
		return nil, err
	}
	operators, err := s.store.Privileges.Holders(ctx, staff.ID, identity.PermOperator)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, u := range all {
		if operators[u.ID] == role.isOperator {
			out = append(out, u)
		}
	}
	return out, nil
}

// DisableAgent disables a support desk agent; see DisableStaff.
func (s *Service) DisableAgent(ctx context.Context, email string) (*models.User, error) {
	return s.DisableStaff(ctx, RoleAgent, email)
}

// DisableStaff suspends the member of staff with role and email: their
// sessions end at their next request and they cannot sign in again.
func (s *Service) DisableStaff(ctx context.Context, role StaffRole, email string) (*models.User, error) {
	staff, u, err := s.staffMember(ctx, role, email)
	if err != nil {
		return nil, err
	}
	now := s.now()
	err = s.store.InTx(ctx, func(tx *models.Store) error {
		if err := tx.Users.Suspend(ctx, []int64{u.ID}, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Entry{AccountID: staff.ID, Action: role.disabled,
			Target: audit.PartyOf(u), Details: map[string]any{"by": "command line"}})
	})
	u.Status = models.StatusSuspended
	return u, err
}

// ResetStaffMFA resets the second factor of the member of staff with role
// and email, who lost their phone and backup codes: the authenticator and
// codes stop working, their sessions end, and their next sign-in sets up a
// new authenticator. Staff have no administrator in the portal, so
// whoever runs the portal does this from the command line.
func (s *Service) ResetStaffMFA(ctx context.Context, role StaffRole, email string) (*models.User, error) {
	staff, u, err := s.staffMember(ctx, role, email)
	if err != nil {
		return nil, err
	}
	now := s.now()
	err = s.store.InTx(ctx, func(tx *models.Store) error {
		if err := tx.MFA.ResetOf(ctx, []int64{u.ID}, true, now); err != nil {
			return err
		}
		if _, err := tx.Sessions.RevokeOf(ctx, []int64{u.ID}, "mfa_reset", now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Entry{AccountID: staff.ID, Action: ActionStaffMFAReset,
			Target: audit.PartyOf(u), Details: map[string]any{"by": "command line", "role": role.Name}})
	})
	return u, err
}

// staffMember returns the staff account and its member with role and email.
func (s *Service) staffMember(ctx context.Context, role StaffRole, email string) (*models.Account, *models.User, error) {
	staff, err := s.store.Accounts.Staff(ctx)
	if err != nil {
		return nil, nil, apperr.New(apperr.NotFound, "there are no "+role.Name+"s")
	}
	missing := apperr.New(apperr.NotFound, "no "+role.Name+" has the email "+email)
	u, err := s.store.Users.ByUsernameKey(ctx, identity.UsernameKey(strings.TrimSpace(email)))
	if err != nil || u.AccountID != staff.ID {
		return nil, nil, missing
	}
	if ok, err := role.holds(ctx, s.store, u); err != nil {
		return nil, nil, err
	} else if !ok {
		return nil, nil, missing
	}
	return staff, u, nil
}
