package mfa

import (
	"context"
	"errors"
	"strings"

	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/app/throttle"
	"accountportal/models"
	"accountportal/views/emails"
	"accountportal/views/i18n"
)

// Verify checks a second-factor code at sign-in or confirmation: a current
// TOTP code not used before (of parallel submissions of one code exactly
// one passes), or an unused backup code. Every code is counted towards the
// sign-in limits of the username and the address before it is checked, and
// a right one is taken back; after WarnAfter wrong ones the user is
// emailed. It returns ErrWrongCode or an apperr.TooMany error.
func (s *Service) Verify(ctx context.Context, u *models.User, code string, from audit.Origin) error {
	return s.verify(ctx, u, code, from, ActionFailed)
}

// verify is Verify recording a wrong code as failed, the action saying
// where it was typed; both count against the sign-in throttle.
func (s *Service) verify(ctx context.Context, u *models.User, code string, from audit.Origin, failed string) error {
	if u.MFAEnrolledAt == nil {
		return ErrNotEnrolled
	}
	if strings.TrimSpace(code) == "" {
		return ErrNoCode
	}
	userKey, ipKey := "login:user:"+identity.UsernameKey(u.Username), "login:ip:"+from.IP
	att, err := s.limiter.Take(ctx, throttle.Key{Name: userKey, Limit: s.cfg.PerUser},
		throttle.Key{Name: ipKey, Limit: s.cfg.PerIP})
	if err != nil {
		return err
	}
	ok, err := s.check(ctx, u, code, from)
	if err != nil || ok {
		return errors.Join(err, att.Refund(ctx))
	}
	return s.fail(ctx, u, att, userKey, from, failed)
}

func (s *Service) check(ctx context.Context, u *models.User, code string, from audit.Origin) (bool, error) {
	sec, err := s.store.Secrets.Of(ctx, u.ID, models.SecretTOTPSeed)
	if errors.Is(err, models.ErrNotFound) {
		return false, ErrNotEnrolled
	}
	if err != nil {
		return false, err
	}
	seed, err := s.secrets.Open(sec)
	if err != nil {
		return false, err
	}
	if st, ok := matchStep(seed, code, s.now()); ok {
		// A code for the last accepted step or an earlier one is a replay.
		return s.store.MFA.AcceptTOTPStep(ctx, u.ID, st)
	}
	return s.useBackupCode(ctx, u, code, from)
}

// fail records a wrong code (already counted) and warns the user once
// WarnAfter have come after a right password.
func (s *Service) fail(ctx context.Context, u *models.User, att *throttle.Attempt, userKey string, from audit.Origin, action string) error {
	hit := att.Result(userKey)
	var subject emails.Text
	var lines []emails.Text
	if hit.Count == s.cfg.WarnAfter {
		subject = emails.Say("email.mfa.warning")
		lines = []emails.Text{emails.Say("email.mfa.warning_what", map[string]any{"Username": u.Username})}
	}
	// Whoever typed the codes may not be the user: the warning is not
	// said in their browser's language, but the user's (else English).
	wctx := i18n.WithPreferred(ctx, i18n.Default)
	err := s.store.InTx(ctx, func(tx *models.Store) error {
		return s.record(wctx, tx, u, action, from, map[string]any{"failures": hit.Count}, subject, lines...)
	})
	if err != nil {
		return err
	}
	if !subject.Empty() {
		s.mailWake()
	}
	if until := att.Locked(); !until.IsZero() {
		return apperr.Throttled(until)
	}
	return ErrWrongCode
}

// Remove turns multi-factor authentication off for the user, after their password
// and a current code or backup code. Where the account requires it, the
// user may only change authenticators, not remove one (ErrRequired).
func (s *Service) Remove(ctx context.Context, p *identity.Principal, password, code string, keepForChange bool, from audit.Origin) error {
	if p.User.MFAEnrolledAt == nil {
		return ErrNotEnrolled
	}
	if p.MFARequired() && !keepForChange {
		return ErrRequired
	}
	if err := s.checkPassword(ctx, p.User, password); err != nil {
		return err
	}
	if err := s.Verify(ctx, p.User, code, from); err != nil {
		return err
	}
	err := s.store.InTx(ctx, func(tx *models.Store) error {
		if err := tx.MFA.ResetOf(ctx, []int64{p.User.ID}, false, s.now()); err != nil {
			return err
		}
		what := emails.Say("email.mfa.removed_what", map[string]any{"Username": p.User.Username})
		if keepForChange {
			what = emails.Say("email.mfa.replaced_what", map[string]any{"Username": p.User.Username})
		}
		return s.record(ctx, tx, p.User, ActionRemoved, from, map[string]any{"change": keepForChange},
			emails.Say("email.mfa.changed"), what)
	})
	if err == nil {
		s.mailWake()
	}
	return err
}

// CheckAdminCode verifies an administrator's own current code before they
// reset others' second factors, when the administrator has one.
func (s *Service) CheckAdminCode(ctx context.Context, actor *identity.Principal, code string, from audit.Origin) error {
	if actor.User.MFAEnrolledAt == nil {
		return nil
	}
	err := s.verify(ctx, actor.User, code, from, ActionAdminCodeFailed)
	switch {
	case errors.Is(err, ErrNoCode):
		return apperr.Problems(map[apperr.Subject]string{AdminCode: "Enter your own code from your authenticator app"})
	case errors.Is(err, ErrWrongCode):
		return apperr.Problems(map[apperr.Subject]string{AdminCode: "Your own code is not right"})
	}
	return err
}
