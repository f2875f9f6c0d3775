package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// LicenseVersion is one published version of the license agreement, kept
// with its text for as long as anyone's acceptance names it.
type LicenseVersion struct {
	ID              int64
	Version         string
	Title           string
	BodyMarkdown    string
	EffectiveAt     time.Time
	PublishedAt     time.Time
	PublishedByName string
}

// Publish inserts v. It returns ErrConflict when the version name is taken.
func (s LicenseStore) Publish(ctx context.Context, v *LicenseVersion) error {
	return translate(s.q(ctx).Create(v).Error)
}

// Current returns the version in force at now: the latest whose effective
// date has come. ErrNotFound when none has.
func (s LicenseStore) Current(ctx context.Context, now time.Time) (*LicenseVersion, error) {
	var v LicenseVersion
	err := s.q(ctx).Where("effective_at <= ?", now).Order("effective_at DESC, id DESC").First(&v).Error
	if err != nil {
		return nil, translate(err)
	}
	return &v, nil
}

// ByVersion returns the version named version, or ErrNotFound.
func (s LicenseStore) ByVersion(ctx context.Context, version string) (*LicenseVersion, error) {
	var v LicenseVersion
	if err := s.q(ctx).Where("version = ?", version).First(&v).Error; err != nil {
		return nil, translate(err)
	}
	return &v, nil
}

// All returns every version, the latest effective first.
func (s LicenseStore) All(ctx context.Context) ([]LicenseVersion, error) {
	var out []LicenseVersion
	err := s.q(ctx).Order("effective_at DESC, id DESC").Find(&out).Error
	return out, translate(err)
}

// AcceptedBy returns the versions the user accepted, the latest first,
// with when.
func (s LicenseStore) AcceptedBy(ctx context.Context, userID int64) ([]LicenseAcceptance, error) {
	var out []LicenseAcceptance
	err := s.q(ctx).Where("user_id = ?", userID).Order("accepted_at DESC, id DESC").Find(&out).Error
	return out, translate(err)
}

// NotAccepted returns the users of the account, other than those
// suspended, who have not accepted version, by name.
func (s LicenseStore) NotAccepted(ctx context.Context, accountID int64, version string) ([]User, error) {
	var out []User
	err := s.notAccepted(ctx, accountID, version).Order("display_name, id").Find(&out).Error
	return out, translate(err)
}

// CountNotAccepted counts what NotAccepted returns.
func (s LicenseStore) CountNotAccepted(ctx context.Context, accountID int64, version string) (int64, error) {
	var n int64
	err := s.notAccepted(ctx, accountID, version).Model(&User{}).Count(&n).Error
	return n, translate(err)
}

func (s LicenseStore) notAccepted(ctx context.Context, accountID int64, version string) *gorm.DB {
	return s.q(ctx).Where("account_id = ? AND status <> ?", accountID, StatusSuspended).
		Where("NOT EXISTS (SELECT 1 FROM license_acceptances la WHERE la.account_id = users.account_id "+
			"AND la.user_id = users.id AND la.version = ?)", version)
}

// LicenseTranslation is a version of the agreement in another language
// than its own (English), shown to readers of that language.
type LicenseTranslation struct {
	VersionID    int64  `gorm:"primaryKey;autoIncrement:false"`
	Language     string `gorm:"primaryKey"`
	Title        string
	BodyMarkdown string
}

// Translation returns the version's text in lang, or ErrNotFound.
func (s LicenseStore) Translation(ctx context.Context, versionID int64, lang string) (*LicenseTranslation, error) {
	var t LicenseTranslation
	if err := s.q(ctx).Where("version_id = ? AND language = ?", versionID, lang).First(&t).Error; err != nil {
		return nil, translate(err)
	}
	return &t, nil
}

// Translations returns the languages the version has a translation in,
// in order.
func (s LicenseStore) Translations(ctx context.Context, versionID int64) ([]string, error) {
	var out []string
	err := s.q(ctx).Model(&LicenseTranslation{}).Where("version_id = ?", versionID).Order("language").Pluck("language", &out).Error
	return out, translate(err)
}

// AddTranslation inserts t.
func (s LicenseStore) AddTranslation(ctx context.Context, t *LicenseTranslation) error {
	return translate(s.q(ctx).Create(t).Error)
}
