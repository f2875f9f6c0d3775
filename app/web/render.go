package web

import (
	"bytes"
	"net/http"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"accountportal/app/identity"
	"accountportal/static"
	"accountportal/views/viewmodel"
)

// render writes a component with status. The component renders into a
// buffer first, so a template error becomes a clean 500, never half a page.
//
// A form answered with its errors (422) gets "Error: " before its title.
func render(c echo.Context, status int, comp templ.Component) error {
	var buf bytes.Buffer
	ctx := c.Request().Context()
	if status == http.StatusUnprocessableEntity {
		ctx = viewmodel.WithFormErrors(ctx)
	}
	if err := comp.Render(ctx, &buf); err != nil {
		return err
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// pages is what every handler group needs besides its own services: the
// data every layout shows (page), the Account Suspended page and the clock.
// Each group embeds it.
type pages struct {
	assets *static.Assets
	now    func() time.Time
}

// page builds the data every layout needs. It takes the flash message out
// of the session, so it shows once.
func (s pages) page(c echo.Context, title string) viewmodel.Page {
	p := viewmodel.Page{Title: title, RequestID: reqID(c), Asset: s.assets.URL}
	st, _ := c.Get(stateKey).(*reqState)
	if st == nil {
		return p
	}
	if st.sess.Options.MaxAge >= 0 {
		p.CSRF = st.csrfToken()
	}
	p.Flash = st.takeFlash()
	if p.Flash != nil {
		p.Flash.Message = flashText(c, p.Flash.Message)
	}
	if pr := st.principal; pr != nil {
		p.User = &viewmodel.UserNav{DisplayName: pr.User.DisplayName, Username: pr.User.Username,
			AccountName: pr.Account.Name, AccountNumber: pr.Account.Number, Staff: pr.Account.IsStaff()}
		// Held on the forced setup of a second factor (requireMFA), every
		// section and the banner's link would only lead back to it.
		if !pr.MustEnrolMFA() {
			p.Banner = banner(pr)
			p.Nav = adminNav(pr, c.Path())
		}
	}
	return p
}

// redirectWithFlash stores a one-time message and redirects with 303.
func redirectWithFlash(c echo.Context, to, kind, message string) error {
	state(c).setFlash(kind, message)
	return c.Redirect(http.StatusSeeOther, to)
}

// banner is the notice a user sees on every page until they act on it.
func banner(pr *identity.Principal) *viewmodel.Banner {
	switch {
	case pr.TransferOffered:
		return &viewmodel.Banner{Message: "You have been asked to become the Primary Admin of this account.",
			Href: "/admin/transfer", LinkText: "Accept or decline"}
	case pr.NeedsPassphrase():
		return &viewmodel.Banner{
			Message: "Set your support passphrase: the support desk will not act on your requests until you do.",
			Href:    passphrasePath, LinkText: "Set it now"}
	}
	return nil
}

// adminNav lists every section the user may use; route marks the one the
// page belongs to, sub-pages included (/admin/users/:id marks Users).
func adminNav(pr *identity.Principal, route string) []viewmodel.NavItem {
	var nav []viewmodel.NavItem
	add := func(href, label string) {
		nav = append(nav, viewmodel.NavItem{Href: href, Label: label, Current: within(route, href)})
	}
	switch {
	case pr.IsOperator():
		add(operatorPath, "Customer accounts")
		add(onboardPath, "Onboard an account")
		add("/operator/license", "License agreement")
		add(providerLogPath, "Provider's log")
	case pr.Account.IsStaff():
		add("/support", "Verify a caller")
	default:
		add("/", "Home")
		add("/profile", "My Profile")
		customerSections(pr, add)
	}
	markLongestCurrent(nav)
	return nav
}

// customerSections adds the admin console's sections the user may use.
func customerSections(pr *identity.Principal, add func(href, label string)) {
	if primaryOrRoleManager(pr) {
		add("/admin/privileges", "Privileges")
	}
	if pr.Can(identity.PermUsersManage) {
		add("/admin/users", "Users")
	}
	if pr.Can(identity.PermRolesManage) {
		add("/admin/roles", "Roles")
	}
	if pr.Can(identity.PermSecurityManage) {
		add("/admin/security", "Security")
	}
	if pr.Can(identity.PermAuditView) {
		add("/admin/audit", "Audit log")
	}
	if pr.Can(identity.PermUsersManage) {
		add("/admin/api-tokens", "API tokens")
	}
}

// within reports whether route is the section at href or one of its
// pages: "/admin/users/:id" is within "/admin/users", "/admin/usersx" is
// not, and only "/" itself is within Home.
func within(route, href string) bool {
	if route == href {
		return true
	}
	if href == "/" {
		return false
	}
	return strings.HasPrefix(route, href+"/") || strings.HasPrefix(route, href+".")
}

// markLongestCurrent leaves only the item whose address matches the route
// most closely marked current: the operator's pages all start with the
// accounts list's address, "/operator".
func markLongestCurrent(nav []viewmodel.NavItem) {
	best := -1
	for i, item := range nav {
		if item.Current && (best < 0 || len(item.Href) > len(nav[best].Href)) {
			best = i
		}
	}
	for i := range nav {
		nav[i].Current = i == best
	}
}
