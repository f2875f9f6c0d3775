package web

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"accountportal/app/admin"
	"accountportal/app/identity"
	"accountportal/views/i18n"
	apages "accountportal/views/pages/admin"
	"accountportal/views/pages/home"
	"accountportal/views/viewmodel"
)

type homeHandlers struct {
	pages
	privileges *admin.Privileges
}

// show is the signed-in person's dashboard: what waits on them, then the
// sections they may use.
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
		Attention:      ownAttention(c, p),
		Links:          homeLinks(c, p),
	}
	for _, perm := range identity.Permissions() {
		if p.Permissions[perm.Key] {
			m.Privileges = append(m.Privileges, permissionLabel(c, perm.Key))
		}
	}
	if p.IsAdmin() {
		a, err := h.privileges.Attention(c.Request().Context(), p)
		if err != nil {
			return err
		}
		m.Attention = append(m.Attention, accountAttention(c, a)...)
	}
	return render(c, http.StatusOK, home.Page(h.page(c, tr(c, "home.title")), m))
}

// ownAttention is what the user themself owes: an open request to become
// the Primary Admin, and what the account's policy asks of them. A second
// factor the policy requires is not among them: requireMFA sends whoever
// owes one to set it up before any page, this one included.
func ownAttention(c echo.Context, p *identity.Principal) []viewmodel.AttentionItem {
	var out []viewmodel.AttentionItem
	if p.TransferOffered {
		out = append(out, viewmodel.AttentionItem{Key: "transfer-offered",
			Message: tr(c, "home.own.transfer"),
			Href:    "/admin/transfer", LinkText: tr(c, "home.own.transfer_link")})
	}
	if p.NeedsPassphrase() {
		out = append(out, viewmodel.AttentionItem{Key: "own-passphrase",
			Message: tr(c, "home.own.passphrase"),
			Href:    passphrasePath, LinkText: tr(c, "home.own.passphrase_link")})
	}
	if p.QuestionOwed() {
		out = append(out, viewmodel.AttentionItem{Key: "own-question",
			Message: tr(c, "home.own.question"),
			Href:    profileQuestionPath, LinkText: tr(c, "home.own.question_link")})
	}
	return out
}

// accountAttention turns the account's counts into sentences with links to
// the page that shows the people concerned.
func accountAttention(c echo.Context, a *admin.Attention) []viewmodel.AttentionItem {
	ctx := c.Request().Context()
	var out []viewmodel.AttentionItem
	if t := a.TransferByMe; t != nil {
		msg := tr(c, "home.admin.transfer_waiting", map[string]any{"Name": t.ToName})
		if t.Expired {
			msg = tr(c, "home.admin.transfer_expired", map[string]any{"Name": t.ToName})
		}
		out = append(out, viewmodel.AttentionItem{Key: "transfer-by-me", Message: msg,
			Href: "/admin/privileges", LinkText: tr(c, "home.admin.transfer_link")})
	}
	if n := a.AdminsWithoutPassphrase; n > 0 {
		out = append(out, viewmodel.AttentionItem{Key: "admins-without-passphrase",
			Message: i18n.N(ctx, "home.admin.admins_without_passphrase", int(n)),
			Href:    "/admin/privileges", LinkText: tr(c, "home.admin.privileges_link")})
	}
	if n := a.UsersWithoutMFA; n > 0 {
		msg := i18n.N(ctx, "home.admin.users_without_mfa", int(n))
		if a.MFAFilter.Privileged != nil {
			msg = i18n.N(ctx, "home.admin.admins_without_mfa", int(n))
		}
		out = append(out, viewmodel.AttentionItem{Key: "users-without-mfa",
			Message:  msg,
			Href:     usersListPath(a.MFAFilter.Privileged != nil, apages.FilterStatus, "active", apages.FilterMFA, "no"),
			LinkText: tr(c, "home.admin.mfa_link")})
	}
	if n := a.Invited; n > 0 {
		out = append(out, viewmodel.AttentionItem{Key: "invited-users",
			Message: i18n.N(ctx, "home.admin.invited", int(n)),
			Href:    usersListPath(false, apages.FilterStatus, "invited"), LinkText: tr(c, "home.admin.invited_link")})
	}
	if n := a.BulkUnfinished; n > 0 {
		out = append(out, viewmodel.AttentionItem{Key: "bulk-running",
			Message: i18n.N(ctx, "home.admin.bulk_running", int(n)),
			Href:    "/admin/users/jobs", LinkText: tr(c, "home.admin.bulk_link")})
	}
	return out
}

// usersListPath is the users list filtered by pairs of name and value, and
// to admins alone when admins is set.
func usersListPath(admins bool, pairs ...string) string {
	q := url.Values{}
	for i := 0; i+1 < len(pairs); i += 2 {
		q.Set(pairs[i], pairs[i+1])
	}
	if admins {
		q.Set(apages.FilterPrivileged, "yes")
	}
	return "/admin/users?" + q.Encode()
}

// homeLinks are the sections the user may use, with a sentence each.
func homeLinks(c echo.Context, p *identity.Principal) []viewmodel.Link {
	links := []viewmodel.Link{{Href: "/profile", Title: tr(c, "home.links.profile"),
		Description: tr(c, "home.links.profile_what")}}
	if primaryOrRoleManager(p) {
		links = append(links, viewmodel.Link{Href: "/admin/privileges", Title: tr(c, "home.links.privileges"),
			Description: tr(c, "home.links.privileges_what")})
	}
	if p.Can(identity.PermUsersManage) {
		links = append(links, viewmodel.Link{Href: "/admin/users", Title: tr(c, "home.links.users"),
			Description: tr(c, "home.links.users_what")})
	}
	if p.Can(identity.PermRolesManage) {
		links = append(links, viewmodel.Link{Href: "/admin/roles", Title: tr(c, "home.links.roles"),
			Description: tr(c, "home.links.roles_what")})
	}
	if p.Can(identity.PermSecurityManage) {
		links = append(links, viewmodel.Link{Href: "/admin/security", Title: tr(c, "home.links.security"),
			Description: tr(c, "home.links.security_what")})
	}
	if p.Can(identity.PermAuditView) {
		links = append(links, viewmodel.Link{Href: "/admin/audit", Title: tr(c, "home.links.audit"),
			Description: tr(c, "home.links.audit_what")})
	}
	return links
}
