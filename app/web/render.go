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
			p.Banner = banner(c, pr)
			p.Nav = adminNav(c, pr)
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
func banner(c echo.Context, pr *identity.Principal) *viewmodel.Banner {
	switch {
	case pr.TransferOffered:
		return &viewmodel.Banner{Message: tr(c, "banner.transfer"), Href: "/admin/transfer", LinkText: tr(c, "banner.transfer_link")}
	case pr.NeedsPassphrase():
		return &viewmodel.Banner{Message: tr(c, "banner.passphrase"), Href: passphrasePath, LinkText: tr(c, "banner.passphrase_link")}
	}
	return nil
}

// adminNav lists every section the user may use; route marks the one the
// page belongs to, sub-pages included (/admin/users/:id marks Users).
func adminNav(c echo.Context, pr *identity.Principal) []viewmodel.NavItem {
	var nav []viewmodel.NavItem
	route := c.Path()
	add := func(href, id string) {
		nav = append(nav, viewmodel.NavItem{Href: href, Label: tr(c, id), Current: within(route, href)})
	}
	switch {
	case pr.IsOperator():
		add(operatorPath, "nav.customer_accounts")
		add(onboardPath, "nav.onboard")
		add("/operator/license", "nav.license")
		add(providerLogPath, "nav.provider_log")
	case pr.Account.IsStaff():
		add("/support", "nav.support")
	default:
		add("/", "nav.home")
		add("/profile", "nav.profile")
		customerSections(pr, add)
	}
	markLongestCurrent(nav)
	return nav
}

// customerSections adds the admin console's sections the user may use.
func customerSections(pr *identity.Principal, add func(href, id string)) {
	if primaryOrRoleManager(pr) {
		add("/admin/privileges", "nav.privileges")
	}
	if pr.Can(identity.PermUsersManage) {
		add("/admin/users", "nav.users")
	}
	if pr.Can(identity.PermRolesManage) {
		add("/admin/roles", "nav.roles")
	}
	if pr.Can(identity.PermSecurityManage) {
		add("/admin/security", "nav.security")
	}
	if pr.Can(identity.PermAuditView) {
		add("/admin/audit", "nav.audit")
	}
	if pr.Can(identity.PermUsersManage) {
		add("/admin/api-tokens", "nav.api_tokens")
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
