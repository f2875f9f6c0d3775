package admin

import (
	"context"

	"accountportal/views/components"
	"accountportal/views/i18n"
	"accountportal/views/viewmodel"
)

// localLanguageOptions are accountLanguageOptions in the reader's
// language: the first, none chosen, names each user's browser language.
func localLanguageOptions(ctx context.Context, m viewmodel.SecurityPage) []components.Option {
	out := accountLanguageOptions(m)
	out[0].Label = i18n.T(ctx, "admin.security.browser_language")
	return out
}
