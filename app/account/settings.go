package account

import (
	"context"
	"strconv"
	"strings"
	"time"

	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/app/security"
	"accountportal/models"
	"accountportal/views/i18n"
)

// ActionSecurityChanged is the audit action of a settings change.
const ActionSecurityChanged = "account.security_changed"

// SecurityInput is the account security form as typed.
type SecurityInput struct {
	MFAPolicy       string
	Preset          string
	IntegrationSafe bool
	RequireQuestion bool
	IdleMinutes     string
	AbsoluteMinutes string
	// AppPasswords lets the account's users make app passwords for
	// integrations; turning it off revokes every one of them. Nil keeps
	// the setting as it is (a form sent without the field).
	AppPasswords *bool
	// Language and TimeZone are the defaults of users who chose none
	// ("": the browser's language; UTC). Nil keeps the setting.
	Language, TimeZone *string
}

// Settings changes an account's security settings.
type Settings struct {
	store       *models.Store
	now         func() time.Time
	defIdle     time.Duration
	defAbsolute time.Duration
}

// NewSettings returns the settings service; the defaults are the portal's
// session timeouts.
func NewSettings(store *models.Store, now func() time.Time, defIdle, defAbsolute time.Duration) *Settings {
	return &Settings{store: store, now: now, defIdle: defIdle, defAbsolute: defAbsolute}
}

// Defaults returns the portal's session timeouts in minutes.
func (s *Settings) Defaults() (idle, absolute int) {
	return int(s.defIdle / time.Minute), int(s.defAbsolute / time.Minute)
}

// Save validates and stores the settings and audits what changed. The actor
// needs "Account security settings". Turning app passwords off revokes
// every app password of the account in the same transaction.
func (s *Settings) Save(ctx context.Context, actor *identity.Principal, in SecurityInput, from audit.Origin) error {
	if !actor.Can(identity.PermSecurityManage) {
		return apperr.New(apperr.Forbidden, "You need the “Account security settings” privilege.")
	}
	a := actor.Account
	sec, err := s.parse(in, a)
	if err != nil {
		return err
	}
	before := models.AccountSecurity{PasswordPreset: a.PasswordPreset, IntegrationSafe: a.IntegrationSafe,
		RequireSecurityQuestion: a.RequireSecurityQuestion, MFAPolicy: a.MFAPolicy,
		SessionIdleMinutes: a.SessionIdleMinutes, SessionAbsoluteMinutes: a.SessionAbsoluteMinutes,
		Language: a.Language, TimeZone: a.TimeZone}
	now := s.now()
	appPasswords := a.AppPasswordsEnabled
	if in.AppPasswords != nil {
		appPasswords = *in.AppPasswords
	}
	details := map[string]any{"before": securityRecord{before, a.AppPasswordsEnabled}, "after": securityRecord{sec, appPasswords}}
	return s.store.InTx(ctx, func(tx *models.Store) error {
		if err := tx.Accounts.SetSecurity(ctx, a.ID, sec, now); err != nil {
			return err
		}
		if err := s.setAppPasswords(ctx, tx, a.ID, appPasswords, details, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Entry{AccountID: a.ID, Actor: audit.PartyOf(actor.User),
			Action: ActionSecurityChanged, Origin: from, Details: details})
	})
}

// securityRecord is the settings as the audit entry keeps them: the
// security settings and, beside them, whether app passwords are on.
type securityRecord struct {
	models.AccountSecurity
	AppPasswords bool
}

// setAppPasswords turns the account's app passwords on or off inside tx;
// turning them off revokes every live one of the account, and details
// (the audit entry's) says how many.
func (s *Settings) setAppPasswords(ctx context.Context, tx *models.Store, accountID int64, on bool,
	details map[string]any, now time.Time) error {
	if err := tx.Accounts.SetAppPasswords(ctx, accountID, on, now); err != nil {
		return err
	}
	if on {
		return nil
	}
	n, err := tx.AppPasswords().RevokeAccount(ctx, accountID, models.AppPasswordTurnedOffByAdmins, now)
	if err != nil {
		return err
	}
	if n > 0 {
		details["app_passwords_revoked"] = n
	}
	return nil
}

// The subjects of the security settings' problems.
const (
	MFAPolicy       apperr.Subject = "account.mfa_policy"
	PasswordPreset  apperr.Subject = "account.password_preset"
	IdleMinutes     apperr.Subject = "account.idle_minutes"
	AbsoluteMinutes apperr.Subject = "account.absolute_minutes"
	Language        apperr.Subject = "account.language"
	TimeZone        apperr.Subject = "account.time_zone"
)

// SecuritySubjects lists every subject Settings.Save can report a problem
// with.
var SecuritySubjects = []apperr.Subject{MFAPolicy, PasswordPreset, IdleMinutes, AbsoluteMinutes, Language, TimeZone}

func (s *Settings) parse(in SecurityInput, a *models.Account) (models.AccountSecurity, error) {
	errs := map[apperr.Subject]string{}
	sec := models.AccountSecurity{IntegrationSafe: in.IntegrationSafe, RequireSecurityQuestion: in.RequireQuestion,
		Language: a.Language, TimeZone: a.TimeZone}
	if in.Language != nil {
		sec.Language = *in.Language
		if sec.Language != "" && !i18n.Supported(sec.Language) {
			errs[Language] = "Choose a language from the list"
		}
	}
	if in.TimeZone != nil {
		sec.TimeZone = *in.TimeZone
		if sec.TimeZone != "" && i18n.ZoneOf(sec.TimeZone) == nil {
			errs[TimeZone] = "Choose a time zone from the list"
		}
	}
	switch in.MFAPolicy {
	case models.MFAOff, models.MFAOptional, models.MFAAdmins, models.MFAEveryone:
		sec.MFAPolicy = in.MFAPolicy
	default:
		errs[MFAPolicy] = "Choose a multi-factor authentication rule"
	}
	if p, ok := security.ParsePreset(in.Preset); ok {
		sec.PasswordPreset = string(p)
	} else {
		errs[PasswordPreset] = "Choose the password rules"
	}
	var bad string
	sec.SessionIdleMinutes, bad = minutes(in.IdleMinutes, 5, 24*60)
	if bad != "" {
		errs[IdleMinutes] = "Enter whole minutes from 5 to 1440, or leave blank"
	}
	sec.SessionAbsoluteMinutes, bad = minutes(in.AbsoluteMinutes, 15, 30*24*60)
	if bad != "" {
		errs[AbsoluteMinutes] = "Enter whole minutes from 15 to 43200, or leave blank"
	}
	idle, abs := s.Defaults()
	if sec.SessionIdleMinutes != nil {
		idle = *sec.SessionIdleMinutes
	}
	if sec.SessionAbsoluteMinutes != nil {
		abs = *sec.SessionAbsoluteMinutes
	}
	if errs[IdleMinutes] == "" && errs[AbsoluteMinutes] == "" && abs < idle {
		errs[AbsoluteMinutes] = "Must not be shorter than the idle time (" + strconv.Itoa(idle) + " minutes)"
	}
	return sec, apperr.Problems(errs)
}

// minutes parses an optional whole number of minutes within bounds.
func minutes(s string, lo, hi int) (*int, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, ""
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return nil, "bad"
	}
	return &n, ""
}
