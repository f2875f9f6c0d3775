package web

import (
	"cmp"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"accountportal/views/i18n"
)

// translated lists the pages whose every word comes from the catalogs;
// the others are English whatever the reader's language. It grows until
// it is every page (docs/i18n.md).
var translated = map[string]bool{"/login": true, "/login/password": true,
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
			kept := ""
			if ck, err := r.Cookie(langCookie); err == nil {
				kept = ck.Value
			}
			if q := r.URL.Query().Get("lang"); r.Method == http.MethodGet && i18n.Supported(q) && q != kept {
				kept = q
				c.SetCookie(&http.Cookie{Name: langCookie, Value: q, Path: "/", MaxAge: int((365 * 24 * time.Hour).Seconds()),
					HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
			}
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

// tr is the message id in the request's language.
func tr(c echo.Context, id string, data ...map[string]any) string {
	return i18n.T(c.Request().Context(), id, data...)
}

// durationText says d in the request's language: whole hours from two
// hours up, else minutes.
func durationText(c echo.Context, d time.Duration) string {
	ctx := c.Request().Context()
	if d >= 2*time.Hour && d%time.Hour == 0 {
		return i18n.N(ctx, "duration.hours", int(d/time.Hour))
	}
	return i18n.N(ctx, "duration.minutes", int(d.Round(time.Minute)/time.Minute))
}
