package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"accountportal/app/identity"
	"accountportal/app/profile"
	"accountportal/app/security"
	"accountportal/views/i18n"
	errpages "accountportal/views/pages/errors"
	ppages "accountportal/views/pages/profile"
	"accountportal/views/viewmodel"
)

// profileSessionsPath lists where the user is signed in. Signing a session
// out comes back here (to its top, with a flash) rather than to the
// summary: the list is what the user is working on.
const profileSessionsPath = "/profile/sessions"

func (h profileHandlers) sessions(c echo.Context) error {
	st := state(c)
	list, err := h.profile.Sessions(c.Request().Context(), st.principal.User.ID, security.Digest(st.sess.ID))
	if err != nil {
		return err
	}
	m := viewmodel.ProfileSessionsPage{SessionsTotal: list.Total,
		SessionsNotListed: max(0, list.Total-int64(len(list.Rows))), SessionLimit: identity.MaxSessionsPerUser}
	for _, r := range list.Rows {
		m.Sessions = append(m.Sessions, viewmodel.ProfileSession{Handle: r.Handle, Device: deviceLabel(c, r.Device), IP: r.IP,
			Started: viewmodel.At(r.Started, h.now()), LastActive: viewmodel.At(r.LastActive, h.now()), ThisDevice: r.ThisDevice})
	}
	return render(c, http.StatusOK, ppages.Sessions(h.page(c, tr(c, "profile.sessions_page.title")), m))
}

// sessionForm is the body of a session's sign-out button.
type sessionForm struct {
	Session string `form:"session"`
}

func (h profileHandlers) signOutSession(c echo.Context) error {
	var f sessionForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	err := h.profile.SignOutSession(c.Request().Context(), state(c).principal.User, f.Session, origin(c))
	switch {
	case errors.Is(err, profile.ErrSessionEnded):
		return redirectWithFlash(c, profileSessionsPath, viewmodel.FlashInfo, tr(c, "profile.flash.session_had_ended"))
	case errors.Is(err, profile.ErrNoSuchSession):
		// Unknown or another user's: the same 404 for both, with the way
		// back to the list rather than only home.
		m := statusPage(c.Request().Context(), http.StatusNotFound, viewmodel.Link{Href: profileSessionsPath, Title: tr(c, "profile.sessions_page.go_back")})
		m.Message = tr(c, "profile.sessions_page.gone")
		return render(c, http.StatusNotFound, errpages.Page(h.page(c, m.Heading), m))
	case err != nil:
		return err
	}
	return redirectWithFlash(c, profileSessionsPath, viewmodel.FlashSuccess, tr(c, "profile.flash.session_signed_out"))
}

func (h profileHandlers) signOutOthers(c echo.Context) error {
	st := state(c)
	n, err := h.profile.SignOutOthers(c.Request().Context(), st.principal.User, security.Digest(st.sess.ID), origin(c))
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	return redirectWithFlash(c, profileSessionsPath, viewmodel.FlashSuccess, i18n.N(ctx, "profile.flash.signed_out_others", int(n)))
}
