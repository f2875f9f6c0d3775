package provider

import (
	"testing"
	"time"

	"accountportal/app/apperr"
)

// A new version's translations are optional: one left wholly blank is
// none; one begun needs its title and text, checked as the English ones
// are; each language's problems are reported under its own subjects.
func TestCheckLicenseTranslations(t *testing.T) {
	now := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	base := NewLicense{Version: "2027-01", Title: "Terms", Markdown: "Be kind.", Effective: "2026-12-06"}
	cases := []struct {
		name         string
		translations map[string]LicenseTranslation
		want         map[apperr.Subject]string
	}{
		{"none", nil, nil},
		{"blank", map[string]LicenseTranslation{"es": {"  ", "\n"}}, nil},
		{"whole", map[string]LicenseTranslation{"es": {"Condiciones", "Sea amable."}, "de": {"Bedingungen", "Seien Sie nett."}}, nil},
		{"title only", map[string]LicenseTranslation{"fr": {"Conditions", ""}},
			map[apperr.Subject]string{LicenseTextIn("fr"): "Enter the text"}},
		{"text only", map[string]LicenseTranslation{"de": {"", "Seien Sie nett."}},
			map[apperr.Subject]string{LicenseTitleIn("de"): "Enter a title"}},
		{"HTML", map[string]LicenseTranslation{"es": {"Condiciones", "<b>Sea</b> amable."}},
			map[apperr.Subject]string{LicenseTextIn("es"): "Remove the HTML tags"}},
		{"a bidi override in the title", map[string]LicenseTranslation{"es": {"Condi\u202eciones", "Sea amable."}},
			map[apperr.Subject]string{LicenseTitleIn("es"): ""}},
		{"HTML in the title", map[string]LicenseTranslation{"fr": {"<i>x</i> Titre", "Soyez aimable."}},
			map[apperr.Subject]string{LicenseTitleIn("fr"): "Remove the HTML tags"}},
		{"only invisible characters: none", map[string]LicenseTranslation{"fr": {"\u200B\u200B", "\uFEFF"}}, nil},
		{"a title of invisible characters", map[string]LicenseTranslation{"fr": {"\u200B", "Soyez aimable."}},
			map[apperr.Subject]string{LicenseTitleIn("fr"): "Enter a title"}},
		{"direction marks in the title", map[string]LicenseTranslation{"de": {"\u200F\u200FBedingungen", "Text"}},
			map[apperr.Subject]string{LicenseTitleIn("de"): "invisible formatting"}},
	}
	for _, tc := range cases {
		in := base
		in.Translations = tc.translations
		_, _, err := in.check(now)
		wantProblems(t, tc.name, err, tc.want)
	}
	in := base
	in.Translations = map[string]LicenseTranslation{"de": {" Bedingungen ", "Seien\r\nSie nett."}, "fr": {"\u200B", ""}, "es": {"Condiciones", "Sea amable."}}
	if _, got, err := in.check(now); err != nil || len(got) != 2 || got[0].Language != "es" || got[1].Language != "de" ||
		got[1].Title != "Bedingungen" || got[1].BodyMarkdown != "Seien\nSie nett." {
		t.Errorf("the translations to store: %+v %v", got, err)
	}
	in.Translations = map[string]LicenseTranslation{"en": {"Terms", "Be kind."}}
	if _, _, err := in.check(now); err == nil {
		t.Error("a translation into English, the version's own language, was taken")
	}
}

// The version's own title is checked as a translation's is: HTML in it is
// refused, not published as text.
func TestCheckLicenseTitleRefusesHTML(t *testing.T) {
	in := NewLicense{Version: "2027-01", Title: "<script>alert(1)</script><b>x</b>", Markdown: "Be kind.", Effective: "2026-12-06"}
	_, _, err := in.check(time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC))
	wantProblems(t, "HTML title", err, map[apperr.Subject]string{LicenseTitle: "Remove the HTML tags"})
}
