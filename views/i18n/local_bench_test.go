package i18n

import (
	"context"
	"testing"
)

// What saying a service's message costs, against T of a catalog id (the
// reference, measured in the same run): an exact entry is one map lookup;
// a message no entry has scans every pattern, the worst case, which an
// audit log page of 100 rows may meet a few times per row.
func BenchmarkLocal(b *testing.B) {
	fr := WithLanguage(context.Background(), "fr")
	cases := []struct{ name, english string }{
		{"exact entry", "Enter your password"},
		{"pattern with a nested reason", "You cannot change this role: it would change Zoë Nuñez, and they hold privileges you do not: Billing changes, Updates to billing information."},
		{"no entry", "A message no catalog has, as long as a sentence in the audit log might be"},
	}
	b.Run("reference T", func(b *testing.B) {
		for b.Loop() {
			T(fr, "login.agreement.title")
		}
	})
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				Local(fr, tc.english)
			}
		})
	}
}
