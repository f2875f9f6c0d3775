package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"accountportal/app/account"
	"accountportal/app/apperr"
	"accountportal/app/identity"
	"accountportal/app/metrics"
	"accountportal/app/mfa"
	"accountportal/app/profile"
	"accountportal/app/security"
	"accountportal/app/session"
	"accountportal/views/pages/login"
	"accountportal/views/viewmodel"
)

// pendingFor is how long a correct password keeps the agreement step open.
const pendingFor = 10 * time.Minute

type loginHandlers struct {
	// mfaEnrolment brings the pages and the second factor's service.
	mfaEnrolment
	setup   *account.Setup
	profile *profile.Service
	signIn  *identity.SignIn
	metrics *metrics.Metrics
}

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
		st.del(keyLoginUsername)
	}
	p := h.page(c, "Sign in")
	if c.QueryParam("signed_out") != "" && p.Flash == nil {
		p.Flash = &viewmodel.Flash{Kind: viewmodel.FlashSuccess, Message: "You have signed out."}
	}
	return render(c, http.StatusOK, login.Username(p, viewmodel.LoginPage{Username: st.str(keyLoginUsername)}))
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
		m := viewmodel.LoginPage{Username: f.Username, Errors: viewmodel.NewErrors(errs, "username")}
		return render(c, http.StatusUnprocessableEntity, login.Username(h.page(c, "Sign in"), m))
	}
	name := strings.TrimSpace(f.Username)
	if name == "" || len(name) > identity.UsernameMax*4 {
		m := viewmodel.LoginPage{Username: name, Errors: viewmodel.FormError("username", "Enter your username")}
		return render(c, http.StatusUnprocessableEntity, login.Username(h.page(c, "Sign in"), m))
	}
	state(c).set(keyLoginUsername, name)
	return c.Redirect(http.StatusSeeOther, "/login/password")
}

// passwordForm is the second step of sign-in.
func (h loginHandlers) passwordForm(c echo.Context) error {
	st := state(c)
	if st.principal != nil {
		return c.Redirect(http.StatusSeeOther, "/")
	}
	name := st.str(keyLoginUsername)
	if name == "" {
		return c.Redirect(http.StatusSeeOther, "/login")
	}
	return render(c, http.StatusOK, login.Password(h.page(c, "Enter your password"), viewmodel.LoginPage{Username: name}))
}

// passwordSubmit checks the password, then either finishes signing in or
// asks for the license agreement first.
func (h loginHandlers) passwordSubmit(c echo.Context) error {
	st := state(c)
	name := st.str(keyLoginUsername)
	if name == "" {
		return c.Redirect(http.StatusSeeOther, "/login")
	}
	var f passwordForm
	if err := bindForm(c, &f); err != nil {
		errs, ok := fieldErrors(err)
		if !ok {
			return err
		}
		m := viewmodel.LoginPage{Username: name, Errors: viewmodel.NewErrors(errs, "password")}
		return render(c, http.StatusUnprocessableEntity, login.Password(h.page(c, "Enter your password"), m))
	}
	if f.Password == "" {
		return h.passwordError(c, name, "Enter your password")
	}
	ctx := c.Request().Context()
	user, err := h.signIn.Authenticate(ctx, name, f.Password, origin(c))
	h.metrics.SignIn(signInOutcome(err))
	switch {
	case errors.Is(err, identity.ErrIncorrect):
		return h.passwordError(c, name, identity.ErrIncorrect.Message)
	case errors.Is(err, identity.ErrSuspended):
		st.del(keyLoginUsername)
		return h.renderSuspended(c, false)
	case err != nil:
		return err
	}
	// The password proved who this is: from here on, an ID fixed before
	// sign-in must be worthless.
	if err := h.renew(c, st); err != nil {
		return err
	}
	st.sess.Values[session.KeyPasswordAt] = h.now()
	st.del(keyLoginUsername, keyPendingMFA, keyPendingSeed)
	st.set(keyPendingUserID, itoa(user.ID))
	st.set(keyPendingUntil, h.now().Add(pendingFor).UTC().Format(time.RFC3339))
	return h.next(c, st)
}

// next sends a user who gave the right password to the step they still
// owe: their second factor (or setting one up, when the account requires
// it), then the license agreement, then in.
func (h loginHandlers) next(c echo.Context, st *reqState) error {
	id, ok := h.pendingUser(st)
	if !ok {
		return c.Redirect(http.StatusSeeOther, "/login")
	}
	ctx := c.Request().Context()
	p, err := h.signIn.LoadPrincipal(ctx, id)
	if err != nil {
		return err
	}
	if to := h.owed(st, p); to != "" {
		return c.Redirect(http.StatusSeeOther, to)
	}
	needs, err := h.signIn.NeedsLicense(ctx, id)
	if err != nil {
		return err
	}
	if needs {
		return c.Redirect(http.StatusSeeOther, "/login/agreement")
	}
	return h.complete(c, st, id)
}

// owed returns the page of the first step the pending user still owes
// before the agreement: their second factor, then a security question the
// account requires; "" when none.
func (h loginHandlers) owed(st *reqState, p *identity.Principal) string {
	if to := h.mfaStep(st, p); to != "" {
		return to
	}
	if questionOwed(p) {
		return "/login/question"
	}
	return ""
}

// questionOwed reports whether the account requires a security question
// and the user has none. The support desk's staff are never asked.
func questionOwed(p *identity.Principal) bool {
	return p.Account.RequireSecurityQuestion && p.User.SecurityAnswerHash == "" && !p.Account.IsStaff()
}

// mfaStep returns the second-factor page the pending user still owes, or "".
func (h loginHandlers) mfaStep(st *reqState, p *identity.Principal) string {
	switch {
	case st.str(keyPendingMFA) == "ok":
		return ""
	case p.User.MFAEnrolledAt != nil:
		return "/login/mfa"
	case mfa.MustEnrol(p):
		return "/login/mfa/setup"
	}
	return ""
}

func (h loginHandlers) passwordError(c echo.Context, name, msg string) error {
	m := viewmodel.LoginPage{Username: name, Errors: viewmodel.FormError("password", msg)}
	return render(c, http.StatusUnprocessableEntity, login.Password(h.page(c, "Enter your password"), m))
}

// pendingUser returns the user who gave the right password and has yet to
// accept the agreement, if that was recent.
func (h loginHandlers) pendingUser(st *reqState) (int64, bool) {
	until, err := time.Parse(time.RFC3339, st.str(keyPendingUntil))
	if err != nil || !h.now().Before(until) {
		return 0, false
	}
	id, err := atoi(st.str(keyPendingUserID))
	return id, err == nil
}

// agreementForm shows the license agreement to a user between password
// (and second factor) and home page.
func (h loginHandlers) agreementForm(c echo.Context) error {
	st := state(c)
	id, ok := h.pendingUser(st)
	if !ok {
		return c.Redirect(http.StatusSeeOther, "/login")
	}
	p, err := h.signIn.LoadPrincipal(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if to := h.owed(st, p); to != "" {
		return c.Redirect(http.StatusSeeOther, to)
	}
	return render(c, http.StatusOK, login.Agreement(h.page(c, "License agreement"),
		viewmodel.AgreementPage{Version: h.signIn.LicenseVersion(), DisplayName: p.User.DisplayName}))
}

// agreementSubmit records "I Agree" and finishes signing in.
func (h loginHandlers) agreementSubmit(c echo.Context) error {
	st := state(c)
	id, ok := h.pendingUser(st)
	if !ok {
		return c.Redirect(http.StatusSeeOther, "/login")
	}
	p, err := h.signIn.LoadPrincipal(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if to := h.owed(st, p); to != "" {
		return c.Redirect(http.StatusSeeOther, to)
	}
	if err := h.signIn.AcceptLicense(c.Request().Context(), id, origin(c)); err != nil {
		return err
	}
	return h.next(c, st)
}

// complete signs the user in on a fresh session ID and sends them on.
func (h loginHandlers) complete(c echo.Context, st *reqState, userID int64) error {
	st.del(keyPendingUserID, keyPendingUntil, keyPendingMFA, keyPendingSeed)
	to := localRedirect(st.str(keyReturnTo))
	st.del(keyReturnTo)
	if err := h.renew(c, st); err != nil {
		return err
	}
	st.sess.Values[session.KeyUserID] = userID
	if err := h.signIn.Complete(c.Request().Context(), userID, origin(c)); err != nil {
		return err
	}
	h.metrics.SignIn(metrics.SignInCompleted)
	return c.Redirect(http.StatusSeeOther, to)
}

// renew moves the session to a new ID and a new CSRF token.
func (h loginHandlers) renew(c echo.Context, st *reqState) error { return renewSession(c, st) }

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
	case errors.Is(err, identity.ErrSuspended):
		return metrics.SignInSuspended
	case apperr.Is(err, apperr.TooMany):
		return metrics.SignInThrottled
	case errors.Is(err, security.ErrBusy):
		return metrics.SignInBusy
	}
	return metrics.SignInError
}
