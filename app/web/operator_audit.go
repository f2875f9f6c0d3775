package web

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"

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
	m := viewmodel.ProviderLogPage{}
	for _, e := range page.Events {
		m.Rows = append(m.Rows, viewmodel.ProviderLogRow{When: stamp(e.At), Actor: orDash(e.ActorName), Action: e.Action,
			Target: orDash(e.TargetName), Details: detailsLine(e.Details)})
	}
	if page.Older != 0 {
		m.OlderURL = providerLogPath + "?before=" + strconv.FormatInt(page.Older, 10)
	}
	return render(c, http.StatusOK, operator.ProviderLog(h.page(c, "Provider's log"), m))
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// detailsLine shows an entry's details as "key: value" pairs in key order.
func detailsLine(raw string) string {
	var details map[string]any
	if err := json.Unmarshal([]byte(raw), &details); err != nil || len(details) == 0 {
		return ""
	}
	keys := make([]string, 0, len(details))
	for k := range details {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		b, _ := json.Marshal(details[k])
		parts[i] = strings.ReplaceAll(k, "_", " ") + ": " + strings.Trim(string(b), `"`)
	}
	return strings.Join(parts, "; ")
}
