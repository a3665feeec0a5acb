package testenv

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"testing"
	"time"

	"github.com/anju-city/anju/internal/postgres"
	"github.com/jackc/pgx/v5"
)

// Database creates a fresh database for one test, cloned from a template that
// has every migration applied, and drops it when the test ends. It returns
// the database's URL. The server is the one `make test` runs
// (ANJU_TEST_DATABASE_URL).
func Database(t testing.TB) string {
	t.Helper()
	admin := Getenv("ANJU_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:55432/postgres?sslmode=disable")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	Require(t, "PostgreSQL", err)
	defer conn.Close(ctx)

	template, err := ensureTemplate(ctx, conn, admin)
	if err != nil {
		t.Fatalf("preparing the template database: %v", err)
	}
	name := "anju_t_" + randomHex(6)
	if _, err := conn.Exec(ctx, fmt.Sprintf(`CREATE DATABASE %s TEMPLATE %s`, name, template)); err != nil {
		t.Fatalf("creating test database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if c, err := pgx.Connect(ctx, admin); err == nil {
			_, _ = c.Exec(ctx, fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, name))
			_ = c.Close(ctx)
		}
	})
	return withDatabase(admin, name)
}

// ensureTemplate creates, once per set of migrations, a migrated database to
// clone. An advisory lock keeps parallel test packages from racing.
func ensureTemplate(ctx context.Context, conn *pgx.Conn, admin string) (string, error) {
	name := "anju_tpl_" + migrationsHash()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock(4242)`); err != nil {
		return "", err
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(4242)`) //nolint:errcheck
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil || exists {
		return name, err
	}
	building := name + "_build"
	if _, err := conn.Exec(ctx, fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, building)); err != nil {
		return "", err
	}
	if _, err := conn.Exec(ctx, fmt.Sprintf(`CREATE DATABASE %s`, building)); err != nil {
		return "", err
	}
	db, err := postgres.Open(ctx, withDatabase(admin, building))
	if err != nil {
		return "", err
	}
	err = db.Migrate(ctx, "up", io.Discard)
	db.Close()
	if err != nil {
		return "", err
	}
	_, err = conn.Exec(ctx, fmt.Sprintf(`ALTER DATABASE %s RENAME TO %s`, building, name))
	return name, err
}

func migrationsHash() string {
	h := sha256.New()
	_ = fs.WalkDir(postgres.Migrations, ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(postgres.Migrations, path)
			h.Write([]byte(path))
			h.Write(b)
		}
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:12]
}

func withDatabase(rawURL, name string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return rawURL
	}
	u.Path = "/" + name
	return u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
