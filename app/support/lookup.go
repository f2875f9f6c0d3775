package support

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"

	"accountportal/app/apperr"
	"accountportal/app/identity"
	"accountportal/models"
)

// Caller is someone of a customer account who may phone the support desk.
type Caller struct {
	User models.User
	// Admin is true for the Primary Admin and every Secondary Admin; only
	// admins may ask for changes.
	Admin bool
	// Areas are the support areas the caller may ask about, in catalogue
	// order: all of them for the Primary Admin.
	Areas         []string
	HasPassphrase bool
}

// May reports whether the caller may ask about area.
func (c Caller) May(area string) bool { return slices.Contains(c.Areas, area) }

// Areas lists the support areas a caller can ask about, in display order.
func Areas() []identity.Permission { return identity.SupportAreas() }

// IsArea reports whether key names a support area.
func IsArea(key string) bool { return identity.IsSupportArea(key) }

var accountNumber = regexp.MustCompile(`^[0-9]{8}$`)

// FindAccounts returns the customer accounts whose number is query, or
// whose company name is query (ignoring case and surrounding spaces). It
// returns an apperr.Invalid error when nothing matches.
func (s *Service) FindAccounts(ctx context.Context, query string) ([]models.Account, error) {
	query = strings.TrimSpace(query)
	if query == "" {
		return nil, apperr.Problems(map[apperr.Subject]string{AccountQuery: "Enter an account number or the company's exact name"})
	}
	if accountNumber.MatchString(query) {
		a, err := s.store.Accounts.ByNumber(ctx, query)
		if err == nil && !a.IsStaff() {
			return []models.Account{*a}, nil
		}
		if err != nil && !errors.Is(err, models.ErrNotFound) {
			return nil, err
		}
	}
	found, err := s.store.Accounts.ByName(ctx, query)
	if err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return nil, apperr.Problems(map[apperr.Subject]string{AccountQuery: "No customer account has that number or name"})
	}
	return found, nil
}

// Account returns the customer account with id, or ErrNoAccount.
func (s *Service) Account(ctx context.Context, id int64) (*models.Account, error) {
	a, err := s.store.Accounts.ByID(ctx, id)
	if errors.Is(err, models.ErrNotFound) || (err == nil && a.IsStaff()) {
		return nil, ErrNoAccount
	}
	return a, err
}

// Admins returns the account's Primary Admin and Secondary Admins who can
// sign in or are suspended, with the areas each may ask about: two
// queries, however many admins.
func (s *Service) Admins(ctx context.Context, accountID int64) ([]Caller, error) {
	rows, err := s.store.Privileges.Admins(ctx, accountID)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(rows))
	for _, r := range rows {
		if r.Status == models.StatusActive || r.Status == models.StatusSuspended {
			ids = append(ids, r.ID)
		}
	}
	perms, err := s.store.Privileges.EffectiveOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Caller, 0, len(ids))
	for _, r := range rows {
		if r.Status == models.StatusActive || r.Status == models.StatusSuspended {
			out = append(out, callerOf(r.User, perms[r.ID], r.HasPassphrase))
		}
	}
	return out, nil
}

// CallerByUsername finds a user of the account by username, so the agent
// can tell a caller who is not an admin that they cannot ask for changes.
func (s *Service) CallerByUsername(ctx context.Context, accountID int64, username string) (*Caller, error) {
	username = strings.TrimSpace(username)
	if username == "" {
		return nil, apperr.Problems(map[apperr.Subject]string{CallerUsername: "Enter the caller's username"})
	}
	u, err := s.store.Users.ByUsernameKey(ctx, identity.UsernameKey(username))
	if errors.Is(err, models.ErrNotFound) || (err == nil && u.AccountID != accountID) {
		return nil, apperr.Problems(map[apperr.Subject]string{CallerUsername: "This account has no user with that username"})
	}
	if err != nil {
		return nil, err
	}
	return s.caller(ctx, u)
}

// callerIn returns the user with id as a caller of accountID, or ErrNoCaller.
func (s *Service) callerIn(ctx context.Context, accountID, userID int64) (*Caller, error) {
	u, err := s.store.Users.InAccount(ctx, accountID, userID)
	if errors.Is(err, models.ErrNotFound) {
		return nil, ErrNoCaller
	}
	if err != nil {
		return nil, err
	}
	return s.caller(ctx, u)
}

func (s *Service) caller(ctx context.Context, u *models.User) (*Caller, error) {
	perms, err := s.store.Privileges.Effective(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	has, err := s.store.Secrets.HasPassphrase(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	c := callerOf(*u, perms, has)
	return &c, nil
}

// callerOf applies the privilege model's own rules (identity.Principal):
// the Primary Admin may ask about every area, others about those they hold.
func callerOf(u models.User, perms []string, hasPassphrase bool) Caller {
	p := identity.Principal{User: &u, Permissions: make(map[string]bool, len(perms))}
	for _, k := range perms {
		p.Permissions[k] = true
	}
	c := Caller{User: u, Admin: p.IsAdmin(), HasPassphrase: hasPassphrase}
	for _, a := range Areas() {
		if p.Can(a.Key) {
			c.Areas = append(c.Areas, a.Key)
		}
	}
	return c
}

// holders names the account's active users who may ask about area.
func (s *Service) holders(ctx context.Context, accountID int64, area string) ([]string, error) {
	admins, err := s.Admins(ctx, accountID)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, c := range admins {
		if c.User.Status == models.StatusActive && c.May(area) {
			names = append(names, c.User.DisplayName)
		}
	}
	return names, nil
}
