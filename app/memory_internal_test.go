package app

import (
	"runtime/debug"
	"testing"

	"accountportal/config"
)

func TestMemoryLimitCoversTheHashesInFlight(t *testing.T) {
	cases := []struct {
		slots int
		kib   uint32
		want  int64
	}{
		{2, 19456, 64 << 20},
		{1, 19456, 45 << 20},
		{16, 19456, (26 + 16*19) << 20},
		{4, 65536, (26 + 4*64) << 20},
	}
	for _, c := range cases {
		cfg := &config.Config{HashConcurrency: c.slots, Argon2: config.Argon2{MemoryKiB: c.kib}}
		if got := memoryLimitFor(cfg); got != c.want {
			t.Errorf("%d slots of %d KiB: limit %d MiB, want %d MiB", c.slots, c.kib, got>>20, c.want>>20)
		}
	}
}

// What the environment sets wins; the defaults fill only what it left
// unset.
func TestMemoryDefaultsYieldToTheEnvironment(t *testing.T) {
	oldLimit, oldGC := debug.SetMemoryLimit(-1), debug.SetGCPercent(-1)
	debug.SetGCPercent(oldGC)
	t.Cleanup(func() { debug.SetMemoryLimit(oldLimit); debug.SetGCPercent(oldGC) })
	cfg := &config.Config{HashConcurrency: 2, Argon2: config.Argon2{MemoryKiB: 19456}}

	debug.SetMemoryLimit(1 << 30)
	debug.SetGCPercent(100)
	limit, gc := applyMemoryDefaults(func(k string) string { return map[string]string{"GOMEMLIMIT": "1GiB", "GOGC": "100"}[k] }, cfg)
	if limit != 1<<30 || gc != 100 {
		t.Fatalf("with both set: limit %d, GOGC %d; want the environment's", limit, gc)
	}
	limit, gc = applyMemoryDefaults(func(string) string { return "" }, cfg)
	if limit != 64<<20 || gc != defaultGCPercent {
		t.Fatalf("with neither set: limit %d MiB, GOGC %d", limit>>20, gc)
	}
}
