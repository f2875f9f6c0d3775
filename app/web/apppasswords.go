package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"accountportal/app/identity"
	"accountportal/app/profile"
	ppages "accountportal/views/pages/profile"
	"accountportal/views/viewmodel"
)

// App passwords: My Profile's page that makes and revokes them, and the
// integration sign-in that accepts them (apppasswords_api.go). See
// docs/app-passwords.md.

const appPasswordsPath = "/profile/app-passwords"

// appPasswordRoutes registers the app password pages for customers' users
// and the integration sign-in. routes calls it with the customers' group.
func (s *Server) appPasswordRoutes(customer routeSet) {
	h := appPasswordHandlers{pages: s.pages, profile: s.deps.Profile}
	customer.GET(appPasswordsPath, h.list)
	customer.POST(appPasswordsPath, h.create)
	customer.POST(appPasswordsPath+"/revoke", h.revoke)

	// Integrations, with HTTP Basic (username and app password) and no
	// session, cookie or CSRF token.
	api := integrationHandlers{signIn: s.deps.SignIn, log: s.log, now: s.pages.now}
	mw := []echo.MiddlewareFunc{api.problems, shedLoad(s.deps.Config.MaxInFlight, s.deps.Config.QueueWait), s.crossOrigin(),
		api.authenticate}
	s.echo.GET(integrationMePath, api.me, mw...)
	s.echo.POST(integrationCRMPath, api.crmSignIn, mw...)
}

type appPasswordHandlers struct {
	pages
	profile *profile.Service
}

// appPasswordFields shows the service's problems on the form.
var appPasswordFields = formFields{profile.AppPasswordName: ppages.FieldAppPasswordName}

// appPasswordForm is the body of the create form; revokeAppPasswordForm of
// a Revoke button. Their tags are field names of views/pages/profile.
type appPasswordForm struct {
	Name string `form:"name"`
}

type revokeAppPasswordForm struct {
	ID string `form:"app_password"`
}

// view is the page's model for the signed-in user, with the list.
func (h appPasswordHandlers) view(c echo.Context) (viewmodel.AppPasswordsPage, error) {
	st := state(c)
	rows, err := h.profile.AppPasswords(c.Request().Context(), st.principal.User)
	if err != nil {
		return viewmodel.AppPasswordsPage{}, err
	}
	now := h.now()
	m := viewmodel.AppPasswordsPage{Enabled: st.principal.Account.AppPasswordsEnabled,
		Recent: identity.Recent(passwordAt(st), now), Max: profile.MaxAppPasswords}
	for _, r := range rows {
		m.Passwords = append(m.Passwords, viewmodel.AppPasswordRow{ID: strconv.FormatInt(r.ID, 10), Name: r.Name,
			Created: viewmodel.At(r.CreatedAt, now), LastUsed: viewmodel.AtPtr(r.LastUsedAt, now), LastUsedIP: r.LastUsedIP})
	}
	return m, nil
}

func (h appPasswordHandlers) list(c echo.Context) error {
	m, err := h.view(c)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, ppages.AppPasswords(h.page(c, tr(c, "profile.app.title")), m))
}

// create makes an app password and shows it on the answer, once: the
// answer is not a redirect, so reloading it cannot show the secret again
// (the browser asks to resend the form, which makes another), and every
// page is sent with Cache-Control: no-store.
func (h appPasswordHandlers) create(c echo.Context) error {
	var f appPasswordForm
	st := state(c)
	err := bindForm(c, &f)
	var made *profile.NewAppPassword
	if err == nil {
		made, err = h.profile.CreateAppPassword(c.Request().Context(), st.principal.User, f.Name, passwordAt(st), origin(c))
	}
	errs, invalid := appPasswordFields.errors(err)
	if err != nil && !invalid {
		return err
	}
	m, lerr := h.view(c)
	if lerr != nil {
		return lerr
	}
	status := http.StatusOK
	if invalid {
		m.Name, m.Errors, status = f.Name, viewmodel.NewErrors(localErrors(c, errs), ppages.AppPasswordFields...), http.StatusUnprocessableEntity
	} else {
		m.Created = &viewmodel.CreatedAppPassword{Name: made.Name, Secret: made.Secret, Username: st.principal.User.Username}
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return render(c, status, ppages.AppPasswords(h.page(c, tr(c, "profile.app.title")), m))
}

func (h appPasswordHandlers) revoke(c echo.Context) error {
	var f revokeAppPasswordForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	id, perr := strconv.ParseInt(f.ID, 10, 64)
	var name string
	var err error = profile.ErrNoAppPassword
	if perr == nil {
		name, err = h.profile.RevokeAppPassword(c.Request().Context(), state(c).principal.User, id, origin(c))
	}
	switch {
	case errors.Is(err, profile.ErrNoAppPassword):
		return redirectWithFlash(c, appPasswordsPath, viewmodel.FlashInfo, tr(c, "profile.app.gone"))
	case err != nil:
		return err
	}
	return redirectWithFlash(c, appPasswordsPath, viewmodel.FlashSuccess,
		tr(c, "profile.app.revoked", map[string]any{"Name": name}))
}
