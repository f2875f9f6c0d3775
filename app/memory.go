package app

import (
	"runtime/debug"
)

// Memory defaults for a process that the environment did not tune with Go's
// own GOMEMLIMIT and GOGC. The soft limit keeps the heap (argon2id's 19 MiB
// per hash in flight included) and what the runtime holds for it under
// defaultMemoryLimit, returning freed pages to the system as it nears it, so
// a replica's resident size stays predictable after a burst; the binary's
// own pages come on top. With that ceiling in place, collecting only after
// the heap has grown defaultGCPercent % over what survived costs far less
// CPU on page loads, whose garbage is short-lived, than Go's default of 100.
const (
	defaultMemoryLimit = 64 << 20
	defaultGCPercent   = 400
)

// applyMemoryDefaults sets the defaults above where getenv has no value for
// GOMEMLIMIT or GOGC; Go's runtime has already applied any that are set.
func applyMemoryDefaults(getenv func(string) string) (limit int64, gcPercent int) {
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	if getenv("GOGC") == "" {
		debug.SetGCPercent(defaultGCPercent)
	}
	limit = debug.SetMemoryLimit(-1)
	gcPercent = debug.SetGCPercent(-1)
	debug.SetGCPercent(gcPercent)
	return limit, gcPercent
}
