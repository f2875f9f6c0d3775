package web

import (
	"cmp"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"accountportal/app/identity"
	"accountportal/views/i18n"
)

// translated lists the pages whose every word comes from the catalogs;
// the others are English whatever the reader's language. It grows until
// it is every page (docs/i18n.md).
var translated = map[string]bool{
	"/login":           true,
	"/login/password":  true,
	"/forgot":          true,
	"/forgot/password": true,
	"/forgot/username": true,
	"/login/agreement": true,
	"/login/question":  true,
	// begin reset wizard and error pages
	"/reset/:token":   true,
	"/welcome/:token": true,
	"/reset":          true,
	"/reset/answer":   true,
	"/reset/password": true,
	"/reset/done":     true,
	"/invite/:token":  true,
	"/invite":         true,
	// end reset wizard and error pages
	// begin My Profile, two-step sign-in and home
	// end My Profile, two-step sign-in and home
	// begin users console and bulk actions
	// end users console and bulk actions
	// begin other admin pages
	"/admin/privileges":                 true,
	"/admin/privileges/areas":           true,
	"/admin/privileges/remove":          true,
	"/admin/privileges/transfer":        true,
	"/admin/privileges/transfer/cancel": true,
	"/admin/transfer":                   true,
	"/admin/roles":                      true,
	"/admin/roles/new":                  true,
	"/admin/roles/:id":                  true,
	"/admin/roles/:id/edit":             true,
	"/admin/roles/:id/delete":           true,
	"/admin/roles/:id/members":          true,
	"/admin/security":                   true,
	"/admin/api-tokens":                 true,
	"/admin/api-tokens/:id/revoke":      true,
	"/admin/api-tokens/:id/adopt":       true,
	// end other admin pages
}

// langCookie keeps a visitor's choice from the language switcher.
const langCookie = "lang"

// speak decides the request's language and time zone and puts them in the
// request's context for the pages and their messages. The language: the
// signed-in user's own choice; else a choice made on the sign-in pages'
// switcher (?lang=, kept in a cookie for a year); else their account's
// default; else the browser's Accept-Language; else English. The time
// zone: the user's, else the account's, else UTC.
func (s *Server) speak() echo.MiddlewareFunc {
	secure := s.deps.Config.Production()
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			kept := keptLanguage(c, secure)
			var own, account, zone string
			if p := state(c).principal; p != nil {
				own, account = p.User.Language, p.Account.Language
				zone = cmp.Or(p.User.TimeZone, p.Account.TimeZone)
			}
			code := i18n.Negotiate(r.Header.Get("Accept-Language"), own, kept, account)
			ctx := i18n.WithPreferred(r.Context(), code)
			if !translated[c.Path()] {
				// Said in English throughout, <html lang> included, until
				// the page is translated: a page half in one language and
				// marked as another misleads screen readers.
				code = i18n.Default
			}
			ctx = i18n.WithLanguage(ctx, code)
			if loc := i18n.ZoneOf(zone); loc != nil {
				ctx = i18n.WithZone(ctx, loc)
			}
			c.SetRequest(r.WithContext(ctx))
			c.Response().Header().Add("Vary", "Accept-Language")
			return next(c)
		}
	}
}

// inPreferred says the rest of the request in the reader's language
// whatever its route: for a page that answers any route (the suspended
// notice), which is translated wholly.
func inPreferred(c echo.Context) {
	ctx := c.Request().Context()
	c.SetRequest(c.Request().WithContext(i18n.WithLanguage(ctx, i18n.Preferred(ctx))))
}

// keptLanguage is the visitor's choice from the language switcher: a
// ?lang= on a page that offers it (then kept in a cookie for a year), else
// the cookie. Only those pages keep it: a link to any other address cannot
// set a visitor's language.
func keptLanguage(c echo.Context, secure bool) string {
	r := c.Request()
	kept := ""
	if ck, err := r.Cookie(langCookie); err == nil {
		kept = ck.Value
	}
	if r.Method != http.MethodGet || !translated[c.Path()] {
		return kept
	}
	if q := c.QueryParam("lang"); i18n.Supported(q) && q != kept {
		kept = q
		c.SetCookie(&http.Cookie{Name: langCookie, Value: q, Path: "/", MaxAge: int((365 * 24 * time.Hour).Seconds()),
			HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
	}
	return kept
}

// tr is the message id in the request's language.
func tr(c echo.Context, id string, data ...map[string]any) string {
	return i18n.T(c.Request().Context(), id, data...)
}

// flashPrefix marks a flash message kept as a catalog id, said in the
// language of the page that shows it rather than the one that set it.
const flashPrefix = "\x00i18n:"

// flashID keeps the catalog message id as a flash message.
func flashID(id string) string { return flashPrefix + id }

// flashText is a flash message as the page shows it: a kept id in the
// page's language (the ids' data are the portal's constants), any other
// message as it is.
func flashText(c echo.Context, msg string) string {
	id, ok := strings.CutPrefix(msg, flashPrefix)
	if !ok {
		return msg
	}
	return tr(c, id, map[string]any{"Max": identity.MaxSessionsPerUser})
}

// localErrors says a form's problems in the request's language, where the
// catalogs have them.
func localErrors(c echo.Context, errs map[string]string) map[string]string {
	out := make(map[string]string, len(errs))
	for field, msg := range errs {
		out[field] = localProblem(c, msg)
	}
	return out
}

// localProblem is a service's message in the request's language: the
// catalogs translate it by its English text (i18n.Local).
func localProblem(c echo.Context, msg string) string {
	return i18n.Local(c.Request().Context(), msg)
}
