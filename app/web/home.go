package web

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"accountportal/app/admin"
	"accountportal/app/identity"
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
		Attention:      ownAttention(p),
		Links:          homeLinks(p),
	}
	for _, perm := range identity.Permissions() {
		if p.Permissions[perm.Key] {
			m.Privileges = append(m.Privileges, perm.Label)
		}
	}
	if p.IsAdmin() {
		a, err := h.privileges.Attention(c.Request().Context(), p)
		if err != nil {
			return err
		}
		m.Attention = append(m.Attention, accountAttention(a)...)
	}
	return render(c, http.StatusOK, home.Page(h.page(c, "Home"), m))
}

// ownAttention is what the user themself owes: an open request to become
// the Primary Admin, and what the account's policy asks of them. A second
// factor the policy requires is not among them: requireMFA sends whoever
// owes one to set it up before any page, this one included.
func ownAttention(p *identity.Principal) []viewmodel.AttentionItem {
	var out []viewmodel.AttentionItem
	if p.TransferOffered {
		out = append(out, viewmodel.AttentionItem{Key: "transfer-offered",
			Message: "You have been asked to become the Primary Admin of this account.",
			Href:    "/admin/transfer", LinkText: "Accept or decline"})
	}
	if p.NeedsPassphrase() {
		out = append(out, viewmodel.AttentionItem{Key: "own-passphrase",
			Message: "You have not set your support passphrase: the support desk will not act on your requests until you do.",
			Href:    passphrasePath, LinkText: "Set your support passphrase"})
	}
	if p.QuestionOwed() {
		out = append(out, viewmodel.AttentionItem{Key: "own-question",
			Message: "Your account requires a security question, and you have not set one.",
			Href:    profileQuestionPath, LinkText: "Set your security question"})
	}
	return out
}

// accountAttention turns the account's counts into sentences with links to
// the page that shows the people concerned.
func accountAttention(a *admin.Attention) []viewmodel.AttentionItem {
	var out []viewmodel.AttentionItem
	if t := a.TransferByMe; t != nil {
		msg := "You asked " + t.ToName + " to become the Primary Admin; they have not answered yet."
		if t.Expired {
			msg = "Your request that " + t.ToName + " become the Primary Admin expired unanswered."
		}
		out = append(out, viewmodel.AttentionItem{Key: "transfer-by-me", Message: msg,
			Href: "/admin/privileges", LinkText: "See the request"})
	}
	if n := a.AdminsWithoutPassphrase; n > 0 {
		out = append(out, viewmodel.AttentionItem{Key: "admins-without-passphrase",
			Message: countOf(n, "admin has", "admins have") + " not set a support passphrase: the support desk will not act on their requests.",
			Href:    "/admin/privileges", LinkText: "See admin privileges"})
	}
	if n := a.UsersWithoutMFA; n > 0 {
		who := countOf(n, "user has", "users have")
		if a.MFAFilter.Privileged != nil {
			who = countOf(n, "admin has", "admins have")
		}
		out = append(out, viewmodel.AttentionItem{Key: "users-without-mfa",
			Message:  who + " not set up multi-factor authentication, which your account's policy requires.",
			Href:     usersListPath(a.MFAFilter.Privileged != nil, apages.FilterStatus, "active", apages.FilterMFA, "no"),
			LinkText: "See who"})
	}
	if n := a.Invited; n > 0 {
		out = append(out, viewmodel.AttentionItem{Key: "invited-users",
			Message: countOf(n, "invited user has", "invited users have") + " not chosen a password yet.",
			Href:    usersListPath(false, apages.FilterStatus, "invited"), LinkText: "See invited users"})
	}
	if n := a.BulkUnfinished; n > 0 {
		out = append(out, viewmodel.AttentionItem{Key: "bulk-running",
			Message: countOf(n, "bulk action is", "bulk actions are") + " still running.",
			Href:    "/admin/users/jobs", LinkText: "See bulk actions"})
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

// countOf writes n with the words for one or many: "1 user has".
func countOf(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return itoa(n) + " " + many
}

// homeLinks are the sections the user may use, with a sentence each.
func homeLinks(p *identity.Principal) []viewmodel.Link {
	links := []viewmodel.Link{{Href: "/profile", Title: "My Profile",
		Description: "Your details, support passphrase, password, multi-factor authentication, security question, email address and where you're signed in."}}
	if primaryOrRoleManager(p) {
		links = append(links, viewmodel.Link{Href: "/admin/privileges", Title: "Admin privileges",
			Description: "Who are the Secondary Admins, which areas they hold, and whether they set a support passphrase."})
	}
	if p.Can(identity.PermUsersManage) {
		links = append(links, viewmodel.Link{Href: "/admin/users", Title: "Users",
			Description: "Create users, change their details, send password reset links, reset multi-factor authentication, deactivate, and act on many at once."})
	}
	if p.Can(identity.PermRolesManage) {
		links = append(links, viewmodel.Link{Href: "/admin/roles", Title: "Roles",
			Description: "Built-in and custom roles, and who holds them."})
	}
	if p.Can(identity.PermSecurityManage) {
		links = append(links, viewmodel.Link{Href: "/admin/security", Title: "Security",
			Description: "Multi-factor authentication policy, password rules, the security question and session timeouts."})
	}
	if p.Can(identity.PermAuditView) {
		links = append(links, viewmodel.Link{Href: "/admin/audit", Title: "Audit log",
			Description: "Who did what, when and from where, and the support desk's checks."})
	}
	return links
}
