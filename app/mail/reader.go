package mail

import (
	"cmp"
	"context"
	"errors"
	"time"

	"accountportal/models"
	"accountportal/views/i18n"
)

// Reader returns ctx speaking to u: in u's own language (users.language),
// else their account's default, else the language their last sign-in was
// read in, else English; times in u's own time zone,
// else the account's, else UTC. Emails are rendered with it when they are
// queued, so whoever caused the email (an administrator, an operator) does
// not lend the recipient their language or zone.
func Reader(ctx context.Context, tx *models.Store, u *models.User) (context.Context, error) {
	lang, zone, err := settings(ctx, tx, u)
	if err != nil {
		return ctx, err
	}
	seen, _ := known(u.SignInLanguage, "")
	return speaking(ctx, cmp.Or(lang, seen), zone), nil
}

// Visitor is Reader for an email the recipient's own request causes (a
// forgotten password, their own change): with neither their own language
// nor their account's default, it is the request's (i18n.Preferred), which
// is theirs now.
func Visitor(ctx context.Context, tx *models.Store, u *models.User) (context.Context, error) {
	lang, zone, err := settings(ctx, tx, u)
	if err != nil {
		return ctx, err
	}
	return speaking(ctx, cmp.Or(lang, i18n.Preferred(ctx)), zone), nil
}

// Language is the language Reader speaks to u: their own, else their
// account's default, else "" (none chosen).
func Language(ctx context.Context, tx *models.Store, u *models.User) (string, error) {
	lang, _, err := settings(ctx, tx, u)
	return lang, err
}

// InLanguage returns ctx speaking lang (English when it is not one of the
// portal's), writing times in UTC: for an email to an address, not to one
// user.
func InLanguage(ctx context.Context, lang string) context.Context { return speaking(ctx, lang, "") }

// settings are u's language and zone, else the account's ("" for none the
// portal knows).
func settings(ctx context.Context, tx *models.Store, u *models.User) (lang, zone string, err error) {
	lang, zone = known(u.Language, u.TimeZone)
	if lang == "" || zone == "" {
		a, err := tx.Accounts.ByID(ctx, u.AccountID)
		if err != nil && !errors.Is(err, models.ErrNotFound) {
			return "", "", err
		}
		if a != nil {
			al, az := known(a.Language, a.TimeZone)
			lang, zone = cmp.Or(lang, al), cmp.Or(zone, az)
		}
	}
	return lang, zone, nil
}

func known(lang, zone string) (string, string) {
	if !i18n.Supported(lang) {
		lang = ""
	}
	if i18n.ZoneOf(zone) == nil {
		zone = ""
	}
	return lang, zone
}

func speaking(ctx context.Context, lang, zone string) context.Context {
	loc := i18n.ZoneOf(zone)
	if loc == nil {
		loc = time.UTC
	}
	return i18n.WithZone(i18n.WithLanguage(ctx, lang), loc)
}
