package identity

import (
	"context"
	"strconv"
	"time"

	"accountportal/app/apperr"
	"accountportal/app/security"
	"accountportal/models"
)

// ErrWrongPassword is the answer to a wrong current password from a
// signed-in user; the form shows it on its current-password field.
var ErrWrongPassword = &apperr.Error{Code: apperr.Invalid, Message: "Your password is not right"}

// CheckPassword verifies a signed-in user's current password, as the
// "confirm it's you" page and the forms that change credentials need. It
// returns ErrWrongPassword, an apperr.TooMany error after repeated
// failures, or security.ErrBusy.
func (s *SignIn) CheckPassword(ctx context.Context, u *models.User, password string) error {
	key := "reauth:user:" + strconv.FormatInt(u.ID, 10)
	until, err := s.limiter.LockedUntil(ctx, key)
	if err != nil {
		return err
	}
	if !until.IsZero() {
		return apperr.Throttled(until)
	}
	ok, _, err := s.hasher.Verify(ctx, security.NormalizePassword(password), u.PasswordHash)
	if err != nil {
		return err
	}
	if ok {
		return nil
	}
	hit, err := s.limiter.Hit(ctx, key, s.cfg.Reauth)
	if err != nil {
		return err
	}
	if !hit.LockedUntil.IsZero() {
		return apperr.Throttled(hit.LockedUntil)
	}
	return ErrWrongPassword
}

// RecentPassword is how long after typing their password a user may see or
// change their passphrase, or make a support code, without typing it again.
const RecentPassword = 5 * time.Minute

// Recent reports whether a password typed at passwordAt (zero: never in
// this session) is recent enough at now.
func Recent(passwordAt, now time.Time) bool {
	return !passwordAt.IsZero() && now.Sub(passwordAt) <= RecentPassword
}
