package provider

import "testing"

// TestNumberTyped: a number read out with spaces or hyphens is still the
// number; anything else stays a name search.
func TestNumberTyped(t *testing.T) {
	cases := []struct{ in, want string }{
		{"12345678", "12345678"},
		{"1234 5678", "12345678"},
		{"1234-5678", "12345678"},
		{"12 34 56 78", "12345678"},
		{"1234567", "1234567"},
		{"123456789", "123456789"},
		{"Acme 2024", "Acme 2024"},
		{"1234 567a", "1234 567a"},
	}
	for _, tc := range cases {
		if got := numberTyped(tc.in); got != tc.want {
			t.Errorf("numberTyped(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
