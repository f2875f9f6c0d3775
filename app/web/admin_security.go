package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"accountportal/app/account"
	"accountportal/models"
	"accountportal/views/i18n"
	apages "accountportal/views/pages/admin"
	"accountportal/views/viewmodel"
)

type securityHandlers struct {
	pages
	settings *account.Settings
}

// securityFields shows the security settings' problems on their form.
var securityFields = formFields{account.MFAPolicy: apages.FieldMFAPolicy, account.PasswordPreset: apages.FieldPasswordPreset,
	account.IdleMinutes: apages.FieldIdleMinutes, account.AbsoluteMinutes: apages.FieldAbsoluteMinutes,
	account.Language: apages.FieldAccountLanguage, account.TimeZone: apages.FieldAccountTimeZone}

// securityForm is the body of the security form; its tags are field names
// of views/pages/admin.
type securityForm struct {
	MFAPolicy       string `form:"mfa_policy"`
	Preset          string `form:"password_preset"`
	IntegrationSafe string `form:"integration_safe"`
	RequireQuestion string `form:"require_security_question"`
	IdleMinutes     string `form:"idle_minutes"`
	AbsoluteMinutes string `form:"absolute_minutes"`
	AppPasswords    string `form:"app_passwords"`
	Language        string `form:"language"`
	TimeZone        string `form:"time_zone"`
}

func optionalInt(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

func (h securityHandlers) show(c echo.Context) error {
	a := state(c).principal.Account
	return h.render(c, http.StatusOK, securityForm{MFAPolicy: a.MFAPolicy, Preset: a.PasswordPreset,
		IntegrationSafe: yes(a.IntegrationSafe), RequireQuestion: yes(a.RequireSecurityQuestion),
		IdleMinutes: optionalInt(a.SessionIdleMinutes), AbsoluteMinutes: optionalInt(a.SessionAbsoluteMinutes),
		AppPasswords: onOff(a.AppPasswordsEnabled), Language: a.Language, TimeZone: a.TimeZone}, nil)
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return ""
}

func (h securityHandlers) render(c echo.Context, status int, f securityForm, errs map[string]string) error {
	idle, abs := h.settings.Defaults()
	m := viewmodel.SecurityPage{MFAPolicy: f.MFAPolicy, Preset: f.Preset, IntegrationSafe: f.IntegrationSafe != "",
		RequireQuestion: f.RequireQuestion != "", IdleMinutes: f.IdleMinutes, AbsoluteMinutes: f.AbsoluteMinutes,
		AppPasswords: f.AppPasswords != "off", DefaultIdle: i18n.N(c.Request().Context(), "duration.minutes", idle), DefaultAbsolute: i18n.N(c.Request().Context(), "duration.minutes", abs),
		Errors: viewmodel.NewErrors(localErrors(c, errs), apages.SecurityFields...), MFALabels: settingLabels(c, mfaPolicyIDs),
		PresetLabels: settingLabels(c, passwordPresetIDs),
		Language:     f.Language, TimeZone: f.TimeZone, Zones: i18n.Zones}
	for _, l := range i18n.Languages {
		m.Languages = append(m.Languages, viewmodel.Choice{Value: l.Code, Label: l.Name})
	}
	return render(c, status, apages.Security(h.page(c, tr(c, "admin.security.title")), m))
}

func (h securityHandlers) save(c echo.Context) error {
	var f securityForm
	err := bindForm(c, &f)
	a := state(c).principal.Account
	appPasswords := a.AppPasswordsEnabled
	switch f.AppPasswords {
	case "on":
		appPasswords = true
	case "off":
		appPasswords = false
	default:
		// Not sent (or not a choice): the setting stays as it is.
		f.AppPasswords = onOff(appPasswords)
	}
	if err == nil {
		err = h.settings.Save(c.Request().Context(), state(c).principal, account.SecurityInput{MFAPolicy: f.MFAPolicy,
			Preset: f.Preset, IntegrationSafe: f.IntegrationSafe != "", RequireQuestion: f.RequireQuestion != "",
			IdleMinutes: f.IdleMinutes, AbsoluteMinutes: f.AbsoluteMinutes, AppPasswords: &appPasswords,
			Language: sentValue(c, "language", f.Language), TimeZone: sentValue(c, "time_zone", f.TimeZone)}, origin(c))
	}
	if errs, ok := securityFields.errors(err); ok {
		return h.render(c, http.StatusUnprocessableEntity, f, errs)
	}
	if err != nil {
		return err
	}
	// Kept as ids: the page that shows them may speak another language,
	// the account's new default.
	ids := []string{"admin.security.saved"}
	if a.AppPasswordsEnabled && !appPasswords {
		ids = append(ids, "admin.security.app_passwords_revoked")
	}
	return redirectWithFlash(c, "/admin/security", viewmodel.FlashSuccess, flashID(ids...))
}

// mfaPolicyIDs and passwordPresetIDs are the catalog ids of the names
// of the settings' values (models.MFAPolicyLabel and
// models.PasswordPresetLabel in English).
var (
	mfaPolicyIDs = map[string]string{models.MFAOff: "admin.security.mfa_off", models.MFAOptional: "admin.security.mfa_optional",
		models.MFAAdmins: "admin.security.mfa_admins", models.MFAEveryone: "admin.security.mfa_everyone"}
	passwordPresetIDs = map[string]string{"classic": "admin.security.classic", "nist": "admin.security.nist"}
)

// settingLabels names each of a setting's values in the reader's language.
func settingLabels(c echo.Context, ids map[string]string) map[string]string {
	m := make(map[string]string, len(ids))
	for v, id := range ids {
		m[v] = tr(c, id)
	}
	return m
}

// onOff is the value of an on/off choice.
func onOff(on bool) string {
	if on {
		return "on"
	}
	return "off"
}

// sentValue is the form's value of name, or nil when the form did not
// send the field (the setting then stays as it is).
func sentValue(c echo.Context, name, value string) *string {
	if !c.Request().PostForm.Has(name) {
		return nil
	}
	return &value
}
