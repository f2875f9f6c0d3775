package web

import (
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"accountportal/app/support"
	"accountportal/views/i18n"
)

// outcomeLabel is a support desk check's outcome in the request's
// language, as My Profile lists the checks.
func outcomeLabel(c echo.Context, o support.Outcome) string {
	switch o {
	case support.Verified:
		return tr(c, "profile.outcomes.verified")
	case support.Mismatch:
		return tr(c, "profile.outcomes.mismatch")
	case support.NoPassphrase:
		return tr(c, "profile.outcomes.no_passphrase")
	case support.NoPrivilege:
		return tr(c, "profile.outcomes.no_privilege")
	case support.Suspended:
		return tr(c, "profile.outcomes.suspended")
	case support.Locked:
		return tr(c, "profile.outcomes.locked")
	}
	return support.OutcomeLabel(o.Action())
}

// codeClock is when a support code stops working, in the reader's time
// zone: English as before ("15:04 UTC on 2 Jan 2006"); other languages
// give the time and its zone alone, without English month names (the
// code lasts minutes).
func codeClock(c echo.Context, t time.Time) string {
	ctx := c.Request().Context()
	if i18n.Lang(ctx) == i18n.Default {
		return clock(t)
	}
	return t.In(i18n.Zone(ctx)).Format("15:04 MST")
}

// deviceLabel is profile.Device's description of a browser in the
// request's language: the browser's and system's names stay as they are.
func deviceLabel(c echo.Context, desc string) string {
	if desc == "Unknown device" {
		return tr(c, "profile.device.unknown")
	}
	if browser, system, ok := strings.Cut(desc, " on "); ok {
		return tr(c, "profile.device.on", map[string]any{"Browser": browser, "System": system})
	}
	return desc
}
