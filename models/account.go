package models

import (
	"context"
	"strings"
	"time"
)

// Account is one customer company.
type Account struct {
	ID                      int64
	Number                  string
	Name                    string
	PasswordPreset          string
	IntegrationSafe         bool
	RequireSecurityQuestion bool
	MFAPolicy               string `gorm:"column:mfa_policy"`
	// AppPasswordsEnabled lets the account's users make app passwords
	// for integrations; on unless an admin turned it off.
	AppPasswordsEnabled    bool `gorm:"column:app_passwords_enabled;default:true"`
	SessionIdleMinutes     *int
	SessionAbsoluteMinutes *int
	// Language and TimeZone are the account's defaults for users who chose
	// none ("": the browser's language, UTC).
	Language string
	TimeZone string
	// Kind is "customer", or "staff" for the support desk's own account.
	Kind string
	// Status is the account's place in its life with the provider:
	// AccountPending, AccountActive, AccountSuspended or AccountClosed.
	Status string
	// StatusReason is the operator's reason for the last suspension,
	// reactivation or closure.
	StatusReason    string
	StatusChangedAt *time.Time
	// PurgeAfter is when a closed account's data may be removed.
	PurgeAfter *time.Time
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Account statuses.
const (
	// AccountPending: onboarded, waiting for the Primary Admin to accept
	// the invitation.
	AccountPending   = "pending"
	AccountActive    = "active"
	AccountSuspended = "suspended"
	AccountClosed    = "closed"
)

// Usable reports whether the account's users may sign in and recover
// their access: it is neither suspended nor closed.
func (a *Account) Usable() bool { return a.Status != AccountSuspended && a.Status != AccountClosed }

// Account kinds.
const (
	KindCustomer = "customer"
	KindStaff    = "staff"
)

// IsStaff reports whether the account is the support desk's.
func (a *Account) IsStaff() bool { return a.Kind == KindStaff }

// MFA policies an account can choose.
const (
	MFAOff      = "off"
	MFAOptional = "optional"
	MFAAdmins   = "admins"
	MFAEveryone = "everyone"
)

// MFAPolicyLabel names an MFA policy as the Security page offers it; the
// audit log and the operator's account page use the same words.
func MFAPolicyLabel(policy string) string {
	switch policy {
	case MFAOff:
		return "Off"
	case MFAOptional:
		return "Optional"
	case MFAAdmins:
		return "Required for admins"
	case MFAEveryone:
		return "Required for everyone"
	}
	return policy
}

// PasswordPresetLabel names a password preset (security.Preset, stored in
// Account.PasswordPreset) as the Security page offers it.
func PasswordPresetLabel(preset string) string {
	switch preset {
	case "classic":
		return "Classic"
	case "nist":
		return "Length first (NIST)"
	}
	return preset
}

// Create inserts a. It returns ErrConflict when the number is taken.
func (s AccountStore) Create(ctx context.Context, a *Account) error {
	if a.Kind == "" {
		a.Kind = KindCustomer
	}
	if a.Status == "" {
		a.Status = AccountActive
	}
	return translate(s.q(ctx).Create(a).Error)
}

// ByID returns the account with id, or ErrNotFound.
func (s AccountStore) ByID(ctx context.Context, id int64) (*Account, error) {
	var a Account
	if err := s.q(ctx).First(&a, id).Error; err != nil {
		return nil, translate(err)
	}
	return &a, nil
}

// ByNumber returns the account with the 8-digit number, or ErrNotFound.
func (s AccountStore) ByNumber(ctx context.Context, number string) (*Account, error) {
	var a Account
	if err := s.q(ctx).Where("number = ?", number).First(&a).Error; err != nil {
		return nil, translate(err)
	}
	return &a, nil
}

// ByName returns the customer accounts whose name equals name,
// ignoring case.
func (s AccountStore) ByName(ctx context.Context, name string) ([]Account, error) {
	var out []Account
	q := s.q(ctx).Where("kind = ?", KindCustomer)
	if s.dialect == Postgres {
		q = q.Where("lower(name) = ?", strings.ToLower(name))
	} else {
		q = q.Where("name = ? COLLATE NOCASE", name)
	}
	return out, translate(q.Order("id").Limit(50).Find(&out).Error)
}

// Count returns how many accounts exist.
func (s AccountStore) Count(ctx context.Context) (int64, error) {
	var n int64
	return n, translate(s.q(ctx).Model(&Account{}).Count(&n).Error)
}

// SetupState records that first-run setup finished.
type SetupState struct {
	ID          int
	CompletedAt time.Time
}

// TableName keeps GORM from pluralising the singleton table's name.
func (SetupState) TableName() string { return "setup_state" }

// MarkSetupDone records that first-run setup finished. A second call, even
// from a racing transaction, returns ErrConflict.
func (s AccountStore) MarkSetupDone(ctx context.Context, at time.Time) error {
	return translate(s.q(ctx).Create(&SetupState{ID: 1, CompletedAt: at}).Error)
}

// SetupDone reports whether first-run setup has finished.
func (s AccountStore) SetupDone(ctx context.Context) (bool, error) {
	var n int64
	err := s.q(ctx).Model(&SetupState{}).Where("id = 1").Count(&n).Error
	return n > 0, translate(err)
}

// SetRequireSecurityQuestion sets whether password resets of the account's
// users must pass their security question.
func (s AccountStore) SetRequireSecurityQuestion(ctx context.Context, accountID int64, require bool) error {
	res := s.q(ctx).Model(&Account{}).Where("id = ?", accountID).
		Updates(map[string]any{"require_security_question": require})
	return affectedOne(res.Error, res.RowsAffected)
}

// AccountSecurity is what the account security page changes.
type AccountSecurity struct {
	PasswordPreset          string
	IntegrationSafe         bool
	RequireSecurityQuestion bool
	MFAPolicy               string
	SessionIdleMinutes      *int
	SessionAbsoluteMinutes  *int
	// Language and TimeZone are the defaults of users who chose none
	// ("": each user's browser language; UTC).
	Language string
	TimeZone string
}

// SetSecurity saves the account's security settings.
func (s AccountStore) SetSecurity(ctx context.Context, accountID int64, sec AccountSecurity, at time.Time) error {
	res := s.q(ctx).Model(&Account{}).Where("id = ?", accountID).Updates(map[string]any{
		"password_preset": sec.PasswordPreset, "integration_safe": sec.IntegrationSafe,
		"require_security_question": sec.RequireSecurityQuestion, "mfa_policy": sec.MFAPolicy,
		"session_idle_minutes": sec.SessionIdleMinutes, "session_absolute_minutes": sec.SessionAbsoluteMinutes,
		"language": sec.Language, "time_zone": sec.TimeZone, "updated_at": at})
	return affectedOne(res.Error, res.RowsAffected)
}

// Staff returns the support desk's account, or ErrNotFound.
func (s AccountStore) Staff(ctx context.Context) (*Account, error) {
	var a Account
	if err := s.q(ctx).Where("kind = ?", KindStaff).First(&a).Error; err != nil {
		return nil, translate(err)
	}
	return &a, nil
}

// EnsureStaff returns the support desk's account, creating it with
// a on first use. Two operators creating the first agent at once both get
// the one account: the unique index on staff accounts lets only one in.
func (s AccountStore) EnsureStaff(ctx context.Context, a *Account, at time.Time) (*Account, error) {
	if got, err := s.Staff(ctx); err == nil {
		return got, nil
	}
	a.Kind, a.CreatedAt, a.UpdatedAt = KindStaff, at, at
	err := s.Create(ctx, a)
	if err == nil {
		return a, nil
	}
	if got, err2 := s.Staff(ctx); err2 == nil {
		return got, nil
	}
	return nil, err
}
