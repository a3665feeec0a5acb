// Package pii seals personal data at rest with AES-256-GCM and computes HMAC
// blind indexes, so that a national ID number can be checked for uniqueness
// without being stored in clear.
//
// A sealed value is "v1.<key id>.<base64url(nonce|ciphertext)>". The key id
// lets keys rotate: new values are sealed with the first key of the Keyring and
// older values still open with the keys that follow it.
package pii

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// Key is one named 256-bit encryption key.
type Key struct {
	ID     string
	Secret []byte
}

// Keyring seals with its first key and opens with any of its keys.
type Keyring struct {
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

// Seal encrypts plaintext with the active key. The key id is bound as
// additional data so that a value cannot be relabelled to another key.
func (r *Keyring) Seal(plaintext string) (string, error) {
	aead := r.aeads[r.active]
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plaintext)+aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	out := aead.Seal(nonce, nonce, []byte(plaintext), []byte(r.active))
	return "v1." + r.active + "." + base64.RawURLEncoding.EncodeToString(out), nil
}

// Open decrypts a value sealed with any key of the ring.
func (r *Keyring) Open(sealed string) (string, error) {
	parts := strings.SplitN(sealed, ".", 3)
	if len(parts) != 3 || parts[0] != "v1" {
		return "", errors.New("pii: not a sealed value")
	}
	aead, ok := r.aeads[parts[1]]
	if !ok {
		return "", fmt.Errorf("pii: unknown key id %q", parts[1])
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || len(raw) < aead.NonceSize() {
		return "", errors.New("pii: sealed value is corrupt")
	}
	plain, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], []byte(parts[1]))
	if err != nil {
		return "", errors.New("pii: sealed value failed authentication")
	}
	return string(plain), nil
}

// Index returns the hex HMAC-SHA256 of plaintext under the index key.
func (r *Keyring) Index(plaintext string) string {
	m := hmac.New(sha256.New, r.index)
	m.Write([]byte(plaintext))
	return hex.EncodeToString(m.Sum(nil))
}
