package profile

import (
	"context"
	"time"

	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/models"
	"accountportal/views/emails"
	"accountportal/views/i18n"
)

// The subjects of the language form's problems.
const (
	Language apperr.Subject = "profile.language"
	TimeZone apperr.Subject = "profile.time_zone"
)

// LanguageSubjects are SetLanguage's.
var LanguageSubjects = []apperr.Subject{Language, TimeZone}

// ActionLanguageChanged is the audit action of a changed language or time
// zone.
const ActionLanguageChanged = "profile.language_changed"

// SetLanguage saves the user's own language and time zone; "" for either
// means the account's default. Only the portal's languages and the listed
// zones are taken.
func (s *Service) SetLanguage(ctx context.Context, u *models.User, lang, zone string, from audit.Origin) error {
	problems := map[apperr.Subject]string{}
	if lang != "" && !i18n.Supported(lang) {
		problems[Language] = "Choose a language from the list"
	}
	if zone != "" && i18n.ZoneOf(zone) == nil {
		problems[TimeZone] = "Choose a time zone from the list"
	}
	if len(problems) > 0 {
		return apperr.Problems(problems)
	}
	if lang == u.Language && zone == u.TimeZone {
		return nil
	}
	details := map[string]any{"before": map[string]string{"language": u.Language, "time_zone": u.TimeZone},
		"after": map[string]string{"language": lang, "time_zone": zone}}
	return s.change(ctx, u, ActionLanguageChanged, emails.Text{}, emails.Text{}, from, details,
		func(tx *models.Store, now time.Time) error { return tx.Users.SetLanguage(ctx, u.ID, lang, zone, now) })
}
