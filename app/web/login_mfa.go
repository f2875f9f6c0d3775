package web

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/app/mfa"
	"accountportal/views/i18n"
	mpages "accountportal/views/pages/mfa"
	"accountportal/views/viewmodel"
)

// mfaCodeFields shows a wrong code on the code forms of sign-in and
// enrolment.
var mfaCodeFields = formFields{mfa.Code: mpages.FieldCode}

// codeForm is the body of the code forms; its tag is a field name of
// views/pages/mfa.
type codeForm struct {
	Code string `form:"code"`
}

// mfaForm asks an enrolled user for their code.
func (h loginHandlers) mfaForm(c echo.Context) error {
	_, p, ok, err := h.due(c, identity.StepSecondFactor)
	if !ok {
		return err
	}
	return render(c, http.StatusOK, mpages.Verify(h.page(c, tr(c, "mfa.verify.title")), viewmodel.MFAVerifyPage{PrimaryAdmin: p.User.IsPrimaryAdmin, Staff: p.Account.IsStaff()}))
}

// mfaSubmit checks the code, then moves on.
func (h loginHandlers) mfaSubmit(c echo.Context) error {
	a, p, ok, err := h.due(c, identity.StepSecondFactor)
	if !ok {
		return err
	}
	var f codeForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	err = h.mfa.VerifyAtSignIn(c.Request().Context(), a, p.User, f.Code, origin(c))
	if errors.Is(err, mfa.ErrWrongCode) || errors.Is(err, mfa.ErrNoCode) {
		errs, _ := mfaCodeFields.errors(err)
		m := viewmodel.MFAVerifyPage{PrimaryAdmin: p.User.IsPrimaryAdmin, Staff: p.Account.IsStaff(), Errors: viewmodel.NewErrors(localErrors(c, errs), mpages.CodeFields...)}
		return render(c, http.StatusUnprocessableEntity, mpages.Verify(h.page(c, tr(c, "mfa.verify.title")), m))
	}
	return h.advanced(c, a, err)
}

// mfaSetupForm makes a user whose account requires a second factor set
// one up before going any further.
func (h loginHandlers) mfaSetupForm(c echo.Context) error {
	a, p, ok, err := h.due(c, identity.StepEnrol)
	if !ok {
		return err
	}
	return h.showSetup(c, p, attemptEnrolment{st: state(c), a: a, mfa: h.mfa}, "/login/mfa/setup", true, nil)
}

func (h loginHandlers) mfaSetupSubmit(c echo.Context) error {
	a, p, ok, err := h.due(c, identity.StepEnrol)
	if !ok {
		return err
	}
	codes, err := h.confirmSetup(c, p, attemptEnrolment{st: state(c), a: a, mfa: h.mfa}, "/login/mfa/setup", true)
	if errors.Is(err, identity.ErrAttemptExpired) || errors.Is(err, identity.ErrStepNotDue) {
		return h.next(c, state(c))
	}
	if err != nil || codes == nil {
		return err
	}
	return h.showCodes(c, codes, "/login/continue", true)
}

// proceed continues sign-in after the backup codes were shown.
func (h loginHandlers) proceed(c echo.Context) error { return h.next(c, state(c)) }

// mfaEnrolment sets up a new authenticator: sign-in's forced setup and My
// Profile's share it.
type mfaEnrolment struct {
	pages
	mfa *mfa.Service
}

// enrolment is an authenticator being set up: where its sealed seed is
// kept until its first code is confirmed, and how that code is checked.
type enrolment interface {
	seed() string
	keep(sealed string)
	confirm(ctx context.Context, p *identity.Principal, code string, from audit.Origin) ([]string, error)
}

// attemptEnrolment is setting up an authenticator as a step of sign-in:
// the sign-in attempt keeps the seed, and confirming passes the step.
type attemptEnrolment struct {
	st  *reqState
	a   *identity.Attempt
	mfa *mfa.Service
}

func (e attemptEnrolment) seed() string { return e.a.EnrolSeed() }

func (e attemptEnrolment) keep(sealed string) {
	e.a.SetEnrolSeed(sealed)
	e.st.setAttempt(e.a)
}

func (e attemptEnrolment) confirm(ctx context.Context, p *identity.Principal, code string, from audit.Origin) ([]string, error) {
	codes, err := e.mfa.ConfirmAtSignIn(ctx, e.a, p, code, from)
	if err == nil {
		e.st.setAttempt(e.a)
	}
	return codes, err
}

// profileEnrolment is setting up an authenticator from My Profile: the
// session keeps the seed.
type profileEnrolment struct {
	st  *reqState
	mfa *mfa.Service
}

func (e profileEnrolment) seed() string { return e.st.enrolSeed() }

func (e profileEnrolment) keep(sealed string) {
	if sealed == "" {
		e.st.clearEnrolSeed()
		return
	}
	e.st.setEnrolSeed(sealed)
}

func (e profileEnrolment) confirm(ctx context.Context, p *identity.Principal, code string, from audit.Origin) ([]string, error) {
	codes, err := e.mfa.Confirm(ctx, p, e.st.enrolSeed(), code, from)
	if err == nil {
		e.st.clearEnrolSeed()
	}
	return codes, err
}

// showSetup shows the QR code of the enrolment's seed, beginning a new one
// when there is none.
func (s mfaEnrolment) showSetup(c echo.Context, p *identity.Principal, e enrolment, action string, forced bool, errs map[string]string) error {
	sealed := e.seed()
	if sealed == "" {
		var err error
		if sealed, err = s.mfa.Begin(p); err != nil {
			return err
		}
		e.keep(sealed)
	}
	en, err := s.mfa.Display(p, sealed)
	if err != nil {
		e.keep("")
		return err
	}
	m := viewmodel.MFASetupPage{Action: action, QR: en.QR, Secret: en.Secret, Forced: forced, Errors: viewmodel.NewErrors(localErrors(c, errs), mpages.CodeFields...)}
	if forced {
		m.Reason = enrolReason(c, p)
	}
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusUnprocessableEntity
	}
	return render(c, status, mpages.Setup(s.page(c, tr(c, "mfa.setup.title")), m))
}

// confirmSetup checks the first code of the enrolment's seed. It returns
// the backup codes, or nil after showing the form again.
func (s mfaEnrolment) confirmSetup(c echo.Context, p *identity.Principal, e enrolment, action string, forced bool) ([]string, error) {
	var f codeForm
	if err := bindForm(c, &f); err != nil {
		return nil, err
	}
	codes, err := e.confirm(c.Request().Context(), p, f.Code, origin(c))
	if errs, ok := mfaCodeFields.errors(err); ok {
		return nil, s.showSetup(c, p, e, action, forced, errs)
	}
	if errors.Is(err, mfa.ErrSetupExpired) {
		e.keep("")
	}
	return codes, err
}

// showCodes shows backup codes once, with a text download.
func (s mfaEnrolment) showCodes(c echo.Context, codes []string, next string, post bool) error {
	text := tr(c, "mfa.codes.file_header") + "\n\n" + strings.Join(codes, "\n") + "\n"
	m := viewmodel.MFACodesPage{Codes: codes, Next: next, NextPost: post,
		Download: "data:text/plain;charset=utf-8," + url.PathEscape(text)}
	return render(c, http.StatusOK, mpages.Codes(s.page(c, tr(c, "mfa.codes.page_title")).WithScript("js/print.js"), m))
}

// speakAs says a sign-in step in the language of p, who has given their
// password but is not signed in yet, so the speak middleware could not
// know them (speakFor), and shows times in their zone.
func speakAs(c echo.Context, p *identity.Principal) {
	speakFor(c, p.User.Language, p.Account.Language)
	if loc := i18n.ZoneOf(cmp.Or(p.User.TimeZone, p.Account.TimeZone)); loc != nil {
		c.SetRequest(c.Request().WithContext(i18n.WithZone(c.Request().Context(), loc)))
	}
}
