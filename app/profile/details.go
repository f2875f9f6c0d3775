package profile

import (
	"context"
	"strings"
	"time"

	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/models"
	"accountportal/views/emails"
)

// The subjects of My Profile's problems, besides identity.NewPassword and
// identity.PasswordConfirmation.
const (
	DisplayName apperr.Subject = "profile.display_name"
	Passphrase  apperr.Subject = "profile.passphrase"
	Question    apperr.Subject = "profile.question"
	Answer      apperr.Subject = "profile.answer"
	NewEmail    apperr.Subject = "profile.new_email"
)

// The subjects each of My Profile's services can report a problem with.
var (
	DetailsSubjects    = []apperr.Subject{DisplayName}
	PasswordSubjects   = []apperr.Subject{identity.NewPassword, identity.PasswordConfirmation}
	QuestionSubjects   = []apperr.Subject{Question, Answer}
	EmailSubjects      = []apperr.Subject{NewEmail}
	PassphraseSubjects = []apperr.Subject{Passphrase}
	// SignInQuestionSubjects are SetQuestionAtSignIn's, which asks for no
	// password.
	SignInQuestionSubjects = []apperr.Subject{Question, Answer}
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
		return apperr.Problems(map[apperr.Subject]string{DisplayName: msg})
	}
	if name == u.DisplayName {
		return nil
	}
	return s.change(ctx, u, ActionDetailsChanged, emails.Text{}, emails.Text{}, from, map[string]any{"from": u.DisplayName, "to": name},
		func(tx *models.Store, now time.Time) error { return tx.Users.SetDisplayName(ctx, u.ID, name, now) })
}
