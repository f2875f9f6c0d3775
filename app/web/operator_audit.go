package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"accountportal/views/pages/operator"
	"accountportal/views/viewmodel"
)

// providerLogPath is the provider's own audit log.
const providerLogPath = "/operator/audit"

// providerLog shows a page of the provider's log; ?before= pages back.
func (h operatorHandlers) providerLog(c echo.Context) error {
	var before int64
	if raw := c.QueryParam("before"); raw != "" {
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || n <= 0 {
			return echo.NewHTTPError(http.StatusBadRequest, "The page asked for does not exist.")
		}
		before = n
	}
	page, err := h.provider.ProviderLog(c.Request().Context(), state(c).principal, before)
	if err != nil {
		return err
	}
	m := viewmodel.ProviderLogPage{Rows: auditRows(page.Events, h.now())}
	if page.Older != 0 {
		m.OlderURL = providerLogPath + "?before=" + strconv.FormatInt(page.Older, 10)
	}
	return render(c, http.StatusOK, operator.ProviderLog(h.page(c, "Provider's log").Widened(), m))
}
