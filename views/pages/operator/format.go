package operator

import (
	"strconv"

	"accountportal/views/components"
	"accountportal/views/viewmodel"
)

func itoa(n int) string { return strconv.Itoa(n) }

// languageOptions are the company's language choices: none (each person's
// browser's), then the portal's languages, each named in itself.
func languageOptions(m viewmodel.OnboardPage) []components.Option {
	out := []components.Option{{Value: "", Label: "None: each person's browser language"}}
	for _, c := range m.Languages {
		out = append(out, components.Option{Value: c.Value, Label: c.Label, Lang: c.Value})
	}
	return out
}

// translationsGiven says a translation on the publishing form has a value
// or a problem, so its section shows open.
func translationsGiven(m viewmodel.LicenseFormPage) bool {
	for _, t := range m.Translations {
		if t.Title != "" || t.Text != "" || m.Errors.For(LicenseTitleIn(t.Language)) != "" || m.Errors.For(LicenseTextIn(t.Language)) != "" {
			return true
		}
	}
	return false
}

// translatedLanguages says "that language" or "those languages", by how
// many translations a version has.
func translatedLanguages(names []string) string {
	if len(names) == 1 {
		return "that language"
	}
	return "those languages"
}
