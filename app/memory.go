package app

import (
	"runtime/debug"

	"accountportal/config"
)

// Memory defaults for a process that the environment did not tune with Go's
// own GOMEMLIMIT and GOGC. The soft limit keeps what the runtime holds
// under baseMemory plus the memory of the argon2id hashes that may run at
// once, returning freed pages to the system as it nears it, so a replica's
// resident size stays predictable after a burst; the binary's own pages
// come on top. With that ceiling in place, collecting only after the heap
// has grown defaultGCPercent % over what survived costs far less CPU on
// page loads, whose garbage is short-lived, than Go's default of 100.
const (
	baseMemory       = 26 << 20
	defaultGCPercent = 400
)

// memoryLimitFor is the default soft limit: baseMemory plus every hash
// slot's argon2id memory (64 MiB with two slots of 19 MiB).
func memoryLimitFor(cfg *config.Config) int64 {
	return baseMemory + int64(cfg.HashConcurrency)*int64(cfg.Argon2.MemoryKiB)<<10
}

// applyMemoryDefaults sets the defaults above where getenv has no value for
// GOMEMLIMIT or GOGC (Go's runtime has already applied any that are set),
// and returns what is in force.
func applyMemoryDefaults(getenv func(string) string, cfg *config.Config) (limit int64, gcPercent int) {
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimitFor(cfg))
	}
	if getenv("GOGC") == "" {
		debug.SetGCPercent(defaultGCPercent)
	}
	limit = debug.SetMemoryLimit(-1)
	gcPercent = debug.SetGCPercent(-1)
	debug.SetGCPercent(gcPercent)
	return limit, gcPercent
}
