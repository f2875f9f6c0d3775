package web

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

type healthHandlers struct {
	db Pinger
}

// live answers as long as the process serves requests.
func (h healthHandlers) live(c echo.Context) error {
	return c.String(http.StatusOK, "ok\n")
}

// ready answers 200 only while the database answers too.
func (h healthHandlers) ready(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	if err := h.db.Ping(ctx); err != nil {
		return c.String(http.StatusServiceUnavailable, "database unavailable\n")
	}
	return c.String(http.StatusOK, "ready\n")
}
