package web

import (
	"cmp"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"accountportal/app/identity"
	"accountportal/models"
	"accountportal/views/i18n"
)

// providerPrefixes are the provider's own pages: its operators' console,
// its support desk, first-run setup and the development mailbox. The
// provider's staff work in English, so these stay English (<html
// lang="en"> included) whatever the reader's language; every other page
// is the customers', in the reader's language (docs/i18n.md).
var providerPrefixes = []string{"/operator", "/support", "/setup", "/dev"}

// speaksReaders reports whether the page at route is said in the
// reader's language: every page but the provider's own.
func speaksReaders(route string) bool {
	for _, p := range providerPrefixes {
		if route == p || strings.HasPrefix(route, p+"/") {
			return false
		}
	}
	return true
}

// routeOf is the route c matched, or its path when it matched none (its
// 404 page): /operator/anything is the provider's as much as /operator.
func routeOf(c echo.Context) string {
	return cmp.Or(c.Path(), c.Request().URL.Path)
}

// switcherPages are the pages that offer the language switcher: only a
// ?lang= on one of them is kept. Every other page (My Profile, say) is in
// the language already chosen.
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
			if !speaksReaders(c.Path()) {
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

// inReadersLanguage says the rest of the request in the reader's language,
// for a page that answers any route (an error page, the suspended
// notice): English on the provider's own pages, like them, unless the
// reader is a signed-in customer, whom that page only refuses.
func inReadersLanguage(c echo.Context) {
	code := i18n.Default
	if speaksReaders(routeOf(c)) || customerReader(c) {
		code = readerLanguage(c)
	}
	c.SetRequest(c.Request().WithContext(i18n.WithLanguage(c.Request().Context(), code)))
}

// unroutedReaderKey keeps the signed-in user of a request no route
// matched, found by knowUnroutedReader.
const unroutedReaderKey = "portal.unroutedReader"

// customerReader reports whether the reader is signed in to a customer
// account, not the provider's.
func customerReader(c echo.Context) bool {
	if st, _ := c.Get(stateKey).(*reqState); st != nil && st.principal != nil {
		return !st.principal.Account.IsStaff()
	}
	u, _ := c.Get(unroutedReaderKey).(*models.PrincipalUser)
	return u != nil && !u.Account.IsStaff()
}

// readerLanguage is the language such a page speaks: the one the speak
// middleware (or a page, such as the reset wizard) found the reader
// prefers; or, when the request failed before speak ran (an expired
// form, an address no route matched), the same choice made here.
func readerLanguage(c echo.Context) string {
	if code, ok := i18n.PreferredSaid(c.Request().Context()); ok {
		return code
	}
	return negotiated(c, keptCookie(c.Request()))
}

// keptCookie is the switcher's choice this browser keeps, or "".
func keptCookie(r *http.Request) string {
	if ck, err := r.Cookie(langCookie); err == nil {
		return ck.Value
	}
	return ""
}

// speakFor says the rest of the request in the language of a reader the
// speak middleware could not know, whose own choice and account's default
// are own and account (a user who has given their password but is not
// signed in yet, the owner of a reset link): theirs, else the switcher's,
// else their account's, else the browser's.
func speakFor(c echo.Context, own, account string) {
	r := c.Request()
	code := i18n.Negotiate(r.Header.Get("Accept-Language"), own, keptCookie(r), account)
	ctx := i18n.WithPreferred(r.Context(), code)
	if speaksReaders(c.Path()) {
		ctx = i18n.WithLanguage(ctx, code)
	}
	c.SetRequest(r.WithContext(ctx))
}

// keptLanguage is the visitor's choice from the language switcher: a
// ?lang= on a page that offers it (then kept in a cookie for a year), else
// the cookie. Only those pages keep it: a link to any other address cannot
// set a visitor's language.
func keptLanguage(c echo.Context, secure bool) string {
	r := c.Request()
	kept := keptCookie(r)
	// Only the pages that offer the switcher keep its choice: the admin
	// console and My Profile never offer it (their readers are signed in
	// and choose their language in My Profile).
	if r.Method != http.MethodGet || !switcherPages[c.Path()] {
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

// flashID keeps the catalog messages ids, sentences said one after the
// other, as a flash message.
func flashID(ids ...string) string { return flashPrefix + strings.Join(ids, flashSeparator) }

// flashSeparator separates the ids of a flash message's sentences.
const flashSeparator = "\x00"

// flashText is a flash message as the page shows it: kept ids in the
// page's language (the ids' data are the portal's constants), any other
// message as it is.
func flashText(c echo.Context, msg string) string {
	kept, ok := strings.CutPrefix(msg, flashPrefix)
	if !ok {
		return msg
	}
	ids := strings.Split(kept, flashSeparator)
	for i, id := range ids {
		ids[i] = tr(c, id, map[string]any{"Max": identity.MaxSessionsPerUser})
	}
	return strings.Join(ids, " ")
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
