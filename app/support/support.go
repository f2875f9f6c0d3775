// Package support is the support desk's console: its agents find a
// customer account, pick the caller and check the caller's support
// passphrase (or one-time support code) and privileges before acting on a
// request. Agents never see a passphrase, nor anything of the account
// beyond what verification needs.
package support

import (
	"net/url"
	"time"

	"accountportal/app/apperr"
	"accountportal/app/secrets"
	"accountportal/app/throttle"
	"accountportal/models"
)

// Config holds the limits of verification.
type Config struct {
	// PerCaller counts failed verifications of one caller: 5 in an hour
	// lock that caller's verification for an hour.
	PerCaller models.ThrottleLimit
	// PerAgent limits how fast one agent may try verifications at all.
	PerAgent models.ThrottleLimit
	// CodeTTL is how long a one-time support code works.
	CodeTTL time.Duration
}

// DefaultConfig returns the production limits.
func DefaultConfig() Config {
	return Config{
		PerCaller: models.ThrottleLimit{Window: time.Hour, Max: 5, Lock: time.Hour},
		PerAgent:  models.ThrottleLimit{Window: 10 * time.Minute, Max: 60, Lock: 10 * time.Minute},
		CodeTTL:   15 * time.Minute,
	}
}

// Service runs the support desk.
type Service struct {
	store     *models.Store
	secrets   *secrets.Sealer
	limiter   *throttle.Limiter
	now       func() time.Time
	publicURL *url.URL
	mailWake  func()
	cfg       Config
}

// NewService returns the support desk service.
func NewService(store *models.Store, sealer *secrets.Sealer, limiter *throttle.Limiter,
	now func() time.Time, publicURL *url.URL, cfg Config, mailWake func()) *Service {
	if mailWake == nil {
		mailWake = func() {}
	}
	return &Service{store: store, secrets: sealer, limiter: limiter, now: now,
		publicURL: publicURL, mailWake: mailWake, cfg: cfg}
}

// Errors of the console.
var (
	ErrNoAccount = apperr.New(apperr.NotFound, "No such customer account.")
	ErrNoCaller  = apperr.New(apperr.NotFound, "That person is not a user of this account.")
	// ErrNotAgent refuses the console to anyone but the support desk.
	ErrNotAgent = apperr.New(apperr.Forbidden, "Only the support desk may verify callers.")
)

// The subjects of the support desk's problems: the account searched for,
// a caller looked up by username, and the verification's caller, area,
// and passphrase or code heard.
const (
	AccountQuery    apperr.Subject = "support.account_query"
	CallerUsername  apperr.Subject = "support.caller_username"
	CallingUser     apperr.Subject = "support.calling_user"
	AskedArea       apperr.Subject = "support.asked_area"
	HeardPassphrase apperr.Subject = "support.heard_passphrase"
	HeardCode       apperr.Subject = "support.heard_code"
)

// The subjects FindAccounts, CallerByUsername and Verify can report a
// problem with.
var (
	SearchSubjects = []apperr.Subject{AccountQuery}
	LookupSubjects = []apperr.Subject{CallerUsername}
	VerifySubjects = []apperr.Subject{CallingUser, AskedArea, HeardPassphrase, HeardCode}
)
