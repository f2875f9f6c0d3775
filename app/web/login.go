package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"accountportal/app/account"
	"accountportal/app/apperr"
	"accountportal/app/identity"
	"accountportal/app/metrics"
	"accountportal/app/profile"
	"accountportal/app/security"
	"accountportal/models"
	"accountportal/views/i18n"
	"accountportal/views/pages/login"
	"accountportal/views/viewmodel"
)

type loginHandlers struct {
	// mfaEnrolment brings the pages and the second factor's service.
	mfaEnrolment
	setup   *account.Setup
	profile *profile.Service
	signIn  *identity.SignIn
	metrics *metrics.Metrics
}

// usernameForm and passwordForm are the bodies of the two sign-in steps;
// their tags are the field names of package login.
type usernameForm struct {
	Username string `form:"username"`
}

type passwordForm struct {
	Password string `form:"password"`
}

// usernameForm is the first step of sign-in.
func (h loginHandlers) usernameForm(c echo.Context) error {
	st := state(c)
	if st.principal != nil {
		return c.Redirect(http.StatusSeeOther, "/")
	}
	// On a fresh install nobody can sign in yet: the way in is setup.
	fresh, err := h.setup.Fresh(c.Request().Context())
	if err != nil {
		return err
	}
	if fresh {
		return c.Redirect(http.StatusSeeOther, "/setup")
	}
	if c.QueryParam("change") != "" {
		st.forgetLoginUsername()
	}
	p := h.page(c, tr(c, "login.title"))
	if c.QueryParam("signed_out") != "" && p.Flash == nil {
		p.Flash = &viewmodel.Flash{Kind: viewmodel.FlashSuccess, Message: tr(c, "login.signed_out")}
	}
	return render(c, http.StatusOK, login.Username(p, viewmodel.LoginPage{Username: st.loginUsername()}))
}

// usernameSubmit remembers the username and asks for the password. It does
// not look the username up: the next step answers the same for every name.
func (h loginHandlers) usernameSubmit(c echo.Context) error {
	var f usernameForm
	if err := bindForm(c, &f); err != nil {
		errs, ok := fieldErrors(err)
		if !ok {
			return err
		}
		m := viewmodel.LoginPage{Username: f.Username, Errors: viewmodel.NewErrors(localErrors(c, errs), login.UsernameFields...)}
		return render(c, http.StatusUnprocessableEntity, login.Username(h.page(c, tr(c, "login.title")), m))
	}
	name := strings.TrimSpace(f.Username)
	if msg := usernameProblem(name); msg != "" {
		m := viewmodel.LoginPage{Username: name, Errors: viewmodel.FormError(login.FieldUsername, localProblem(c, msg))}
		return render(c, http.StatusUnprocessableEntity, login.Username(h.page(c, tr(c, "login.title")), m))
	}
	state(c).setLoginUsername(name)
	return c.Redirect(http.StatusSeeOther, "/login/password")
}

// usernameProblem says what is wrong with a username typed at sign-in or
// to reset a password, or "". It never looks the name up: a name far
// longer than any username or address cannot be one, and saying so
// reveals nothing.
func usernameProblem(name string) string {
	switch {
	case name == "":
		return "Enter your username"
	case len(name) > identity.UsernameMax*4:
		return "That is too long for a username or email address"
	}
	return ""
}

// passwordForm is the second step of sign-in.
func (h loginHandlers) passwordForm(c echo.Context) error {
	st := state(c)
	if st.principal != nil {
		return c.Redirect(http.StatusSeeOther, "/")
	}
	name := st.loginUsername()
	if name == "" {
		return c.Redirect(http.StatusSeeOther, "/login")
	}
	return render(c, http.StatusOK, login.Password(h.page(c, tr(c, "login.password_title")), viewmodel.LoginPage{Username: name}))
}

// passwordSubmit checks the password, which starts a sign-in attempt, and
// sends the user to the first step it owes (or signs them in).
func (h loginHandlers) passwordSubmit(c echo.Context) error {
	st := state(c)
	name := st.loginUsername()
	if name == "" {
		return c.Redirect(http.StatusSeeOther, "/login")
	}
	var f passwordForm
	if err := bindForm(c, &f); err != nil {
		errs, ok := fieldErrors(err)
		if !ok {
			return err
		}
		m := viewmodel.LoginPage{Username: name, Errors: viewmodel.NewErrors(localErrors(c, errs), login.PasswordFields...)}
		return render(c, http.StatusUnprocessableEntity, login.Password(h.page(c, tr(c, "login.password_title")), m))
	}
	if f.Password == "" {
		return h.passwordError(c, name, "Enter your password")
	}
	a, err := h.signIn.Authenticate(c.Request().Context(), name, f.Password, origin(c))
	h.metrics.SignIn(signInOutcome(err))
	switch {
	case errors.Is(err, identity.ErrIncorrect):
		return h.passwordError(c, name, identity.ErrIncorrect.Message)
	case errors.Is(err, identity.ErrSuspended), errors.Is(err, identity.ErrAccountSuspended):
		st.forgetLoginUsername()
		return h.renderSuspended(c, false, errors.Is(err, identity.ErrAccountSuspended))
	case err != nil:
		return err
	}
	return h.begin(c, st, a)
}

// begin keeps the attempt of a user who gave the right password (at the
// password step, or as they chose it accepting an invitation) and sends
// them to the first step it owes.
func (h loginHandlers) begin(c echo.Context, st *reqState, a *identity.Attempt) error {
	// The password proved who this is: from here on, an ID fixed before
	// sign-in must be worthless.
	if err := renewSession(c, st); err != nil {
		return err
	}
	st.setPasswordAt(h.now())
	st.forgetLoginUsername()
	st.setAttempt(a)
	// The attempt was made from the user as they are this moment.
	return h.goTo(c, st, a)
}

// stepPages are the pages of the steps a sign-in attempt may owe.
var stepPages = map[identity.Step]string{
	identity.StepSecondFactor: "/login/mfa",
	identity.StepEnrol:        "/login/mfa/setup",
	identity.StepQuestion:     "/login/question",
	identity.StepAgreement:    "/login/agreement",
}

// next sends a user who gave the right password to the step their sign-in
// attempt still owes, or signs them in when it owes none; without a live
// attempt, back to the start.
func (h loginHandlers) next(c echo.Context, st *reqState) error {
	a, _, err := h.resume(c, st)
	if err != nil || a == nil {
		return err
	}
	return h.goTo(c, st, a)
}

// goTo sends the browser to the step a owes next, or signs the user in.
func (h loginHandlers) goTo(c echo.Context, st *reqState, a *identity.Attempt) error {
	if step := a.Next(); step != identity.StepNone {
		return c.Redirect(http.StatusSeeOther, stepPages[step])
	}
	return h.complete(c, st, a)
}

// resume returns the session's live sign-in attempt, brought up to date
// with its user, and the user. Without one it sends the browser to the
// start and returns a nil attempt.
func (h loginHandlers) resume(c echo.Context, st *reqState) (*identity.Attempt, *identity.Principal, error) {
	a := st.attempt()
	if a == nil {
		return nil, nil, c.Redirect(http.StatusSeeOther, "/login")
	}
	before := a.Encode()
	p, err := h.signIn.Resume(c.Request().Context(), a)
	if errors.Is(err, identity.ErrAttemptExpired) {
		st.clearAttempt()
		return nil, nil, c.Redirect(http.StatusSeeOther, "/login")
	}
	if errors.Is(err, identity.ErrAccountSuspended) {
		// The provider suspended the account while the sign-in was under way.
		st.clearAttempt()
		return nil, nil, h.renderSuspended(c, false, true)
	}
	if err != nil {
		return nil, nil, err
	}
	if a.Encode() != before {
		st.setAttempt(a)
	}
	return a, p, nil
}

// due returns the session's live sign-in attempt and its user when step is
// the one it owes next. Otherwise ok is false and the browser was sent on
// (see next), or err says why not. The step speaks p's language (speakAs).
func (h loginHandlers) due(c echo.Context, step identity.Step) (a *identity.Attempt, p *identity.Principal, ok bool, err error) {
	st := state(c)
	if a, p, err = h.resume(c, st); err != nil || a == nil {
		return nil, nil, false, err
	}
	if a.Next() != step {
		return nil, nil, false, h.next(c, st)
	}
	speakAs(c, p)
	return a, p, true, nil
}

// advanced keeps the attempt as a service left it and moves on. An
// attempt that expired or moved on meanwhile is sent on too.
func (h loginHandlers) advanced(c echo.Context, a *identity.Attempt, err error) error {
	st := state(c)
	if errors.Is(err, identity.ErrAttemptExpired) || errors.Is(err, identity.ErrStepNotDue) {
		return h.next(c, st)
	}
	if err != nil {
		return err
	}
	st.setAttempt(a)
	return h.next(c, st)
}

func (h loginHandlers) passwordError(c echo.Context, name, msg string) error {
	m := viewmodel.LoginPage{Username: name, Errors: viewmodel.FormError(login.FieldPassword, localProblem(c, msg))}
	return render(c, http.StatusUnprocessableEntity, login.Password(h.page(c, tr(c, "login.password_title")), m))
}

// agreementForm shows the license agreement to a user between password
// (and second factor) and home page.
func (h loginHandlers) agreementForm(c echo.Context) error {
	_, p, ok, err := h.due(c, identity.StepAgreement)
	if !ok {
		return err
	}
	current, err := h.signIn.CurrentLicense(c.Request().Context())
	if err != nil {
		return err
	}
	agreement, err := readersAgreement(c, h.signIn, current)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, login.Agreement(h.page(c, tr(c, "login.agreement.title")),
		viewmodel.AgreementPage{Agreement: agreement, DisplayName: p.User.DisplayName}))
}

// agreementView renders a version of the license agreement for a page, as
// the provider published it.
func agreementView(v *models.LicenseVersion) (viewmodel.Agreement, error) {
	return agreementText(identity.PublishedText(v), i18n.Default)
}

// readersAgreement renders a version of the license agreement for the
// reader: in their language when it has a translation into it.
func readersAgreement(c echo.Context, signIn *identity.SignIn, v *models.LicenseVersion) (viewmodel.Agreement, error) {
	ctx := c.Request().Context()
	t, err := signIn.LicenseFor(ctx, v, i18n.Lang(ctx))
	if err != nil {
		return viewmodel.Agreement{}, err
	}
	return agreementText(t, i18n.Lang(ctx))
}

// agreementText renders t for a page in the language page.
func agreementText(t *identity.LicenseText, page string) (viewmodel.Agreement, error) {
	body, err := identity.RenderLicense(t.Markdown)
	if err != nil {
		return viewmodel.Agreement{}, err
	}
	a := viewmodel.Agreement{Version: t.Version, Title: t.Title, Body: body, Effective: t.EffectiveAt, Translated: t.Translated()}
	if t.Language != page {
		a.Lang = t.Language
	}
	return a, nil
}

// agreementSubmit records "I Agree" and finishes signing in.
func (h loginHandlers) agreementSubmit(c echo.Context) error {
	a, _, ok, err := h.due(c, identity.StepAgreement)
	if !ok {
		return err
	}
	err = h.signIn.AcceptLicense(c.Request().Context(), a, c.FormValue("version"), origin(c))
	if errors.Is(err, identity.ErrLicenseChanged) {
		return redirectWithFlash(c, "/login/agreement", viewmodel.FlashInfo, flashID("login.agreement.changed"))
	}
	return h.advanced(c, a, err)
}

// complete signs the attempt's user in on a fresh session ID and sends
// them on.
func (h loginHandlers) complete(c echo.Context, st *reqState, a *identity.Attempt) error {
	if err := h.signIn.Complete(c.Request().Context(), a, origin(c)); err != nil {
		return err
	}
	st.clearAttempt()
	to := localRedirect(st.takeReturnTo())
	if err := renewSession(c, st); err != nil {
		return err
	}
	st.setSignedIn(a.UserID())
	h.metrics.SignIn(metrics.SignInCompleted)
	return c.Redirect(http.StatusSeeOther, to)
}

// logout ends the session: the row is deleted, so a copy of the cookie
// opens nothing.
func (h loginHandlers) logout(c echo.Context) error {
	st := state(c)
	if p := st.principal; p != nil {
		if err := h.signIn.RecordSignOut(c.Request().Context(), p.User, origin(c)); err != nil {
			return err
		}
	}
	st.end()
	return c.Redirect(http.StatusSeeOther, "/login?signed_out=1")
}

// signInOutcome names the password step's result for the metrics.
func signInOutcome(err error) string {
	switch {
	case err == nil:
		return metrics.SignInPasswordOK
	case errors.Is(err, identity.ErrIncorrect):
		return metrics.SignInIncorrect
	case errors.Is(err, identity.ErrSuspended), errors.Is(err, identity.ErrAccountSuspended):
		return metrics.SignInSuspended
	case apperr.Is(err, apperr.TooMany):
		return metrics.SignInThrottled
	case errors.Is(err, security.ErrBusy):
		return metrics.SignInBusy
	}
	return metrics.SignInError
}
