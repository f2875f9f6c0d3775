package web

import (
	"bytes"
	"errors"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"
)

// errBodyIncomplete answers a request whose body did not arrive in full
// before the server's read timeout, or was cut short.
var errBodyIncomplete = echo.NewHTTPError(http.StatusRequestTimeout, "request body incomplete")

// readBody reads a request's whole body (bounded by bodyLimit) before the
// request may take one of the few working slots: a client that sends its
// body slowly, or never, then waits on its own connection (until the
// server's read timeout answers it 408) instead of holding a slot that
// every other request needs.
func readBody() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			if r.Body == nil || r.Body == http.NoBody {
				return next(c)
			}
			body, err := io.ReadAll(r.Body)
			var he *echo.HTTPError
			switch {
			case errors.As(err, &he):
				return he // the body is larger than bodyLimit allows: 413
			case err != nil:
				return errBodyIncomplete
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
			return next(c)
		}
	}
}
