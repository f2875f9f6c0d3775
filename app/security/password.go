// Package security holds the portal's cryptographic primitives: password
// hashing, the password policy, the key ring for encrypted secrets and random
// tokens. It knows nothing of users, HTTP or the database.
package security

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/argon2"
)

// ErrBusy means too many password hashes are already being computed; the
// caller should answer "try again shortly" rather than queue without bound.
var ErrBusy = errors.New("security: password hashing is at capacity")

// ErrMalformedHash means a stored hash is not an argon2id PHC string.
var ErrMalformedHash = errors.New("security: malformed password hash")

// Argon2Params are the argon2id cost parameters.
type Argon2Params struct {
	MemoryKiB   uint32
	Iterations  uint32
	Parallelism uint8
}

const (
	saltLen = 16
	keyLen  = 32
)

// Hasher computes and checks argon2id hashes. At most Concurrency hashes run
// at once, because each takes MemoryKiB of memory and a CPU for tens of
// milliseconds; a caller that cannot get a slot within MaxWait gets ErrBusy.
type Hasher struct {
	params  Argon2Params
	slots   chan struct{}
	waiting atomic.Int64
	maxWait time.Duration
	// verified counts comparisons that ran (a hash was computed).
	verified atomic.Int64
}

// NewHasher returns a Hasher that makes new hashes with params and runs at
// most concurrency of them at once.
func NewHasher(params Argon2Params, concurrency int, maxWait time.Duration) *Hasher {
	if concurrency < 1 {
		concurrency = 1
	}
	return &Hasher{params: params, slots: make(chan struct{}, concurrency), maxWait: maxWait}
}

// Verifications returns how many secrets Verify has compared with a hash
// so far: the work a guesser can make the portal do, which the limits
// bound (tests count it).
func (h *Hasher) Verifications() int64 { return h.verified.Load() }

// Saturate takes every hashing slot and every place in the queue, so that
// each hash asked for until release is called fails at once with ErrBusy,
// as under a flood of sign-ins. Tests use it to check the busy answer; it
// waits for the hashes already running to finish.
func (h *Hasher) Saturate() (release func()) {
	for range cap(h.slots) {
		h.slots <- struct{}{}
	}
	queue := h.queueLen()
	h.waiting.Add(queue)
	return func() {
		h.waiting.Add(-queue)
		for range cap(h.slots) {
			<-h.slots
		}
	}
}

// Params returns the parameters used for new hashes.
func (h *Hasher) Params() Argon2Params { return h.params }

// Hash returns the PHC string of an argon2id hash of secret with a fresh salt.
// It returns ErrBusy when no hashing slot frees up in time.
func (h *Hasher) Hash(ctx context.Context, secret string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key, err := h.derive(ctx, secret, salt, h.params, keyLen)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version,
		h.params.MemoryKiB, h.params.Iterations, h.params.Parallelism,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Verify reports whether secret matches the PHC string encoded, and whether
// the hash should be replaced because it was made with other parameters.
// It returns ErrMalformedHash for a string it cannot parse and ErrBusy when
// no hashing slot frees up in time.
func (h *Hasher) Verify(ctx context.Context, secret, encoded string) (ok, rehash bool, err error) {
	p, salt, want, err := parsePHC(encoded)
	if err != nil {
		return false, false, err
	}
	got, err := h.derive(ctx, secret, salt, p, uint32(len(want)))
	if err != nil {
		return false, false, err
	}
	h.verified.Add(1)
	ok = subtle.ConstantTimeCompare(got, want) == 1
	return ok, ok && p != h.params, nil
}

// derive runs argon2id inside a hashing slot.
func (h *Hasher) derive(ctx context.Context, secret string, salt []byte, p Argon2Params, n uint32) ([]byte, error) {
	if err := h.acquire(ctx); err != nil {
		return nil, err
	}
	defer func() { <-h.slots }()
	return argon2.IDKey([]byte(secret), salt, p.Iterations, p.MemoryKiB, p.Parallelism, n), nil
}

func (h *Hasher) acquire(ctx context.Context) error {
	select {
	case h.slots <- struct{}{}:
		return nil
	default:
	}
	// Allow a short queue (a few hashes' worth of waiting) and refuse beyond
	// it, so overload turns into quick 503s instead of piling up memory.
	if h.waiting.Add(1) > h.queueLen() {
		h.waiting.Add(-1)
		return ErrBusy
	}
	defer h.waiting.Add(-1)
	timer := time.NewTimer(h.maxWait)
	defer timer.Stop()
	select {
	case h.slots <- struct{}{}:
		return nil
	case <-timer.C:
		return ErrBusy
	case <-ctx.Done():
		return ctx.Err()
	}
}

// queueLen is how many callers may wait for a slot.
func (h *Hasher) queueLen() int64 { return int64(4 * cap(h.slots)) }

var b64 = base64.RawStdEncoding

// Bounds on parameters read from stored hashes: a corrupt or hostile hash
// must not make one sign-in allocate gigabytes or run for minutes.
const (
	maxMemoryKiB  = 1 << 20 // 1 GiB
	maxIterations = 64
)

func parsePHC(s string) (Argon2Params, []byte, []byte, error) {
	var p Argon2Params
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return p, nil, nil, ErrMalformedHash
	}
	params := strings.Split(parts[3], ",")
	if len(params) != 3 {
		return p, nil, nil, ErrMalformedHash
	}
	m, errM := phcParam(params[0], "m=", maxMemoryKiB)
	t, errT := phcParam(params[1], "t=", maxIterations)
	par, errP := phcParam(params[2], "p=", 255)
	if errM != nil || errT != nil || errP != nil {
		return p, nil, nil, ErrMalformedHash
	}
	p = Argon2Params{MemoryKiB: m, Iterations: t, Parallelism: uint8(par)}
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return p, nil, nil, ErrMalformedHash
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil || len(key) < 16 || len(key) > 64 {
		return p, nil, nil, ErrMalformedHash
	}
	return p, salt, key, nil
}

// phcParam parses "name=N" with 1 <= N <= max, digits only.
func phcParam(field, name string, max uint64) (uint32, error) {
	digits, ok := strings.CutPrefix(field, name)
	if !ok || digits == "" || strings.TrimLeft(digits, "0123456789") != "" {
		return 0, ErrMalformedHash
	}
	n, err := strconv.ParseUint(digits, 10, 32)
	if err != nil || n < 1 || n > max {
		return 0, ErrMalformedHash
	}
	return uint32(n), nil
}
