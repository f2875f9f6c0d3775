package mfa

import (
	"context"
	"log/slog"
	"time"

	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/app/mail"
	"accountportal/app/secrets"
	"accountportal/app/security"
	"accountportal/app/throttle"
	"accountportal/models"
	"accountportal/views/emails"
)

// The subjects of the MFA services' problems: the code typed, the user's
// password, and an administrator's own code.
const (
	Code      apperr.Subject = "mfa.code"
	Password  apperr.Subject = "mfa.password"
	AdminCode apperr.Subject = "mfa.admin_code"
)

// The subjects each service can report a problem with: a code (Verify,
// VerifyAtSignIn, confirming an enrolment), a password (RegenerateCodes),
// both (Remove), an administrator's own code (CheckAdminCode).
var (
	CodeSubjects      = []apperr.Subject{Code}
	PasswordSubjects  = []apperr.Subject{Password}
	RemoveSubjects    = []apperr.Subject{Password, Code}
	AdminCodeSubjects = []apperr.Subject{AdminCode}
)

// Errors the MFA pages show.
var (
	ErrWrongCode = &apperr.Error{Code: apperr.Invalid, Message: "That code is not right",
		Problems: map[apperr.Subject]string{Code: "That code is not right, or was already used. Enter the newest code from your app, or a backup code."}}
	// ErrWrongSetupCode is ErrWrongCode while setting up, when there are
	// no backup codes yet to offer instead.
	ErrWrongSetupCode = &apperr.Error{Code: apperr.Invalid, Message: "That code is not right",
		Problems: map[apperr.Subject]string{Code: "That code is not right. Enter the newest 6-digit code your authenticator app shows."}}
	// ErrNoCode and ErrNoSetupCode answer an empty code field: a missing
	// answer, which costs none of the user's attempts.
	ErrNoCode = &apperr.Error{Code: apperr.Invalid, Message: "Enter the code",
		Problems: map[apperr.Subject]string{Code: "Enter the 6-digit code from your authenticator app, or a backup code"}}
	ErrNoSetupCode = &apperr.Error{Code: apperr.Invalid, Message: "Enter the code",
		Problems: map[apperr.Subject]string{Code: "Enter the 6-digit code your authenticator app shows"}}
	ErrNotOffered  = apperr.New(apperr.Forbidden, "Your account does not offer multi-factor authentication.")
	ErrRequired    = apperr.New(apperr.Forbidden, "Your account requires multi-factor authentication: you can change your authenticator but not remove it.")
	ErrNotEnrolled = apperr.New(apperr.Conflict, "Multi-factor authentication is not set up.")
)

// Audit actions of MFA.
const (
	ActionEnrolled       = "mfa.enrolled"
	ActionRemoved        = "mfa.removed"
	ActionCodesRenewed   = "mfa.backup_codes_renewed"
	ActionBackupCodeUsed = "mfa.backup_code_used"
	ActionFailed         = "mfa.code_failed"
	// ActionAdminCodeFailed is a wrong code a signed-in administrator
	// typed to confirm an action (CheckAdminCode), not a sign-in's; it
	// counts against the same throttle as ActionFailed.
	ActionAdminCodeFailed = "mfa.admin_code_failed"
)

// PasswordChecker verifies a signed-in user's current password.
type PasswordChecker interface {
	CheckPassword(ctx context.Context, u *models.User, password string) error
}

// Config holds the MFA limits operators or tests may tune.
type Config struct {
	// Issuer names the portal in authenticator apps.
	Issuer string
	// PerUser and PerIP limit wrong codes; they share the sign-in keys, so
	// wrong codes and wrong passwords count together.
	PerUser, PerIP models.ThrottleLimit
	// WarnAfter is how many wrong codes after a right password email the
	// user.
	WarnAfter int
}

// Service runs enrolment, verification and backup codes.
type Service struct {
	store     *models.Store
	hasher    *security.Hasher
	secrets   *secrets.Sealer
	limiter   *throttle.Limiter
	passwords PasswordChecker
	now       func() time.Time
	log       *slog.Logger
	cfg       Config
	mailWake  func()
}

// NewService returns the MFA service.
func NewService(store *models.Store, hasher *security.Hasher, sealer *secrets.Sealer, limiter *throttle.Limiter,
	passwords PasswordChecker, now func() time.Time, log *slog.Logger, cfg Config, mailWake func()) *Service {
	if mailWake == nil {
		mailWake = func() {}
	}
	return &Service{store: store, hasher: hasher, secrets: sealer, limiter: limiter, passwords: passwords,
		now: now, log: log, cfg: cfg, mailWake: mailWake}
}

// Offered reports whether the user may set up a second factor at all.
func Offered(p *identity.Principal) bool {
	return p.Account.MFAPolicy != models.MFAOff || p.User.MFAEnrolledAt != nil || p.MFARequired()
}

// record writes an audit entry about u by u, and optionally (with a
// subject) a notice email in u's language: their own, else their
// account's, else the one the request came in.
func (s *Service) record(ctx context.Context, tx *models.Store, u *models.User, action string, from audit.Origin,
	details map[string]any, subject emails.Text, lines ...emails.Text) error {
	now := s.now()
	if err := audit.Record(ctx, tx, now, audit.Entry{AccountID: u.AccountID, Actor: audit.PartyOf(u), Action: action,
		Target: audit.PartyOf(u), Origin: from, Details: details}); err != nil {
		return err
	}
	if subject.Empty() {
		return nil
	}
	rctx, err := mail.Visitor(ctx, tx, u)
	if err != nil {
		return err
	}
	msg, err := mail.InfoEmail{To: u.Email, Subject: subject, DisplayName: u.DisplayName, Lines: append(lines,
		emails.Say("email.mfa.when", map[string]any{"When": now, "IP": from.IP}))}.Message(rctx)
	if err != nil {
		return err
	}
	msg.AccountID = u.AccountID
	return mail.Enqueue(ctx, tx, msg, nil, now)
}
