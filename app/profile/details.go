package profile

import (
	"context"
	"strings"
	"time"

	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/models"
)

// Form fields of My Profile.
const (
	FieldDisplayName     = "display_name"
	FieldPassphrase      = "passphrase"
	FieldCurrentPassword = "current_password"
	FieldPassword        = "password"
	FieldPasswordConfirm = "password_confirm"
	FieldQuestion        = "security_question"
	FieldCustomQuestion  = "security_question_custom"
	FieldAnswer          = "security_answer"
	FieldNewEmail        = "new_email"
)

// Audit actions of My Profile.
const (
	ActionDetailsChanged    = "profile.details_changed"
	ActionPassphraseShown   = "passphrase.revealed"
	ActionPassphraseChanged = "passphrase.changed"
	ActionPasswordChanged   = "password.changed"
	ActionQuestionChanged   = "security_question.changed"
	ActionEmailRequested    = "email_change.requested"
	ActionEmailChanged      = "email_change.confirmed"
	ActionSessionSignedOut  = "session.signed_out"
	ActionOthersSignedOut   = "session.signed_out_others"
)

// UpdateDetails changes the user's display name.
func (s *Service) UpdateDetails(ctx context.Context, u *models.User, displayName string, from audit.Origin) error {
	name := strings.TrimSpace(displayName)
	if msg := identity.CheckDisplayName(name); msg != "" {
		return apperr.Fields(map[string]string{FieldDisplayName: msg})
	}
	if name == u.DisplayName {
		return nil
	}
	return s.change(ctx, u, ActionDetailsChanged, "", "", from, map[string]any{"from": u.DisplayName, "to": name},
		func(tx *models.Store, now time.Time) error { return tx.Users.SetDisplayName(ctx, u.ID, name, now) })
}
