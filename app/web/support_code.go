package web

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"accountportal/app/support"
	"accountportal/views/i18n"
	ppages "accountportal/views/pages/profile"
	"accountportal/views/viewmodel"
)

type supportCodeHandlers struct {
	pages
	desk *support.Service
}

// render shows the support code page with m.
func (h supportCodeHandlers) render(c echo.Context, m viewmodel.SupportCodePage) error {
	m.ValidFor = i18n.Duration(c.Request().Context(), h.desk.CodeTTL())
	return render(c, http.StatusOK, ppages.SupportCode(h.page(c, tr(c, "profile.code.title")), m))
}

// show explains the code and offers to make one; only admins may.
func (h supportCodeHandlers) show(c echo.Context) error {
	if !support.MayIssueCode(state(c).principal) {
		return support.ErrCodeNotAdmin
	}
	return h.render(c, viewmodel.SupportCodePage{})
}

// create makes a code and shows it, once.
func (h supportCodeHandlers) create(c echo.Context) error {
	st := state(c)
	code, err := h.desk.IssueCode(c.Request().Context(), st.principal, passwordAt(st), origin(c))
	if err != nil {
		return err
	}
	return h.render(c, viewmodel.SupportCodePage{Code: code.Value, ExpiresAt: codeClock(c, code.ExpiresAt)})
}

// supportHistory is the user's recent verifications by the support desk.
func supportHistory(c echo.Context, checks []support.Check, now time.Time) []viewmodel.SupportEvent {
	out := make([]viewmodel.SupportEvent, 0, len(checks))
	for _, ch := range checks {
		area := "—"
		if ch.Area != "" {
			area = permissionLabel(c, ch.Area)
		}
		out = append(out, viewmodel.SupportEvent{When: viewmodel.At(ch.At, now), Agent: ch.Agent, Area: area,
			Outcome: outcomeLabel(c, ch.Outcome)})
	}
	return out
}
