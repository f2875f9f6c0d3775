package i18n_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"accountportal/views/i18n"
)

// askedID finds a message id where the code asks for one: i18n.T(ctx,
// "id"…), i18n.N(ctx, "id"…) (T and N within this package), and the web
// layer's tr(c, "id"…) and flashID("id").
var askedID = regexp.MustCompile(`(?:(?:\b(?:i18n\.)?[TN]\(ctx|\btr\(c), |\bflashID\()"([a-z0-9_.]+)"`)

// dotted finds a string that may be an id the code picks among several
// ("part.id" in a table): it counts as a use of an id the catalogs hold.
var dotted = regexp.MustCompile(`"((?:[a-z0-9_]+\.)+[a-z0-9_]+)"`)

// code is the text of the non-test code under the repository's app and
// views directories.
func code(t *testing.T) string {
	t.Helper()
	var all strings.Builder
	for _, dir := range []string{"../../app", "../../views"} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			src := strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") || strings.HasSuffix(path, ".templ")
			if d.IsDir() || !src {
				return nil
			}
			raw, err := os.ReadFile(path)
			all.Write(raw)
			all.WriteByte('\n')
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return all.String()
}

func matches(re *regexp.Regexp, text string) map[string]bool {
	out := map[string]bool{}
	for _, m := range re.FindAllStringSubmatch(text, -1) {
		out[m[1]] = true
	}
	return out
}

// englishOf is each message's English text (each form of a plural one).
func englishOf(t *testing.T) map[string][]string {
	t.Helper()
	raw, err := os.ReadFile("locales/en.toml")
	if err != nil {
		t.Fatal(err)
	}
	var tree map[string]any
	if err := toml.Unmarshal(raw, &tree); err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch v := v.(type) {
		case string:
			out[prefix] = append(out[prefix], v)
		case map[string]any:
			for k, sub := range v {
				if _, plural := map[string]bool{"one": true, "other": true, "many": true}[k]; plural {
					out[prefix] = append(out[prefix], sub.(string))
					continue
				}
				walk(strings.TrimPrefix(prefix+"."+k, "."), sub)
			}
		}
	}
	walk("", tree)
	return out
}

// spoken reports whether the code states a service message: its longest
// run of fixed text (between placeholders) is in the code.
func spoken(src string, forms []string) bool {
	for _, f := range forms {
		longest := ""
		for _, part := range placeholder.Split(f, -1) {
			if len(part) > len(longest) {
				longest = part
			}
		}
		if !strings.Contains(src, longest) {
			return false
		}
	}
	return true
}

// Every catalog parses and holds exactly the ids the code asks for: a
// missing one would show an id in brackets (or English) to a reader, an
// unused one is a translator's wasted work. A service's message (a
// [problem…] entry) is used while the code still states its English text.
func TestCatalogs(t *testing.T) {
	if _, err := i18n.Load(); err != nil {
		t.Fatal(err)
	}
	src := code(t)
	asked, mentioned := matches(askedID, src), matches(dotted, src)
	if len(asked) == 0 {
		t.Fatal("found no message ids in the code: the scan is broken")
	}
	english := englishOf(t)
	for _, l := range i18n.Languages {
		ids, err := i18n.IDs(l.Code)
		if err != nil {
			t.Fatal(err)
		}
		for id := range asked {
			if !slices.Contains(ids, id) {
				t.Errorf("%s catalog lacks %q, which the code uses", l.Code, id)
			}
		}
		for _, id := range ids {
			used := asked[id] || mentioned[id]
			if strings.HasPrefix(id, "problem.") {
				used = spoken(src, english[id])
			}
			if !used {
				t.Errorf("%s catalog has %q, which no code uses", l.Code, id)
			}
		}
	}
}

var placeholder = regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)

// A translation keeps its message's placeholders: a dropped {{.Name}}
// loses the user's name, a misspelt one shows "<no value>".
func TestTranslationsKeepPlaceholders(t *testing.T) {
	en := messages(t, "en")
	for _, l := range i18n.Languages[1:] {
		for id, text := range messages(t, l.Code) {
			want, got := names(en[id]), names(text)
			if !slices.Equal(want, got) {
				t.Errorf("%s %s has placeholders %v, English %v", l.Code, id, got, want)
			}
		}
	}
}

// messages reads a catalog's texts by id (plural forms joined).
func messages(t *testing.T, code string) map[string]string {
	t.Helper()
	raw, err := os.ReadFile("locales/" + code + ".toml")
	if err != nil {
		t.Fatal(err)
	}
	var tree map[string]any
	if err := toml.Unmarshal(raw, &tree); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch v := v.(type) {
		case string:
			out[prefix] += v
		case map[string]any:
			for k, sub := range v {
				id := k
				if prefix != "" {
					id = prefix + "." + k
				}
				if _, plural := sub.(string); plural && isPluralKey(k) {
					id = prefix
				}
				walk(id, sub)
			}
		}
	}
	walk("", tree)
	return out
}

func isPluralKey(k string) bool {
	return slices.Contains([]string{"zero", "one", "two", "few", "many", "other"}, k)
}

func names(text string) []string {
	var out []string
	for _, m := range placeholder.FindAllStringSubmatch(text, -1) {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	sort.Strings(out)
	return out
}

func TestNegotiate(t *testing.T) {
	cases := []struct {
		accept string
		chosen []string
		want   string
	}{
		{"", nil, "en"},
		{"es-ES,es;q=0.9,en;q=0.8", nil, "es"},
		{"fr-CA", nil, "fr"},
		{"de-AT,de;q=0.9", nil, "de"},
		{"pt-BR,pt;q=0.9", nil, "en"},
		{"ja, fr;q=0.5", nil, "fr"},
		{"en-GB,en;q=0.9,de;q=0.8", nil, "en"},
		{"es", []string{"de"}, "de"},
		{"es", []string{"", "fr"}, "fr"},
		{"es", []string{"xx", "pt"}, "es"},
		{"not a header ;;; q=x", nil, "en"},
		{"fr-CA;q=0.1, xx;q=1", nil, "fr"},
		{"zz-ZZ, de", nil, "de"},
		{"es;q=0, fr;q=0.2", nil, "fr"},
		{"de;q=0.5, es;q=0.9", nil, "es"},
		{"*", nil, "en"},
		{"es-419", nil, "es"},
		{"es;q=abc, de", nil, "de"},
		{"\x00\xff", nil, "en"},
		{strings.Repeat("es,", 400), nil, "en"},
	}
	for _, tc := range cases {
		if got := i18n.Negotiate(tc.accept, tc.chosen...); got != tc.want {
			t.Errorf("Negotiate(%q, %q) = %q, want %q", tc.accept, tc.chosen, got, tc.want)
		}
	}
}

func FuzzNegotiate(f *testing.F) {
	for _, s := range []string{"", "es", "fr-CA;q=0.5, de", "*", "x-klingon", "es;q=2", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, accept string) {
		if got := i18n.Negotiate(accept); !i18n.Supported(got) {
			t.Fatalf("Negotiate(%q) = %q", accept, got)
		}
	})
}

// T speaks the context's language, falls back to English for a language
// the portal does not speak, and fills placeholders.
func TestT(t *testing.T) {
	ctx := context.Background()
	if got := i18n.T(ctx, "login.title"); got != "Sign in" {
		t.Errorf("no language: %q", got)
	}
	for code, want := range map[string]string{"es": "Iniciar sesión", "fr": "Connexion", "de": "Anmelden", "pt": "Sign in"} {
		c := i18n.WithLanguage(ctx, code)
		if got := i18n.T(c, "login.title"); got != want {
			t.Errorf("%s: %q, want %q", code, got, want)
		}
	}
	if got := i18n.T(ctx, "no.such.id"); got != "[no.such.id]" {
		t.Errorf("missing id: %q", got)
	}
}
