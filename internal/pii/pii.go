// Package pii seals personal data at rest with AES-256-GCM and computes HMAC
// blind indexes, so that a national ID number can be checked for uniqueness
// without being stored in clear.
//
// A sealed value is "v2.<key id>.<base64url(nonce|ciphertext)>". Its
// additional data binds the key id, the field the value belongs to
// (talent.SealedField, "table.column") and the id of the row that owns it:
// a value relabelled to another key, or copied into another row, column or
// table, fails authentication instead of opening as someone else's. The key
// id lets keys rotate: new values are sealed with the first key of the
// Keyring and older values still open with the keys that follow it.
//
// Values written before the binding are "v1.<key id>.…", bound to the key id
// alone. They still open, as legacy, until RequireBound is set; `anju pii
// reseal` rewrites them (and values under an older key) with Rebind.
package pii

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/anju-city/anju/internal/talent"
)

// Key is one named 256-bit encryption key.
type Key struct {
	ID     string
	Secret []byte
}

// Keyring seals with its first key and opens with any of its keys.
type Keyring struct {
	// RequireBound refuses legacy v1 values, which are bound to no field
	// or row (ANJU_PII_REQUIRE_BOUND). Set it before the Keyring is used,
	// once `anju pii reseal` has rewritten every stored value.
	RequireBound bool

	active string
	aeads  map[string]cipher.AEAD
	index  []byte
}

// NewKeyring returns a Keyring. keys[0] seals new values; indexKey keys the
// blind index and, unlike encryption keys, cannot rotate without re-indexing.
func NewKeyring(keys []Key, indexKey []byte) (*Keyring, error) {
	if len(keys) == 0 {
		return nil, errors.New("pii: at least one encryption key is required")
	}
	if len(indexKey) < 32 {
		return nil, errors.New("pii: the index key must be at least 32 bytes")
	}
	r := &Keyring{active: keys[0].ID, aeads: make(map[string]cipher.AEAD, len(keys)), index: indexKey}
	for _, k := range keys {
		if k.ID == "" || strings.ContainsAny(k.ID, ".,:") {
			return nil, fmt.Errorf("pii: key id %q must be non-empty without '.', ',' or ':'", k.ID)
		}
		if len(k.Secret) != 32 {
			return nil, fmt.Errorf("pii: key %q must be 32 bytes (AES-256), got %d", k.ID, len(k.Secret))
		}
		if _, dup := r.aeads[k.ID]; dup {
			return nil, fmt.Errorf("pii: key id %q appears twice", k.ID)
		}
		block, err := aes.NewCipher(k.Secret)
		if err != nil {
			return nil, err
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, err
		}
		r.aeads[k.ID] = aead
	}
	return r, nil
}

// ParseKeys parses "id:base64,id:base64" (standard or URL base64 of 32 bytes).
func ParseKeys(s string) ([]Key, error) {
	var keys []Key
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		id, b64, ok := strings.Cut(part, ":")
		if !ok {
			return nil, fmt.Errorf("key %d: want id:base64", len(keys)+1)
		}
		secret, err := DecodeSecret(b64)
		if err != nil {
			return nil, fmt.Errorf("key %q: %w", id, err)
		}
		keys = append(keys, Key{ID: id, Secret: secret})
	}
	if len(keys) == 0 {
		return nil, errors.New("no keys")
	}
	return keys, nil
}

// DecodeSecret decodes standard or URL-safe base64, padded or not.
func DecodeSecret(s string) ([]byte, error) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b, nil
		}
	}
	return nil, errors.New("not valid base64")
}

// The errors Open and Rebind wrap, with the field and row (never the value).
var (
	// ErrNotSealed: the value is not in a sealed format.
	ErrNotSealed = errors.New("not a sealed value")
	// ErrUnknownKey: the value names a key the ring does not hold.
	ErrUnknownKey = errors.New("sealed with a key this deployment does not hold")
	// ErrAuthentication: the value was tampered with, relabelled, or sealed
	// for another field or row.
	ErrAuthentication = errors.New("sealed value failed authentication (tampered, or sealed for another field or row)")
	// ErrLegacy: a v1 value while RequireBound is set.
	ErrLegacy = errors.New("sealed in the unbound v1 format, which this deployment refuses (run `anju pii reseal`)")
)

const (
	bound  = "v2" // bound to key id, field and row
	legacy = "v1" // bound to the key id alone
)

// Seal encrypts plaintext for field f of row with the active key.
func (r *Keyring) Seal(f talent.SealedField, row, plaintext string) (string, error) {
	if f == "" || row == "" {
		return "", fmt.Errorf("pii: sealing needs a field and a row id (field %q, row %q)", f, row)
	}
	aead := r.aeads[r.active]
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plaintext)+aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	out := aead.Seal(nonce, nonce, []byte(plaintext), boundData(r.active, f, row))
	return r.Current() + base64.RawURLEncoding.EncodeToString(out), nil
}

// Open decrypts a value sealed for field f of row with any key of the ring;
// a legacy v1 value opens unless RequireBound.
func (r *Keyring) Open(f talent.SealedField, row, sealed string) (string, error) {
	plain, version, err := r.open(f, row, sealed)
	if err == nil && version == legacy && r.RequireBound {
		err = ErrLegacy
	}
	if err != nil {
		return "", fmt.Errorf("pii: %s of row %s: %w", f, row, err)
	}
	return plain, nil
}

// Current is the prefix of every value sealed now ("v2.<active key id>."):
// a stored value without it is legacy or under an older key, and Rebind
// brings it up to date.
func (r *Keyring) Current() string { return bound + "." + r.active + "." }

// Rebind opens a value stored as field f of row, whatever its format (a
// legacy v1 value even when RequireBound; a v2 value only if bound to this
// field and row), and seals it again, bound, with the active key. check,
// when not nil, sees the plaintext first and may refuse it (a stored blind
// index compared, so that a legacy value copied from another row is not
// bound where it does not belong).
func (r *Keyring) Rebind(f talent.SealedField, row, sealed string, check func(plaintext string) error) (string, error) {
	plain, _, err := r.open(f, row, sealed)
	if err == nil && check != nil {
		err = check(plain)
	}
	if err != nil {
		return "", fmt.Errorf("pii: %s of row %s: %w", f, row, err)
	}
	return r.Seal(f, row, plain)
}

// open decrypts a v2 value bound to f and row, or a v1 value, and says
// which format it was.
func (r *Keyring) open(f talent.SealedField, row, sealed string) (string, string, error) {
	parts := strings.SplitN(sealed, ".", 3)
	if len(parts) != 3 || (parts[0] != bound && parts[0] != legacy) {
		return "", "", ErrNotSealed
	}
	aead, ok := r.aeads[parts[1]]
	if !ok {
		return "", "", fmt.Errorf("%w: %q", ErrUnknownKey, parts[1])
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || len(raw) < aead.NonceSize() {
		return "", "", ErrAuthentication
	}
	ad := []byte(parts[1])
	if parts[0] == bound {
		ad = boundData(parts[1], f, row)
	}
	plain, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], ad)
	if err != nil {
		return "", "", ErrAuthentication
	}
	return string(plain), parts[0], nil
}

// boundData is the additional data of a v2 value: the format, key id,
// field and row, each length-prefixed so that no two places share it.
func boundData(keyID string, f talent.SealedField, row string) []byte {
	b := []byte(bound)
	for _, s := range []string{keyID, string(f), row} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	return b
}

// Index returns the hex HMAC-SHA256 of plaintext under the index key.
func (r *Keyring) Index(plaintext string) string {
	m := hmac.New(sha256.New, r.index)
	m.Write([]byte(plaintext))
	return hex.EncodeToString(m.Sum(nil))
}
