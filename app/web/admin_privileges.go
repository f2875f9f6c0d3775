package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"accountportal/app/admin"
	"accountportal/app/identity"
	"accountportal/models"
	apages "accountportal/views/pages/admin"
	"accountportal/views/viewmodel"
)

type privilegeHandlers struct {
	pages
	privileges *admin.Privileges
}

func (h privilegeHandlers) show(c echo.Context) error {
	return h.render(c, http.StatusOK, nil, typed{})
}

// typed is what the admin typed into the add and transfer forms, shown
// again beside their errors.
type typed struct {
	add      areasForm
	transfer string
}

func (h privilegeHandlers) render(c echo.Context, status int, errs map[string]string, in typed) error {
	p := state(c).principal
	o, err := h.privileges.Overview(c.Request().Context(), p)
	if err != nil {
		return err
	}
	m := viewmodel.PrivilegesPage{CanEdit: o.CanEdit, AdminUsername: in.add.Username, TransferUsername: in.transfer,
		Errors: viewmodel.NewErrors(localErrors(c, errs), apages.PrivilegesFields...)}
	for _, a := range admin.SupportAreas() {
		m.Areas = append(m.Areas, viewmodel.Choice{Value: a.Key, Label: localProblem(c, a.Label), Hint: localProblem(c, a.Help),
			Checked: slices.Contains(in.add.Areas, a.Key)})
	}
	for _, row := range o.Admins {
		vm := viewmodel.AdminRow{UserID: itoa(row.User.ID), Name: row.User.DisplayName, Username: row.User.Username,
			IsPrimary: row.User.IsPrimaryAdmin, Self: row.User.ID == p.User.ID, Roles: roleNames(c, row.RoleNames),
			PassphrasePending: !row.HasPassphrase}
		for _, a := range m.Areas {
			vm.Areas = append(vm.Areas, viewmodel.AreaCell{Value: a.Value, Label: a.Label,
				Direct: slices.Contains(row.Direct, a.Value), Through: throughRoles(c, roleNames(c, row.Through[a.Value]))})
		}
		for _, k := range row.Effective {
			vm.Effective = append(vm.Effective, localProblem(c, identity.PermissionLabel(k)))
		}
		m.Admins = append(m.Admins, vm)
	}
	if t := o.Pending; t != nil {
		m.Pending = &viewmodel.TransferNotice{ToName: t.To.DisplayName, ExpiresAt: localStamp(c, t.ExpiresAt), Expired: t.Expired}
	}
	return render(c, status, apages.Privileges(h.page(c, tr(c, "admin.privileges.title")).Widened(), m))
}

// throughRoles names the roles an area comes with: "the Billing Admin
// role", "the Auditor and Night shift roles"; "" for none.
func throughRoles(c echo.Context, names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return tr(c, "admin.privileges.through_one", map[string]any{"Role": names[0]})
	}
	return tr(c, "admin.privileges.through_many", map[string]any{"Roles": strings.Join(names[:len(names)-1], ", "),
		"Last": names[len(names)-1]})
}

// addAdminFields, transferFields and acceptFields show the privileges
// service's problems on the add form, the transfer form and on the chosen
// user's acceptance form.
var (
	addAdminFields = formFields{admin.AdminUsername: apages.FieldAdminUsername}
	transferFields = formFields{admin.TransferUser: apages.FieldTransferUser, admin.TransferPassword: apages.FieldTransferPassword}
	acceptFields   = formFields{admin.AcceptPassword: apages.FieldAcceptPassword, admin.AcceptPassphrase: apages.FieldAcceptPassphrase}
)

// The bodies of the privileges page's forms and of the acceptance form;
// their tags are field names of views/pages/admin.
type areasForm struct {
	UserID   string   `form:"user_id"`
	Username string   `form:"admin_username"`
	Areas    []string `form:"area"`
}

// saveAreas sets the areas of one user: a matrix row's, named by its
// hidden id, or, from the add form, the user whose username was typed.
func (h privilegeHandlers) saveAreas(c echo.Context) error {
	var f areasForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	u, changed, err := h.setAreas(c, f)
	if errs, ok := addAdminFields.errors(err); ok {
		return h.render(c, http.StatusUnprocessableEntity, errs, typed{add: f})
	}
	if err != nil {
		return err
	}
	name := map[string]any{"Name": u.DisplayName}
	msg := tr(c, "admin.privileges.saved", name)
	if changed {
		msg += " " + tr(c, "admin.privileges.emailed", name)
	} else {
		msg = tr(c, "admin.privileges.unchanged", name)
	}
	return redirectWithFlash(c, "/admin/privileges", viewmodel.FlashSuccess, msg)
}

// setAreas calls the service the form is for: a row posts the user's id,
// the add form a username.
func (h privilegeHandlers) setAreas(c echo.Context, f areasForm) (*models.User, bool, error) {
	ctx, p := c.Request().Context(), state(c).principal
	if f.UserID == "" {
		return h.privileges.AddAdmin(ctx, p, f.Username, f.Areas, origin(c))
	}
	id, err := atoi(f.UserID)
	if err != nil {
		return nil, false, admin.ErrNoSuchUser
	}
	return h.privileges.SetAreas(ctx, p, id, f.Areas, origin(c))
}

type userIDForm struct {
	UserID string `form:"user_id"`
}

// confirmRemove asks before taking every privilege from a user.
func (h privilegeHandlers) confirmRemove(c echo.Context) error {
	id, err := atoi(c.QueryParam(apages.FieldAdmin))
	if err != nil {
		return admin.ErrNoSuchUser
	}
	u, err := h.privileges.Target(c.Request().Context(), state(c).principal, id)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, apages.ConfirmAction(h.page(c, tr(c, "admin.privileges.remove_title")), viewmodel.ConfirmActionPage{
		Heading: tr(c, "admin.privileges.remove_heading", map[string]any{"Name": u.DisplayName}),
		Message: tr(c, "admin.privileges.remove_message"),
		Action:  "/admin/privileges/remove", Button: tr(c, "admin.privileges.remove_title"),
		Fields: []viewmodel.Choice{{Label: apages.FieldAdmin, Value: itoa(id)}},
		Back:   viewmodel.Link{Href: "/admin/privileges", Title: tr(c, "admin.common.cancel")},
	}))
}

func (h privilegeHandlers) remove(c echo.Context) error {
	var f userIDForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	id, err := atoi(f.UserID)
	if err != nil {
		return echo.ErrNotFound
	}
	ctx, p := c.Request().Context(), state(c).principal
	if err := h.privileges.RemoveAll(ctx, p, id, origin(c)); err != nil {
		return err
	}
	u, err := h.privileges.Target(ctx, p, id)
	if err != nil {
		return err
	}
	return redirectWithFlash(c, "/admin/privileges", viewmodel.FlashSuccess, tr(c, "admin.privileges.removed", map[string]any{"Name": u.DisplayName}))
}

type transferForm struct {
	Username string `form:"transfer_username"`
	Password string `form:"transfer_password"`
}

func (h privilegeHandlers) startTransfer(c echo.Context) error {
	var f transferForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	to, err := h.privileges.StartTransfer(c.Request().Context(), state(c).principal, f.Username, f.Password, origin(c))
	if errs, ok := transferFields.errors(err); ok {
		return h.render(c, http.StatusUnprocessableEntity, errs, typed{transfer: f.Username})
	}
	if err != nil {
		return err
	}
	return redirectWithFlash(c, "/admin/privileges", viewmodel.FlashSuccess,
		tr(c, "admin.privileges.transfer_asked", map[string]any{"Name": to.DisplayName}))
}

func (h privilegeHandlers) cancelTransfer(c echo.Context) error {
	if err := h.privileges.CancelTransfer(c.Request().Context(), state(c).principal, origin(c)); err != nil {
		return err
	}
	return redirectWithFlash(c, "/admin/privileges", viewmodel.FlashSuccess, tr(c, "admin.privileges.transfer_cancelled"))
}

// offer shows the chosen user the transfer to accept or decline.
func (h privilegeHandlers) offer(c echo.Context) error {
	return h.renderOffer(c, http.StatusOK, nil)
}

// renderOffer shows the offer with a rejected acceptance's errors.
func (h privilegeHandlers) renderOffer(c echo.Context, status int, errs map[string]string) error {
	p := state(c).principal
	t, err := h.privileges.Pending(c.Request().Context(), p.Account.ID)
	if err != nil {
		return err
	}
	if t == nil || t.To.ID != p.User.ID || t.Expired {
		return admin.ErrNoTransfer
	}
	return render(c, status, apages.Transfer(h.page(c, tr(c, "admin.transfer.title")), viewmodel.TransferNotice{
		FromName: t.From.DisplayName, Account: p.Account.Name, ExpiresAt: localStamp(c, t.ExpiresAt), AskPassphrase: !p.HasPassphrase,
		Errors: viewmodel.NewErrors(localErrors(c, errs), apages.AcceptFields...)}))
}

type decisionForm struct {
	Decision   string `form:"decision"`
	Password   string `form:"password"`
	Passphrase string `form:"passphrase"`
}

func (h privilegeHandlers) decide(c echo.Context) error {
	var f decisionForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	ctx, p := c.Request().Context(), state(c).principal
	switch f.Decision {
	case "decline":
		if err := h.privileges.DeclineTransfer(ctx, p, origin(c)); err != nil {
			return err
		}
		return redirectWithFlash(c, "/", viewmodel.FlashInfo, tr(c, "admin.transfer.declined"))
	case "accept":
		err := h.privileges.AcceptTransfer(ctx, p, admin.Acceptance{Password: f.Password, Passphrase: f.Passphrase}, origin(c))
		if errs, ok := acceptFields.errors(err); ok {
			return h.renderOffer(c, http.StatusUnprocessableEntity, errs)
		}
		if err != nil {
			return err
		}
		return redirectWithFlash(c, "/admin/privileges", viewmodel.FlashSuccess, tr(c, "admin.transfer.accepted"))
	}
	return echo.ErrBadRequest
}
