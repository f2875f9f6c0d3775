package identity_test

import (
	"strings"
	"testing"

	"accountportal/app/identity"
)

// TestRenderLicense: Markdown becomes the few elements an agreement needs,
// headings two levels down, and nothing that runs.
func TestRenderLicense(t *testing.T) {
	cases := []struct {
		name, in string
		want     []string
		never    []string
		hasHTML  bool
	}{
		{"paragraphs and emphasis", "We **record** it.\n\nTwice.", []string{"<p>We <strong>record</strong> it.</p>", "<p>Twice.</p>"}, nil, false},
		{"headings go down", "# One\n## Two", []string{"<h3>One</h3>", "<h4>Two</h4>"}, []string{"<h1>", "<h2>"}, false},
		{"lists", "1. a\n2. b\n\n- c", []string{"<ol>", "<li>a</li>", "<ul>"}, nil, false},
		{"links keep no referrer", "[terms](https://example.com/t)", []string{`href="https://example.com/t"`, "noreferrer"}, nil, false},
		{"script link", "[x](javascript:alert(1))", nil, []string{"javascript:"}, false},
		{"raw HTML block", "<script>alert(1)</script>", nil, []string{"<script", "alert(1)"}, true},
		{"inline HTML", "Be <b onclick=\"x()\">kind</b>", nil, []string{"onclick"}, true},
		{"image", "![x](https://example.com/x.png)", nil, []string{"<img"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := identity.RenderLicense(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(string(got), w) {
					t.Errorf("%q lacks %q", got, w)
				}
			}
			for _, n := range tc.never {
				if strings.Contains(string(got), n) {
					t.Errorf("%q holds %q", got, n)
				}
			}
			if has := identity.LicenseHasHTML(tc.in); has != tc.hasHTML {
				t.Errorf("LicenseHasHTML = %v, want %v", has, tc.hasHTML)
			}
		})
	}
}
