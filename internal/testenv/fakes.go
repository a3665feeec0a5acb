package testenv

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/anju-city/anju/internal/app"
	"github.com/anju-city/anju/internal/pii"
	"github.com/anju-city/anju/internal/postgres"
	"github.com/anju-city/anju/internal/talent"
)

// Clock is a clock a test sets and moves by hand.
type Clock struct{ T time.Time }

// Now returns the set time.
func (c *Clock) Now() time.Time { return c.T }

// NoPush is a talent.Pusher that accepts every message, for tests that do
// not look at push (those that do use the fcmfake server).
type NoPush struct{}

// Push accepts the message.
func (NoPush) Push(context.Context, talent.PushMessage) error { return nil }

// VaultKey is the encryption key of Vault.
var VaultKey = pii.Key{ID: "test", Secret: bytes.Repeat([]byte{1}, 32)}

// Vault returns a keyring with fixed test keys that refuses legacy v1
// values, so that any value sealed without its field and row fails a test.
func Vault(t testing.TB) *pii.Keyring {
	t.Helper()
	vault, err := pii.NewKeyring([]pii.Key{VaultKey}, bytes.Repeat([]byte{2}, 32))
	if err != nil {
		t.Fatal(err)
	}
	vault.RequireBound = true
	return vault
}

// SealV1 seals plaintext with key in the legacy v1 format, bound to the key
// id alone, as Anju wrote personal data before values were bound to their
// field and row: what databases deployed then still hold.
func SealV1(t testing.TB, key pii.Key, plaintext string) string {
	t.Helper()
	block, err := aes.NewCipher(key.Secret)
	if err != nil {
		t.Fatal(err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		t.Fatal(err)
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		t.Fatal(err)
	}
	return "v1." + key.ID + "." + base64.RawURLEncoding.EncodeToString(aead.Seal(nonce, nonce, []byte(plaintext), []byte(key.ID)))
}

// App builds the application, as cmd/anju does, on a fresh database with
// test keys, a clock set to 2026-11-25 10:00 in Shanghai, the city 慈溪 and
// logs discarded. A nil pusher accepts every push; objects may be nil for
// tests that never touch document bytes.
func App(t testing.TB, pusher talent.Pusher, objects talent.ObjectStore) (*postgres.DB, *app.App, *Clock) {
	t.Helper()
	db, err := postgres.Open(context.Background(), Database(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	if pusher == nil {
		pusher = NoPush{}
	}
	clock := &Clock{T: time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)}
	a, err := app.New(app.Deps{
		Stores: postgres.Stores(db), Objects: objects, Pusher: pusher, Vault: Vault(t), Clock: clock,
		Logger:   slog.New(slog.NewJSONHandler(io.Discard, nil)),
		Settings: app.Settings{City: "慈溪", UploadTTL: 15 * time.Minute, DownloadTTL: 5 * time.Minute},
	})
	if err != nil {
		t.Fatal(err)
	}
	return db, a, clock
}
