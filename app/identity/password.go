package identity

import (
	"context"
	"errors"
	"strings"
	"time"

	"accountportal/app/apperr"
	"accountportal/app/security"
	"accountportal/models"
)

// PolicyFor returns the password policy an account chose. secondFactor says
// whether the user signs in with MFA, which the nist preset rewards.
func PolicyFor(a *models.Account, secondFactor bool) security.PasswordPolicy {
	preset, ok := security.ParsePreset(a.PasswordPreset)
	if !ok {
		preset = security.PresetClassic
	}
	return security.PasswordPolicy{Preset: preset, IntegrationSafe: a.IntegrationSafe, SecondFactor: secondFactor}
}

// PasswordProblem turns every rule a password broke into one sentence for
// the form, in the checklist's words under the checklist's title ("Your
// password needs"), or "" when it broke none.
func PasswordProblem(failed []security.Rule) string {
	if len(failed) == 0 {
		return ""
	}
	texts := make([]string, len(failed))
	for i, r := range failed {
		texts[i] = strings.ToLower(r.Text[:1]) + r.Text[1:]
	}
	return "Your password needs: " + strings.Join(texts, "; ")
}

// The subjects of a new password's problems, shared by every service that
// sets one (setup, profile, reset).
const (
	NewPassword          apperr.Subject = "identity.new_password"
	PasswordConfirmation apperr.Subject = "identity.password_confirmation"
)

// NewPasswordProblems checks a new password and its confirmation together,
// so a form shows every problem at once: the rules broken (NewPassword),
// and whether the two typed passwords differ (PasswordConfirmation). Both
// are in NFC already.
func NewPasswordProblems(policy security.PasswordPolicy, who security.Subject, pw, confirm string) map[apperr.Subject]string {
	errs := map[apperr.Subject]string{}
	// An empty field asks for an answer; the rules are for what was typed.
	switch {
	case pw == "":
		errs[NewPassword] = "Enter a password"
	default:
		if msg := PasswordProblem(policy.Check(pw, who)); msg != "" {
			errs[NewPassword] = msg
		}
	}
	switch {
	case pw != "" && confirm == "":
		errs[PasswordConfirmation] = "Enter the password again to confirm it"
	case confirm != pw:
		errs[PasswordConfirmation] = "Passwords do not match"
	}
	return errs
}

// DiffersFromCurrent refuses a new password (in NFC) equal to the user's
// current one, with the NewPassword problem every form shows for it: a
// "change" that keeps the same password changes nothing, yet would email,
// audit and void links. A user with no password hash (never set) passes.
func DiffersFromCurrent(ctx context.Context, hasher *security.Hasher, u *models.User, pw string) error {
	same, _, err := hasher.Verify(ctx, pw, u.PasswordHash)
	if err != nil && !errors.Is(err, security.ErrMalformedHash) {
		return err
	}
	if same {
		return apperr.Problems(map[apperr.Subject]string{NewPassword: "Choose a password different from your current one"})
	}
	return nil
}

// SetPassword stores a new password hash for the user inside tx and voids
// every outstanding reset or welcome link: after any password change, old
// links must not work.
func SetPassword(ctx context.Context, tx *models.Store, userID int64, hash string, now time.Time) error {
	if err := tx.Users.SetPasswordHash(ctx, userID, hash, true, now); err != nil {
		return err
	}
	_, err := tx.Tokens.Void(ctx, userID, "password changed", now, 0, models.PurposeReset, models.PurposeWelcome)
	return err
}
