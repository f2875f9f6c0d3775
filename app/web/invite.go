package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"accountportal/app/account"
	"accountportal/app/provider"
	"accountportal/views/i18n"
	rpages "accountportal/views/pages/recovery"
	"accountportal/views/pages/setup"
	"accountportal/views/viewmodel"
)

// invitationHandlers take an invited Primary Admin through the steps of
// first-run setup for the account an operator onboarded, then into the
// sign-in that asks the license agreement.
type invitationHandlers struct {
	pages
	setup *account.Setup
	login loginHandlers
}

// invitationForm is the body of POST /invite.
type invitationForm struct {
	CredentialsForm
}

func (f invitationForm) fields() formFields {
	if f.QuestionChoice == viewmodel.QuestionCustom {
		return invitationCustomQuestionFields
	}
	return credentialFields
}

// open checks the emailed invitation link, keeps it in the session and
// redirects, so the token leaves the address bar and history.
func (h invitationHandlers) open(c echo.Context) error {
	id, err := h.setup.OpenInvitation(c.Request().Context(), c.Param("token"))
	if err != nil {
		return h.failed(c, err)
	}
	state(c).setInvitation(id)
	return c.Redirect(http.StatusSeeOther, "/invite")
}

// form shows the invitation's steps.
func (h invitationHandlers) form(c echo.Context) error {
	id, ok := state(c).invitation()
	if !ok {
		return h.failed(c, account.ErrInvitationInvalid)
	}
	inv, err := h.setup.Invitation(c.Request().Context(), id)
	if err != nil {
		return h.failed(c, err)
	}
	speakFor(c, inv.Language, inv.AccountLanguage)
	return h.render(c, http.StatusOK, inv, invitationForm{}, nil)
}

// submit finishes the account's setup and signs the Primary Admin in with
// the password they chose: the sign-in asks the license agreement next.
func (h invitationHandlers) submit(c echo.Context) error {
	st := state(c)
	id, ok := st.invitation()
	if !ok {
		return h.failed(c, account.ErrInvitationInvalid)
	}
	ctx := c.Request().Context()
	inv, err := h.setup.Invitation(ctx, id)
	if err != nil {
		return h.failed(c, err)
	}
	speakFor(c, inv.Language, inv.AccountLanguage)
	ctx = c.Request().Context()
	var f invitationForm
	err = bindForm(c, &f)
	if err == nil {
		_, err = h.setup.AcceptInvitation(ctx, id, f.credentials(), origin(c))
	}
	if errs, ok := f.fields().errors(err); ok {
		return h.render(c, http.StatusUnprocessableEntity, inv, f, errs)
	}
	if err != nil {
		return h.failed(c, err)
	}
	st.clearInvitation()
	a, err := h.login.signIn.Authenticate(ctx, inv.Username, f.Password, origin(c))
	if err != nil {
		// The account is set up; only signing in failed (the service is
		// busy, say): the sign-in page does the rest.
		return redirectWithFlash(c, "/login", viewmodel.FlashSuccess,
			tr(c, "reset.invite.ready", map[string]any{"Username": inv.Username}))
	}
	return h.login.begin(c, st, a)
}

// failed shows the one page for an unknown, expired, used or voided
// invitation; other errors go to the error handler.
func (h invitationHandlers) failed(c echo.Context, err error) error {
	if !errors.Is(err, account.ErrInvitationInvalid) {
		return err
	}
	state(c).clearInvitation()
	return render(c, http.StatusNotFound, rpages.Message(h.page(c, tr(c, "reset.invite.expired_title")), viewmodel.MessagePage{
		Heading: tr(c, "reset.invite.expired_heading"),
		Message: tr(c, "reset.invite.expired_message", map[string]any{"Duration": i18n.Duration(c.Request().Context(), provider.InvitationTTL)}),
		Link:    viewmodel.Link{Href: "/login", Title: tr(c, "reset.invite.go_to_sign_in")},
	}))
}

func (h invitationHandlers) render(c echo.Context, status int, inv *account.Invitee, f invitationForm, errs map[string]string) error {
	m := viewmodel.InvitationPage{Company: inv.Company, AccountNumber: inv.AccountNumber, DisplayName: inv.DisplayName,
		Email: inv.Email, Username: inv.Username,
		Credentials: f.CredentialsForm.view(c.Request().Context(), inv.Policy, inv.Subject, errs, setup.InvitationFieldOrder)}
	p := h.page(c, tr(c, "reset.invite.title")).WithScript("js/password-checklist.js")
	return render(c, status, setup.Invitation(p, m))
}
