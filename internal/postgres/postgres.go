// Package postgres is Anju's system of record on PostgreSQL (pgx v5,
// hand-written SQL): one adapter per port of the modules, all on one
// shared pool, the outbox writer and relay, idempotency keys and the
// embedded migrations.
package postgres

import (
	"context"
	"embed"
	"fmt"
	"io"
	"io/fs"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// Migrations are the schema changes, applied in order by goose.
//
//go:embed migrations/*.sql
var Migrations embed.FS

// DB is the shared connection pool; its methods give the adapters.
type DB struct {
	pool conn
}

// Option changes how Open connects.
type Option func(*pgxpool.Config)

// WithTracer has every query traced by t (tests that look at query plans
// use it to learn what the adapters send).
func WithTracer(t pgx.QueryTracer) Option {
	return func(c *pgxpool.Config) { c.ConnConfig.Tracer = t }
}

// Open connects a pool; it does not wait for the server.
func Open(ctx context.Context, url string, opts ...Option) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("database url: %w", err)
	}
	for _, o := range opts {
		o(cfg)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return &DB{pool: conn{pool}}, nil
}

// Close closes the pool.
func (db *DB) Close() { db.pool.p.Close() }

// Pool exposes the pool to tests and operator commands.
func (db *DB) Pool() *pgxpool.Pool { return db.pool.p }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	return translate(db.pool.p.Ping(ctx))
}

// Migrate runs goose with the embedded migrations: "up", "down" (one step)
// or "status" (printed to w).
func (db *DB) Migrate(ctx context.Context, command string, w io.Writer) error {
	sqlDB := stdlib.OpenDBFromPool(db.pool.p)
	defer sqlDB.Close()
	dir, err := fs.Sub(Migrations, "migrations")
	if err != nil {
		return err
	}
	// A session lock makes concurrent migrations (several replicas starting
	// at once) wait for each other instead of racing.
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return err
	}
	provider, err := goose.NewProvider(goose.DialectPostgres, sqlDB, dir, goose.WithSessionLocker(locker))
	if err != nil {
		return err
	}
	switch command {
	case "up":
		results, err := provider.Up(ctx)
		for _, r := range results {
			fmt.Fprintf(w, "applied %s (%s)\n", r.Source.Path, r.Duration)
		}
		return err
	case "down":
		r, err := provider.Down(ctx)
		if r != nil {
			fmt.Fprintf(w, "rolled back %s\n", r.Source.Path)
		}
		return err
	case "status":
		statuses, err := provider.Status(ctx)
		for _, s := range statuses {
			at := "pending"
			if s.State == goose.StateApplied {
				at = "applied " + s.AppliedAt.Format("2006-01-02 15:04:05")
			}
			fmt.Fprintf(w, "%-40s %s\n", s.Source.Path, at)
		}
		return err
	}
	return fmt.Errorf("unknown migrate command %q: want up, down or status", command)
}
