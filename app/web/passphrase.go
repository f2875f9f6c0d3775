package web

import (
	"errors"
	"net/http"
	"path"
	"strings"

	"github.com/labstack/echo/v4"

	"accountportal/app/identity"
	"accountportal/app/profile"
	ppages "accountportal/views/pages/profile"
	"accountportal/views/viewmodel"
)

const passphrasePath = "/profile/passphrase"

// showPassphrase reveals the passphrase (audited) beside the form to change
// it; without a recent password it asks for one first.
func (h profileHandlers) showPassphrase(c echo.Context) error {
	st := state(c)
	value, err := h.profile.Passphrase(c.Request().Context(), st.principal.User, passwordAt(st), origin(c))
	switch {
	case errors.Is(err, profile.ErrNoPassphrase):
		value = ""
	case err != nil:
		return err
	}
	return render(c, http.StatusOK, ppages.Passphrase(h.page(c, tr(c, "profile.passphrase_page.title")),
		viewmodel.PassphrasePage{Passphrase: value, HasPassphrase: value != ""}))
}

// passphraseFields shows a rejected passphrase on the passphrase form.
var passphraseFields = formFields{profile.Passphrase: ppages.FieldPassphrase}

// passphraseForm is the body of the passphrase form; its tag is a field
// name of views/pages/profile.
type passphraseForm struct {
	Passphrase string `form:"passphrase"`
}

// savePassphrase sets a new passphrase.
func (h profileHandlers) savePassphrase(c echo.Context) error {
	var f passphraseForm
	st := state(c)
	err := bindForm(c, &f)
	if err == nil {
		err = h.profile.SetPassphrase(c.Request().Context(), st.principal.User, f.Passphrase, passwordAt(st), origin(c))
	}
	if errs, ok := passphraseFields.errors(err); ok {
		return render(c, http.StatusUnprocessableEntity, ppages.Passphrase(h.page(c, tr(c, "profile.passphrase_page.title")),
			viewmodel.PassphrasePage{HasPassphrase: st.principal.HasPassphrase,
				Errors: viewmodel.NewErrors(localErrors(c, errs), ppages.PassphraseFields...)}))
	}
	if err != nil {
		return err
	}
	return saved(c, tr(c, "profile.flash.passphrase_saved"))
}

type confirmHandlers struct {
	pages
	signIn *identity.SignIn
}

// confirmForm is the body of "confirm it's you"; its tags are field names
// of views/pages/profile.
type confirmForm struct {
	Password string `form:"password"`
	Next     string `form:"next"`
}

// safeNext keeps "confirm it's you" from sending anyone off the site, or
// back to itself: anything else goes home.
func safeNext(next string) string {
	if strings.HasPrefix(next, "/confirm") {
		return homePath
	}
	return localRedirect(next)
}

// cancelFrom is where "confirm it's you" cancels to: the page above next
// (/profile for /profile/password), or My Profile when that would be the
// home page. next is safeNext's answer, so the result stays on the site.
func cancelFrom(next string) string {
	p, _, _ := strings.Cut(next, "?")
	parent := localRedirect(path.Dir(p))
	if parent == homePath {
		return profilePath
	}
	return parent
}

// itsYouPage is "confirm it's you" on the way to next (safeNext's answer).
func itsYouPage(next string, errs viewmodel.Errors) viewmodel.ConfirmPage {
	return viewmodel.ConfirmPage{Next: next, Cancel: cancelFrom(next), Errors: errs}
}

func (h confirmHandlers) show(c echo.Context) error {
	return render(c, http.StatusOK, ppages.Confirm(h.page(c, tr(c, "profile.confirm.title")),
		itsYouPage(safeNext(c.QueryParam("next")), viewmodel.Errors{})))
}

// submit checks the password and notes the time, so the next few minutes
// may show or change secrets.
func (h confirmHandlers) submit(c echo.Context) error {
	var f confirmForm
	st := state(c)
	if err := bindForm(c, &f); err != nil {
		errs, ok := fieldErrors(err)
		if !ok {
			return err
		}
		m := itsYouPage(safeNext(f.Next), viewmodel.NewErrors(localErrors(c, errs), ppages.ConfirmFields...))
		return render(c, http.StatusUnprocessableEntity, ppages.Confirm(h.page(c, tr(c, "profile.confirm.title")), m))
	}
	next := safeNext(f.Next)
	// An empty field is a missing answer, not a wrong one: it costs none of
	// the user's attempts.
	if f.Password == "" {
		return h.refuse(c, next, "Enter your password")
	}
	err := h.signIn.CheckPassword(c.Request().Context(), st.principal.User, f.Password)
	if errors.Is(err, identity.ErrWrongPassword) {
		return h.refuse(c, next, identity.ErrWrongPassword.Message)
	}
	if err != nil {
		return err
	}
	st.setPasswordAt(h.now())
	return c.Redirect(http.StatusSeeOther, next)
}

// refuse shows the confirmation page again with msg on its password field.
func (h confirmHandlers) refuse(c echo.Context, next, msg string) error {
	m := itsYouPage(next, viewmodel.FormError(ppages.FieldPassword, localProblem(c, msg)))
	return render(c, http.StatusUnprocessableEntity, ppages.Confirm(h.page(c, tr(c, "profile.confirm.title")), m))
}
