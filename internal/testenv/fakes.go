package testenv

import (
	"bytes"
	"context"
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

// Vault returns a keyring with fixed test keys.
func Vault(t testing.TB) *pii.Keyring {
	t.Helper()
	vault, err := pii.NewKeyring([]pii.Key{{ID: "test", Secret: bytes.Repeat([]byte{1}, 32)}}, bytes.Repeat([]byte{2}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return vault
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
