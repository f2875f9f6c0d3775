package security

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/crypto/chacha20poly1305"
)

// ErrDecrypt means a sealed value could not be opened: a wrong or retired key,
// tampered bytes, or a value moved to another owner.
var ErrDecrypt = errors.New("security: cannot decrypt value")

// KeyRing holds the keys that sign session cookies and encrypt secrets that
// must be shown again (passphrases, TOTP seeds). Every sealed value records
// the id of its data key, so keys can be rotated without a flag day.
type KeyRing struct {
	path string
	file keyFile
}

type keyFile struct {
	// Session lists cookie key pairs, newest first; older pairs still verify.
	Session []sessionKey `json:"session"`
	// Current is the id of the data key new values are sealed with.
	Current int       `json:"current"`
	Data    []dataKey `json:"data"`
}

type sessionKey struct {
	Hash  []byte `json:"hash"`
	Block []byte `json:"block"`
}

type dataKey struct {
	ID      int       `json:"id"`
	Key     []byte    `json:"key"`
	Created time.Time `json:"created"`
}

// LoadKeyRing reads the key file at path. When the file does not exist and
// create is true (development), a new file is written with mode 0600. A file
// that group or others may read is refused when strict is true (production).
func LoadKeyRing(path string, create, strict bool) (*KeyRing, error) {
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) && create {
		return createKeyRing(path)
	}
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	if strict && info.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("key file %s: mode %v lets others read it; run chmod 600", path, info.Mode().Perm())
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	k := &KeyRing{path: path}
	if err := json.Unmarshal(raw, &k.file); err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	if err := k.file.validate(); err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	return k, nil
}

// NewMemoryKeyRing returns a key ring with fresh keys that is never written
// to disk; tests use it.
func NewMemoryKeyRing() (*KeyRing, error) {
	k := &KeyRing{}
	if err := k.addSessionKey(); err != nil {
		return nil, err
	}
	if _, err := k.AddDataKey(); err != nil {
		return nil, err
	}
	return k, nil
}

func createKeyRing(path string) (*KeyRing, error) {
	k, err := NewMemoryKeyRing()
	if err != nil {
		return nil, err
	}
	k.path = path
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	return k, k.Save()
}

// Save writes the key ring back to its file atomically with mode 0600.
func (k *KeyRing) Save() error {
	raw, err := json.MarshalIndent(k.file, "", "  ")
	if err != nil {
		return err
	}
	// A leftover temporary file may have a looser mode, which the rename
	// would carry over; start from a fresh file that only we can read.
	tmp := k.path + ".tmp"
	if err := os.Remove(tmp); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("key file %s: %w", k.path, err)
	}
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("key file %s: %w", k.path, err)
	}
	_, werr := f.Write(raw)
	if err := errors.Join(werr, f.Sync(), f.Close()); err != nil {
		return fmt.Errorf("key file %s: %w", k.path, err)
	}
	return os.Rename(tmp, k.path)
}

func (f *keyFile) validate() error {
	if len(f.Session) == 0 {
		return errors.New("no session keys")
	}
	for _, s := range f.Session {
		if len(s.Hash) != 64 || len(s.Block) != 32 {
			return errors.New("session keys must be 64-byte hash and 32-byte block keys")
		}
	}
	found := false
	for _, d := range f.Data {
		if len(d.Key) != chacha20poly1305.KeySize {
			return fmt.Errorf("data key %d is not %d bytes", d.ID, chacha20poly1305.KeySize)
		}
		found = found || d.ID == f.Current
	}
	if !found {
		return fmt.Errorf("current data key %d is missing", f.Current)
	}
	return nil
}

func (k *KeyRing) addSessionKey() error {
	s := sessionKey{Hash: make([]byte, 64), Block: make([]byte, 32)}
	if _, err := rand.Read(s.Hash); err != nil {
		return err
	}
	if _, err := rand.Read(s.Block); err != nil {
		return err
	}
	k.file.Session = append([]sessionKey{s}, k.file.Session...)
	return nil
}

// AddDataKey creates a new data key, makes it current and returns its id.
// The caller saves the ring and re-encrypts stored values.
func (k *KeyRing) AddDataKey() (int, error) {
	d := dataKey{Key: make([]byte, chacha20poly1305.KeySize), Created: time.Now().UTC()}
	if _, err := rand.Read(d.Key); err != nil {
		return 0, err
	}
	for _, old := range k.file.Data {
		d.ID = max(d.ID, old.ID)
	}
	d.ID++
	k.file.Data = append(k.file.Data, d)
	k.file.Current = d.ID
	return d.ID, nil
}

// CookieKeyPairs returns hash and block keys for securecookie, newest first,
// in the order securecookie.CodecsFromPairs expects.
func (k *KeyRing) CookieKeyPairs() [][]byte {
	pairs := make([][]byte, 0, 2*len(k.file.Session))
	for _, s := range k.file.Session {
		pairs = append(pairs, s.Hash, s.Block)
	}
	return pairs
}

// CurrentDataKey returns the id of the key new values are sealed with.
func (k *KeyRing) CurrentDataKey() int { return k.file.Current }

// Seal encrypts plaintext with XChaCha20-Poly1305 under the current data key.
// Associated data binds the value to its owner and purpose: opening it with
// any other associated data fails.
func (k *KeyRing) Seal(plaintext, associated []byte) (keyID int, nonce, ciphertext []byte, err error) {
	key := k.key(k.file.Current)
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return 0, nil, nil, err
	}
	nonce = make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return 0, nil, nil, err
	}
	return k.file.Current, nonce, aead.Seal(nil, nonce, plaintext, associated), nil
}

// Open decrypts a value sealed under key keyID. It returns ErrDecrypt when
// the key is unknown or the value, nonce or associated data do not match.
func (k *KeyRing) Open(keyID int, nonce, ciphertext, associated []byte) ([]byte, error) {
	key := k.key(keyID)
	if key == nil {
		return nil, ErrDecrypt
	}
	aead, err := chacha20poly1305.NewX(key)
	if err != nil || len(nonce) != aead.NonceSize() {
		return nil, ErrDecrypt
	}
	out, err := aead.Open(nil, nonce, ciphertext, associated)
	if err != nil {
		return nil, ErrDecrypt
	}
	return out, nil
}

func (k *KeyRing) key(id int) []byte {
	for _, d := range k.file.Data {
		if d.ID == id {
			return d.Key
		}
	}
	return nil
}

// DataKeyInfo describes one data key without revealing it.
type DataKeyInfo struct {
	ID      int
	Created time.Time
	Current bool
}

// DataKeys lists the data keys, oldest first.
func (k *KeyRing) DataKeys() []DataKeyInfo {
	out := make([]DataKeyInfo, len(k.file.Data))
	for i, d := range k.file.Data {
		out[i] = DataKeyInfo{ID: d.ID, Created: d.Created, Current: d.ID == k.file.Current}
	}
	return out
}

// RemoveDataKey drops a data key that is not current. The caller makes
// sure no stored value still needs it.
func (k *KeyRing) RemoveDataKey(id int) error {
	if id == k.file.Current {
		return errors.New("the current key cannot be retired; rotate first")
	}
	for i, d := range k.file.Data {
		if d.ID == id {
			k.file.Data = append(k.file.Data[:i], k.file.Data[i+1:]...)
			return nil
		}
	}
	return fmt.Errorf("no data key %d", id)
}

// Derive returns a 32-byte value for purpose, computed from the ring's
// oldest cookie key, so every replica sharing the key file derives the same
// value and nothing new has to be stored. It is stable until that key is
// removed.
func (k *KeyRing) Derive(purpose string) []byte {
	oldest := k.file.Session[len(k.file.Session)-1]
	mac := hmac.New(sha256.New, oldest.Hash)
	mac.Write([]byte("accountportal derive: " + purpose))
	return mac.Sum(nil)
}
