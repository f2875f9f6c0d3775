package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"accountportal/app/provider"
	"accountportal/models"
	"accountportal/views/pages/operator"
	"accountportal/views/viewmodel"
)

// accountStatusHandlers are the operator's suspend, reactivate and close
// pages of a customer account.
type accountStatusHandlers struct {
	pages
	lifecycle *provider.Lifecycle
}

var accountStatusFields = formFields{provider.Reason: operator.FieldReason}

// statusWords is what each change's page says.
var statusWords = map[string]struct {
	heading, button string
	danger          bool
	consequences    []string
}{
	provider.Suspend.Verb: {"Suspend", "Suspend account", true, []string{
		"Every user of the account is signed out at their next request, with the Account Suspended page.",
		"Nobody can sign in, reset a password or ask for their username; emailed links stop working.",
		"The portal sends its users no email, except a notice to the Primary Admin to contact you.",
		"Reactivating it gives every user back the status they had."}},
	provider.Reactivate.Verb: {"Reactivate", "Reactivate account", false, []string{
		"Its users can sign in again, each with the status they had before: a user suspended by their admin stays suspended.",
		"Mail to its users flows again; mail held during the suspension is not sent.",
		"The Primary Admin is emailed that the account is active again; if they have not accepted their invitation yet, the account waits for them again and the invitation can be resent."}},
	provider.Close.Verb: {"Close", "Close account", true, []string{
		"It is suspended for good: every user is signed out at their next request and nobody can sign in again.",
		"Its data is kept for the retention period, then deleted by accountportal accounts purge; audit entries stay.",
		"The Primary Admin is emailed a notice."}},
}

// form shows the confirmation page of t.
func (h accountStatusHandlers) form(t provider.Transition) echo.HandlerFunc {
	return func(c echo.Context) error {
		a, err := h.account(c)
		if err != nil {
			return err
		}
		return h.render(c, http.StatusOK, t, a, "", nil)
	}
}

type accountStatusForm struct {
	Reason string `form:"reason"`
}

// submit makes the change t and goes back to the account's page.
func (h accountStatusHandlers) submit(t provider.Transition) echo.HandlerFunc {
	return func(c echo.Context) error {
		a, err := h.account(c)
		if err != nil {
			return err
		}
		var f accountStatusForm
		if err = bindForm(c, &f); err == nil {
			err = h.lifecycle.Change(c.Request().Context(), state(c).principal, a.ID, t, f.Reason, origin(c))
		}
		if errs, ok := accountStatusFields.errors(err); ok {
			return h.render(c, http.StatusUnprocessableEntity, t, a, f.Reason, errs)
		}
		if errors.Is(err, provider.ErrTransition) {
			// Someone else changed it meanwhile: show it as it is now.
			if a, err = h.account(c); err != nil {
				return err
			}
			return h.render(c, http.StatusConflict, t, a, f.Reason,
				map[string]string{operator.FieldReason: provider.ErrTransition.Message})
		}
		if err != nil {
			return err
		}
		return redirectWithFlash(c, "/operator/accounts/"+itoa(a.ID), viewmodel.FlashSuccess, doneMessage(t, a))
	}
}

func doneMessage(t provider.Transition, a *models.Account) string {
	switch t.Verb {
	case provider.Reactivate.Verb:
		return a.Name + " was reactivated. Its users can sign in again."
	case provider.Close.Verb:
		return a.Name + " was closed. Its users were signed out and the Primary Admin was emailed."
	}
	return a.Name + " was suspended. Its users were signed out and the Primary Admin was emailed."
}

// account is the customer account of the address, or a 404 error.
func (h accountStatusHandlers) account(c echo.Context) (*models.Account, error) {
	id, err := accountParam(c)
	if err != nil {
		return nil, err
	}
	return h.lifecycle.Customer(c.Request().Context(), id)
}

func (h accountStatusHandlers) render(c echo.Context, status int, t provider.Transition, a *models.Account,
	reason string, errs map[string]string) error {
	w := statusWords[t.Verb]
	m := viewmodel.OperatorStatusPage{AccountID: itoa(a.ID), Number: a.Number, Name: a.Name, Status: statusLabel(a.Status),
		Verb: t.Verb, Heading: w.heading + " " + a.Name + " (" + a.Number + ")?", Button: w.button,
		Consequences: w.consequences, Allowed: t.Allowed(a.Status), Danger: w.danger, Reason: reason,
		Errors: viewmodel.NewErrors(errs, operator.FieldReason)}
	if !m.Allowed {
		m.NotAllowed = "An account that is " + a.Status + " cannot be " + pastTense(t) + "."
	}
	if status == http.StatusConflict {
		m.Allowed = false
		m.NotAllowed = provider.ErrTransition.Message
	}
	return render(c, status, operator.Status(h.page(c, w.heading+" "+a.Name), m))
}

func pastTense(t provider.Transition) string {
	return map[string]string{"suspend": "suspended", "reactivate": "reactivated", "close": "closed"}[t.Verb]
}
