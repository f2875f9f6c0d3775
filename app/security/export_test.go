package security

// HoldSlot takes one of h's hashing slots, blocking until one is free, and
// returns the function that gives it back. Tests use it to make "all slots
// busy" a fact rather than a race against a slow hash.
func (h *Hasher) HoldSlot() (release func()) {
	h.slots <- struct{}{}
	return func() { <-h.slots }
}

// Waiting reports how many callers are queued for a slot, so tests can wait
// for a goroutine to be parked in the queue instead of sleeping.
func (h *Hasher) Waiting() int64 { return h.waiting.Load() }
