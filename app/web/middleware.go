package web

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"accountportal/app/apperr"
	"accountportal/models"
)

// maxBodyBytes bounds request bodies; the portal's forms are small.
const maxBodyBytes = "64K"

func newRequestID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// requestID gives every request an ID, echoed in the X-Request-ID header,
// logs and 500 pages. An ID sent by the client is ignored: it is not ours
// to trust.
func requestID() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			c.Response().Header().Set(echo.HeaderXRequestID, newRequestID())
			return next(c)
		}
	}
}

func reqID(c echo.Context) string { return c.Response().Header().Get(echo.HeaderXRequestID) }

// accessLog writes one line per request. It logs the route pattern rather
// than the path, so tokens in paths never reach the log.
func (s *Server) accessLog() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			ctx, statements := models.CountStatements(c.Request().Context())
			c.SetRequest(c.Request().WithContext(ctx))
			err := next(c)
			if err != nil {
				c.Error(err)
			}
			route := c.Path()
			if route == "" {
				route = "(unmatched)"
			}
			took := time.Since(start)
			s.deps.Metrics.Request(route, c.Request().Method, c.Response().Status, took)
			s.log.LogAttrs(c.Request().Context(), slog.LevelInfo, "request",
				slog.String("method", c.Request().Method),
				slog.String("route", route),
				slog.Int("status", c.Response().Status),
				slog.Int64("bytes", c.Response().Size),
				slog.Duration("duration", took),
				slog.Int("db_statements", statements()),
				slog.String("ip", c.RealIP()),
				slog.String("request_id", reqID(c)))
			return nil
		}
	}
}

// recoverPanics turns a panic into a 500 with the stack in the log.
func (s *Server) recoverPanics() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) (err error) {
			defer func() {
				if r := recover(); r != nil {
					if r == http.ErrAbortHandler {
						panic(r)
					}
					buf := make([]byte, 8<<10)
					buf = buf[:runtime.Stack(buf, false)]
					s.log.ErrorContext(c.Request().Context(), "panic", "request_id", reqID(c),
						"panic", fmt.Sprint(r), "stack", string(buf))
					err = fmt.Errorf("panic: %v", r)
				}
			}()
			return next(c)
		}
	}
}

// contentSecurityPolicy allows only the portal's own scripts, styles and
// images, and no framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// securityHeaders sets the headers every response carries. Pages hold
// personal data, so nothing but static files may be cached.
func (s *Server) securityHeaders() echo.MiddlewareFunc {
	hsts := s.deps.Config.Production() || s.deps.Config.PublicURL.Scheme == "https"
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Response().Header()
			h.Set("Content-Security-Policy", contentSecurityPolicy)
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("X-Frame-Options", "DENY")
			h.Set("Referrer-Policy", "same-origin")
			h.Set("Cross-Origin-Opener-Policy", "same-origin")
			h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
			h.Set("Cache-Control", "no-store")
			if hsts {
				h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
			}
			return next(c)
		}
	}
}

func bodyLimit() echo.MiddlewareFunc { return middleware.BodyLimit(maxBodyBytes) }

// errCrossOrigin is returned for a state-changing request from another site.
var errCrossOrigin = echo.NewHTTPError(http.StatusForbidden, "cross-origin request refused")

// crossOrigin refuses unsafe requests that browsers mark as coming from
// another origin (Sec-Fetch-Site, or Origin against Host). The public URL's
// origin is trusted even when a proxy rewrote Host.
func (s *Server) crossOrigin() echo.MiddlewareFunc {
	cop := http.NewCrossOriginProtection()
	u := s.deps.Config.PublicURL
	if err := cop.AddTrustedOrigin(u.Scheme + "://" + u.Host); err != nil {
		s.log.Warn("public URL is not a valid origin", "err", err)
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if err := cop.Check(c.Request()); err != nil {
				return errCrossOrigin
			}
			return next(c)
		}
	}
}

// isUnsafe reports whether the method may change state.
func isUnsafe(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}

// noReferrer keeps reset pages out of Referer headers and caches: their
// addresses and forms concern a secret link.
func noReferrer() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			c.Response().Header().Set("Referrer-Policy", "no-referrer")
			c.Response().Header().Set("Cache-Control", "no-store")
			return next(c)
		}
	}
}

// errOverloaded answers requests beyond what the portal can work on at once.
var errOverloaded = apperr.New(apperr.Unavailable, "The service is busy. Try again in a few seconds.")

// shedLoad lets at most limit requests work at once; others wait up to
// wait for a turn, then get 503 with Retry-After. Under overload the
// portal answers some requests quickly and the rest with a quick refusal,
// instead of all of them slowly while memory grows with the queue.
func shedLoad(limit int, wait time.Duration) echo.MiddlewareFunc {
	slots := make(chan struct{}, limit)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			select {
			case slots <- struct{}{}:
			default:
				timer := time.NewTimer(wait)
				defer timer.Stop()
				select {
				case slots <- struct{}{}:
				case <-timer.C:
					return errOverloaded
				case <-c.Request().Context().Done():
					return c.Request().Context().Err()
				}
			}
			defer func() { <-slots }()
			return next(c)
		}
	}
}
