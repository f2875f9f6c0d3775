package identity

import (
	"encoding/json"
	"errors"
	"time"
)

// Step is something a user still owes between a right password and being
// signed in. Steps are taken in the order of their values.
type Step uint8

// The steps of sign-in after the password, in order.
const (
	// StepNone means nothing is owed: the sign-in may complete.
	StepNone Step = iota
	// StepSecondFactor is the code of the user's authenticator or a
	// backup code.
	StepSecondFactor
	// StepEnrol is setting up an authenticator, when the account requires
	// one or an administrator reset the user's.
	StepEnrol
	// StepQuestion is choosing a security question the account requires.
	StepQuestion
	// StepAgreement is accepting the current license agreement.
	StepAgreement
	stepCount
)

// AttemptFor is how long a right password keeps a sign-in open for the
// steps it still owes.
const AttemptFor = 10 * time.Minute

// Errors of a sign-in attempt that is not ready for what was asked of it.
var (
	// ErrAttemptExpired means the attempt's time ran out: sign in again.
	ErrAttemptExpired = errors.New("identity: the sign-in attempt has expired")
	// ErrStepsOwed means the attempt cannot complete: a step is still owed.
	ErrStepsOwed = errors.New("identity: the sign-in attempt still owes a step")
	// ErrStepNotDue means a step was offered that is not the next one
	// owed, or for another user than the attempt's.
	ErrStepNotDue = errors.New("identity: that sign-in step is not due")
)

// Attempt is a sign-in between a right password and a session: whose it
// is, which steps are still owed and until when. Authenticate creates it;
// the services that check a step mark it passed; Complete refuses it while
// a step is owed or after it expired.
type Attempt struct {
	userID int64
	until  time.Time
	owed   uint8 // bit n set: Step(n) is owed
	passed uint8 // bit n set: Step(n) was passed
	seed   string
}

// newAttempt starts the sign-in of p's user at now, owing the steps their
// account and state call for.
func newAttempt(p *Principal, needsLicense bool, now time.Time) *Attempt {
	a := &Attempt{userID: p.User.ID, until: now.Add(AttemptFor)}
	a.refresh(p, needsLicense)
	return a
}

// secondFactor are the two ways of giving a second factor: passing either
// settles both for this sign-in, so an authenticator just set up is not
// asked for a code at once.
const secondFactor = 1<<StepSecondFactor | 1<<StepEnrol

// refresh makes the steps owed those p's user owes now, less the ones
// already passed: an administrator may have reset their second factor, or
// their account begun to require a question, since the password was typed.
func (a *Attempt) refresh(p *Principal, needsLicense bool) {
	a.owed = 0
	for _, s := range stepsOwed(p, needsLicense) {
		bit := uint8(1) << s
		if a.passed&bit != 0 || (bit&secondFactor != 0 && a.passed&secondFactor != 0) {
			continue
		}
		a.owed |= bit
	}
}

// stepsOwed lists what a user must still do after a right password: their
// second factor (or setting one up), a security question their account
// requires, then the license agreement.
func stepsOwed(p *Principal, needsLicense bool) []Step {
	var owed []Step
	switch {
	case p.User.MFAEnrolledAt != nil:
		owed = append(owed, StepSecondFactor)
	case p.MustEnrolMFA():
		owed = append(owed, StepEnrol)
	}
	if p.QuestionOwed() {
		owed = append(owed, StepQuestion)
	}
	if needsLicense {
		owed = append(owed, StepAgreement)
	}
	return owed
}

// UserID returns whose sign-in this is.
func (a *Attempt) UserID() int64 { return a.userID }

// Expired reports whether the attempt's time ran out at now.
func (a *Attempt) Expired(now time.Time) bool { return !now.Before(a.until) }

// Next returns the first step still owed, or StepNone.
func (a *Attempt) Next() Step {
	for s := StepNone + 1; s < stepCount; s++ {
		if a.owed&(1<<s) != 0 {
			return s
		}
	}
	return StepNone
}

// Due returns nil when step is the next one owed by this live attempt of
// userID; else ErrAttemptExpired or ErrStepNotDue. Services call it before
// checking a step.
func (a *Attempt) Due(step Step, userID int64, now time.Time) error {
	switch {
	case a.Expired(now):
		return ErrAttemptExpired
	case userID != a.userID || step == StepNone || a.Next() != step:
		return ErrStepNotDue
	}
	return nil
}

// Pass marks step done. Only the service that checked the step calls it.
func (a *Attempt) Pass(step Step) {
	a.owed &^= 1 << step
	a.passed |= 1 << step
}

// EnrolSeed returns the sealed seed of the authenticator being set up at
// StepEnrol, or "".
func (a *Attempt) EnrolSeed() string { return a.seed }

// SetEnrolSeed keeps the sealed seed of the authenticator being set up, so
// the QR code shown stays the same until its first code is confirmed.
func (a *Attempt) SetEnrolSeed(sealed string) { a.seed = sealed }

// attemptText is an Attempt as the session keeps it.
type attemptText struct {
	UserID int64  `json:"u"`
	Until  int64  `json:"t"`
	Owed   uint8  `json:"o"`
	Passed uint8  `json:"p,omitempty"`
	Seed   string `json:"s,omitempty"`
}

// Encode returns the attempt as the session keeps it.
func (a *Attempt) Encode() string {
	// Numbers and a string always marshal.
	b, _ := json.Marshal(attemptText{UserID: a.userID, Until: a.until.Unix(), Owed: a.owed, Passed: a.passed, Seed: a.seed})
	return string(b)
}

// DecodeAttempt returns the attempt that Encode returned as s.
func DecodeAttempt(s string) (*Attempt, error) {
	var t attemptText
	if err := json.Unmarshal([]byte(s), &t); err != nil {
		return nil, err
	}
	if t.UserID <= 0 {
		return nil, errors.New("identity: sign-in attempt without a user")
	}
	return &Attempt{userID: t.UserID, until: time.Unix(t.Until, 0), owed: t.Owed, passed: t.Passed, seed: t.Seed}, nil
}
