package profile

import (
	"context"
	"errors"
	"strings"
	"time"

	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/models"
)

// SetQuestion replaces the user's security question and answer after
// checking their current password; it audits and emails a notice.
func (s *Service) SetQuestion(ctx context.Context, u *models.User, question, answer, currentPassword string, from audit.Origin) error {
	question = strings.TrimSpace(question)
	errs := CheckQuestion(question, answer, false)
	if len(errs) > 0 {
		return apperr.Fields(map[string]string{FieldQuestion: errs["question"], FieldAnswer: errs["answer"]})
	}
	if err := s.current(ctx, u, currentPassword); err != nil {
		return err
	}
	return s.saveQuestion(ctx, u, question, answer, from)
}

// SetQuestionAtSignIn sets the security question of a user whose account
// requires one and who has none, as a step of signing in: the password was
// typed moments ago, so it is not asked again. It refuses users who
// already have a question.
func (s *Service) SetQuestionAtSignIn(ctx context.Context, u *models.User, question, answer string, from audit.Origin) error {
	if u.SecurityAnswerHash != "" {
		return apperr.New(apperr.Conflict, "You already have a security question. Change it in My Profile.")
	}
	question = strings.TrimSpace(question)
	if errs := CheckQuestion(question, answer, false); len(errs) > 0 {
		return apperr.Fields(map[string]string{FieldQuestion: errs["question"], FieldAnswer: errs["answer"]})
	}
	return s.saveQuestion(ctx, u, question, answer, from)
}

// saveQuestion hashes the answer and stores the question, audited, with
// an emailed notice.
func (s *Service) saveQuestion(ctx context.Context, u *models.User, question, answer string, from audit.Origin) error {
	hash, err := s.hasher.Hash(ctx, NormalizeAnswer(answer))
	if err != nil {
		return err
	}
	return s.change(ctx, u, ActionQuestionChanged, "Your security question was changed",
		"Your security question was changed", from, nil, func(tx *models.Store, now time.Time) error {
			return tx.SetSecurityQuestion(ctx, u.ID, question, hash, now)
		})
}

func ignoreNotFound(err error) error {
	if errors.Is(err, models.ErrNotFound) {
		return nil
	}
	return err
}
