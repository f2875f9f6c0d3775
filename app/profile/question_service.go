package profile

import (
	"context"
	"errors"
	"strings"
	"time"

	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/models"
	"accountportal/views/emails"
)

// SetQuestion replaces the user's security question and answer when they
// typed their password within the recent sign-in window (passwordAt); it
// audits and emails a notice. It returns identity.ErrReauthRequired when
// the password was typed too long ago, or an apperr.Invalid error.
func (s *Service) SetQuestion(ctx context.Context, u *models.User, question, answer string, passwordAt time.Time, from audit.Origin) error {
	if !s.recent(passwordAt) {
		return identity.ErrReauthRequired
	}
	question = strings.TrimSpace(question)
	errs := CheckQuestion(question, answer, false)
	if len(errs) > 0 {
		return questionProblems(errs)
	}
	return s.saveQuestion(ctx, u, question, answer, from)
}

// SetQuestionAtSignIn sets the security question of a user whose account
// requires one and who has none, as the question step of their sign-in
// attempt, and passes that step: the password was typed moments ago, so it
// is not asked again. It refuses users who already have a question, and
// returns the attempt's ErrAttemptExpired or ErrStepNotDue when the
// question is not the step due.
func (s *Service) SetQuestionAtSignIn(ctx context.Context, a *identity.Attempt, u *models.User, question, answer string, from audit.Origin) error {
	if err := a.Due(identity.StepQuestion, u.ID, s.now()); err != nil {
		return err
	}
	if u.SecurityAnswerHash != "" {
		return apperr.New(apperr.Conflict, "You already have a security question. Change it in My Profile.")
	}
	question = strings.TrimSpace(question)
	if errs := CheckQuestion(question, answer, false); len(errs) > 0 {
		return questionProblems(errs)
	}
	if err := s.saveQuestion(ctx, u, question, answer, from); err != nil {
		return err
	}
	a.Pass(identity.StepQuestion)
	return nil
}

// saveQuestion hashes the answer and stores the question, audited, with
// an emailed notice.
func (s *Service) saveQuestion(ctx context.Context, u *models.User, question, answer string, from audit.Origin) error {
	hash, err := s.hasher.Hash(ctx, NormalizeAnswer(answer))
	if err != nil {
		return err
	}
	return s.change(ctx, u, ActionQuestionChanged, emails.Say("email.notice.question"),
		emails.Say("email.notice.question"), from, nil, func(tx *models.Store, now time.Time) error {
			return tx.Users.SetSecurityQuestion(ctx, u.ID, question, hash, now)
		})
}

func ignoreNotFound(err error) error {
	if errors.Is(err, models.ErrNotFound) {
		return nil
	}
	return err
}

// questionProblems reports CheckQuestion's messages by subject.
func questionProblems(errs map[string]string) error {
	problems := map[apperr.Subject]string{}
	for subject, msg := range map[apperr.Subject]string{Question: errs["question"], Answer: errs["answer"]} {
		if msg != "" {
			problems[subject] = msg
		}
	}
	return apperr.Problems(problems)
}
