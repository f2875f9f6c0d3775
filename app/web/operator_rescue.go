package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"accountportal/app/apperr"
	"accountportal/app/provider"
	"accountportal/views/pages/operator"
	"accountportal/views/viewmodel"
)

// rescueHandlers are the operator's page for helping a locked-out Primary
// Admin back in.
type rescueHandlers struct {
	pages
	rescue *provider.Rescue
}

func (h rescueHandlers) show(c echo.Context) error {
	return h.render(c, http.StatusOK, "", nil, "")
}

var rescueFields = formFields{provider.Reason: operator.FieldReason, provider.Action: operator.FieldRescueAction}

type rescueForm struct {
	Action string `form:"action"`
	Reason string `form:"reason"`
}

func (h rescueHandlers) submit(c echo.Context) error {
	id, err := accountParam(c)
	if err != nil {
		return err
	}
	var f rescueForm
	if err = bindForm(c, &f); err == nil {
		err = h.rescue.Help(c.Request().Context(), state(c).principal, id, f.Action, f.Reason, origin(c))
	}
	if errs, ok := rescueFields.errors(err); ok {
		return h.render(c, http.StatusUnprocessableEntity, f.Reason, errs, "")
	}
	if ae, ok := apperr.As(err); ok && ae.Code == apperr.Conflict {
		return h.render(c, http.StatusConflict, f.Reason, nil, ae.Message)
	}
	if err != nil {
		return err
	}
	msg := "Their multi-factor authentication was reset. At their next sign-in they set up a new authenticator."
	if f.Action == provider.RescueReset {
		msg = "A password reset link was emailed to the Primary Admin."
	}
	return redirectWithFlash(c, "/operator/accounts/"+itoa(id), viewmodel.FlashSuccess, msg)
}

func (h rescueHandlers) render(c echo.Context, status int, reason string, errs map[string]string, refusal string) error {
	id, err := accountParam(c)
	if err != nil {
		return err
	}
	st, err := h.rescue.Standing(c.Request().Context(), id)
	if err != nil {
		return err
	}
	m := viewmodel.OperatorRescuePage{AccountID: itoa(st.Account.ID), AccountName: st.Account.Name, Number: st.Account.Number,
		PrimaryName: st.Primary.DisplayName, Verified: st.Verified, Reason: reason, Refusal: refusal,
		Errors: viewmodel.NewErrors(errs, operator.FieldReason, operator.FieldRescueAction)}
	if !st.Usable {
		m.Unusable = provider.ErrNotUsable.Message
	}
	if !st.HasSecondFactor {
		m.NoSecondFactor = provider.ErrNoSecondFactor.Message
	}
	if st.VerifiedAt != nil {
		m.VerifiedAt = st.VerifiedAt.UTC().Format("2 January 2006 at 15:04 UTC")
	}
	return render(c, status, operator.Rescue(h.page(c, "Help the Primary Admin back in"), m))
}
