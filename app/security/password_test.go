package security_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"

	"accountportal/app/security"
)

// tiny keeps argon2 to 64 KiB and one pass so the suite stays fast; the
// production cost is measured by the benchmarks instead.
var tiny = security.Argon2Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1}

// b64 is the PHC string encoding: standard alphabet, no padding.
var b64 = base64.RawStdEncoding

func newTinyHasher() *security.Hasher { return security.NewHasher(tiny, 2, time.Minute) }

func mustHash(t testing.TB, h *security.Hasher, secret string) string {
	t.Helper()
	enc, err := h.Hash(context.Background(), secret)
	if err != nil {
		t.Fatalf("Hash: %v", err)
	}
	return enc
}

func TestHasherVerifiesOnlyTheHashedPassword(t *testing.T) {
	h := newTinyHasher()
	enc := mustHash(t, h, "Zebra+Lamp7")
	for _, tc := range []struct {
		secret string
		want   bool
	}{
		{"Zebra+Lamp7", true},
		{"zebra+lamp7", false},
		{"Zebra+Lamp", false},
		{"Zebra+Lamp77", false},
		{"", false},
	} {
		ok, rehash, err := h.Verify(context.Background(), tc.secret, enc)
		if err != nil || ok != tc.want || rehash {
			t.Errorf("Verify(%q) = %v, rehash %v, %v; want %v, false, nil", tc.secret, ok, rehash, err, tc.want)
		}
	}
}

func TestHasherSaltsEachHash(t *testing.T) {
	h := newTinyHasher()
	a, b := mustHash(t, h, "Zebra+Lamp7"), mustHash(t, h, "Zebra+Lamp7")
	if a == b {
		t.Fatalf("two hashes of one password are both %q; the salt is not random", a)
	}
	for _, enc := range []string{a, b} {
		if ok, _, err := h.Verify(context.Background(), "Zebra+Lamp7", enc); !ok || err != nil {
			t.Errorf("Verify(%q) = %v, %v; want true", enc, ok, err)
		}
	}
}

func TestHasherWritesStandardArgon2idPHCString(t *testing.T) {
	enc := mustHash(t, newTinyHasher(), "Zebra+Lamp7")
	const prefix = "$argon2id$v=19$m=64,t=1,p=1$"
	if !strings.HasPrefix(enc, prefix) {
		t.Fatalf("hash %q does not start with %q", enc, prefix)
	}
	parts := strings.Split(strings.TrimPrefix(enc, prefix), "$")
	if len(parts) != 2 {
		t.Fatalf("hash %q: want salt and key after the parameters", enc)
	}
	salt, err1 := b64.DecodeString(parts[0])
	key, err2 := b64.DecodeString(parts[1])
	if err1 != nil || err2 != nil || len(salt) != 16 || len(key) != 32 {
		t.Fatalf("hash %q: salt %d bytes (%v), key %d bytes (%v); want 16 and 32", enc, len(salt), err1, len(key), err2)
	}
	// Other argon2id implementations must be able to check the hash, so the
	// key must be plain argon2id over the stated parameters.
	if want := argon2.IDKey([]byte("Zebra+Lamp7"), salt, 1, 64, 1, 32); !bytes.Equal(key, want) {
		t.Error("key is not argon2id(password, salt, t=1, m=64, p=1)")
	}
}

func TestHasherVerifiesHashesFromOtherImplementations(t *testing.T) {
	// A 16-byte key and an 8-byte salt are the smallest the format allows.
	salt := []byte("saltsalt")
	key := argon2.IDKey([]byte("Zebra+Lamp7"), salt, 1, 64, 1, 16)
	enc := "$argon2id$v=19$m=64,t=1,p=1$" + b64.EncodeToString(salt) + "$" + b64.EncodeToString(key)
	ok, rehash, err := newTinyHasher().Verify(context.Background(), "Zebra+Lamp7", enc)
	if !ok || rehash || err != nil {
		t.Errorf("Verify = %v, rehash %v, %v; want true, false, nil", ok, rehash, err)
	}
}

func TestHasherAsksForRehashOnlyWhenParamsDiffer(t *testing.T) {
	enc := mustHash(t, newTinyHasher(), "Zebra+Lamp7")
	for _, tc := range []struct {
		name   string
		params security.Argon2Params
		secret string
		ok     bool
		rehash bool
	}{
		{"same params", tiny, "Zebra+Lamp7", true, false},
		{"more memory", security.Argon2Params{MemoryKiB: 128, Iterations: 1, Parallelism: 1}, "Zebra+Lamp7", true, true},
		{"more iterations", security.Argon2Params{MemoryKiB: 64, Iterations: 2, Parallelism: 1}, "Zebra+Lamp7", true, true},
		{"more lanes", security.Argon2Params{MemoryKiB: 64, Iterations: 1, Parallelism: 2}, "Zebra+Lamp7", true, true},
		// A wrong password must not trigger a rehash, which would store a
		// hash of the wrong password.
		{"wrong password", security.Argon2Params{MemoryKiB: 128, Iterations: 1, Parallelism: 1}, "nope", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := security.NewHasher(tc.params, 1, time.Minute)
			ok, rehash, err := h.Verify(context.Background(), tc.secret, enc)
			if err != nil || ok != tc.ok || rehash != tc.rehash {
				t.Errorf("Verify = %v, rehash %v, %v; want %v, %v, nil", ok, rehash, err, tc.ok, tc.rehash)
			}
		})
	}
}

func TestHasherRejectsMalformedHashes(t *testing.T) {
	good := mustHash(t, newTinyHasher(), "Zebra+Lamp7")
	parts := strings.Split(good, "$") // "", argon2id, v=19, params, salt, key
	with := func(i int, v string) string {
		p := append([]string{}, parts...)
		p[i] = v
		return strings.Join(p, "$")
	}
	for _, tc := range []struct{ name, enc string }{
		{"empty", ""},
		{"argon2i algorithm", with(1, "argon2i")},
		{"argon2d algorithm", with(1, "argon2d")},
		{"old version", with(2, "v=16")},
		{"missing version", strings.Replace(good, "$v=19", "", 1)},
		{"zero memory", with(3, "m=0,t=1,p=1")},
		{"zero iterations", with(3, "m=64,t=0,p=1")},
		{"zero lanes", with(3, "m=64,t=1,p=0")},
		{"256 lanes", with(3, "m=64,t=1,p=256")},
		{"negative memory", with(3, "m=-64,t=1,p=1")},
		{"garbled params", with(3, "memory=64")},
		{"salt not base64", with(4, "!!!!!!!!!!!!")},
		{"salt with padding", with(4, parts[4]+"==")},
		{"salt under 8 bytes", with(4, b64.EncodeToString([]byte("short")))},
		{"key not base64", with(5, "*"+parts[5][1:])},
		{"key under 16 bytes", with(5, b64.EncodeToString(make([]byte, 15)))},
		{"key over 64 bytes", with(5, b64.EncodeToString(make([]byte, 65)))},
		{"missing key", strings.Join(parts[:5], "$")},
		{"extra field", good + "$x"},
		{"leading text", "x" + good},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ok, rehash, err := newTinyHasher().Verify(context.Background(), "Zebra+Lamp7", tc.enc)
			if !errors.Is(err, security.ErrMalformedHash) || ok || rehash {
				t.Errorf("Verify(%q) = %v, %v, %v; want ErrMalformedHash", tc.enc, ok, rehash, err)
			}
		})
	}
}

func TestHasherReturnsErrBusyWhenNoSlotFreesInTime(t *testing.T) {
	h := security.NewHasher(tiny, 1, time.Millisecond)
	release := h.HoldSlot()
	defer release()
	if _, err := h.Hash(context.Background(), "Zebra+Lamp7"); !errors.Is(err, security.ErrBusy) {
		t.Errorf("Hash with the only slot held = %v, want ErrBusy", err)
	}
	if _, _, err := h.Verify(context.Background(), "Zebra+Lamp7", "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$AAAAAAAAAAAAAAAAAAAAAA"); !errors.Is(err, security.ErrBusy) {
		t.Errorf("Verify with the only slot held = %v, want ErrBusy", err)
	}
}

func TestHasherReturnsContextErrorWhenCancelledWhileWaiting(t *testing.T) {
	// MaxWait is an hour, so only the cancelled context can end the wait.
	h := security.NewHasher(tiny, 1, time.Hour)
	release := h.HoldSlot()
	defer release()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := h.Hash(ctx, "Zebra+Lamp7"); !errors.Is(err, context.Canceled) {
		t.Errorf("Hash with a cancelled context = %v, want context.Canceled", err)
	}
}

// waitForQueue blocks until n callers are parked waiting for a slot.
func waitForQueue(t *testing.T, h *security.Hasher, n int64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for h.Waiting() < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d callers waiting after 10s, want %d", h.Waiting(), n)
		}
		runtime.Gosched()
	}
}

func TestHasherRefusesAtOnceWhenTheQueueIsFull(t *testing.T) {
	h := security.NewHasher(tiny, 1, time.Hour)
	release := h.HoldSlot()
	defer release()
	ctx, cancel := context.WithCancel(context.Background())
	errs := make(chan error)
	// One slot allows four waiters; the fifth caller must be turned away
	// without waiting out the hour.
	for range 4 {
		go func() {
			_, err := h.Hash(ctx, "Zebra+Lamp7")
			errs <- err
		}()
	}
	waitForQueue(t, h, 4)
	if _, err := h.Hash(context.Background(), "Zebra+Lamp7"); !errors.Is(err, security.ErrBusy) {
		t.Errorf("fifth waiter got %v, want ErrBusy", err)
	}
	cancel()
	for range 4 {
		if err := <-errs; !errors.Is(err, context.Canceled) {
			t.Errorf("queued caller got %v after cancel, want context.Canceled", err)
		}
	}
	if n := h.Waiting(); n != 0 {
		t.Errorf("%d callers still counted as waiting after all returned", n)
	}
}

func TestHasherWaiterProceedsWhenSlotIsReleased(t *testing.T) {
	h := security.NewHasher(tiny, 1, time.Hour)
	release := h.HoldSlot()
	done := make(chan error)
	go func() {
		enc, err := h.Hash(context.Background(), "Zebra+Lamp7")
		if err == nil {
			var ok bool
			if ok, _, err = h.Verify(context.Background(), "Zebra+Lamp7", enc); err == nil && !ok {
				err = errors.New("hash made after waiting does not verify")
			}
		}
		done <- err
	}()
	waitForQueue(t, h, 1)
	release()
	if err := <-done; err != nil {
		t.Errorf("queued Hash after release: %v", err)
	}
}

// production mirrors config's defaults (19456 KiB, 2 passes, 1 lane), the
// cost every sign-in pays.
var production = security.Argon2Params{MemoryKiB: 19456, Iterations: 2, Parallelism: 1}

func BenchmarkHashDefaultParams(b *testing.B) {
	h := security.NewHasher(production, 1, time.Minute)
	for b.Loop() {
		mustHash(b, h, "Zebra+Lamp7")
	}
}

func BenchmarkVerifyDefaultParams(b *testing.B) {
	h := security.NewHasher(production, 1, time.Minute)
	enc := mustHash(b, h, "Zebra+Lamp7")
	for b.Loop() {
		if ok, _, err := h.Verify(context.Background(), "Zebra+Lamp7", enc); !ok || err != nil {
			b.Fatalf("Verify = %v, %v", ok, err)
		}
	}
}
