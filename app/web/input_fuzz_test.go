package web

import (
	"net/url"
	"testing"

	"accountportal/app/textinput"
)

// FuzzCleanValues: whatever a form or query string holds, after the text
// rule no value or name that breaks it is left, a form names every field
// it changed, and values that kept to the rule are untouched.
func FuzzCleanValues(f *testing.F) {
	for _, s := range []string{"name=Ada&role=4", "name=R%00Z&description=x", "q=%FF%FE&q=ok&%00=1",
		"reason=a%09b&reason=%E2%80%AE", "next=%2F%09%2Fevil.example", "a%00=1&a%EF%BF%BD=2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		original, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		form := copyValues(original)
		problems := cleanValues(form, nil)
		query := copyValues(original)
		dropRefused(query)
		for _, v := range []url.Values{form, query} {
			for k, vs := range v {
				for _, s := range append([]string{k}, vs...) {
					if textinput.Check(s) != "" {
						t.Fatalf("%q left in %v", s, v)
					}
				}
			}
		}
		for k, vs := range original {
			changed := textinput.Check(k) != ""
			for i, s := range vs {
				if textinput.Check(s) != "" {
					changed = true
				} else if textinput.Check(k) == "" && form[k][i] != s {
					t.Fatalf("good value %q of %q changed to %q", s, k, form[k][i])
				}
			}
			if changed && problems[textinput.Sanitize(k)] == "" {
				t.Fatalf("field %q changed without a message: %v", k, problems)
			}
			if _, kept := query[k]; kept == changed {
				t.Fatalf("query parameter %q: kept %v, breaks the rule %v", k, kept, changed)
			}
		}
	})
}

func copyValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
