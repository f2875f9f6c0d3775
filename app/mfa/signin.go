package mfa

import (
	"context"

	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/models"
)

// VerifyAtSignIn checks the code of a sign-in attempt's second-factor step
// as Verify does and, when it is right, passes the step. It returns what
// Verify returns, or the attempt's ErrAttemptExpired or ErrStepNotDue.
func (s *Service) VerifyAtSignIn(ctx context.Context, a *identity.Attempt, u *models.User, code string, from audit.Origin) error {
	if err := a.Due(identity.StepSecondFactor, u.ID, s.now()); err != nil {
		return err
	}
	if err := s.Verify(ctx, u, code, from); err != nil {
		return err
	}
	a.Pass(identity.StepSecondFactor)
	return nil
}

// ConfirmAtSignIn confirms the authenticator being set up at a sign-in
// attempt's enrolment step, whose seed the attempt keeps, as Confirm does;
// when the code is right it passes the step and forgets the seed. It
// returns what Confirm returns, or the attempt's ErrAttemptExpired or
// ErrStepNotDue.
func (s *Service) ConfirmAtSignIn(ctx context.Context, a *identity.Attempt, p *identity.Principal, code string, from audit.Origin) ([]string, error) {
	if err := a.Due(identity.StepEnrol, p.User.ID, s.now()); err != nil {
		return nil, err
	}
	codes, err := s.Confirm(ctx, p, a.EnrolSeed(), code, from)
	if err != nil {
		return nil, err
	}
	a.Pass(identity.StepEnrol)
	a.SetEnrolSeed("")
	return codes, nil
}
