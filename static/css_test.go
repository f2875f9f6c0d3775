package static

import (
	"regexp"
	"strings"
	"testing"
)

var cssComment = regexp.MustCompile(`(?s)/\*.*?\*/`)

// A stylesheet with a brace missing still loads, but every rule after the
// gap is read as part of the rule before it and silently lost: a merge of
// two blocks added at the end of the file did exactly that once. Each rule
// must open and close, and no top-level selector may start inside another.
func TestStylesheetBracesBalance(t *testing.T) {
	raw, err := files.ReadFile("css/app.css")
	if err != nil {
		t.Fatal(err)
	}
	depth, inMedia := 0, false
	for n, line := range strings.Split(cssComment.ReplaceAllString(string(raw), ""), "\n") {
		if line != "" && line[0] != ' ' && line[0] != '}' && depth > 0 && !inMedia {
			t.Fatalf("line %d (comments removed) starts a rule inside another: %q", n+1, line)
		}
		if depth == 0 {
			inMedia = strings.HasPrefix(line, "@media") || strings.HasPrefix(line, "@supports")
		}
		depth += strings.Count(line, "{") - strings.Count(line, "}")
		if depth < 0 {
			t.Fatalf("line %d (comments removed) closes a rule never opened", n+1)
		}
	}
	if depth != 0 {
		t.Fatalf("%d rules never closed", depth)
	}
}
