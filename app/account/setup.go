// Package account owns customer accounts: first-run setup and the
// account's security settings.
package account

import (
	"context"
	"errors"
	"maps"
	"strings"
	"sync/atomic"
	"time"

	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/app/secrets"
	"accountportal/app/security"
	"accountportal/models"
)

// ErrSetupDone means first-run setup already ran; the page no longer exists.
var ErrSetupDone = apperr.New(apperr.NotFound, "Setup has already been completed.")

// The subjects of setup's problems, besides identity.NewPassword and
// identity.PasswordConfirmation.
const (
	CompanyName apperr.Subject = "account.company_name"
	DisplayName apperr.Subject = "account.display_name"
	Email       apperr.Subject = "account.email"
	Username    apperr.Subject = "account.username"
	Passphrase  apperr.Subject = "account.passphrase"
	Question    apperr.Subject = "account.question"
	Answer      apperr.Subject = "account.answer"
)

// SetupSubjects lists every subject Setup.Run can report a problem with.
var SetupSubjects = []apperr.Subject{
	SetupCode, CompanyName, DisplayName, Email, Username,
	identity.NewPassword, identity.PasswordConfirmation, Passphrase, Question, Answer,
}

// SetupInput is what the first-run setup form collects: the company, its
// Primary Admin, and the credentials they choose.
type SetupInput struct {
	// SetupCode is the code printed in the log at start-up.
	SetupCode   string
	CompanyName string
	DisplayName string
	Email       string
	Username    string // defaults to Email when empty
	Credentials
}

// Setup creates the first account and its Primary Admin.
type Setup struct {
	store   *models.Store
	hasher  *security.Hasher
	keys    *security.KeyRing
	secrets *secrets.Sealer
	now     func() time.Time
	// done remembers that setup ran, and used that some account exists:
	// neither becomes undone, so the sign-in page need not ask again.
	done, used atomic.Bool
}

// NewSetup returns the first-run setup service.
func NewSetup(store *models.Store, hasher *security.Hasher, keys *security.KeyRing, sealer *secrets.Sealer, now func() time.Time) *Setup {
	return &Setup{store: store, hasher: hasher, keys: keys, secrets: sealer, now: now}
}

// Open reports whether first-run setup may still run.
func (s *Setup) Open(ctx context.Context) (bool, error) {
	if s.done.Load() {
		return false, nil
	}
	done, err := s.store.Accounts.SetupDone(ctx)
	if done {
		s.done.Store(true)
	}
	return !done, err
}

// Fresh reports whether the install is new: setup has not run and no
// account exists, not even the support desk's staff account, so nobody can
// sign in yet.
func (s *Setup) Fresh(ctx context.Context) (bool, error) {
	if s.used.Load() {
		return false, nil
	}
	open, err := s.Open(ctx)
	if err != nil {
		return false, err
	}
	if !open {
		s.used.Store(true)
		return false, nil
	}
	n, err := s.store.Accounts.Count(ctx)
	if n > 0 {
		s.used.Store(true)
	}
	return n == 0, err
}

// DefaultPolicy is the password policy of a new account.
func DefaultPolicy() security.PasswordPolicy {
	return security.PasswordPolicy{Preset: security.PresetClassic}
}

// Run validates in and, in one transaction, creates the account, its
// Primary Admin with password, passphrase and optional security question,
// and the audit entry. It returns the new user; an apperr.Invalid error with
// per-field messages; or ErrSetupDone when setup already ran (also when a
// racing request finished first).
func (s *Setup) Run(ctx context.Context, in SetupInput, from audit.Origin) (*models.User, error) {
	if open, err := s.Open(ctx); err != nil || !open {
		if err == nil {
			err = ErrSetupDone
		}
		return nil, err
	}
	in = tidy(in)
	errs := validate(in)
	if !s.codeMatches(in.SetupCode) {
		errs[SetupCode] = "Enter the setup code printed in the portal's log when it started"
	}
	if err := apperr.Problems(errs); err != nil {
		return nil, err
	}
	ch, err := s.hash(ctx, in.Credentials)
	if err != nil {
		return nil, err
	}
	number, err := FreeNumber(ctx, s.store)
	if err != nil {
		return nil, err
	}
	now := s.now()
	account := &models.Account{Number: number, Name: in.CompanyName,
		PasswordPreset: string(security.PresetClassic), MFAPolicy: models.MFAOff}
	user := &models.User{
		Username: in.Username, UsernameKey: identity.UsernameKey(in.Username),
		Email: in.Email, EmailKey: identity.EmailKey(in.Email), DisplayName: in.DisplayName, IsPrimaryAdmin: true,
	}
	ch.fill(user, now)
	err = s.store.InTx(ctx, func(tx *models.Store) error {
		if err := tx.Accounts.MarkSetupDone(ctx, now); err != nil {
			if errors.Is(err, models.ErrConflict) {
				return ErrSetupDone
			}
			return err
		}
		if err := tx.Accounts.Create(ctx, account); err != nil {
			return err
		}
		user.AccountID = account.ID
		if err := tx.Users.Create(ctx, user); err != nil {
			return err
		}
		if err := s.keepPassphrase(ctx, tx, user.ID, ch, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Entry{AccountID: account.ID, Actor: audit.PartyOf(user),
			Action: audit.ActionSetup, Target: audit.PartyOf(user), Origin: from,
			Details: map[string]any{"account_number": account.Number, "company": account.Name,
				"security_question_set": user.SecurityQuestion != ""}})
	})
	if err != nil {
		return nil, err
	}
	return user, nil
}

func tidy(in SetupInput) SetupInput {
	in.CompanyName = strings.TrimSpace(in.CompanyName)
	in.DisplayName = strings.TrimSpace(in.DisplayName)
	in.Email = strings.TrimSpace(in.Email)
	in.Username = strings.TrimSpace(in.Username)
	if in.Username == "" {
		in.Username = in.Email
	}
	in.Credentials = in.Credentials.tidy()
	return in
}

func trim(s string) string { return strings.TrimSpace(s) }

func validate(in SetupInput) map[apperr.Subject]string {
	errs := map[apperr.Subject]string{}
	put := func(subject apperr.Subject, msg string) {
		if msg != "" {
			errs[subject] = msg
		}
	}
	put(CompanyName, identity.CheckCompanyName(in.CompanyName))
	put(DisplayName, identity.CheckDisplayName(in.DisplayName))
	put(Email, identity.CheckEmail(in.Email))
	if errs[Email] == "" || in.Username != in.Email {
		put(Username, identity.CheckUsername(in.Username))
	}
	who := security.Subject{Username: in.Username, Email: in.Email, DisplayName: in.DisplayName}
	maps.Copy(errs, in.Credentials.problems(DefaultPolicy(), who))
	return errs
}
