package provider

import (
	"context"
	"errors"
	"slices"
	"time"

	"accountportal/app/apperr"
	"accountportal/app/identity"
	"accountportal/models"
)

// ErrNoAccount answers for an id that is no customer account: unknown, or
// the provider's own staff account.
var ErrNoAccount = apperr.New(apperr.NotFound, "No such customer account.")

// AccountDetail is what the operator sees of one customer account. It
// holds whether each admin has a support passphrase, never the
// passphrase.
type AccountDetail struct {
	Account models.Account
	// Users counts the account's users by status; UsersTotal sums them.
	Users      map[string]int64
	UsersTotal int64
	Admins     []AdminSummary
	// LastSignIn is the latest sign-in of any of its users; LastEvent the
	// latest entry of its audit log. Either may be nil.
	LastSignIn *time.Time
	LastEvent  *models.AuditEvent
	// Invitation is the Primary Admin's open invitation (an unused,
	// unvoided welcome link) while the account is pending; nil otherwise.
	Invitation *models.Token
	// License is the version of the agreement in force ("" when none is)
	// and NotAccepted how many of the account's users who can sign in
	// have not accepted it.
	License     string
	NotAccepted int64
}

// AdminSummary is one admin of the account and where their areas come
// from.
type AdminSummary struct {
	User models.User
	// Direct are the areas granted to them directly.
	Direct []string
	// Roles are their roles, each with the areas it brings.
	Roles         []RoleAreas
	HasPassphrase bool
}

// RoleAreas is a role and the areas it brings.
type RoleAreas struct {
	Name  string
	Areas []string
}

// Account returns the customer account with id as the operator console
// shows it. It returns ErrNotOperator for anyone but an operator and
// ErrNoAccount for an unknown id or the staff account's.
func (s *Service) Account(ctx context.Context, op *identity.Principal, id int64) (*AccountDetail, error) {
	if !op.IsOperator() {
		return nil, ErrNotOperator
	}
	a, err := customer(ctx, s.store, id)
	if err != nil {
		return nil, err
	}
	d := &AccountDetail{Account: *a}
	if d.Users, err = s.store.Accounts.UsersByStatus(ctx, a.ID); err != nil {
		return nil, err
	}
	for _, n := range d.Users {
		d.UsersTotal += n
	}
	if d.Admins, err = s.admins(ctx, a.ID); err != nil {
		return nil, err
	}
	if d.LastSignIn, err = s.store.Accounts.LastSignIn(ctx, a.ID); err != nil {
		return nil, err
	}
	events, err := s.store.Audit.ForAccount(ctx, a.ID, 1)
	if err != nil {
		return nil, err
	}
	if len(events) == 1 {
		d.LastEvent = &events[0]
	}
	if d.License, d.NotAccepted, err = s.licenseStanding(ctx, a.ID); err != nil {
		return nil, err
	}
	if a.Status == models.AccountPending {
		d.Invitation, err = s.openInvitation(ctx, a.ID)
	}
	return d, err
}

// admins returns the account's admins with their direct areas and their
// roles' areas: four queries however many admins there are.
func (s *Service) admins(ctx context.Context, accountID int64) ([]AdminSummary, error) {
	users, err := s.store.Privileges.AdminsWithGrants(ctx, accountID)
	if err != nil || len(users) == 0 {
		return nil, err
	}
	roles, err := s.store.Roles.Of(ctx, accountID)
	if err != nil {
		return nil, err
	}
	out := make([]AdminSummary, len(users))
	for i, u := range users {
		out[i] = AdminSummary{User: u.User, Direct: u.Direct, HasPassphrase: u.HasPassphrase}
		for _, r := range roles {
			if slices.Contains(u.RoleIDs, r.ID) {
				out[i].Roles = append(out[i].Roles, RoleAreas{Name: r.Name, Areas: r.Permissions})
			}
		}
	}
	return out, nil
}

// openInvitation returns the Primary Admin's newest welcome link when it
// is neither used nor voided (it may have expired: the page says so), or
// nil.
func (s *Service) openInvitation(ctx context.Context, accountID int64) (*models.Token, error) {
	pa, err := s.store.Users.PrimaryAdminOf(ctx, accountID)
	if errors.Is(err, models.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	links, err := s.store.Tokens.OfUser(ctx, pa.ID, models.PurposeInvitation, 1)
	if err != nil || len(links) == 0 || links[0].UsedAt != nil || links[0].VoidedAt != nil {
		return nil, err
	}
	return &links[0], nil
}
