package identity

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/app/security"
	"accountportal/app/throttle"
	"accountportal/models"
	"accountportal/views/i18n"
)

// Sign-in outcomes that are not plain failures of the machinery.
var (
	// ErrIncorrect is the one answer for an unknown username, a wrong
	// password, and anything else that must not reveal which it was.
	ErrIncorrect = &apperr.Error{Code: apperr.Invalid, Message: "Incorrect username or password"}
	// ErrSuspended is returned only after the correct password was given.
	ErrSuspended = apperr.New(apperr.Forbidden, "Your account has been suspended. Contact the administrator of your account.")
	// ErrAccountSuspended is ErrSuspended for every user of a customer
	// account the provider suspended or closed: their administrator cannot
	// help, the provider can.
	ErrAccountSuspended = apperr.New(apperr.Forbidden, "Your company's account has been suspended by your phone service provider. "+
		"Your Primary Admin has been emailed; they can contact the provider.")
)

// SignInConfig holds the sign-in rules that operators or tests may tune.
type SignInConfig struct {
	// PerUsername limits failed attempts for one username (known or not).
	PerUsername models.ThrottleLimit
	// PerIP limits failed attempts from one client address.
	PerIP models.ThrottleLimit
	// Reauth limits wrong current passwords typed by a signed-in user, so
	// a stolen session does not become a way to guess the password.
	Reauth models.ThrottleLimit
}

// DefaultSignInConfig returns the production sign-in rules: 5 failures for a
// username in 15 minutes lock it for 15 minutes; 50 failures from one address
// lock that address for 15 minutes.
func DefaultSignInConfig() SignInConfig {
	return SignInConfig{
		PerUsername: models.ThrottleLimit{Window: 15 * time.Minute, Max: 5, Lock: 15 * time.Minute},
		PerIP:       models.ThrottleLimit{Window: 15 * time.Minute, Max: 50, Lock: 15 * time.Minute},
		Reauth:      models.ThrottleLimit{Window: 15 * time.Minute, Max: 5, Lock: 15 * time.Minute},
	}
}

// SignIn checks passwords and records sign-ins.
type SignIn struct {
	store   *models.Store
	hasher  *security.Hasher
	limiter *throttle.Limiter
	now     func() time.Time
	log     *slog.Logger
	cfg     SignInConfig

	dummyOnce sync.Once
	dummy     string
}

// NewSignIn returns the sign-in service.
func NewSignIn(store *models.Store, hasher *security.Hasher, limiter *throttle.Limiter,
	now func() time.Time, log *slog.Logger, cfg SignInConfig) *SignIn {
	return &SignIn{store: store, hasher: hasher, limiter: limiter, now: now, log: log, cfg: cfg}
}

// Authenticate checks a username and password. On success it returns the
// sign-in attempt, owing the steps the user must still take; ErrIncorrect for every failure that must not tell an attacker
// more; ErrSuspended when the password is right but the user or their
// account is suspended (or the account closed);
// an apperr.TooMany error while the username or address is locked;
// security.ErrBusy when no hashing capacity is free.
func (s *SignIn) Authenticate(ctx context.Context, username, password string, from audit.Origin) (*Attempt, error) {
	key := UsernameKey(username)
	userKey, ipKey := "login:user:"+key, "login:ip:"+from.IP
	// Count first, so parallel guesses cannot all be compared before the
	// first of them is counted.
	att, err := s.limiter.Take(ctx, throttle.Key{Name: userKey, Limit: s.cfg.PerUsername},
		throttle.Key{Name: ipKey, Limit: s.cfg.PerIP})
	if err != nil {
		return nil, err
	}
	password = security.NormalizePassword(password)
	user, ok, err := s.verify(ctx, key, password)
	if err != nil || ok {
		// A right password (and one never compared) takes its count back:
		// it must not lock out the user's own second-factor step, or an
		// office sharing one address. The username's failures are cleared
		// only when sign-in completes, so wrong second-factor codes after a
		// right password keep counting.
		err = errors.Join(err, att.Refund(ctx))
	}
	switch {
	case err != nil:
		return nil, err
	case !ok:
		return nil, s.fail(ctx, user, att.Result(userKey), from)
	case user.Status == models.StatusSuspended:
		return nil, s.suspended(ctx, user, from)
	}
	return s.begin(ctx, user, from)
}

// begin starts the sign-in of a user who gave the right password. The
// users of a suspended or closed account are refused as a suspended user
// is, whatever their own status.
func (s *SignIn) begin(ctx context.Context, user *models.User, from audit.Origin) (*Attempt, error) {
	now := s.now()
	p, needsLicense, err := s.standing(ctx, user.ID, now)
	if err != nil {
		return nil, err
	}
	if !p.Account.Usable() {
		if err := s.suspended(ctx, user, from); !errors.Is(err, ErrSuspended) {
			return nil, err
		}
		return nil, ErrAccountSuspended
	}
	return newAttempt(p, needsLicense, now), nil
}

// Resume brings a live attempt up to date with its user as they are now,
// and returns the user: the steps owed are theirs at this moment, less
// those already passed. It returns ErrAttemptExpired after the attempt's
// time, and ErrSuspended when the user's account was suspended or closed
// since the attempt began.
func (s *SignIn) Resume(ctx context.Context, a *Attempt) (*Principal, error) {
	now := s.now()
	if a.Expired(now) {
		return nil, ErrAttemptExpired
	}
	p, needsLicense, err := s.standing(ctx, a.UserID(), now)
	if err != nil {
		return nil, err
	}
	if !p.Account.Usable() {
		return nil, ErrAccountSuspended
	}
	a.refresh(p, needsLicense)
	return p, nil
}

// standing returns the user and whether they have yet to accept the
// current license agreement.
func (s *SignIn) standing(ctx context.Context, userID int64, now time.Time) (*Principal, bool, error) {
	p, err := PrincipalOf(ctx, s.store, userID, now)
	if err != nil {
		return nil, false, err
	}
	if p.Account.IsStaff() {
		return p, false, nil // the customers' agreement is not the provider's staff's
	}
	current, err := s.CurrentLicense(ctx)
	if errors.Is(err, ErrNoLicense) {
		return p, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	accepted, err := s.store.Users.HasAcceptedLicense(ctx, userID, current.Version)
	if err != nil {
		return nil, false, err
	}
	return p, !accepted, nil
}

// verify looks the user up and checks the password. For unknown users and
// users without a password it checks against a dummy hash, so every answer
// costs one hash and timing does not tell which usernames exist.
func (s *SignIn) verify(ctx context.Context, key, password string) (*models.User, bool, error) {
	user, err := s.store.Users.ByUsernameKey(ctx, key)
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		return nil, false, err
	}
	hash := ""
	if user != nil {
		hash = user.PasswordHash
	}
	if hash == "" || (user.Status != models.StatusActive && user.Status != models.StatusSuspended) {
		if _, _, err := s.hasher.Verify(ctx, password, s.dummyHash(ctx)); err != nil {
			return user, false, err
		}
		return user, false, nil
	}
	ok, rehash, err := s.hasher.Verify(ctx, password, hash)
	if err != nil {
		return user, false, err
	}
	if ok && rehash {
		s.rehash(ctx, user, password)
	}
	return user, ok, nil
}

// rehash replaces a hash made with old parameters. Failing to do so must not
// fail the sign-in, so errors are only logged.
func (s *SignIn) rehash(ctx context.Context, u *models.User, password string) {
	hash, err := s.hasher.Hash(ctx, password)
	if err == nil {
		err = s.store.Users.SetPasswordHash(ctx, u.ID, hash, false, s.now())
	}
	if err != nil {
		s.log.WarnContext(ctx, "password rehash failed", "user_id", u.ID, "err", err)
	}
}

func (s *SignIn) dummyHash(ctx context.Context) string {
	s.dummyOnce.Do(func() {
		h, err := s.hasher.Hash(ctx, "dummy password for unknown users")
		if err != nil {
			// Keep a well-formed hash with the same cost; its salt is fixed.
			p := s.hasher.Params()
			h = fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$c29tZXNhbHRzb21lc2FsdA$c29tZWhhc2hzb21laGFzaHNvbWVoYXNoc29tZWhhc2g",
				p.MemoryKiB, p.Iterations, p.Parallelism)
		}
		s.dummy = h
	})
	return s.dummy
}

// fail audits a wrong password (already counted) when the username
// belongs to a user.
func (s *SignIn) fail(ctx context.Context, user *models.User, hit throttle.Result, from audit.Origin) error {
	if user != nil {
		details := map[string]any{"reason": "wrong password"}
		if !hit.LockedUntil.IsZero() {
			details["locked_until"] = hit.LockedUntil.UTC().Format(time.RFC3339)
		}
		err := s.store.InTx(ctx, func(tx *models.Store) error {
			return audit.Record(ctx, tx, s.now(), audit.Entry{AccountID: user.AccountID, Actor: audit.PartyOf(user),
				Action: audit.ActionSignInFailed, Target: audit.PartyOf(user), Origin: from, Details: details})
		})
		if err != nil {
			return err
		}
	}
	return ErrIncorrect
}

func (s *SignIn) suspended(ctx context.Context, user *models.User, from audit.Origin) error {
	err := s.store.InTx(ctx, func(tx *models.Store) error {
		return audit.Record(ctx, tx, s.now(), audit.Entry{AccountID: user.AccountID, Actor: audit.PartyOf(user),
			Action: audit.ActionSignInSuspended, Target: audit.PartyOf(user), Origin: from})
	})
	if err != nil {
		return err
	}
	return ErrSuspended
}

// ErrLicenseChanged says the version the user read is no longer the one
// in force: they are shown the new one.
var ErrLicenseChanged = errors.New("a new version of the license agreement came into force")

// AcceptLicense records that the attempt's user agreed to version, which
// must be the license in force, and passes the attempt's StepAgreement. It
// returns ErrAttemptExpired or ErrStepNotDue when the agreement is not the
// step due, and ErrLicenseChanged when version is not the current one.
func (s *SignIn) AcceptLicense(ctx context.Context, a *Attempt, version string, from audit.Origin) error {
	now := s.now()
	if err := a.Due(StepAgreement, a.UserID(), now); err != nil {
		return err
	}
	current, err := s.CurrentLicense(ctx)
	if err != nil {
		return err
	}
	if current.Version != version {
		return ErrLicenseChanged
	}
	userID := a.UserID()
	err = s.store.InTx(ctx, func(tx *models.Store) error {
		u, err := tx.Users.ByIDAnyAccount(ctx, userID)
		if err != nil {
			return err
		}
		if err := tx.Users.AcceptLicense(ctx, &models.LicenseAcceptance{
			UserID: userID, Version: version, AcceptedAt: now, IP: from.IP}); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Entry{AccountID: u.AccountID, Actor: audit.PartyOf(u),
			Action: audit.ActionLicenseAccepted, Target: audit.PartyOf(u), Origin: from,
			Details: map[string]any{"version": version}})
	})
	if err == nil {
		a.Pass(StepAgreement)
	}
	return err
}

// Complete finishes a sign-in attempt that owes nothing: it records the
// sign-in (the time and the language of ctx's reader on the user, and an
// audit row), makes room for its
// session within MaxSessionsPerUser, and forgets the username's failed
// attempts. It returns ErrAttemptExpired or ErrStepsOwed, recording
// nothing, when the attempt is not finished.
func (s *SignIn) Complete(ctx context.Context, a *Attempt, from audit.Origin) error {
	now := s.now()
	switch {
	case a.Expired(now):
		return ErrAttemptExpired
	case a.Next() != StepNone:
		return ErrStepsOwed
	}
	userID := a.UserID()
	var username string
	err := s.store.InTx(ctx, func(tx *models.Store) error {
		u, err := tx.Users.ByIDAnyAccount(ctx, userID)
		if err != nil {
			return err
		}
		username = u.Username
		// The language the sign-in was read in: a user who chose none,
		// in an account with no default, gets their emails in it.
		lang, _ := i18n.PreferredSaid(ctx)
		if err := tx.Users.RecordSignIn(ctx, userID, now, lang); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, audit.Entry{AccountID: u.AccountID, Actor: audit.PartyOf(u),
			Action: audit.ActionSignIn, Target: audit.PartyOf(u), Origin: from}); err != nil {
			return err
		}
		return limitSessions(ctx, tx, u, now, from)
	})
	if err != nil {
		return err
	}
	return s.limiter.Clear(ctx, "login:user:"+UsernameKey(username))
}

// RecordSignOut audits a sign-out.
func (s *SignIn) RecordSignOut(ctx context.Context, u *models.User, from audit.Origin) error {
	return s.store.InTx(ctx, func(tx *models.Store) error {
		return audit.Record(ctx, tx, s.now(), audit.Entry{AccountID: u.AccountID, Actor: audit.PartyOf(u),
			Action: audit.ActionSignOut, Target: audit.PartyOf(u), Origin: from})
	})
}
