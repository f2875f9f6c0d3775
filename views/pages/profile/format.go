package profile

import (
	"context"

	"accountportal/views/components"
	"accountportal/views/i18n"
	"accountportal/views/viewmodel"
)

// languageOptions are the language choices, the account's default first.
func languageOptions(m viewmodel.LanguagePage) []components.Option {
	out := []components.Option{{Value: "", Label: m.DefaultLanguage}}
	for _, c := range m.Languages {
		out = append(out, components.Option{Value: c.Value, Label: c.Label, Lang: c.Value})
	}
	return out
}

// zoneOptions are the time zone choices, the account's default first.
func zoneOptions(ctx context.Context, m viewmodel.LanguagePage) []components.Option {
	out := []components.Option{{Value: "", Label: i18n.T(ctx, "profile.language_page.zone_default", map[string]any{"Zone": m.DefaultTimeZone})}}
	for _, z := range m.Zones {
		out = append(out, components.Option{Value: z, Label: z})
	}
	return out
}
