package admin

import (
	"context"

	"accountportal/views/components"
	"accountportal/views/i18n"
	"accountportal/views/viewmodel"
)

// accountLanguageOptions are the account's default language choices: none
// (each user's browser language), then the portal's languages.
func accountLanguageOptions(ctx context.Context, m viewmodel.SecurityPage) []components.Option {
	out := []components.Option{{Value: "", Label: i18n.T(ctx, "admin.security.browser_language")}}
	for _, c := range m.Languages {
		out = append(out, components.Option{Value: c.Value, Label: c.Label, Lang: c.Value})
	}
	return out
}
