// Package i18n gives the portal's words in the reader's language. The
// words live in message catalogs, one TOML file per language under
// locales/ (the file a translator edits), read with go-i18n, whose plural
// rules are CLDR's. A request's language travels in its context: the web
// layer decides it (Negotiate) and puts it there (WithLanguage); pages and
// emails ask for their words with T and N.
package i18n

import (
	"cmp"
	"context"
	"embed"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	// The zone database travels in the binary: a machine without
	// /usr/share/zoneinfo still shows times in the reader's zone.
	_ "time/tzdata"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

//go:embed locales/*.toml
var files embed.FS

// Language is one language the portal is written in.
type Language struct {
	// Code is its BCP 47 tag, as in <html lang>.
	Code string
	// Name is its name in itself, as a language switcher shows it.
	Name string
	// English is its name in English, for the provider's own pages.
	English string
}

// Default is the language of the catalogs' source text, and the last resort.
const Default = "en"

// Languages are the portal's languages, the default first.
var Languages = []Language{{"en", "English", "English"}, {"es", "Español", "Spanish"}, {"fr", "Français", "French"},
	{"de", "Deutsch", "German"}}

var (
	bundle  = mustLoad()
	matcher = language.NewMatcher(tags())
	// speakers holds one localizer per language, made once: every request
	// uses one.
	speakers = speakersOf(bundle)
)

func speakersOf(b *goi18n.Bundle) map[string]*speaker {
	out := make(map[string]*speaker, len(Languages))
	for _, l := range Languages {
		out[l.Code] = &speaker{code: l.Code, loc: goi18n.NewLocalizer(b, l.Code, Default),
			numbers: message.NewPrinter(language.MustParse(l.Code))}
	}
	return out
}

func tags() []language.Tag {
	out := make([]language.Tag, len(Languages))
	for i, l := range Languages {
		out[i] = language.MustParse(l.Code)
	}
	return out
}

// mustLoad reads every catalog; a catalog that does not parse stops the
// program at start, and TestCatalogs names it first.
func mustLoad() *goi18n.Bundle {
	b, err := Load()
	if err != nil {
		panic(err)
	}
	return b
}

// Load reads the catalogs into a bundle.
func Load() (*goi18n.Bundle, error) {
	b := goi18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	for _, l := range Languages {
		name := "locales/" + l.Code + ".toml"
		raw, err := files.ReadFile(name)
		if err != nil {
			return nil, err
		}
		if _, err := b.ParseMessageFileBytes(raw, name); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	return b, nil
}

// Supported reports whether code is one of the portal's languages.
func Supported(code string) bool {
	for _, l := range Languages {
		if l.Code == code {
			return true
		}
	}
	return false
}

// maxAcceptLanguage bounds the header Negotiate parses: a browser sends a
// few dozen bytes.
const maxAcceptLanguage = 500

// Negotiate picks a request's language: the first of chosen that the
// portal speaks (a user's saved choice, then their account's default; ""
// for none), else the best match of the Accept-Language header, else
// English.
func Negotiate(acceptLanguage string, chosen ...string) string {
	for _, c := range chosen {
		if Supported(c) {
			return c
		}
	}
	if acceptLanguage == "" || len(acceptLanguage) > maxAcceptLanguage {
		return Default
	}
	wanted := acceptedTags(acceptLanguage)
	if len(wanted) == 0 {
		return Default
	}
	_, i, conf := matcher.Match(wanted...)
	// A guess (Galician read as Spanish) is no better than English.
	if conf < language.High {
		return Default
	}
	return Languages[i].Code
}

// acceptedTags reads an Accept-Language header's tags, most wanted first
// (by q, then by order), leaving out those refused (q=0) and any it cannot
// read: x/text's own parser gives up on the whole header for one unknown
// subtag ("xx, de" would then be English, not German).
func acceptedTags(header string) []language.Tag {
	type entry struct {
		tag language.Tag
		q   float64
	}
	var entries []entry
	for i, part := range strings.Split(header, ",") {
		if i >= 32 {
			break
		}
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.ToLower(strings.ReplaceAll(params, " ", "")), "q="); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || f < 0 || f > 1 {
				continue
			}
			q = f
		}
		tag, err := language.Parse(strings.TrimSpace(name))
		if err != nil || q == 0 || name == "*" {
			continue
		}
		entries = append(entries, entry{tag, q})
	}
	slices.SortStableFunc(entries, func(a, b entry) int { return cmp.Compare(b.q, a.q) })
	out := make([]language.Tag, len(entries))
	for i, e := range entries {
		out[i] = e.tag
	}
	return out
}

type ctxKey struct{}

type zoneKey struct{}

type preferredKey struct{}

// WithPreferred returns ctx knowing the reader's language, which pages not
// yet translated are not written in.
func WithPreferred(ctx context.Context, code string) context.Context {
	return context.WithValue(ctx, preferredKey{}, code)
}

// Preferred is the reader's language, as WithPreferred said; else the
// language ctx speaks.
func Preferred(ctx context.Context) string {
	if code, ok := PreferredSaid(ctx); ok {
		return code
	}
	return Lang(ctx)
}

// PreferredSaid is the reader's language and true when WithPreferred has
// said it.
func PreferredSaid(ctx context.Context) (string, bool) {
	code, ok := ctx.Value(preferredKey{}).(string)
	return code, ok && Supported(code)
}

// WithZone returns ctx showing times in loc.
func WithZone(ctx context.Context, loc *time.Location) context.Context {
	return context.WithValue(ctx, zoneKey{}, loc)
}

// Zone is the time zone ctx shows times in: UTC unless WithZone said.
func Zone(ctx context.Context) *time.Location {
	if loc, ok := ctx.Value(zoneKey{}).(*time.Location); ok && loc != nil {
		return loc
	}
	return time.UTC
}

// Zones are the time zones a user or account may choose, by region; UTC
// first. A curated list keeps the choice short enough to read.
var Zones = []string{"UTC",
	"America/Anchorage", "America/Los_Angeles", "America/Denver", "America/Phoenix", "America/Chicago",
	"America/New_York", "America/Halifax", "America/St_Johns", "America/Mexico_City", "America/Bogota",
	"America/Lima", "America/Santiago", "America/Argentina/Buenos_Aires", "America/Sao_Paulo",
	"Atlantic/Reykjavik", "Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Madrid", "Europe/Paris",
	"Europe/Brussels", "Europe/Amsterdam", "Europe/Berlin", "Europe/Zurich", "Europe/Vienna", "Europe/Rome",
	"Europe/Stockholm", "Europe/Warsaw", "Europe/Athens", "Europe/Helsinki", "Europe/Istanbul", "Europe/Moscow",
	"Africa/Casablanca", "Africa/Lagos", "Africa/Cairo", "Africa/Johannesburg", "Africa/Nairobi",
	"Asia/Dubai", "Asia/Karachi", "Asia/Kolkata", "Asia/Dhaka", "Asia/Bangkok", "Asia/Singapore",
	"Asia/Hong_Kong", "Asia/Shanghai", "Asia/Manila", "Asia/Seoul", "Asia/Tokyo",
	"Australia/Perth", "Australia/Adelaide", "Australia/Brisbane", "Australia/Sydney", "Pacific/Auckland",
	"Pacific/Honolulu"}

// ZoneOf returns the chosen time zone name's location, or nil when the
// name is not one of Zones. Every request of a user with a zone asks, so
// the locations are loaded once.
func ZoneOf(name string) *time.Location { return zones()[name] }

var zones = sync.OnceValue(func() map[string]*time.Location {
	out := make(map[string]*time.Location, len(Zones))
	for _, z := range Zones {
		if loc, err := time.LoadLocation(z); err == nil {
			out[z] = loc
		}
	}
	return out
})

// Name is a language's name in itself, or "" for a code the portal does
// not speak.
func Name(code string) string {
	for _, l := range Languages {
		if l.Code == code {
			return l.Name
		}
	}
	return ""
}

type speaker struct {
	code    string
	loc     *goi18n.Localizer
	numbers *message.Printer
}

// WithLanguage returns ctx speaking code (English when it is not one of the
// portal's languages).
func WithLanguage(ctx context.Context, code string) context.Context {
	if !Supported(code) {
		code = Default
	}
	return context.WithValue(ctx, ctxKey{}, speakers[code])
}

func speakerOf(ctx context.Context) *speaker {
	if s, ok := ctx.Value(ctxKey{}).(*speaker); ok {
		return s
	}
	return speakers[Default]
}

// Lang is the language ctx speaks, as a BCP 47 tag.
func Lang(ctx context.Context) string { return speakerOf(ctx).code }

// T is the message id in ctx's language, with data filled into its
// {{.Name}} placeholders. A message missing from that language's catalog
// is given in English; one missing from every catalog is its id in
// brackets, which TestCatalogs prevents.
func T(ctx context.Context, id string, data ...map[string]any) string {
	cfg := &goi18n.LocalizeConfig{MessageID: id}
	if len(data) > 0 {
		cfg.TemplateData = data[0]
	}
	return localize(ctx, cfg)
}

// N is T for a message with plural forms, chosen by count (also given to
// the message as {{.Count}}, written as the language writes numbers).
func N(ctx context.Context, id string, count int, data ...map[string]any) string {
	d := map[string]any{"Count": Number(ctx, count)}
	if len(data) > 0 {
		for k, v := range data[0] {
			d[k] = v
		}
	}
	return localize(ctx, &goi18n.LocalizeConfig{MessageID: id, PluralCount: count, TemplateData: d})
}

// Number is n as ctx's language writes it: 1,234 in English, 1.234 in
// German and Spanish, 1 234 in French.
func Number(ctx context.Context, n int) string {
	return speakerOf(ctx).numbers.Sprintf("%d", n)
}

func localize(ctx context.Context, cfg *goi18n.LocalizeConfig) string {
	s, err := speakerOf(ctx).loc.Localize(cfg)
	if err != nil && s == "" {
		return "[" + cfg.MessageID + "]"
	}
	return s
}

// IDs lists every message id of a language's catalog.
func IDs(code string) ([]string, error) {
	raw, err := files.ReadFile("locales/" + code + ".toml")
	if err != nil {
		return nil, err
	}
	var tree map[string]any
	if err := toml.Unmarshal(raw, &tree); err != nil {
		return nil, err
	}
	var out []string
	flatten("", tree, &out)
	return out, nil
}

// pluralKeys are the members of a message with plural forms (or a
// description), not nested ids.
var pluralKeys = map[string]bool{"zero": true, "one": true, "two": true, "few": true, "many": true, "other": true,
	"description": true, "hash": true, "leftdelim": true, "rightdelim": true}

func flatten(prefix string, tree map[string]any, out *[]string) {
	for k, v := range tree {
		id := k
		if prefix != "" {
			id = prefix + "." + k
		}
		sub, ok := v.(map[string]any)
		if !ok {
			*out = append(*out, id)
			continue
		}
		if isMessage(sub) {
			*out = append(*out, id)
			continue
		}
		flatten(id, sub, out)
	}
}

func isMessage(m map[string]any) bool {
	for k := range m {
		if !pluralKeys[strings.ToLower(k)] {
			return false
		}
	}
	return len(m) > 0
}

// Duration says d in ctx's language: whole hours from two hours up, else
// minutes ("2 hours", "90 minutes", "1 minute").
func Duration(ctx context.Context, d time.Duration) string {
	if d >= 2*time.Hour && d%time.Hour == 0 {
		return N(ctx, "duration.hours", int(d/time.Hour))
	}
	return N(ctx, "duration.minutes", int(d.Round(time.Minute)/time.Minute))
}
