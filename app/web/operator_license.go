package web

import (
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/labstack/echo/v4"

	"accountportal/app/identity"
	"accountportal/app/provider"
	"accountportal/models"
	"accountportal/views/pages/operator"
	ppages "accountportal/views/pages/profile"
	"accountportal/views/viewmodel"
)

// licenseFields shows the publishing service's problems on its form.
var licenseFields = func() formFields {
	f := formFields{provider.LicenseVersionName: operator.FieldLicenseVersion,
		provider.LicenseTitle: operator.FieldLicenseTitle, provider.LicenseText: operator.FieldLicenseText,
		provider.LicenseEffective: operator.FieldLicenseEffective}
	for _, l := range provider.LicenseLanguages() {
		f[provider.LicenseTitleIn(l.Code)] = operator.LicenseTitleIn(l.Code)
		f[provider.LicenseTextIn(l.Code)] = operator.LicenseTextIn(l.Code)
	}
	return f
}()

// licenseFieldOrder is the publishing form's fields top to bottom;
// licenseTextAreas, those of several lines.
var licenseFieldOrder, licenseTextAreas = func() ([]string, []string) {
	order, areas := slices.Clone(operator.LicenseFields), []string{operator.FieldLicenseText}
	for _, l := range provider.LicenseLanguages() {
		order = append(order, operator.LicenseTitleIn(l.Code), operator.LicenseTextIn(l.Code))
		areas = append(areas, operator.LicenseTextIn(l.Code))
	}
	return order, areas
}()

// licenseForm is the body of the publishing form.
type licenseForm struct {
	Version   string `form:"version"`
	Title     string `form:"title"`
	Text      string `form:"text"`
	Effective string `form:"effective"`
	// Translations are the title and text in each of
	// provider.LicenseLanguages, read from their own fields.
	Translations map[string]provider.LicenseTranslation `form:"-"`
}

// readTranslations reads the translations' fields of a bound form.
func (f *licenseForm) readTranslations(c echo.Context) {
	f.Translations = map[string]provider.LicenseTranslation{}
	for _, l := range provider.LicenseLanguages() {
		f.Translations[l.Code] = provider.LicenseTranslation{Title: c.Request().PostForm.Get(operator.LicenseTitleIn(l.Code)),
			Markdown: c.Request().PostForm.Get(operator.LicenseTextIn(l.Code))}
	}
}

// licenses lists the published versions of the agreement.
func (h operatorHandlers) licenses(c echo.Context) error {
	all, err := h.provider.Licenses(c.Request().Context())
	if err != nil {
		return err
	}
	m := viewmodel.LicenseVersionsPage{}
	for _, v := range all {
		m.Versions = append(m.Versions, viewmodel.LicenseVersionRow{Version: v.Version, Title: v.Title,
			Effective: v.EffectiveAt.Format("2 Jan 2006"), Published: viewmodel.At(v.PublishedAt, h.now()), PublishedBy: v.PublishedByName, State: v.State})
	}
	return render(c, http.StatusOK, operator.LicenseVersions(h.page(c, "License agreement").Widened(), m))
}

// licenseNew shows the publishing form, in force from today.
func (h operatorHandlers) licenseNew(c echo.Context) error {
	return h.licenseFormPage(c, http.StatusOK, licenseForm{Effective: h.now().Format(time.DateOnly)}, nil)
}

func (h operatorHandlers) licenseFormPage(c echo.Context, status int, f licenseForm, errs map[string]string) error {
	m := viewmodel.LicenseFormPage{Version: f.Version, Title: f.Title, Text: f.Text, Effective: f.Effective,
		Errors: viewmodel.NewErrors(errs, licenseFieldOrder...)}
	for _, l := range provider.LicenseLanguages() {
		t := f.Translations[l.Code]
		m.Translations = append(m.Translations, viewmodel.LicenseTranslationFields{Language: l.Code,
			Name: l.English, Title: t.Title, Text: t.Markdown})
	}
	return render(c, status, operator.LicenseForm(h.page(c, "Publish a new version of the agreement"), m))
}

// licensePublish publishes a new version.
func (h operatorHandlers) licensePublish(c echo.Context) error {
	var f licenseForm
	var v *models.LicenseVersion
	err := bindForm(c, &f, licenseTextAreas...)
	f.readTranslations(c)
	if err == nil {
		v, err = h.provider.PublishLicense(c.Request().Context(), state(c).principal,
			provider.NewLicense{Version: f.Version, Title: f.Title, Markdown: f.Text, Effective: f.Effective,
				Translations: f.Translations}, origin(c))
	}
	if errs, ok := licenseFields.errors(err); ok {
		return h.licenseFormPage(c, http.StatusUnprocessableEntity, f, errs)
	}
	if err != nil {
		return err
	}
	return redirectWithFlash(c, "/operator/license", viewmodel.FlashSuccess,
		"Version "+v.Version+" published. Users accept it at their first sign-in from "+v.EffectiveAt.Format("2 January 2006")+".")
}

// licenseVersion shows one version's text.
func (h operatorHandlers) licenseVersion(c echo.Context) error {
	v, err := h.provider.License(c.Request().Context(), c.Param("version"))
	if err != nil {
		return err
	}
	a, err := agreementView(v)
	if err != nil {
		return err
	}
	langs, err := h.provider.LicenseTranslations(c.Request().Context(), v)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, operator.LicenseVersion(h.page(c, "Agreement version "+v.Version),
		viewmodel.LicenseVersionPage{Agreement: a, Translations: langs}))
}

// notAccepted lists who in a customer account has not accepted the
// agreement in force.
func (h operatorHandlers) notAccepted(c echo.Context) error {
	a, v, users, err := h.notAcceptedOf(c)
	if err != nil {
		return err
	}
	m := viewmodel.NotAcceptedPage{AccountID: itoa(a.ID), AccountName: a.Name, AccountNumber: a.Number, Version: v.Version}
	for _, u := range users {
		m.Users = append(m.Users, viewmodel.NotAcceptedRow{Name: u.DisplayName, Username: u.Username, Status: u.Status,
			LastSignIn: viewmodel.AtPtr(u.LastSignInAt, h.now())})
	}
	return render(c, http.StatusOK, operator.NotAccepted(h.page(c, "Who has not accepted the agreement").Widened(), m))
}

// notAcceptedCSV is the same list as CSV.
func (h operatorHandlers) notAcceptedCSV(c echo.Context) error {
	a, v, users, err := h.notAcceptedOf(c)
	if err != nil {
		return err
	}
	r := c.Response()
	r.Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	r.Header().Set(echo.HeaderContentDisposition, `attachment; filename="agreement-not-accepted-`+a.Number+`.csv"`)
	r.WriteHeader(http.StatusOK)
	return provider.WriteNotAccepted(r, a, v.Version, users)
}

func (h operatorHandlers) notAcceptedOf(c echo.Context) (*models.Account, *models.LicenseVersion, []models.User, error) {
	id, err := accountParam(c)
	if err != nil {
		return nil, nil, nil, err
	}
	return h.provider.NotAccepted(c.Request().Context(), id)
}

// agreementHandlers show a customer's user the agreement they accepted.
type agreementHandlers struct {
	pages
	signIn *identity.SignIn
}

// show renders the latest version the user accepted, as it was, and when
// they accepted each.
func (h agreementHandlers) show(c echo.Context) error {
	ctx := c.Request().Context()
	accepted, err := h.signIn.AcceptedLicenses(ctx, state(c).principal.User.ID)
	if err != nil {
		return err
	}
	m := viewmodel.AcceptedAgreementsPage{}
	for _, a := range accepted {
		m.Accepted = append(m.Accepted, viewmodel.AcceptedRow{Version: a.Version, Accepted: viewmodel.At(a.AcceptedAt, h.now())})
	}
	if len(accepted) > 0 {
		v, err := h.signIn.License(ctx, accepted[0].Version)
		if err != nil && !errors.Is(err, models.ErrNotFound) {
			return err
		}
		if v != nil {
			latest, err := readersAgreement(c, h.signIn, v)
			if err != nil {
				return err
			}
			m.Latest = &latest
		}
	}
	return render(c, http.StatusOK, ppages.Agreements(h.page(c, tr(c, "profile.agreement.title")), m))
}
