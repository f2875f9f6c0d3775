package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"accountportal/app/apperr"
	"accountportal/app/identity"
	"accountportal/app/mfa"
	mpages "accountportal/views/pages/mfa"
	"accountportal/views/viewmodel"
)

type codeForm struct {
	Code string `form:"code"`
}

// pendingPrincipal loads the user between password and sign-in.
func (h loginHandlers) pendingPrincipal(c echo.Context) (*identity.Principal, bool, error) {
	id, ok := h.pendingUser(state(c))
	if !ok {
		return nil, false, nil
	}
	p, err := h.signIn.LoadPrincipal(c.Request().Context(), id)
	return p, err == nil, err
}

// mfaForm asks an enrolled user for their code.
func (h loginHandlers) mfaForm(c echo.Context) error {
	p, ok, err := h.pendingPrincipal(c)
	if err != nil || !ok || h.mfaStep(state(c), p) != "/login/mfa" {
		return errors.Join(err, h.next(c, state(c)))
	}
	return render(c, http.StatusOK, mpages.Verify(h.page(c, "Two-step verification"), viewmodel.MFAVerifyPage{PrimaryAdmin: p.User.IsPrimaryAdmin}))
}

// mfaSubmit checks the code, then moves on.
func (h loginHandlers) mfaSubmit(c echo.Context) error {
	st := state(c)
	p, ok, err := h.pendingPrincipal(c)
	if err != nil || !ok || h.mfaStep(st, p) != "/login/mfa" {
		return errors.Join(err, h.next(c, st))
	}
	var f codeForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	err = h.mfa.Verify(c.Request().Context(), p.User, f.Code, origin(c))
	if errors.Is(err, mfa.ErrWrongCode) {
		m := viewmodel.MFAVerifyPage{PrimaryAdmin: p.User.IsPrimaryAdmin, Errors: viewmodel.NewErrors(mfa.ErrWrongCode.Fields, "code")}
		return render(c, http.StatusUnprocessableEntity, mpages.Verify(h.page(c, "Two-step verification"), m))
	}
	if err != nil {
		return err
	}
	st.set(keyPendingMFA, "ok")
	return h.next(c, st)
}

// mfaSetupForm makes a user whose account requires a second factor set
// one up before going any further.
func (h loginHandlers) mfaSetupForm(c echo.Context) error {
	st := state(c)
	p, ok, err := h.pendingPrincipal(c)
	if err != nil || !ok || h.mfaStep(st, p) != "/login/mfa/setup" {
		return errors.Join(err, h.next(c, st))
	}
	return h.showSetup(c, p, keyPendingSeed, "/login/mfa/setup", true, nil)
}

func (h loginHandlers) mfaSetupSubmit(c echo.Context) error {
	st := state(c)
	p, ok, err := h.pendingPrincipal(c)
	if err != nil || !ok || h.mfaStep(st, p) != "/login/mfa/setup" {
		return errors.Join(err, h.next(c, st))
	}
	codes, err := h.confirmSetup(c, p, keyPendingSeed, "/login/mfa/setup", true)
	if err != nil || codes == nil {
		return err
	}
	st.set(keyPendingMFA, "ok")
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

// showSetup shows the QR code of the seed kept under key, beginning a new
// one when there is none.
func (s mfaEnrolment) showSetup(c echo.Context, p *identity.Principal, key, action string, forced bool, errs map[string]string) error {
	st := state(c)
	sealed := st.str(key)
	if sealed == "" {
		var err error
		if sealed, err = s.mfa.Begin(p); err != nil {
			return err
		}
		st.set(key, sealed)
	}
	e, err := s.mfa.Display(p, sealed)
	if err != nil {
		st.del(key)
		return err
	}
	m := viewmodel.MFASetupPage{Action: action, QR: e.QR, Secret: e.Secret, Forced: forced, Errors: viewmodel.NewErrors(errs, "code")}
	if forced {
		m.Reason = enrolReason(p)
	}
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusUnprocessableEntity
	}
	return render(c, status, mpages.Setup(s.page(c, "Set up two-step verification"), m))
}

// confirmSetup checks the first code of the seed kept under key. It
// returns the backup codes, or nil after showing the form again.
func (s mfaEnrolment) confirmSetup(c echo.Context, p *identity.Principal, key, action string, forced bool) ([]string, error) {
	var f codeForm
	if err := bindForm(c, &f); err != nil {
		return nil, err
	}
	st := state(c)
	codes, err := s.mfa.Confirm(c.Request().Context(), p, st.str(key), f.Code, origin(c))
	if ae, ok := apperr.As(err); ok && ae.Code == apperr.Invalid {
		return nil, s.showSetup(c, p, key, action, forced, ae.Fields)
	}
	if errors.Is(err, mfa.ErrSetupExpired) {
		st.del(key)
	}
	if err != nil {
		return nil, err
	}
	st.del(key)
	return codes, nil
}

// showCodes shows backup codes once, with a text download.
func (s mfaEnrolment) showCodes(c echo.Context, codes []string, next string, post bool) error {
	text := "Account Portal backup codes. Each works once.\n\n" + strings.Join(codes, "\n") + "\n"
	m := viewmodel.MFACodesPage{Codes: codes, Next: next, NextPost: post,
		Download: "data:text/plain;charset=utf-8," + url.PathEscape(text)}
	return render(c, http.StatusOK, mpages.Codes(s.page(c, "Backup codes").WithScript("js/print.js"), m))
}
