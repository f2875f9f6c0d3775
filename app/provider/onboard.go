package provider

import (
	"context"
	"errors"
	"strings"
	"time"

	"accountportal/app/account"
	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/app/security"
	"accountportal/models"
	"accountportal/views/i18n"
)

// The subjects of the onboarding form's problems.
const (
	CompanyName apperr.Subject = "provider.company_name"
	AdminName   apperr.Subject = "provider.admin_name"
	AdminEmail  apperr.Subject = "provider.admin_email"
	Language    apperr.Subject = "provider.language"
)

// OnboardSubjects lists every subject Onboard can report a problem with.
var OnboardSubjects = []apperr.Subject{CompanyName, AdminName, AdminEmail, Language}

// InvitationTTL is how long a Primary Admin's invitation link works.
const InvitationTTL = 72 * time.Hour

// NewAccount is what an operator types to onboard a customer.
type NewAccount struct {
	CompanyName string
	AdminName   string
	AdminEmail  string
	// Language is the company's: the account's default language, so the
	// invitation and the pages its people read before choosing their own
	// speak it ("": each person's browser's).
	Language string
}

// Onboarded is a new account with its invited Primary Admin.
type Onboarded struct {
	Account *models.Account
	Admin   *models.User
	// DerivedUsername says the Primary Admin's email address was taken as
	// a username, so they got another one (Admin.Username).
	DerivedUsername bool
}

// Onboard creates a customer account waiting for its Primary Admin and
// invites them, in one transaction: the account with a fresh random
// 8-digit number (status pending), the Primary Admin (invited, with their
// email address as username unless someone in any account has it), a
// 72-hour invitation link in their link ledger, its email, and the record
// in both audit logs. It returns an apperr.Invalid error with per-field
// messages, or ErrNotOperator.
func (s *Service) Onboard(ctx context.Context, op *identity.Principal, in NewAccount, from audit.Origin) (*Onboarded, error) {
	if !op.IsOperator() {
		return nil, ErrNotOperator
	}
	in = NewAccount{CompanyName: strings.TrimSpace(in.CompanyName), AdminName: strings.TrimSpace(in.AdminName),
		AdminEmail: strings.TrimSpace(in.AdminEmail), Language: in.Language}
	if err := checkNewAccount(in); err != nil {
		return nil, err
	}
	// A number or username taken between the check and the insert fails
	// the transaction with a conflict: then pick again.
	for range 5 {
		out, err := s.onboard(ctx, op, in, from)
		if errors.Is(err, models.ErrConflict) {
			continue
		}
		if err == nil {
			s.mailWake()
		}
		return out, err
	}
	return nil, errors.New("provider: onboarding kept conflicting with other new accounts")
}

func checkNewAccount(in NewAccount) error {
	errs := map[apperr.Subject]string{}
	put := func(subject apperr.Subject, msg string) {
		if msg != "" {
			errs[subject] = msg
		}
	}
	put(CompanyName, identity.CheckCompanyName(in.CompanyName))
	if in.AdminName == "" {
		put(AdminName, "Enter the Primary Admin's name")
	} else {
		put(AdminName, identity.CheckDisplayName(in.AdminName))
	}
	if in.AdminEmail == "" {
		put(AdminEmail, "Enter the Primary Admin's email address")
	} else {
		put(AdminEmail, identity.CheckEmail(in.AdminEmail))
	}
	if in.Language != "" && !i18n.Supported(in.Language) {
		put(Language, "Choose a language from the list")
	}
	return apperr.Problems(errs)
}

func (s *Service) onboard(ctx context.Context, op *identity.Principal, in NewAccount, from audit.Origin) (*Onboarded, error) {
	number, err := account.FreeNumber(ctx, s.store)
	if err != nil {
		return nil, err
	}
	username, err := account.FreeUsername(ctx, s.store, in.AdminEmail, number)
	if err != nil {
		return nil, err
	}
	now := s.now()
	a := &models.Account{Number: number, Name: in.CompanyName, Kind: models.KindCustomer,
		PasswordPreset: string(security.PresetClassic), MFAPolicy: models.MFAOff, Language: in.Language,
		Status: models.AccountPending, StatusChangedAt: &now, CreatedAt: now, UpdatedAt: now}
	u := &models.User{Username: username, UsernameKey: identity.UsernameKey(username),
		Email: in.AdminEmail, EmailKey: identity.EmailKey(in.AdminEmail), DisplayName: in.AdminName,
		Status: models.StatusInvited, IsPrimaryAdmin: true, CreatedAt: now, UpdatedAt: now}
	err = s.store.InTx(ctx, func(tx *models.Store) error {
		if err := tx.Accounts.Create(ctx, a); err != nil {
			return err
		}
		u.AccountID = a.ID
		if err := tx.Users.Create(ctx, u); err != nil {
			return err
		}
		t, err := s.invite(ctx, tx, op, a, u, now)
		if err != nil {
			return err
		}
		return recordTwice(ctx, tx, now, op, a, audit.Entry{Action: ActionAccountOnboarded, Target: audit.PartyOf(u),
			Origin: from, Details: map[string]any{"company": a.Name, "language": a.Language, "primary_admin_email": u.Email,
				"primary_admin_username": u.Username, "link_id": t.ID, "expires_at": stampUTC(t.ExpiresAt)}})
	})
	if err != nil {
		return nil, err
	}
	return &Onboarded{Account: a, Admin: u, DerivedUsername: identity.UsernameKey(username) != identity.UsernameKey(in.AdminEmail)}, nil
}

func stampUTC(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }
