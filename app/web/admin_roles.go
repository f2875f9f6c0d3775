package web

import (
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"accountportal/app/admin"
	"accountportal/app/apperr"
	"accountportal/app/identity"
	"accountportal/models"
	apages "accountportal/views/pages/admin"
	"accountportal/views/viewmodel"
)

type roleHandlers struct {
	pages
	roles *admin.Roles
}

func roleRow(c echo.Context, r models.RoleWithCount) viewmodel.RoleRow {
	name, description := roleText(c, r.Role)
	row := viewmodel.RoleRow{ID: itoa(r.ID), Name: name, Description: description, BuiltIn: r.AccountID == nil, Members: r.Members}
	for _, k := range r.Permissions {
		row.Permissions = append(row.Permissions, permissionLabel(c, k))
	}
	return row
}

func (h roleHandlers) list(c echo.Context) error {
	roles, err := h.roles.Roles(c.Request().Context(), state(c).principal)
	if err != nil {
		return err
	}
	m := viewmodel.RolesPage{}
	for _, r := range roles {
		m.Roles = append(m.Roles, roleRow(c, r))
	}
	return render(c, http.StatusOK, apages.Roles(h.page(c, tr(c, "admin.roles.title")).Widened(), m))
}

// roleID reads the :id of the path; a malformed one is a missing role.
func roleID(c echo.Context) (int64, error) {
	id, err := atoi(c.Param("id"))
	if err != nil {
		return 0, admin.ErrNoSuchRole
	}
	return id, nil
}

func (h roleHandlers) show(c echo.Context) error {
	id, err := roleID(c)
	if err != nil {
		return err
	}
	return h.showRole(c, http.StatusOK, id, nil, "")
}

// showRole renders a role's page; errs, when set, says why the last change
// of its members was refused (under apages.RoleAssign, shown in an error
// summary) or what is wrong with the username typed, which the assign
// form shows again.
func (h roleHandlers) showRole(c echo.Context, status int, id int64, errs map[string]string, username string) error {
	p := state(c).principal
	d, err := h.roles.Role(c.Request().Context(), p, id)
	if err != nil {
		return err
	}
	m := viewmodel.RolePage{RoleRow: roleRow(c, d.Role), Editable: d.CannotEdit == nil, Deletable: d.CannotDelete == nil,
		WhyNotAssign:   localProblem(c, d.WhyNotAssign),
		MemberUsername: username, CanSeeUsers: p.Can(identity.PermUsersManage),
		Errors: viewmodel.NewErrors(localErrors(c, errs), apages.RoleMemberFields...)}
	// Why the role cannot be changed; else, why it cannot be deleted yet.
	if ae, ok := apperr.As(d.CannotEdit); ok {
		m.WhyNotEdit = localProblem(c, ae.Message)
	} else if ae, ok := apperr.As(d.CannotDelete); ok {
		m.WhyNotDelete = localProblem(c, ae.Message)
	}
	for _, u := range d.Members {
		m.Members = append(m.Members, viewmodel.Member{UserID: itoa(u.ID), Name: u.DisplayName, Username: u.Username,
			Protected: d.Protected[u.ID] != "" || u.ID == p.User.ID})
	}
	return render(c, status, apages.Role(h.page(c, m.Name), m))
}

// giveRoleFields shows the roles service's problems on a role's assign
// form; roleFields on the role form.
var giveRoleFields = formFields{admin.MemberUsername: apages.FieldMemberUsername}

// roleFields shows the roles service's problems on the role form.
var roleFields = formFields{admin.RoleName: apages.FieldRoleName, admin.RoleDescription: apages.FieldRoleDescription,
	admin.RolePermissions: apages.FieldRolePermissions}

// roleForm is the body of the role form; its tags, like membersForm's, are
// field names of views/pages/admin.
type roleForm struct {
	Name        string   `form:"name"`
	Description string   `form:"description"`
	Permissions []string `form:"permission"`
}

// form renders the role form with the permissions the viewer holds.
func (h roleHandlers) form(c echo.Context, status int, id string, f roleForm, errs map[string]string) error {
	p := state(c).principal
	m := viewmodel.RoleFormPage{ID: id, Name: f.Name, Description: f.Description,
		Errors: viewmodel.NewErrors(localErrors(c, errs), apages.RoleFields...)}
	groups := map[string]*viewmodel.ChoiceGroup{
		identity.GroupConsole: {Title: tr(c, "admin.roles.group_console")},
		identity.GroupSupport: {Title: tr(c, "admin.roles.group_support")},
	}
	for _, perm := range identity.Permissions() {
		if p.Can(perm.Key) {
			g := groups[perm.Group]
			g.Choices = append(g.Choices, viewmodel.Choice{Value: perm.Key, Label: localProblem(c, perm.Label), Hint: localProblem(c, perm.Help),
				Checked: slices.Contains(f.Permissions, perm.Key)})
		}
	}
	for _, key := range []string{identity.GroupConsole, identity.GroupSupport} {
		if len(groups[key].Choices) > 0 {
			m.Groups = append(m.Groups, *groups[key])
		}
	}
	title := tr(c, "admin.roles.create_title")
	if id != "" {
		title = tr(c, "admin.roles.edit_title")
	}
	return render(c, status, apages.RoleForm(h.page(c, title), m))
}

func (h roleHandlers) newForm(c echo.Context) error {
	if !state(c).principal.Can(identity.PermRolesManage) {
		return admin.ErrNoRolesManage
	}
	return h.form(c, http.StatusOK, "", roleForm{}, nil)
}

func (h roleHandlers) create(c echo.Context) error {
	var f roleForm
	var id int64
	err := bindForm(c, &f)
	if err == nil {
		id, err = h.roles.CreateRole(c.Request().Context(), state(c).principal,
			admin.RoleInput{Name: f.Name, Description: f.Description, Permissions: f.Permissions}, origin(c))
	}
	if errs, ok := roleFields.errors(err); ok {
		return h.form(c, http.StatusUnprocessableEntity, "", f, errs)
	}
	if err != nil {
		return err
	}
	return redirectWithFlash(c, "/admin/roles/"+itoa(id), viewmodel.FlashSuccess, tr(c, "admin.roles.created"))
}

func (h roleHandlers) editForm(c echo.Context) error {
	id, err := roleID(c)
	if err != nil {
		return err
	}
	d, err := h.roles.Role(c.Request().Context(), state(c).principal, id)
	if err != nil {
		return err
	}
	if d.CannotEdit != nil {
		return d.CannotEdit
	}
	return h.form(c, http.StatusOK, itoa(id), roleForm{Name: d.Role.Name, Description: d.Role.Description,
		Permissions: d.Role.Permissions}, nil)
}

func (h roleHandlers) update(c echo.Context) error {
	id, err := roleID(c)
	if err != nil {
		return err
	}
	var f roleForm
	if err = bindForm(c, &f); err == nil {
		err = h.roles.UpdateRole(c.Request().Context(), state(c).principal, id,
			admin.RoleInput{Name: f.Name, Description: f.Description, Permissions: f.Permissions}, origin(c))
	}
	if errs, ok := roleFields.errors(err); ok {
		return h.form(c, http.StatusUnprocessableEntity, itoa(id), f, errs)
	}
	if err != nil {
		return err
	}
	return redirectWithFlash(c, "/admin/roles/"+itoa(id), viewmodel.FlashSuccess, tr(c, "admin.roles.saved"))
}

func (h roleHandlers) confirmDelete(c echo.Context) error {
	id, err := roleID(c)
	if err != nil {
		return err
	}
	d, err := h.roles.Role(c.Request().Context(), state(c).principal, id)
	if err != nil {
		return err
	}
	if d.CannotDelete != nil {
		return d.CannotDelete
	}
	return render(c, http.StatusOK, apages.ConfirmAction(h.page(c, tr(c, "admin.roles.delete")), viewmodel.ConfirmActionPage{
		Heading: tr(c, "admin.roles.delete_heading", map[string]any{"Name": d.Role.Name}), Message: tr(c, "admin.roles.delete_message"),
		Action: "/admin/roles/" + itoa(id) + "/delete", Button: tr(c, "admin.roles.delete"),
		Back: viewmodel.Link{Href: "/admin/roles/" + itoa(id), Title: tr(c, "admin.common.cancel")},
	}))
}

func (h roleHandlers) delete(c echo.Context) error {
	id, err := roleID(c)
	if err != nil {
		return err
	}
	if err := h.roles.DeleteRole(c.Request().Context(), state(c).principal, id, origin(c)); err != nil {
		return err
	}
	return redirectWithFlash(c, "/admin/roles", viewmodel.FlashSuccess, tr(c, "admin.roles.deleted"))
}

type membersForm struct {
	UserID   string `form:"user_id"`
	Username string `form:"member_username"`
	Action   string `form:"action"`
}

// members assigns the role to a user, or takes it away.
func (h roleHandlers) members(c echo.Context) error {
	id, err := roleID(c)
	if err != nil {
		return err
	}
	var f membersForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	// A Remove button posts the member's id; the assign form a username.
	byName := f.UserID == "" && f.Action == "add"
	uid, err := atoi(f.UserID)
	if (err != nil && !byName) || (f.Action != "add" && f.Action != "remove") {
		return apperr.New(apperr.Invalid, "Choose a user.")
	}
	u, changed, err := h.assign(c, id, f, byName, uid)
	if errs, ok := giveRoleFields.errors(err); ok {
		return h.showRole(c, http.StatusUnprocessableEntity, id, errs, f.Username)
	}
	if e, ok := apperr.As(err); ok && e.Code == apperr.Forbidden {
		// A page opened before the viewer's privileges (or the member's)
		// changed: show the role again with the reason, not a dead end.
		// Titled "Error: …" like a 422, as the page shows an error summary.
		c.SetRequest(c.Request().WithContext(viewmodel.WithFormErrors(c.Request().Context())))
		return h.showRole(c, http.StatusForbidden, id, map[string]string{apages.RoleAssign: e.Message}, f.Username)
	}
	if err != nil {
		return err
	}
	name := map[string]any{"Name": u.DisplayName}
	msg := tr(c, "admin.roles.given", name)
	switch {
	case !changed && f.Action == "remove":
		msg = tr(c, "admin.roles.not_held", name)
	case !changed:
		msg = tr(c, "admin.roles.already_held", name)
	case f.Action == "remove":
		msg = tr(c, "admin.roles.taken", name)
	}
	return redirectWithFlash(c, "/admin/roles/"+itoa(id), viewmodel.FlashSuccess, msg)
}

// assign calls the service the form is for: the user with uid, or, byName,
// the one whose username was typed on the assign form.
func (h roleHandlers) assign(c echo.Context, roleID int64, f membersForm, byName bool, uid int64) (*models.User, bool, error) {
	ctx, p := c.Request().Context(), state(c).principal
	if byName {
		return h.roles.GiveRole(ctx, p, roleID, f.Username, origin(c))
	}
	return h.roles.AssignRole(ctx, p, roleID, uid, f.Action == "add", origin(c))
}
