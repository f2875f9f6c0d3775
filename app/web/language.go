package web

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"accountportal/views/i18n"
)

// langCookie keeps a visitor's choice from the language switcher.
const langCookie = "lang"

// speak decides the request's language and puts it in the request's
// context for the pages and their messages: a ?lang= choice (the sign-in
// pages' switcher, kept in a cookie for a year), else the kept choice,
// else the browser's Accept-Language, else English.
func (s *Server) speak() echo.MiddlewareFunc {
	secure := s.deps.Config.Production()
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			chosen := ""
			if ck, err := r.Cookie(langCookie); err == nil {
				chosen = ck.Value
			}
			if q := r.URL.Query().Get("lang"); r.Method == http.MethodGet && i18n.Supported(q) && q != chosen {
				chosen = q
				c.SetCookie(&http.Cookie{Name: langCookie, Value: q, Path: "/", MaxAge: int((365 * 24 * time.Hour).Seconds()),
					HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
			}
			code := i18n.Negotiate(r.Header.Get("Accept-Language"), chosen)
			c.SetRequest(r.WithContext(i18n.WithLanguage(r.Context(), code)))
			c.Response().Header().Add("Vary", "Accept-Language")
			return next(c)
		}
	}
}

// tr is the message id in the request's language.
func tr(c echo.Context, id string, data ...map[string]any) string {
	return i18n.T(c.Request().Context(), id, data...)
}
