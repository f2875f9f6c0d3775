package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"accountportal/app/identity"
	"accountportal/app/mfa"
	mpages "accountportal/views/pages/mfa"
	"accountportal/views/viewmodel"
)

type mfaHandlers struct {
	mfaEnrolment
}

// status is My Profile's multi-factor authentication page.
func (h mfaHandlers) status(c echo.Context) error {
	return h.renderStatus(c, http.StatusOK, nil)
}

func (h mfaHandlers) renderStatus(c echo.Context, status int, errs map[string]string) error {
	p := state(c).principal
	m := viewmodel.MFAStatusPage{Enrolled: p.User.MFAEnrolledAt != nil, Required: p.MFARequired(), Offered: mfa.Offered(p),
		Errors: viewmodel.NewErrors(localErrors(c, errs), mpages.StatusFields...)}
	if m.Enrolled {
		m.Since = viewmodel.At(*p.User.MFAEnrolledAt, h.now())
		left, err := h.mfa.CodesLeft(c.Request().Context(), p.User.ID)
		if err != nil {
			return err
		}
		m.CodesLeft = left
	}
	return render(c, status, mpages.Status(h.page(c, tr(c, "mfa.status.title")), m))
}

// start begins setting up an authenticator.
func (h mfaHandlers) start(c echo.Context) error {
	st := state(c)
	st.clearEnrolSeed()
	return c.Redirect(http.StatusSeeOther, "/profile/mfa/setup")
}

func (h mfaHandlers) setupForm(c echo.Context) error {
	p := state(c).principal
	if p.User.MFAEnrolledAt != nil {
		return c.Redirect(http.StatusSeeOther, "/profile/mfa")
	}
	return h.showSetup(c, p, profileEnrolment{st: state(c), mfa: h.mfa}, "/profile/mfa/setup", p.MustEnrolMFA(), nil)
}

func (h mfaHandlers) setupSubmit(c echo.Context) error {
	p := state(c).principal
	if p.User.MFAEnrolledAt != nil {
		return c.Redirect(http.StatusSeeOther, "/profile/mfa")
	}
	codes, err := h.confirmSetup(c, p, profileEnrolment{st: state(c), mfa: h.mfa}, "/profile/mfa/setup", p.MustEnrolMFA())
	if err != nil || codes == nil {
		return err
	}
	return h.showCodes(c, codes, "/profile/mfa", false)
}

// mfaCodesFields and mfaRemoveFields show the problems of the backup codes
// and change-or-remove forms; each asks for the password in its own field.
var (
	mfaCodesFields  = formFields{mfa.Password: mpages.FieldPassword}
	mfaRemoveFields = formFields{mfa.Password: mpages.FieldRemovePassword, mfa.Code: mpages.FieldCode}
)

// passwordOnlyForm and removeForm are the bodies of the backup codes and
// change-or-remove forms; their tags are field names of views/pages/mfa.
type passwordOnlyForm struct {
	Password string `form:"password"`
}

// codes makes a new set of backup codes.
func (h mfaHandlers) codes(c echo.Context) error {
	var f passwordOnlyForm
	var codes []string
	err := bindForm(c, &f)
	if err == nil {
		codes, err = h.mfa.RegenerateCodes(c.Request().Context(), state(c).principal, f.Password, origin(c))
	}
	if errs, ok := mfaCodesFields.errors(err); ok {
		return h.renderStatus(c, http.StatusUnprocessableEntity, errs)
	}
	if err != nil {
		return err
	}
	return h.showCodes(c, codes, "/profile/mfa", false)
}

type removeForm struct {
	Password string `form:"remove_password"`
	Code     string `form:"code"`
	Then     string `form:"then"`
}

// remove turns multi-factor authentication off, or clears it to set up a new
// authenticator.
func (h mfaHandlers) remove(c echo.Context) error {
	var f removeForm
	if err := bindForm(c, &f); err != nil {
		if errs, ok := fieldErrors(err); ok {
			return h.renderStatus(c, http.StatusUnprocessableEntity, errs)
		}
		return err
	}
	change := f.Then != "remove"
	err := h.mfa.Remove(c.Request().Context(), state(c).principal, f.Password, f.Code, change, origin(c))
	if errs, ok := mfaRemoveFields.errors(err); ok {
		return h.renderStatus(c, http.StatusUnprocessableEntity, errs)
	}
	if err != nil {
		return err
	}
	if change {
		state(c).clearEnrolSeed()
		return c.Redirect(http.StatusSeeOther, "/profile/mfa/setup")
	}
	return redirectWithFlash(c, "/profile/mfa", viewmodel.FlashSuccess, tr(c, "mfa.flash.off"))
}

// requireMFA keeps a user whose account requires a second factor on the
// setup pages until they have one.
func requireMFA() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			p := state(c).principal
			if p != nil && p.MustEnrolMFA() {
				return redirectWithFlash(c, "/profile/mfa/setup", viewmodel.FlashInfo, enrolReasonFlash(p))
			}
			return next(c)
		}
	}
}

// enrolReason says why a user must set up a second factor now.
func enrolReason(c echo.Context, p *identity.Principal) string {
	if p.MFAResetByAdmin() && !p.MFARequired() {
		return tr(c, "mfa.reason.reset")
	}
	return tr(c, "mfa.reason.required")
}

// enrolReasonFlash is enrolReason kept as a flash: it is set on whichever
// page the user asked for, translated or not, and said in the language of
// the setup page that shows it.
func enrolReasonFlash(p *identity.Principal) string {
	if p.MFAResetByAdmin() && !p.MFARequired() {
		return flashID("mfa.reason.reset")
	}
	return flashID("mfa.reason.required")
}
