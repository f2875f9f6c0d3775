package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"accountportal/app/provider"
	"accountportal/views/i18n"
	"accountportal/views/pages/operator"
	"accountportal/views/viewmodel"
)

// onboardForm is the body of POST /operator/accounts/new; its tags are
// the field names of views/pages/operator.
type onboardForm struct {
	CompanyName string `form:"company_name"`
	AdminName   string `form:"admin_name"`
	AdminEmail  string `form:"admin_email"`
	Language    string `form:"language"`
}

// onboardFields shows onboarding's problems on its form.
var onboardFields = formFields{provider.CompanyName: operator.FieldCompanyName,
	provider.AdminName: operator.FieldAdminName, provider.AdminEmail: operator.FieldAdminEmail,
	provider.Language: operator.FieldLanguage}

// onboardForm shows the form that onboards a customer account.
func (h operatorHandlers) onboardForm(c echo.Context) error {
	return h.renderOnboard(c, http.StatusOK, onboardForm{}, nil)
}

// onboardSubmit creates the account, invites its Primary Admin and opens
// the account's page with what happened at the top.
func (h operatorHandlers) onboardSubmit(c echo.Context) error {
	var f onboardForm
	err := bindForm(c, &f)
	var done *provider.Onboarded
	if err == nil {
		done, err = h.provider.Onboard(c.Request().Context(), state(c).principal, provider.NewAccount{
			CompanyName: f.CompanyName, AdminName: f.AdminName, AdminEmail: f.AdminEmail, Language: f.Language}, origin(c))
	}
	if errs, ok := onboardFields.errors(err); ok {
		return h.renderOnboard(c, http.StatusUnprocessableEntity, f, errs)
	}
	if err != nil {
		return err
	}
	msg := "Account " + done.Account.Number + " created; the invitation was sent to " + done.Admin.Email + "."
	if done.DerivedUsername {
		msg += " That address is already someone's username, so " + done.Admin.DisplayName +
			"'s username is " + done.Admin.Username + "."
	}
	return redirectWithFlash(c, operatorAccountPath(done.Account.ID), viewmodel.FlashSuccess, msg)
}

func (h operatorHandlers) renderOnboard(c echo.Context, status int, f onboardForm, errs map[string]string) error {
	m := viewmodel.OnboardPage{CompanyName: f.CompanyName, AdminName: f.AdminName, AdminEmail: f.AdminEmail,
		Language: f.Language, Errors: viewmodel.NewErrors(errs, operator.OnboardFields...)}
	for _, l := range i18n.Languages {
		m.Languages = append(m.Languages, viewmodel.Choice{Value: l.Code, Label: l.Name})
	}
	return render(c, status, operator.NewAccount(h.page(c, "Onboard an account"), m))
}

// invitationStatus shows a pending account's invitation.
func (h operatorHandlers) invitationStatus(c echo.Context) error {
	id, err := accountParam(c)
	if err != nil {
		return err
	}
	inv, err := h.provider.Invitation(c.Request().Context(), state(c).principal, id)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, operator.Invitation(h.page(c, "Invitation: "+inv.Account.Name), invitationView(inv)))
}

// invitationResend sends a new invitation, voiding the old link.
func (h operatorHandlers) invitationResend(c echo.Context) error {
	id, err := accountParam(c)
	if err != nil {
		return err
	}
	admin, err := h.provider.ResendInvitation(c.Request().Context(), state(c).principal, id, origin(c))
	if err != nil {
		return err
	}
	return redirectWithFlash(c, operatorAccountPath(id)+"/invitation", viewmodel.FlashSuccess,
		"A new invitation was sent to "+admin.Email+". It works for 72 hours; earlier links no longer work.")
}

// invitationVoid makes the open invitation link stop working.
func (h operatorHandlers) invitationVoid(c echo.Context) error {
	id, err := accountParam(c)
	if err != nil {
		return err
	}
	if err := h.provider.VoidInvitation(c.Request().Context(), state(c).principal, id, origin(c)); err != nil {
		return err
	}
	return redirectWithFlash(c, operatorAccountPath(id)+"/invitation", viewmodel.FlashSuccess,
		"The invitation was voided: its link no longer works. Send a new one when the Primary Admin is ready.")
}

// invitationView words an invitation's state for the operator.
func invitationView(inv *provider.Invitation) viewmodel.InvitationStatusPage {
	self := operatorAccountPath(inv.Account.ID) + "/invitation"
	m := viewmodel.InvitationStatusPage{AccountNumber: inv.Account.Number, Company: inv.Account.Name,
		AdminName: inv.Admin.DisplayName, Username: inv.Admin.Username, SentTo: inv.Admin.Email,
		ResendAction: self + "/resend", VoidAction: self + "/void", Live: inv.Live()}
	if inv.Link == nil {
		return m
	}
	m.HasLink = true
	m.CreatedAt, m.ExpiresAt, m.SentAt = stamp(inv.Link.CreatedAt), stamp(inv.Link.ExpiresAt), optionalStamp(inv.Link.SentAt)
	if inv.Link.SentAt == nil {
		m.SentAt = "Queued"
	}
	m.SentBy = inv.Link.RequestedByName
	m.State, _ = linkState(*inv.Link, inv.Now)
	if m.Live {
		m.State = "Waiting for the Primary Admin"
	}
	return m
}
