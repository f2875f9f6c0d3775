package secrets_test

import (
	"context"
	"testing"
	"time"

	"accountportal/app/secrets"
	"accountportal/app/security"
	"accountportal/models/modelstest"
)

// BenchmarkReseal10k re-encrypts 10,000 passphrases under a new key, as
// "accountportal keys rotate" does, in batches of 500.
func BenchmarkReseal10k(b *testing.B) {
	for _, d := range modelstest.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			s := modelstest.Open(b, d, func() time.Time { return t0 })
			keys, _ := security.NewMemoryKeyRing()
			seedMany(b, s, keys, 10_000)
			b.ResetTimer()
			for b.Loop() {
				keys.AddDataKey()
				res, err := secrets.NewSealer(keys).Reseal(context.Background(), s, 500)
				if err != nil || res.Resealed != 10_000 {
					b.Fatalf("%+v %v", res, err)
				}
			}
		})
	}
}
