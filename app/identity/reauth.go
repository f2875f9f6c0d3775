package identity

import (
	"context"
	"errors"
	"strconv"
	"time"

	"accountportal/app/apperr"
	"accountportal/app/security"
	"accountportal/app/throttle"
	"accountportal/models"
)

// ErrWrongPassword is the answer to a wrong current password from a
// signed-in user; the form shows it on its current-password field.
var ErrWrongPassword = &apperr.Error{Code: apperr.Invalid, Message: "The current password is incorrect"}

// CheckPassword verifies a signed-in user's current password, as the
// "confirm it's you" page and the forms that change credentials need. The
// attempt is counted before the comparison and taken back when right. It
// returns ErrWrongPassword, an apperr.TooMany error once the wrong ones
// used up the limit, or security.ErrBusy.
func (s *SignIn) CheckPassword(ctx context.Context, u *models.User, password string) error {
	att, err := s.limiter.Take(ctx, throttle.Key{Name: "reauth:user:" + strconv.FormatInt(u.ID, 10), Limit: s.cfg.Reauth})
	if err != nil {
		return err
	}
	ok, _, err := s.hasher.Verify(ctx, security.NormalizePassword(password), u.PasswordHash)
	if err != nil || ok {
		return errors.Join(err, att.Refund(ctx))
	}
	if until := att.Locked(); !until.IsZero() {
		return apperr.Throttled(until)
	}
	return ErrWrongPassword
}

// ErrReauthRequired means the user last typed their password too long ago
// for what they asked (see Recent); the page sends them to "confirm it's
// you".
var ErrReauthRequired = apperr.New(apperr.Forbidden, "Confirm your password to continue.")

// RecentPassword is how long after typing their password a user may see or
// change their passphrase, or make a support code, without typing it again.
const RecentPassword = 5 * time.Minute

// Recent reports whether a password typed at passwordAt (zero: never in
// this session) is recent enough at now.
func Recent(passwordAt, now time.Time) bool {
	return !passwordAt.IsZero() && now.Sub(passwordAt) <= RecentPassword
}
