package identity

import (
	"context"
	"time"

	"strings"

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

// PasswordProblem turns the rules a password broke into one sentence for
// the form, or "" when it broke none.
func PasswordProblem(failed []security.Rule) string {
	if len(failed) == 0 {
		return ""
	}
	texts := make([]string, len(failed))
	for i, r := range failed {
		texts[i] = strings.ToLower(r.Text[:1]) + r.Text[1:]
	}
	return "Password does not meet: " + strings.Join(texts, "; ")
}

// SetPassword stores a new password hash for the user inside tx and voids
// every outstanding reset or welcome link: after any password change, old
// links must not work.
func SetPassword(ctx context.Context, tx *models.Store, userID int64, hash string, now time.Time) error {
	if err := tx.SetPasswordHash(ctx, userID, hash, true, now); err != nil {
		return err
	}
	_, err := tx.VoidTokens(ctx, userID, "password changed", now, 0, models.PurposeReset, models.PurposeWelcome)
	return err
}
