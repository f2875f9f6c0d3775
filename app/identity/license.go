package identity

import (
	"bytes"
	"context"
	"errors"
	"html/template"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"

	"accountportal/models"
)

// ErrNoLicense says no license agreement is in force yet.
var ErrNoLicense = errors.New("no license agreement is in force")

// CurrentLicense returns the license agreement in force now, which every
// user must have accepted before going further.
func (s *SignIn) CurrentLicense(ctx context.Context) (*models.LicenseVersion, error) {
	v, err := s.store.Licenses.Current(ctx, s.now())
	if errors.Is(err, models.ErrNotFound) {
		return nil, ErrNoLicense
	}
	return v, err
}

// licensePolicy allows what an agreement's Markdown may produce: headings,
// paragraphs, lists, emphasis, links and tables; no images, scripts,
// styles or raw HTML.
var licensePolicy = sync.OnceValue(func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowElements("h1", "h2", "h3", "h4")
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(false)
	return p
})

// RenderLicense turns an agreement's Markdown into HTML safe to show:
// goldmark leaves raw HTML out, and the sanitizer keeps only the elements
// and attributes an agreement needs, so an operator's text can never run
// a script in a customer's browser.
func RenderLicense(markdown string) (template.HTML, error) {
	var buf bytes.Buffer
	if err := goldmark.Convert([]byte(markdown), &buf); err != nil {
		return "", err
	}
	return template.HTML(licensePolicy().SanitizeBytes(buf.Bytes())), nil // #nosec G203 -- sanitized just above
}

// AcceptedLicenses returns the acceptances of the user, the latest first.
func (s *SignIn) AcceptedLicenses(ctx context.Context, userID int64) ([]models.LicenseAcceptance, error) {
	return s.store.Licenses.AcceptedBy(ctx, userID)
}

// License returns the published version named version, or
// models.ErrNotFound.
func (s *SignIn) License(ctx context.Context, version string) (*models.LicenseVersion, error) {
	return s.store.Licenses.ByVersion(ctx, version)
}
