package web

import (
	"encoding/json"
	"testing"
)

// An id may be written as any JSON number whose value is whole within
// int64, as the description's "type": "integer" takes it; a fraction,
// another type or a value beyond int64 is refused.
func TestWholeNumber(t *testing.T) {
	for raw, want := range map[string]int64{
		`2`: 2, `2.0`: 2, `2.000`: 2, `20e-1`: 2, `0.2E1`: 2, `2e+0`: 2, `1.5e1`: 15, `-3`: -3, `-0`: 0, `0e400`: 0,
		`9223372036854775807`: 9223372036854775807, `922337203685477580.7e1`: 9223372036854775807,
		`-9223372036854775808`: -9223372036854775808,
	} {
		var n wholeNumber
		if err := json.Unmarshal([]byte(raw), &n); err != nil || int64(n) != want {
			t.Errorf("%s: %d %v, want %d", raw, n, err, want)
		}
	}
	for _, raw := range []string{`2.5`, `25e-1`, `5e-1`, `0.1`, `9223372036854775808`, `1e19`, `1e400`, `1e999999999`,
		`-9223372036854775809`, `"2"`, `true`, `[2]`, `{}`} {
		var n wholeNumber
		if err := json.Unmarshal([]byte(raw), &n); err == nil {
			t.Errorf("%s: %d, want refused", raw, n)
		}
	}
	n := wholeNumber(7)
	if err := json.Unmarshal([]byte(`null`), &n); err != nil || n != 7 {
		t.Errorf("null: %d %v, want 7 unchanged", n, err)
	}
}
