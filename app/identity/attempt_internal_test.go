package identity

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"accountportal/app/audit"
	"accountportal/models"
)

var attemptT0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// who describes a user and their account for the step rules.
type who struct {
	policy                               string
	admin, enrolled, resetByAdmin, staff bool
	question, requireQuestion            bool
}

// principalOf builds the principal w describes, no database needed.
func principalOf(w who) *Principal {
	u := &models.User{ID: 7, IsPrimaryAdmin: w.admin}
	if w.enrolled {
		u.MFAEnrolledAt = &attemptT0
	}
	if w.resetByAdmin {
		u.MFAResetAt = &attemptT0
	}
	if w.question {
		u.SecurityAnswerHash = "$argon2id$..."
	}
	a := &models.Account{MFAPolicy: w.policy, RequireSecurityQuestion: w.requireQuestion}
	if w.staff {
		a.Kind = models.KindStaff
	}
	return &Principal{User: u, Account: a, Permissions: map[string]bool{}, HasPassphrase: true}
}

func TestStepsOwedFollowPolicyAndUser(t *testing.T) {
	const off, admins, everyone = models.MFAOff, models.MFAAdmins, models.MFAEveryone
	for _, tc := range []struct {
		name    string
		p       *Principal
		license bool
		want    []Step
	}{
		{"nothing owed", principalOf(who{policy: off}), false, nil},
		{"agreement only", principalOf(who{policy: off}), true, []Step{StepAgreement}},
		{"enrolled user gives a code", principalOf(who{policy: off, enrolled: true}), false, []Step{StepSecondFactor}},
		{"enrolled user under a policy still gives a code", principalOf(who{policy: everyone, enrolled: true}), false, []Step{StepSecondFactor}},
		{"everyone must enrol", principalOf(who{policy: everyone}), false, []Step{StepEnrol}},
		{"admins policy spares a user", principalOf(who{policy: admins}), false, nil},
		{"admins policy makes an admin enrol", principalOf(who{policy: admins, admin: true}), false, []Step{StepEnrol}},
		{"reset by an admin enrols again", principalOf(who{policy: admins, resetByAdmin: true}), false, []Step{StepEnrol}},
		{"reset by an admin with MFA off", principalOf(who{policy: off, resetByAdmin: true}), false, nil},
		{"required question missing", principalOf(who{policy: off, requireQuestion: true}), false, []Step{StepQuestion}},
		{"required question present", principalOf(who{policy: off, question: true, requireQuestion: true}), false, nil},
		{"staff are never asked a question", principalOf(who{policy: off, requireQuestion: true, staff: true}), false, nil},
		{"all in order", principalOf(who{policy: everyone, enrolled: true, requireQuestion: true}), true,
			[]Step{StepSecondFactor, StepQuestion, StepAgreement}},
		{"enrol, question, agreement", principalOf(who{policy: everyone, requireQuestion: true}), true,
			[]Step{StepEnrol, StepQuestion, StepAgreement}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := stepsOwed(tc.p, tc.license); !slices.Equal(got, tc.want) {
				t.Errorf("stepsOwed = %v, want %v", got, tc.want)
			}
			a := newAttempt(tc.p, tc.license, attemptT0)
			var taken []Step
			for s := a.Next(); s != StepNone; s = a.Next() {
				if err := a.Due(s, tc.p.User.ID, attemptT0); err != nil {
					t.Fatalf("Due(%v) = %v", s, err)
				}
				taken = append(taken, s)
				a.Pass(s)
			}
			if !slices.Equal(taken, tc.want) {
				t.Errorf("steps taken = %v, want %v", taken, tc.want)
			}
		})
	}
}

func TestDueRefusesOtherStepsUsersAndLateness(t *testing.T) {
	p := principalOf(who{policy: models.MFAOff, enrolled: true})
	a := newAttempt(p, true, attemptT0)
	for _, tc := range []struct {
		name string
		step Step
		user int64
		at   time.Time
		want error
	}{
		{"the step due", StepSecondFactor, 7, attemptT0, nil},
		{"a later step", StepAgreement, 7, attemptT0, ErrStepNotDue},
		{"a step not owed", StepQuestion, 7, attemptT0, ErrStepNotDue},
		{"nothing", StepNone, 7, attemptT0, ErrStepNotDue},
		{"another user", StepSecondFactor, 8, attemptT0, ErrStepNotDue},
		{"just in time", StepSecondFactor, 7, attemptT0.Add(AttemptFor - time.Second), nil},
		{"too late", StepSecondFactor, 7, attemptT0.Add(AttemptFor), ErrAttemptExpired},
	} {
		if err := a.Due(tc.step, tc.user, tc.at); !errors.Is(err, tc.want) {
			t.Errorf("%s: Due = %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestCompleteRefusesWhileOwedOrExpired(t *testing.T) {
	// Refusals touch no database, so a SignIn without a store shows them.
	now := attemptT0
	s := &SignIn{now: func() time.Time { return now }}
	p := principalOf(who{policy: models.MFAOff, enrolled: true})
	for _, tc := range []struct {
		name string
		pass []Step
		at   time.Time
		want error
	}{
		{"second factor owed", nil, attemptT0, ErrStepsOwed},
		{"agreement still owed", []Step{StepSecondFactor}, attemptT0, ErrStepsOwed},
		{"all passed but expired", []Step{StepSecondFactor, StepAgreement}, attemptT0.Add(AttemptFor), ErrAttemptExpired},
		{"owed and expired", nil, attemptT0.Add(time.Hour), ErrAttemptExpired},
	} {
		a := newAttempt(p, true, attemptT0)
		for _, st := range tc.pass {
			a.Pass(st)
		}
		now = tc.at
		if err := s.Complete(context.Background(), a, audit.Origin{}); !errors.Is(err, tc.want) {
			t.Errorf("%s: Complete = %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestAttemptSurvivesTheSession(t *testing.T) {
	p := principalOf(who{policy: models.MFAEveryone, requireQuestion: true})
	a := newAttempt(p, true, attemptT0)
	a.SetEnrolSeed("1.bm9uY2U.Y2lwaGVy")
	a.Pass(StepEnrol)
	got, err := DecodeAttempt(a.Encode())
	if err != nil {
		t.Fatal(err)
	}
	if got.UserID() != 7 || got.Next() != StepQuestion || got.EnrolSeed() != a.EnrolSeed() ||
		got.Expired(attemptT0.Add(AttemptFor-time.Second)) || !got.Expired(attemptT0.Add(AttemptFor)) {
		t.Errorf("decoded %+v from %+v", got, a)
	}
	for _, bad := range []string{"", "{", `{"u":0,"t":1}`, "null"} {
		if _, err := DecodeAttempt(bad); err == nil {
			t.Errorf("DecodeAttempt(%q) = nil error", bad)
		}
	}
}

// TestRefreshFollowsTheUserDuringTheAttempt checks that what changes about
// the user between the password and the last step changes what is owed,
// while a step already passed stays passed.
func TestRefreshFollowsTheUserDuringTheAttempt(t *testing.T) {
	const off, optional = models.MFAOff, models.MFAOptional
	for _, tc := range []struct {
		name     string
		at, now  who
		pass     []Step
		wantNext Step
	}{
		{"authenticator reset before the code", who{policy: optional, enrolled: true}, who{policy: optional, resetByAdmin: true},
			nil, StepEnrol},
		{"authenticator reset after the code", who{policy: optional, enrolled: true}, who{policy: optional, resetByAdmin: true},
			[]Step{StepSecondFactor}, StepNone},
		{"an authenticator just set up is not asked for a code", who{policy: models.MFAEveryone}, who{policy: models.MFAEveryone, enrolled: true},
			[]Step{StepEnrol}, StepNone},
		{"question required meanwhile", who{policy: off}, who{policy: off, requireQuestion: true}, nil, StepQuestion},
		{"question set elsewhere meanwhile", who{policy: off, requireQuestion: true}, who{policy: off, requireQuestion: true, question: true},
			nil, StepNone},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := newAttempt(principalOf(tc.at), false, attemptT0)
			for _, s := range tc.pass {
				a.Pass(s)
			}
			b, err := DecodeAttempt(a.Encode())
			if err != nil {
				t.Fatal(err)
			}
			b.refresh(principalOf(tc.now), false)
			if got := b.Next(); got != tc.wantNext {
				t.Errorf("next step = %v, want %v", got, tc.wantNext)
			}
		})
	}
}
