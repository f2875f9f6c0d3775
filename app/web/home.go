package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"accountportal/app/identity"
	"accountportal/views/pages/home"
	"accountportal/views/viewmodel"
)

type homeHandlers struct {
	pages
}

// show greets the user with their account and what they may use.
func (h homeHandlers) show(c echo.Context) error {
	p := state(c).principal
	if p.IsOperator() {
		return c.Redirect(http.StatusSeeOther, operatorPath)
	}
	if p.Account.IsStaff() {
		return c.Redirect(http.StatusSeeOther, "/support")
	}
	m := viewmodel.HomePage{
		DisplayName:    p.User.DisplayName,
		AccountName:    p.Account.Name,
		AccountNumber:  p.Account.Number,
		IsPrimaryAdmin: p.User.IsPrimaryAdmin,
		Links: []viewmodel.Link{{Href: "/profile", Title: "My Profile",
			Description: "Your details, support passphrase, password, two-step verification, security question, email address and where you're signed in."}},
	}
	for _, perm := range identity.Permissions() {
		if p.Permissions[perm.Key] {
			m.Privileges = append(m.Privileges, perm.Label)
		}
	}
	if primaryOrRoleManager(p) {
		m.Links = append(m.Links, viewmodel.Link{Href: "/admin/privileges", Title: "Admin privileges",
			Description: "Who are the Secondary Admins, which areas they hold, and whether they set a passphrase."})
	}
	if p.Can(identity.PermRolesManage) {
		m.Links = append(m.Links, viewmodel.Link{Href: "/admin/roles", Title: "Roles",
			Description: "Built-in and custom roles, and who holds them."})
	}
	if p.Can(identity.PermUsersManage) {
		m.Links = append(m.Links, viewmodel.Link{Href: "/admin/users", Title: "Users",
			Description: "Create users, change their details, reset passwords and second factors, deactivate, and act on many at once."})
	}
	if p.Can(identity.PermSecurityManage) {
		m.Links = append(m.Links, viewmodel.Link{Href: "/admin/security", Title: "Security",
			Description: "Two-step verification policy, password rules, the security question and session timeouts."})
	}
	if p.Can(identity.PermAuditView) {
		m.Links = append(m.Links, viewmodel.Link{Href: "/admin/audit", Title: "Audit log",
			Description: "Who did what, when and from where, and the support desk's checks."})
	}
	return render(c, http.StatusOK, home.Page(h.page(c, "Home"), m))
}
