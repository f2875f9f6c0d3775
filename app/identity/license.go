package identity

import (
	"bytes"
	"context"
	"errors"
	"html/template"
	"strings"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"accountportal/models"
	"accountportal/views/i18n"
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
	p := bluemonday.NewPolicy()
	p.AllowElements("h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "strong", "em", "del", "code", "pre",
		"blockquote", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td")
	p.AllowAttrs("href").OnElements("a")
	p.AllowStandardURLs()
	p.RequireParseableURLs(true)
	p.RequireNoReferrerOnLinks(true)
	return p
})

// RenderLicense turns an agreement's Markdown into HTML safe to show:
// goldmark leaves raw HTML out, and the sanitizer keeps only the elements
// and attributes an agreement needs, so an operator's text can never run
// a script in a customer's browser. Its headings sit two levels down,
// under the page's own title and the agreement's.
func RenderLicense(markdown string) (template.HTML, error) {
	var buf bytes.Buffer
	if err := goldmark.Convert([]byte(markdown), &buf); err != nil {
		return "", err
	}
	safe := licensePolicy().Sanitize(buf.String())
	return template.HTML(headingsDown.Replace(safe)), nil // #nosec G203 -- sanitized just above
}

// headingsDown moves the agreement's headings two levels down, in one pass.
var headingsDown = strings.NewReplacer("<h1>", "<h3>", "</h1>", "</h3>", "<h2>", "<h4>", "</h2>", "</h4>",
	"<h3>", "<h5>", "</h3>", "</h5>", "<h4>", "<h6>", "</h4>", "</h6>")

// LicenseHasHTML reports whether an agreement's Markdown holds raw HTML,
// which RenderLicense leaves out: the publishing form refuses it rather
// than drop part of the text silently.
func LicenseHasHTML(markdown string) bool {
	doc := goldmark.DefaultParser().Parse(text.NewReader([]byte(markdown)))
	found := false
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && (n.Kind() == ast.KindRawHTML || n.Kind() == ast.KindHTMLBlock) {
			found = true
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	return found
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

// LicenseText is a version of the agreement as one reader reads it.
type LicenseText struct {
	*models.LicenseVersion
	// Language is the language Title and Markdown are in: the reader's
	// when the version has a translation into it, else the version's own,
	// English, which is the text that applies.
	Language        string
	Title, Markdown string
}

// Translated says the reader reads a translation, not the text that
// applies.
func (t *LicenseText) Translated() bool { return t.Language != i18n.Default }

// PublishedText is v as the provider published it, in English.
func PublishedText(v *models.LicenseVersion) *LicenseText {
	return &LicenseText{LicenseVersion: v, Language: i18n.Default, Title: v.Title, Markdown: v.BodyMarkdown}
}

// LicenseFor returns v as a reader of lang reads it: its translation into
// lang when it has one, else its own text.
func (s *SignIn) LicenseFor(ctx context.Context, v *models.LicenseVersion, lang string) (*LicenseText, error) {
	own := PublishedText(v)
	if lang == i18n.Default {
		return own, nil
	}
	t, err := s.store.Licenses.Translation(ctx, v.ID, lang)
	if errors.Is(err, models.ErrNotFound) {
		return own, nil
	}
	if err != nil {
		return nil, err
	}
	return &LicenseText{LicenseVersion: v, Language: lang, Title: t.Title, Markdown: t.BodyMarkdown}, nil
}
