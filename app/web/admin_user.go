package web

import (
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"

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
	newUserFields = formFields{admin.UserName: apages.FieldUserName, admin.UserEmail: apages.FieldUserEmail,
		admin.UserUsername: apages.FieldUserUsername, admin.SameEmail: apages.FieldSameEmailOK}
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
	// SameEmailOK confirms creating a user whose email address another
	// user of the account has (create only).
	SameEmailOK string `form:"same_email_ok"`
}

func (h userHandlers) newForm(c echo.Context) error {
	return h.renderNew(c, http.StatusOK, newUserForm{}, nil)
}

func (h userHandlers) renderNew(c echo.Context, status int, f newUserForm, errs map[string]string) error {
	p := state(c).principal
	m := viewmodel.UserFormPage{DisplayName: f.DisplayName, Email: f.Email, Username: f.Username,
		Errors: viewmodel.NewErrors(localErrors(c, errs), apages.NewUserFields...), SameEmailOK: f.SameEmailOK == "yes"}
	// The box stays once shown, so a correction elsewhere keeps the choice.
	m.AskSameEmail = m.SameEmailOK || errs[apages.FieldSameEmailOK] != ""
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
				m.Roles = append(m.Roles, viewmodel.Choice{Value: itoa(r.ID), Label: roleName(c, r.Name), Checked: contains(f.Roles, itoa(r.ID))})
			}
		}
	}
	return render(c, status, apages.NewUser(h.page(c, tr(c, "users.new.title")), m))
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
	in := admin.NewUser{DisplayName: f.DisplayName, Email: f.Email, Username: f.Username, SameEmailOK: f.SameEmailOK == "yes"}
	for _, r := range f.Roles {
		id, err := atoi(r)
		if err != nil {
			return admin.ErrNoSuchRole
		}
		in.RoleIDs = append(in.RoleIDs, id)
	}
	id, err := h.users.CreateUser(c.Request().Context(), state(c).principal, in, origin(c))
	if errs, ok := newUserFields.errors(err); ok {
		return h.renderNew(c, http.StatusUnprocessableEntity, f, errs)
	}
	if err != nil {
		return err
	}
	return redirectWithFlash(c, "/admin/users/"+itoa(id), viewmodel.FlashSuccess,
		tr(c, "users.flash.created", map[string]any{"Name": strings.TrimSpace(f.DisplayName)}))
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
	return h.renderUserPage(c, status, f, viewmodel.NewErrors(localErrors(c, errs), apages.UserPageFields...))
}

func (h userHandlers) renderUserPage(c echo.Context, status int, f *newUserForm, errs viewmodel.Errors) error {
	d, err := h.detail(c)
	if err != nil {
		return err
	}
	m := userPage(c, d)
	if f != nil {
		m.DisplayName, m.Email, m.Username = f.DisplayName, f.Email, f.Username
	}
	m.Errors = errs
	title := d.User.DisplayName
	switch c.Path() {
	case "/admin/users/:id/delete":
		return render(c, status, apages.DeleteUser(h.page(c, tr(c, "users.delete.page_title", map[string]any{"Name": title})), m))
	case "/admin/users/:id/mfa":
		return render(c, status, apages.ResetMFA(h.page(c, tr(c, "users.mfa.page_title", map[string]any{"Name": title})), m))
	}
	return render(c, status, apages.User(h.page(c, title), m))
}

// detail loads the user of the path for their page.
func (h userHandlers) detail(c echo.Context) (*admin.UserDetail, error) {
	id, err := userID(c)
	if err != nil {
		return nil, err
	}
	return h.users.User(c.Request().Context(), state(c).principal, id)
}

func userPage(c echo.Context, d *admin.UserDetail) viewmodel.UserPage {
	u := d.User
	m := viewmodel.UserPage{ID: itoa(u.ID), DisplayName: u.DisplayName, Username: u.Username, Email: u.Email,
		Status: u.Status, IsPrimary: u.IsPrimaryAdmin, HasQuestion: u.SecurityAnswerHash != "",
		Privileges: privilegeLabels(c, &u, d.Roles, d.Areas), LastSignIn: viewmodel.AtPtr(u.LastSignInAt, d.Now),
		Created: viewmodel.At(u.CreatedAt, d.Now), CanDelete: d.CannotDelete == "", Refusal: localWhy(c, d.Refusal),
		CanSuspend: d.Permits.May(admin.DoDeactivate) || d.Permits.May(admin.DoReactivate),
		MFA:        u.MFAEnrolledAt != nil, AskAdminCode: d.Actor.User.MFAEnrolledAt != nil,
		MFAOffPolicy: d.Actor.Account.MFAPolicy == models.MFAOff, Self: u.ID == d.Actor.User.ID,
		Why: whyNot(c, d.Permits)}
	for _, s := range d.Sessions {
		m.Sessions = append(m.Sessions, viewmodel.UserSessionRow{Handle: hex.EncodeToString(s.IDHash), Device: localDevice(c, s.UserAgent),
			IP: s.IP, Started: viewmodel.At(s.CreatedAt, d.Now), LastActive: viewmodel.At(s.LastSeenAt, d.Now)})
	}
	m.SessionsNotListed = max(0, d.SessionsTotal-int64(len(d.Sessions)))
	if !d.ResetBlockedUntil.IsZero() {
		m.ResetBlockedUntil = localStamp(c, d.ResetBlockedUntil)
	}
	for _, t := range d.Links {
		m.Links = append(m.Links, localLinkRow(c, t, d))
	}
	m.Events = localAuditRows(c, d.Events, d.Now)
	return m
}

// whyNot copies the service's decisions about a user's actions to the page.
// The service's reasons are said in the reader's language.
func whyNot(c echo.Context, p admin.Permits) viewmodel.UserWhyNot {
	why := func(action string) string { return localWhy(c, p.Why(action)) }
	return viewmodel.UserWhyNot{SendReset: why(admin.DoSendReset), Unblock: why(admin.DoUnblockReset),
		ClearQuestion: why(admin.DoClearQuestion), ResetMFA: why(admin.DoResetMFA), Deactivate: why(admin.DoDeactivate),
		Reactivate: why(admin.DoReactivate), SignOut: why(admin.DoSignOut), VoidLink: why(admin.DoVoidLink),
		Delete: why(admin.DoDelete), Edit: why(admin.DoEditDetails)}
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
	return h.done(c, err, id, func(u *models.User) string { return tr(c, "users.flash.saved", map[string]any{"Name": u.DisplayName}) })
}

// done redirects to the top of the user's page with a flash naming what
// was done and to whom (said by msg of their name), or shows why the
// action was refused.
func (h userHandlers) done(c echo.Context, err error, id int64, msg func(u *models.User) string) error {
	if err != nil {
		return h.refused(c, err)
	}
	u, err := h.users.Visible(c.Request().Context(), state(c).principal, id)
	if err != nil {
		return err
	}
	return redirectWithFlash(c, "/admin/users/"+itoa(id), viewmodel.FlashSuccess, msg(u))
}

// refused answers an action the service refused (a page out of date, a
// hand-made request) with the user's page and the reason in its error
// summary, at 403 when it is about who the viewer is, 409 when about the
// user's state and 404 for a link or session that is gone, rather than a
// page with nowhere to go. Any other error
// (no such user, no privilege) goes on to the error page.
func (h userHandlers) refused(c echo.Context, err error) error {
	ae, ok := apperr.As(err)
	if !ok || ae == admin.ErrNoSuchUser || ae == admin.ErrNoUsersManage {
		return err
	}
	var status int
	switch ae.Code {
	case apperr.Forbidden:
		status = http.StatusForbidden
	case apperr.Conflict:
		status = http.StatusConflict
	case apperr.NotFound:
		// A link or session gone, or another account's: the same answer
		// for both, so nothing about the other account shows.
		status = http.StatusNotFound
	default:
		return err
	}
	d, derr := h.detail(c)
	if derr != nil {
		return derr
	}
	m := userPage(c, d)
	m.Errors = viewmodel.FormError("actions", localWhy(c, ae.Message))
	c.SetRequest(c.Request().WithContext(viewmodel.WithFormErrors(c.Request().Context())))
	return render(c, status, apages.User(h.page(c, d.User.DisplayName), m))
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
		if f.Action == admin.BulkDeactivate {
			return h.renderConfirm(c, http.StatusUnprocessableEntity, admin.DoDeactivate, f.Reason, errs)
		}
		return h.renderUser(c, http.StatusUnprocessableEntity, nil, errs)
	}
	if f.Action == admin.BulkReactivate {
		return h.done(c, err, id, func(u *models.User) string {
			return tr(c, "users.flash.reactivated", map[string]any{"Name": u.DisplayName})
		})
	}
	return h.done(c, err, id, func(u *models.User) string {
		return tr(c, "users.flash.deactivated", map[string]any{"Name": u.DisplayName})
	})
}

func (h userHandlers) resend(c echo.Context) error {
	id, err := userID(c)
	if err != nil {
		return err
	}
	err = h.users.Resend(c.Request().Context(), state(c).principal, id, origin(c))
	return h.done(c, err, id, func(u *models.User) string {
		if u.Status == models.StatusInvited {
			return tr(c, "users.flash.welcome_resent", map[string]any{"Name": u.DisplayName})
		}
		return tr(c, "users.flash.reset_sent", map[string]any{"Name": u.DisplayName})
	})
}

func (h userHandlers) clearQuestion(c echo.Context) error {
	id, err := userID(c)
	if err != nil {
		return err
	}
	err = h.users.ClearQuestion(c.Request().Context(), state(c).principal, id, origin(c))
	return h.done(c, err, id, func(u *models.User) string {
		return tr(c, "users.flash.question_cleared", map[string]any{"Name": u.DisplayName})
	})
}

// unblockReset lifts the block wrong security answers put on the user's
// password reset.
func (h userHandlers) unblockReset(c echo.Context) error {
	id, err := userID(c)
	if err != nil {
		return err
	}
	err = h.users.UnblockReset(c.Request().Context(), state(c).principal, id, origin(c))
	return h.done(c, err, id, func(u *models.User) string {
		return tr(c, "users.flash.unblocked", map[string]any{"Name": u.DisplayName})
	})
}

// resetMFAForm asks the administrator to confirm resetting the user's
// multi-factor authentication, saying what will happen to them.
func (h userHandlers) resetMFAForm(c echo.Context) error {
	return h.confirmAllowed(c, admin.DoResetMFA)
}

func (h userHandlers) deleteForm(c echo.Context) error {
	return h.confirmAllowed(c, admin.DoDelete)
}

// confirmAllowed shows a confirmation page of the user's page when the
// viewer may take action, else the user's page saying why not.
func (h userHandlers) confirmAllowed(c echo.Context, action string) error {
	d, err := h.detail(c)
	if err != nil {
		return err
	}
	if !d.Permits.May(action) {
		return h.refused(c, d.Permits[action])
	}
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
	u, err := h.users.Visible(c.Request().Context(), state(c).principal, id)
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
		return h.refused(c, err)
	}
	return redirectWithFlash(c, "/admin/users", viewmodel.FlashSuccess, tr(c, "users.flash.deleted", map[string]any{"Name": u.DisplayName}))
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
			return h.refused(c, apperr.New(apperr.NotFound, "That session has already ended."))
		}
	}
	err = h.users.SignOut(c.Request().Context(), state(c).principal, id, hash, origin(c))
	if hash != nil {
		return h.done(c, err, id, func(u *models.User) string {
			return tr(c, "users.flash.session_signed_out", map[string]any{"Name": u.DisplayName})
		})
	}
	return h.done(c, err, id, func(u *models.User) string {
		return tr(c, "users.flash.signed_out", map[string]any{"Name": u.DisplayName})
	})
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
	return h.done(c, err, id, func(u *models.User) string {
		return tr(c, "users.flash.link_voided", map[string]any{"Name": u.DisplayName})
	})
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
	return h.done(c, err, id, func(u *models.User) string {
		return tr(c, "users.flash.mfa_reset", map[string]any{"Name": u.DisplayName})
	})
}

// localDevice names a browser from its User-Agent (profile.Device) in the
// reader's language: "Chrome on Windows", "Unknown device".
func localDevice(c echo.Context, ua string) string {
	d := profile.Device(ua)
	if d == "Unknown device" {
		return tr(c, "users.device.unknown")
	}
	if browser, system, ok := strings.Cut(d, " on "); ok {
		return tr(c, "users.device.on", map[string]any{"Browser": browser, "System": system})
	}
	return d
}
