package web

import (
	"cmp"
	"net/http"

	"github.com/labstack/echo/v4"

	"accountportal/app/profile"
	"accountportal/views/i18n"
	ppages "accountportal/views/pages/profile"
	"accountportal/views/viewmodel"
)

var profileLanguageFields = formFields{profile.Language: ppages.FieldLanguage, profile.TimeZone: ppages.FieldTimeZone}

type profileLanguageForm struct {
	Language string `form:"language"`
	TimeZone string `form:"time_zone"`
}

func (h profileHandlers) languageForm(c echo.Context) error {
	u := state(c).principal.User
	return h.renderLanguage(c, http.StatusOK, profileLanguageForm{Language: u.Language, TimeZone: u.TimeZone}, nil)
}

func (h profileHandlers) renderLanguage(c echo.Context, status int, f profileLanguageForm, errs map[string]string) error {
	acct := state(c).principal.Account
	m := viewmodel.LanguagePage{Language: f.Language, TimeZone: f.TimeZone, Zones: i18n.Zones,
		DefaultLanguage: defaultLanguageChoice(c, acct.Language), DefaultTimeZone: cmp.Or(acct.TimeZone, "UTC"),
		Errors: viewmodel.NewErrors(localErrors(c, errs), ppages.LanguageFields...)}
	for _, l := range i18n.Languages {
		m.Languages = append(m.Languages, viewmodel.Choice{Value: l.Code, Label: l.Name})
	}
	return render(c, status, ppages.Language(h.page(c, tr(c, "profile.language_page.title")), m))
}

func (h profileHandlers) language(c echo.Context) error {
	var f profileLanguageForm
	err := bindForm(c, &f)
	if err == nil {
		err = h.profile.SetLanguage(c.Request().Context(), state(c).principal.User, f.Language, f.TimeZone, origin(c))
	}
	if errs, ok := profileLanguageFields.errors(err); ok {
		return h.renderLanguage(c, http.StatusUnprocessableEntity, f, errs)
	}
	if err != nil {
		return err
	}
	// Said in the language of the page that shows it: the one just chosen.
	return saved(c, flashID("profile.flash.language_saved"))
}

// defaultLanguageChoice names the language of a user who chose none: the
// account's default, else their browser's.
func defaultLanguageChoice(c echo.Context, account string) string {
	if name := i18n.Name(account); name != "" {
		return tr(c, "profile.language_page.default", map[string]any{"Language": name})
	}
	return tr(c, "profile.language_page.browser")
}
