package provider

import (
	"context"
	"encoding/csv"
	"errors"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"accountportal/app/admin"
	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/app/textinput"
	"accountportal/models"
	"accountportal/views/i18n"
)

// ActionLicensePublished records a new version of the license agreement in
// the provider's log; it concerns every customer account alike.
const ActionLicensePublished = "provider.license_published"

// What a new version of the agreement may be wrong about.
const (
	LicenseVersionName apperr.Subject = "license version"
	LicenseTitle       apperr.Subject = "license title"
	LicenseText        apperr.Subject = "license text"
	LicenseEffective   apperr.Subject = "license effective date"
)

// LicenseTitleIn and LicenseTextIn are what a translation of the new
// version into lang may be wrong about.
func LicenseTitleIn(lang string) apperr.Subject { return LicenseTitle + apperr.Subject(" "+lang) }

// LicenseTextIn: see LicenseTitleIn.
func LicenseTextIn(lang string) apperr.Subject { return LicenseText + apperr.Subject(" "+lang) }

// LicenseLanguages are the languages a version may be translated into:
// the portal's, but English, the language of the version's own text.
func LicenseLanguages() []i18n.Language {
	var out []i18n.Language
	for _, l := range i18n.Languages {
		if l.Code != i18n.Default {
			out = append(out, l)
		}
	}
	return out
}

// Limits of a published agreement.
const (
	maxLicenseText  = 100_000
	maxLicenseTitle = 200
)

var versionName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$`)

// NewLicense is a version of the agreement an operator publishes.
type NewLicense struct {
	Version  string
	Title    string
	Markdown string
	// Effective is the day it comes into force, "2006-01-02", in UTC;
	// today means at once.
	Effective string
	// Translations are its title and text in the languages of
	// LicenseLanguages that the operator gave, by language; the English
	// text is the one that applies.
	Translations map[string]LicenseTranslation
}

// LicenseTranslation is a new version's title and text in one language.
type LicenseTranslation struct {
	Title, Markdown string
}

// States of a published version.
const (
	LicenseInForce   = "In force"
	LicenseScheduled = "Scheduled"
	LicenseReplaced  = "Replaced"
)

// PublishedLicense is a version with its state now.
type PublishedLicense struct {
	models.LicenseVersion
	State string
}

// Licenses returns every published version, the latest effective first,
// each with its state: the first whose day has come is in force (as
// models.LicenseStore.Current decides), later ones are scheduled, earlier
// ones replaced.
func (s *Service) Licenses(ctx context.Context) ([]PublishedLicense, error) {
	all, err := s.store.Licenses.All(ctx)
	if err != nil {
		return nil, err
	}
	now, inForce := s.now(), false
	out := make([]PublishedLicense, len(all))
	for i, v := range all {
		out[i] = PublishedLicense{LicenseVersion: v, State: LicenseReplaced}
		switch {
		case v.EffectiveAt.After(now):
			out[i].State = LicenseScheduled
		case !inForce:
			out[i].State, inForce = LicenseInForce, true
		}
	}
	return out, nil
}

// License returns the version named version, or apperr.NotFound.
func (s *Service) License(ctx context.Context, version string) (*models.LicenseVersion, error) {
	v, err := s.store.Licenses.ByVersion(ctx, version)
	if errors.Is(err, models.ErrNotFound) {
		return nil, apperr.New(apperr.NotFound, "There is no such version of the agreement.")
	}
	return v, err
}

// LicenseTranslations returns the languages version v was translated
// into, by their English names, in order.
func (s *Service) LicenseTranslations(ctx context.Context, v *models.LicenseVersion) ([]string, error) {
	codes, err := s.store.Licenses.Translations(ctx, v.ID)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, l := range LicenseLanguages() {
		if slices.Contains(codes, l.Code) {
			out = append(out, l.English)
		}
	}
	return out, nil
}

// PublishLicense publishes a new version of the agreement. From its
// effective day every user accepts it at their next sign-in.
func (s *Service) PublishLicense(ctx context.Context, op *identity.Principal, in NewLicense, from audit.Origin) (*models.LicenseVersion, error) {
	now := s.now()
	v, translations, err := in.check(now)
	if err != nil {
		return nil, err
	}
	v.PublishedAt, v.PublishedByName = now, op.User.DisplayName
	err = s.store.InTx(ctx, func(tx *models.Store) error {
		if err := tx.Licenses.Publish(ctx, v); err != nil {
			if errors.Is(err, models.ErrConflict) {
				return apperr.Problems(map[apperr.Subject]string{LicenseVersionName: "A version with this name exists. Choose another name."})
			}
			return err
		}
		translated := []string{}
		for i := range translations {
			translations[i].VersionID = v.ID
			if err := tx.Licenses.AddTranslation(ctx, &translations[i]); err != nil {
				return err
			}
			translated = append(translated, translations[i].Language)
		}
		return audit.Record(ctx, tx, now, audit.Entry{AccountID: op.Account.ID, Actor: audit.PartyOf(op.User),
			Action: ActionLicensePublished, Origin: from,
			Details: map[string]any{"version": v.Version, "title": v.Title, "effective": v.EffectiveAt.Format(time.DateOnly),
				"translations": translated}})
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// checkLicenseTitle says what is wrong with a version's (trimmed) title,
// or "".
func checkLicenseTitle(title string) string {
	switch {
	case textinput.Blank(title):
		return "Enter a title."
	case textinput.CheckName(title) != "":
		return textinput.CheckName(title)
	case identity.LicenseHasHTML(title):
		return "Remove the HTML tags: a title is shown as plain text."
	case utf8.RuneCountInString(title) > maxLicenseTitle:
		return "Use 200 characters or fewer."
	}
	return ""
}

// checkLicenseText says what is wrong with a version's Markdown, or "".
func checkLicenseText(markdown string) string {
	switch {
	case textinput.Blank(markdown):
		return "Enter the text of the agreement."
	case textinput.CheckText(markdown) != "":
		return textinput.CheckText(markdown)
	case identity.LicenseHasHTML(markdown):
		return "Remove the HTML tags: they are not shown. Use Markdown for headings, lists, emphasis and links."
	case len(markdown) > maxLicenseText:
		return "Use 100,000 characters or fewer."
	}
	return ""
}

// check validates the new version and returns it ready to insert, with
// the translations given (in LicenseLanguages' order; one left wholly
// blank is none), ready once the version has its id.
func (in NewLicense) check(now time.Time) (*models.LicenseVersion, []models.LicenseTranslation, error) {
	problems := map[apperr.Subject]string{}
	version, title, effective := strings.TrimSpace(in.Version), strings.TrimSpace(in.Title), strings.TrimSpace(in.Effective)
	switch {
	case version == "":
		problems[LicenseVersionName] = "Enter a version name, such as 2027-01."
	case !versionName.MatchString(version):
		problems[LicenseVersionName] = "Use up to 40 letters, digits, dots, hyphens and underscores, starting with a letter or digit."
	}
	put := func(subject apperr.Subject, msg string) {
		if msg != "" {
			problems[subject] = msg
		}
	}
	put(LicenseTitle, checkLicenseTitle(title))
	put(LicenseText, checkLicenseText(in.Markdown))
	for lang := range in.Translations {
		if !slices.ContainsFunc(LicenseLanguages(), func(l i18n.Language) bool { return l.Code == lang }) {
			return nil, nil, errors.New("provider: a translation into " + lang + ", which the portal does not speak")
		}
	}
	var translations []models.LicenseTranslation
	for _, l := range LicenseLanguages() {
		t := in.Translations[l.Code]
		if textinput.Blank(t.Title) && textinput.Blank(t.Markdown) {
			continue
		}
		t.Title = strings.TrimSpace(t.Title)
		put(LicenseTitleIn(l.Code), checkLicenseTitle(t.Title))
		put(LicenseTextIn(l.Code), checkLicenseText(t.Markdown))
		translations = append(translations, models.LicenseTranslation{Language: l.Code, Title: t.Title,
			BodyMarkdown: strings.ReplaceAll(t.Markdown, "\r\n", "\n")})
	}
	day, err := time.Parse(time.DateOnly, effective)
	today := now.UTC().Truncate(24 * time.Hour)
	switch {
	case effective == "":
		problems[LicenseEffective] = "Enter the day it comes into force."
	case err != nil:
		problems[LicenseEffective] = "Enter a date such as 2027-01-31."
	case day.Before(today):
		problems[LicenseEffective] = "Choose today or a later day: users who accepted the current version cannot have accepted this one before."
	}
	if err := apperr.Problems(problems); err != nil {
		return nil, nil, err
	}
	at := day
	if !day.After(today) {
		at = now
	}
	return &models.LicenseVersion{Version: version, Title: title, BodyMarkdown: strings.ReplaceAll(in.Markdown, "\r\n", "\n"),
		EffectiveAt: at}, translations, nil
}

// NotAccepted returns the users of the customer account with id who have
// not accepted the agreement in force, and that version.
func (s *Service) NotAccepted(ctx context.Context, accountID int64) (*models.Account, *models.LicenseVersion, []models.User, error) {
	a, err := customer(ctx, s.store, accountID)
	if err != nil {
		return nil, nil, nil, err
	}
	current, err := s.store.Licenses.Current(ctx, s.now())
	if err != nil {
		return nil, nil, nil, err
	}
	users, err := s.store.Licenses.NotAccepted(ctx, a.ID, current.Version)
	return a, current, users, err
}

// licenseStanding returns the version in force and how many of the
// account's users who can sign in have not accepted it.
func (s *Service) licenseStanding(ctx context.Context, accountID int64) (string, int64, error) {
	current, err := s.store.Licenses.Current(ctx, s.now())
	if errors.Is(err, models.ErrNotFound) {
		return "", 0, nil
	}
	if err != nil {
		return "", 0, err
	}
	n, err := s.store.Licenses.CountNotAccepted(ctx, accountID, current.Version)
	return current.Version, n, err
}

// WriteNotAccepted writes users, who have not accepted version, to w as
// CSV after a header row, every cell made safe for spreadsheets.
func WriteNotAccepted(w io.Writer, a *models.Account, version string, users []models.User) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"account_number", "name", "username", "email", "status", "last_sign_in", "version_not_accepted"}); err != nil {
		return err
	}
	for _, u := range users {
		last := ""
		if u.LastSignInAt != nil {
			last = u.LastSignInAt.UTC().Format(time.RFC3339)
		}
		row := []string{a.Number, admin.CSVSafe(u.DisplayName), admin.CSVSafe(u.Username), admin.CSVSafe(u.Email), u.Status, last, version}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
