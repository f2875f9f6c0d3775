package i18n

import (
	"cmp"
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"
)

// The portal's services state what went wrong in English, in their own
// words (a password "must be at least 12 characters", "You can try 2 more
// times"), and know nothing of languages. The catalogs translate those
// messages keyed by their English text, as gettext keys a translation by
// its source: an entry under a [problem…] table whose English text is the
// service's message, with {{.Name}} where the service writes in a value.
// Local finds the entry and says it in the reader's language.

// problemRoot is the table of the catalogs that holds services' messages.
const problemRoot = "problem"

// source is one English message of the problem tables, as a pattern when
// it has placeholders.
type source struct {
	id string
	re *regexp.Regexp
	// names are its placeholders, in the pattern's group order.
	names []string
	// plural says the message has plural forms, chosen by {{.Count}}.
	plural bool
	// literal is how much of it is fixed text: of two patterns that match,
	// the more specific wins.
	literal int
	// prefix and suffix are its fixed text before the first placeholder
	// and after the last: a message without them cannot match, and
	// checking them first spares most patterns their regular expression.
	prefix, suffix string
}

type sourceIndex struct {
	exact    map[string]source
	patterns []source
}

var sources = sync.OnceValue(indexSources)

// indexSources reads the English catalog's problem tables: a message
// without placeholders is found by its text, one with them by a pattern
// whose placeholders match any text.
func indexSources() sourceIndex {
	raw, err := files.ReadFile("locales/" + Default + ".toml")
	if err != nil {
		panic(err)
	}
	var tree map[string]any
	if err := toml.Unmarshal(raw, &tree); err != nil {
		panic(err)
	}
	idx := sourceIndex{exact: map[string]source{}}
	root, _ := tree[problemRoot].(map[string]any)
	for id, texts := range problemTexts(problemRoot, root) {
		for _, text := range texts.forms {
			s := sourceOf(id, text, texts.plural)
			if s.re == nil {
				idx.exact[text] = s
			} else {
				idx.patterns = append(idx.patterns, s)
			}
		}
	}
	slices.SortFunc(idx.patterns, func(a, b source) int {
		return cmp.Or(b.literal-a.literal, strings.Compare(a.id, b.id))
	})
	return idx
}

type sourceTexts struct {
	forms  []string
	plural bool
}

// problemTexts lists the English text of every message under tree, by id:
// a plural message gives each of its forms.
func problemTexts(prefix string, tree map[string]any) map[string]sourceTexts {
	out := map[string]sourceTexts{}
	for k, v := range tree {
		id := prefix + "." + k
		switch v := v.(type) {
		case string:
			out[id] = sourceTexts{forms: []string{v}}
		case map[string]any:
			if !isMessage(v) {
				for sub, t := range problemTexts(id, v) {
					out[sub] = t
				}
				continue
			}
			var forms []string
			for form, t := range v {
				if s, ok := t.(string); ok && form != "description" {
					forms = append(forms, s)
				}
			}
			out[id] = sourceTexts{forms: forms, plural: true}
		}
	}
	return out
}

var placeholderRE = regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)

func sourceOf(id, text string, plural bool) source {
	s := source{id: id, plural: plural}
	holes := placeholderRE.FindAllStringSubmatchIndex(text, -1)
	if len(holes) == 0 {
		s.literal = len(text)
		return s
	}
	s.prefix, s.suffix = text[:holes[0][0]], text[holes[len(holes)-1][1]:]
	var pat strings.Builder
	pat.WriteString("^")
	at := 0
	for _, h := range holes {
		pat.WriteString(regexp.QuoteMeta(text[at:h[0]]))
		pat.WriteString("(.+?)")
		s.literal += h[0] - at
		s.names = append(s.names, text[h[2]:h[3]])
		at = h[1]
	}
	pat.WriteString(regexp.QuoteMeta(text[at:]))
	pat.WriteString("$")
	s.literal += len(text) - at
	s.re = regexp.MustCompile(pat.String())
	return s
}

// Two placeholders hold services' words of their own, said by their own
// entries in turn: {{.Why}}, a message (a reason inside a refusal), and
// {{.Privileges}}, a list of privileges' names joined by ", ".
const (
	nestedMessage = "Why"
	nestedNames   = "Privileges"
)

// nested is the value a pattern's placeholder named name matched, in
// ctx's language.
func nested(ctx context.Context, name, value string) string {
	switch name {
	case nestedMessage:
		return Local(ctx, value)
	case nestedNames:
		names := strings.Split(value, ", ")
		for i, n := range names {
			names[i] = Local(ctx, n)
		}
		return strings.Join(names, ", ")
	}
	return value
}

// Local says a service's English message in ctx's language: the catalogs'
// translation of the [problem…] entry with that English text, its values
// carried over; the message as it is when no entry has it (or ctx speaks
// English).
func Local(ctx context.Context, english string) string {
	if Lang(ctx) == Default || english == "" {
		return english
	}
	idx := sources()
	if s, ok := idx.exact[english]; ok {
		return T(ctx, s.id)
	}
	for _, s := range idx.patterns {
		if !strings.HasPrefix(english, s.prefix) || !strings.HasSuffix(english, s.suffix) {
			continue
		}
		m := s.re.FindStringSubmatch(english)
		if m == nil {
			continue
		}
		data := make(map[string]any, len(s.names))
		for i, name := range s.names {
			data[name] = nested(ctx, name, m[i+1])
		}
		if !s.plural {
			return T(ctx, s.id, data)
		}
		count, err := strconv.Atoi(m[1+slices.Index(s.names, "Count")])
		if err != nil {
			continue
		}
		delete(data, "Count") // N writes it as the language does
		return N(ctx, s.id, count, data)
	}
	return english
}
