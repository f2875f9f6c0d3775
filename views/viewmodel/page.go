// Package viewmodel holds the plain data the templates render: one Page per
// request and one struct per page. It never holds database rows.
package viewmodel

import "context"

// Page is what every page's layout needs, built once per request.
type Page struct {
	Title     string
	CSRF      string
	RequestID string
	// User is the signed-in user, or nil.
	User  *UserNav
	Flash *Flash
	// Asset maps a static file's name to its content-hashed URL.
	Asset func(name string) string
	// Scripts lists static script names the page needs.
	Scripts []string
	// Banner is a notice shown above every page's content, or nil.
	Banner *Banner
	// Nav lists the admin pages this user may use.
	Nav []NavItem
	// Wide gives the page the window's width, for pages built around a
	// table; forms keep the narrow column.
	Wide bool
}

// NavItem is one link of the admin navigation.
type NavItem struct {
	Href    string
	Label   string
	Current bool
}

// Banner is a notice that stays on every page until its cause is fixed.
type Banner struct {
	Message  string
	Href     string
	LinkText string
}

// UserNav is the signed-in user as the header shows them.
type UserNav struct {
	DisplayName   string
	Username      string
	AccountName   string
	AccountNumber string
	// Staff is set for the support desk's agents, who have no My Profile.
	Staff bool
}

// Flash kinds.
const (
	FlashSuccess = "success"
	FlashInfo    = "info"
)

// Flash is a one-time message shown after a redirect.
type Flash struct {
	Kind    string
	Message string
}

// AssetURL returns the URL of a static file, or its plain path when the
// page was built without an asset map (as in component tests).
func (p Page) AssetURL(name string) string {
	if p.Asset == nil {
		return "/static/" + name
	}
	return p.Asset(name)
}

// WithScript returns a copy of p that also loads the named script.
func (p Page) WithScript(name string) Page {
	p.Scripts = append(append([]string(nil), p.Scripts...), name)
	return p
}

// Widened returns a copy of p laid out wide, for a page of tables.
func (p Page) Widened() Page {
	p.Wide = true
	return p
}

// Rule is one line of a password checklist. Failed marks a rule the last
// submitted password broke; the browser script ticks rules live.
type Rule struct {
	Key    string
	Text   string
	Min    int
	Max    int
	Chars  string
	Failed bool
}

type formErrorsKey struct{}

// WithFormErrors marks a render as one that answers a form with errors, so
// the layout starts the page's title with "Error: " (as screen readers
// announce the title first, GOV.UK's pattern).
func WithFormErrors(ctx context.Context) context.Context {
	return context.WithValue(ctx, formErrorsKey{}, true)
}

// HasFormErrors reports whether the page being rendered shows form errors.
func HasFormErrors(ctx context.Context) bool {
	v, _ := ctx.Value(formErrorsKey{}).(bool)
	return v
}
