package web_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"accountportal/app/web/apidoc"
)

// rateLimitHeaders are the headers the rate limit middleware sets on every
// answer to a request it counted.
var rateLimitHeaders = []string{"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "RateLimit-Policy"}

// Every answer of a token-protected operation that the rate limit has
// counted lists its headers, by reference to the one description of each:
// every status but 401 (the token is refused before it is counted) and 413
// (the body is refused before the token is read). The API tests check the
// other way round, that no answer sends a header its response leaves out.
func TestOpenAPIRateLimitHeaders(t *testing.T) {
	doc, err := apiDoc()
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.Security == nil || len(*op.Security) == 0 || (*op.Security)[0]["bearer"] == nil {
				continue
			}
			for status, ref := range op.Responses.Map() {
				if status == strconv.Itoa(http.StatusUnauthorized) || status == strconv.Itoa(http.StatusRequestEntityTooLarge) {
					continue
				}
				for _, name := range rateLimitHeaders {
					h := ref.Value.Headers[name]
					if h == nil || h.Ref != "#/components/headers/"+name {
						t.Errorf("%s %s %s: %s is not listed by reference", method, path, status, name)
					}
				}
				checked++
			}
		}
	}
	if checked < 50 {
		t.Errorf("only %d responses checked", checked)
	}
}

// The description's text holds no control, format (bidirectional, zero
// width) or separator character as itself: the one-line pattern of the
// text parameters names such characters, and written raw they would make
// it look empty, or read backwards, to whoever edits the file. Python's
// json.dump(ensure_ascii=False) writes U+007F and above raw, so an edit
// escapes them again (docs/api.md says how).
func TestOpenAPIWritesInvisibleCharactersEscaped(t *testing.T) {
	text := string(apidoc.OpenAPI)
	for i, line := range strings.Split(text, "\n") {
		if j := strings.IndexFunc(line, func(r rune) bool {
			return r != '\t' && (unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp))
		}); j >= 0 {
			t.Errorf("line %d holds %U as itself; write it as a \\u escape", i+1, []rune(line[j:])[0])
		}
	}
	if !strings.Contains(text, `"pattern": "^[^\u0000-\u001f\u007f-\u009f\u2028-\u202e\u2066-\u2069]*$"`) {
		t.Error("the one-line pattern of the text parameters is not written with escapes")
	}
}
