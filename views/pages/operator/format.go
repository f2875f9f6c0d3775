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
