package web

import (
	"encoding/hex"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"accountportal/app/admin"
	"accountportal/app/apperr"
	"accountportal/app/identity"
	"accountportal/app/mfa"
	"accountportal/app/profile"
	"accountportal/models"
	apages "accountportal/views/pages/admin"
	"accountportal/views/viewmodel"
)

// The tables showing the user services' problems on a user's forms.
var (
	userDetailsFields = formFields{admin.UserName: apages.FieldUserName, admin.UserEmail: apages.FieldUserEmail,
		admin.UserUsername: apages.FieldUserUsername}
	userStatusFields   = formFields{admin.Reason: apages.FieldReason}
	userDeleteFields   = formFields{admin.DeleteConfirmation: apages.FieldDeleteConfirm}
	userMFAResetFields = formFields{mfa.AdminCode: apages.FieldAdminCode}
)

// newUserForm is the body of the new user and user details forms; its
// tags, like those of the other forms of a user's pages, are field names
// of views/pages/admin.
type newUserForm struct {
	DisplayName string   `form:"display_name"`
	Email       string   `form:"email"`
	Username    string   `form:"username"`
	Roles       []string `form:"role"`
}

func (h userHandlers) newForm(c echo.Context) error {
	return h.renderNew(c, http.StatusOK, newUserForm{}, nil)
}

func (h userHandlers) renderNew(c echo.Context, status int, f newUserForm, errs map[string]string) error {
	p := state(c).principal
	m := viewmodel.UserFormPage{DisplayName: f.DisplayName, Email: f.Email, Username: f.Username,
		Errors: viewmodel.NewErrors(errs, apages.NewUserFields...)}
	if p.Can(identity.PermRolesManage) {
		roles, err := h.roles.Roles(c.Request().Context(), p)
		if err != nil {
			return err
		}
		for _, r := range roles {
			held := true
			for _, perm := range r.Permissions {
				held = held && p.Can(perm)
			}
			if held {
				m.Roles = append(m.Roles, viewmodel.Choice{Value: itoa(r.ID), Label: r.Name, Checked: contains(f.Roles, itoa(r.ID))})
			}
		}
	}
	return render(c, status, apages.NewUser(h.page(c, "Create user"), m))
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func (h userHandlers) create(c echo.Context) error {
	var f newUserForm
	if err := bindForm(c, &f); err != nil {
		if errs, ok := fieldErrors(err); ok {
			return h.renderNew(c, http.StatusUnprocessableEntity, f, errs)
		}
		return err
	}
	in := admin.NewUser{DisplayName: f.DisplayName, Email: f.Email, Username: f.Username}
	for _, r := range f.Roles {
		id, err := atoi(r)
		if err != nil {
			return admin.ErrNoSuchRole
		}
		in.RoleIDs = append(in.RoleIDs, id)
	}
	id, err := h.users.CreateUser(c.Request().Context(), state(c).principal, in, origin(c))
	if errs, ok := userDetailsFields.errors(err); ok {
		return h.renderNew(c, http.StatusUnprocessableEntity, f, errs)
	}
	if err != nil {
		return err
	}
	return redirectWithFlash(c, "/admin/users/"+itoa(id), viewmodel.FlashSuccess,
		"User created. We emailed them their username and a link to choose a password.")
}

// userID reads the :id of the path; a malformed one is a missing user.
func userID(c echo.Context) (int64, error) {
	id, err := atoi(c.Param("id"))
	if err != nil {
		return 0, admin.ErrNoSuchUser
	}
	return id, nil
}

func (h userHandlers) show(c echo.Context) error {
	return h.renderUser(c, http.StatusOK, nil, nil)
}

// renderUser shows a user's page, with a rejected form's values and errors.
func (h userHandlers) renderUser(c echo.Context, status int, f *newUserForm, errs map[string]string) error {
	id, err := userID(c)
	if err != nil {
		return err
	}
	d, err := h.users.User(c.Request().Context(), state(c).principal, id)
	if err != nil {
		return err
	}
	m := userPage(d)
	if f != nil {
		m.DisplayName, m.Email, m.Username = f.DisplayName, f.Email, f.Username
	}
	m.Errors = viewmodel.NewErrors(errs, apages.UserPageFields...)
	title := d.User.DisplayName
	switch c.Path() {
	case "/admin/users/:id/delete":
		if d.CannotDelete != "" {
			return apperr.New(apperr.Forbidden, d.CannotDelete)
		}
		return render(c, status, apages.DeleteUser(h.page(c, "Delete "+title), m))
	case "/admin/users/:id/mfa":
		if d.Refusal != "" {
			return apperr.New(apperr.Forbidden, d.Refusal)
		}
		return render(c, status, apages.ResetMFA(h.page(c, "Reset multi-factor authentication for "+title), m))
	}
	return render(c, status, apages.User(h.page(c, title), m))
}

func userPage(d *admin.UserDetail) viewmodel.UserPage {
	u := d.User
	m := viewmodel.UserPage{ID: itoa(u.ID), DisplayName: u.DisplayName, Username: u.Username, Email: u.Email,
		Status: u.Status, IsPrimary: u.IsPrimaryAdmin, HasQuestion: u.SecurityAnswerHash != "",
		Privileges: privilegeLabels(&u, d.Roles, d.Areas), LastSignIn: optionalStamp(u.LastSignInAt),
		Created: stamp(u.CreatedAt), CanDelete: d.CannotDelete == "", Refusal: d.Refusal,
		CanSuspend: d.Refusal == "" && !u.IsPrimaryAdmin && u.ID != d.Actor.User.ID,
		MFA:        u.MFAEnrolledAt != nil, AskAdminCode: d.Actor.User.MFAEnrolledAt != nil,
		MFAOffPolicy: d.Actor.Account.MFAPolicy == models.MFAOff, Self: u.ID == d.Actor.User.ID}
	for _, s := range d.Sessions {
		m.Sessions = append(m.Sessions, viewmodel.SessionRow{Handle: hex.EncodeToString(s.IDHash), Device: profile.Device(s.UserAgent),
			IP: s.IP, Started: stamp(s.CreatedAt), LastActive: stamp(s.LastSeenAt)})
	}
	m.SessionsNotListed = max(0, d.SessionsTotal-int64(len(d.Sessions)))
	if !d.ResetBlockedUntil.IsZero() {
		m.ResetBlockedUntil = stamp(d.ResetBlockedUntil)
	}
	for _, t := range d.Links {
		m.Links = append(m.Links, linkRow(t, d))
	}
	m.Events = auditRows(d.Events, d.Now)
	return m
}

func (h userHandlers) update(c echo.Context) error {
	id, err := userID(c)
	if err != nil {
		return err
	}
	var f newUserForm
	if err = bindForm(c, &f); err == nil {
		err = h.users.UpdateUser(c.Request().Context(), state(c).principal, id, f.DisplayName, f.Email, f.Username, origin(c))
	}
	if errs, ok := userDetailsFields.errors(err); ok {
		return h.renderUser(c, http.StatusUnprocessableEntity, &f, errs)
	}
	return h.done(c, err, id, "#details", "Details saved.")
}

// done redirects back to the user's page with a flash, or passes err on.
func (h userHandlers) done(c echo.Context, err error, id int64, anchor, msg string) error {
	if err != nil {
		return err
	}
	return redirectWithFlash(c, "/admin/users/"+itoa(id)+anchor, viewmodel.FlashSuccess, msg)
}

type statusForm struct {
	Action string `form:"action"`
	Reason string `form:"reason"`
}

func (h userHandlers) status(c echo.Context) error {
	id, err := userID(c)
	if err != nil {
		return err
	}
	var f statusForm
	if err = bindForm(c, &f); err == nil {
		if f.Action != admin.BulkDeactivate && f.Action != admin.BulkReactivate {
			return echo.ErrBadRequest
		}
		err = h.users.SetStatus(c.Request().Context(), state(c).principal, id, f.Action, f.Reason, origin(c))
	}
	if errs, ok := userStatusFields.errors(err); ok {
		return h.renderUser(c, http.StatusUnprocessableEntity, nil, errs)
	}
	msg := "Deactivated. They were signed out everywhere."
	if f.Action == admin.BulkReactivate {
		msg = "Reactivated. They can sign in again."
	}
	return h.done(c, err, id, "", msg)
}

func (h userHandlers) resend(c echo.Context) error {
	id, err := userID(c)
	if err != nil {
		return err
	}
	err = h.users.Resend(c.Request().Context(), state(c).principal, id, origin(c))
	return h.done(c, err, id, "#links", "Sent. The link is in the ledger below.")
}

func (h userHandlers) clearQuestion(c echo.Context) error {
	id, err := userID(c)
	if err != nil {
		return err
	}
	err = h.users.ClearQuestion(c.Request().Context(), state(c).principal, id, origin(c))
	return h.done(c, err, id, "", "Security question cleared. The user was emailed.")
}

// unblockReset lifts the block wrong security answers put on the user's
// password reset.
func (h userHandlers) unblockReset(c echo.Context) error {
	id, err := userID(c)
	if err != nil {
		return err
	}
	err = h.users.UnblockReset(c.Request().Context(), state(c).principal, id, origin(c))
	return h.done(c, err, id, "", "Password reset unblocked. The user was emailed; send them a reset, or they can ask for one.")
}

// resetMFAForm asks the administrator to confirm resetting the user's
// second factor, saying what will happen to them.
func (h userHandlers) resetMFAForm(c echo.Context) error {
	return h.renderUser(c, http.StatusOK, nil, nil)
}

func (h userHandlers) deleteForm(c echo.Context) error {
	return h.renderUser(c, http.StatusOK, nil, nil)
}

type deleteForm struct {
	Confirm string `form:"confirm"`
}

func (h userHandlers) delete(c echo.Context) error {
	id, err := userID(c)
	if err != nil {
		return err
	}
	var f deleteForm
	if err = bindForm(c, &f); err == nil {
		err = h.users.DeleteUser(c.Request().Context(), state(c).principal, id, f.Confirm, origin(c))
	}
	if errs, ok := userDeleteFields.errors(err); ok {
		return h.renderUser(c, http.StatusUnprocessableEntity, nil, errs)
	}
	if err != nil {
		return err
	}
	return redirectWithFlash(c, "/admin/users", viewmodel.FlashSuccess, "User deleted.")
}

func (h userHandlers) signOut(c echo.Context) error {
	id, err := userID(c)
	if err != nil {
		return err
	}
	var f sessionForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	var hash []byte
	if f.Session != "" {
		if hash, err = hex.DecodeString(f.Session); err != nil || len(hash) != 32 {
			return apperr.New(apperr.NotFound, "That session has already ended.")
		}
	}
	err = h.users.SignOut(c.Request().Context(), state(c).principal, id, hash, origin(c))
	return h.done(c, err, id, "#sessions", "Signed out.")
}

func (h userHandlers) voidLink(c echo.Context) error {
	id, err := userID(c)
	if err != nil {
		return err
	}
	link, err := strconv.ParseInt(c.Param("link"), 10, 64)
	if err != nil {
		return echo.ErrNotFound
	}
	err = h.users.VoidLink(c.Request().Context(), state(c).principal, id, link, origin(c))
	return h.done(c, err, id, "#links", "Link voided.")
}

type mfaResetForm struct {
	AdminCode string `form:"admin_code"`
}

// resetMFA resets one user's second factor.
func (h userHandlers) resetMFA(c echo.Context) error {
	id, err := userID(c)
	if err != nil {
		return err
	}
	var f mfaResetForm
	if err = bindForm(c, &f); err == nil {
		err = h.users.ResetUserMFA(c.Request().Context(), state(c).principal, id, f.AdminCode, origin(c))
	}
	if errs, ok := userMFAResetFields.errors(err); ok {
		return h.renderUser(c, http.StatusUnprocessableEntity, nil, errs)
	}
	return h.done(c, err, id, "", "Multi-factor authentication reset. They were signed out and emailed.")
}
