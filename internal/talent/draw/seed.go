package draw

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
)

// SeedSize is the length of a draw seed in bytes.
const SeedSize = 32

// NewSeed returns a fresh secret seed of SeedSize bytes from crypto/rand. Keep
// it secret until the pool is frozen and its hash published; publish its
// Commitment when the round opens.
func NewSeed() ([]byte, error) {
	seed := make([]byte, SeedSize)
	if _, err := rand.Read(seed); err != nil {
		return nil, err
	}
	return seed, nil
}

// Commitment is the lowercase hex SHA-256 of seed, published when the round
// opens so that the seed revealed later can be checked against it.
func Commitment(seed []byte) string {
	sum := sha256.Sum256(seed)
	return hex.EncodeToString(sum[:])
}

// TieKey is the lowercase hex HMAC-SHA256, keyed with seed, of the UTF-8
// bytes of applicationID. Applications with equal scores are ordered by it,
// smallest first.
func TieKey(seed []byte, applicationID string) string {
	mac := hmac.New(sha256.New, seed)
	mac.Write([]byte(applicationID))
	return hex.EncodeToString(mac.Sum(nil))
}
