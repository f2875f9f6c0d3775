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
	"/":                                true,
	"/profile":                         true,
	"/profile/details":                 true,
	"/profile/language":                true,
	"/profile/passphrase":              true,
	"/profile/password":                true,
	"/profile/question":                true,
	"/profile/email":                   true,
	"/profile/email/confirm/:token":    true,
	"/profile/sessions":                true,
	"/profile/sessions/signout":        true,
	"/profile/sessions/signout-others": true,
	"/profile/app-passwords":           true,
	"/profile/app-passwords/revoke":    true,
	"/profile/support-code":            true,
	"/confirm":                         true,
	"/agreement":                       true,
	"/login/mfa":                       true,
	"/login/mfa/setup":                 true,
	"/profile/mfa":                     true,
	"/profile/mfa/setup":               true,
	"/profile/mfa/start":               true,
	"/profile/mfa/codes":               true,
	"/profile/mfa/remove":              true,
	// end My Profile, two-step sign-in and home
	// begin users console and bulk actions
	"/admin/users":                      true,
	"/admin/users/new":                  true,
	"/admin/users/bulk":                 true,
	"/admin/users/bulk/run":             true,
	"/admin/users/jobs":                 true,
	"/admin/users/jobs/:job":            true,
	"/admin/users/:id":                  true,
	"/admin/users/:id/deactivate":       true,
	"/admin/users/:id/status":           true,
	"/admin/users/:id/mfa":              true,
	"/admin/users/:id/reset":            true,
	"/admin/users/:id/question/clear":   true,
	"/admin/users/:id/reset/unblock":    true,
	"/admin/users/:id/delete":           true,
	"/admin/users/:id/sessions/signout": true,
	"/admin/users/:id/links/:link/void": true,
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
	"/admin/audit":                      true,
	// end other admin pages
}

// switcherPages are the pages that offer the language switcher: only a
// ?lang= on one of them is kept. Every other translated page (My Profile,
// say) is in the language already chosen.
var switcherPages = map[string]bool{"/login": true, "/login/password": true,
	"/forgot": true, "/forgot/password": true, "/forgot/username": true}

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
			code := negotiated(c, keptLanguage(c, secure))
			ctx := i18n.WithPreferred(r.Context(), code)
			if !translated[c.Path()] {
				// Said in English throughout, <html lang> included, until
				// the page is translated: a page half in one language and
				// marked as another misleads screen readers.
				code = i18n.Default
			}
			ctx = i18n.WithLanguage(ctx, code)
			if p := state(c).principal; p != nil {
				if loc := i18n.ZoneOf(cmp.Or(p.User.TimeZone, p.Account.TimeZone)); loc != nil {
					ctx = i18n.WithZone(ctx, loc)
				}
			}
			c.SetRequest(r.WithContext(ctx))
			c.Response().Header().Add("Vary", "Accept-Language")
			return next(c)
		}
	}
}

// negotiated is the reader's language: the signed-in user's own choice,
// else kept (the switcher's), else their account's default, else the
// browser's Accept-Language, else English.
func negotiated(c echo.Context, kept string) string {
	var own, account string
	if st, _ := c.Get(stateKey).(*reqState); st != nil && st.principal != nil {
		own, account = st.principal.User.Language, st.principal.Account.Language
	}
	return i18n.Negotiate(c.Request().Header.Get("Accept-Language"), own, kept, account)
}

// inReadersLanguage says the rest of the request in the reader's language
// whatever its route: for a page that answers any route (an error page,
// the suspended notice), which is translated wholly.
func inReadersLanguage(c echo.Context) {
	ctx := c.Request().Context()
	c.SetRequest(c.Request().WithContext(i18n.WithLanguage(ctx, readerLanguage(c))))
}

// readerLanguage is the language such a page speaks: the one the speak
// middleware (or a page, such as the reset wizard) found the reader
// prefers; or, when the request failed before speak ran (an expired
// form), the same choice made here.
func readerLanguage(c echo.Context) string {
	ctx := c.Request().Context()
	if code := i18n.Preferred(ctx); code != i18n.Lang(ctx) || code != i18n.Default {
		return code
	}
	kept := ""
	if ck, err := c.Request().Cookie(langCookie); err == nil {
		kept = ck.Value
	}
	return negotiated(c, kept)
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
	// Only the pages that offer the switcher keep its choice: the admin
	// console and My Profile never offer it (their readers are signed in
	// and choose their language in My Profile).
	if r.Method != http.MethodGet || !translated[c.Path()] || !switcherPages[c.Path()] {
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
