// Package postgres is Anju's system of record: the talent.Store on
// PostgreSQL (pgx v5, hand-written SQL), the outbox, idempotency keys and the
// embedded migrations.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"

	"github.com/anju-city/anju/internal/talent"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// Migrations are the schema changes, applied in order by goose.
//
//go:embed migrations/*.sql
var Migrations embed.FS

// DB is the PostgreSQL store.
type DB struct {
	pool *pgxpool.Pool
}

// Open connects a pool; it does not wait for the server.
func Open(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("database url: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return &DB{pool: pool}, nil
}

// Close closes the pool.
func (db *DB) Close() { db.pool.Close() }

// Pool exposes the pool to tests and operator commands.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	return translate(db.pool.Ping(ctx))
}

// Migrate runs goose with the embedded migrations: "up", "down" (one step)
// or "status" (printed to w).
func (db *DB) Migrate(ctx context.Context, command string, w io.Writer) error {
	sqlDB := stdlib.OpenDBFromPool(db.pool)
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

// tx runs fn in a transaction, committing when it returns nil.
func (db *DB) tx(ctx context.Context, fn func(pgx.Tx) error) error {
	return translate(pgx.BeginFunc(ctx, db.pool, fn))
}

// constraintCodes names the conflict each unique constraint stands for.
var constraintCodes = map[string]string{
	"profiles_national_id_index_key": "national_id_taken",
	"employers_credit_code_key":      "credit_code_taken",
}

// translate turns database errors into talent errors by SQLSTATE, never by
// message text. Errors that are already talent errors pass through.
func translate(err error) error {
	if err == nil {
		return nil
	}
	var te *talent.Error
	if errors.As(err, &te) {
		return err
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return talent.Errorf(talent.KindNotFound, "not_found", "row not found")
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505": // unique_violation
			code, ok := constraintCodes[pgErr.ConstraintName]
			if !ok {
				code = "duplicate"
			}
			return talent.Errorf(talent.KindConflict, code, "unique constraint %s", pgErr.ConstraintName)
		case "23503": // foreign_key_violation
			return talent.Errorf(talent.KindInvalid, "reference_unknown", "foreign key %s", pgErr.ConstraintName)
		case "23514", "22P02", "22001": // check_violation, invalid_text_representation, string too long
			return talent.Errorf(talent.KindInvalid, "value_rejected", "value rejected by %s", pgErr.ConstraintName)
		case "40001", "40P01": // serialization_failure, deadlock_detected
			return talent.Errorf(talent.KindUnavailable, "retry", "transaction conflict, retry")
		case "57P01", "57P02", "57P03", "53300": // shutdown, cannot connect now, too many connections
			return talent.Errorf(talent.KindUnavailable, "database_unavailable", "database unavailable: %s", pgErr.Code)
		}
		return err
	}
	var netErr net.Error
	if errors.As(err, &netErr) || errors.Is(err, context.DeadlineExceeded) {
		return &talent.Error{Kind: talent.KindUnavailable, Code: "database_unavailable", Message: err.Error()}
	}
	var connErr *pgconn.ConnectError
	if errors.As(err, &connErr) {
		return &talent.Error{Kind: talent.KindUnavailable, Code: "database_unavailable", Message: "cannot connect to the database"}
	}
	return err
}

// notFound replaces a generic not-found with a resource-specific one.
func notFound(err error, what string) error {
	if talent.ErrorKind(err) == talent.KindNotFound && talent.ErrorCode(err) == "not_found" {
		return talent.NotFound(what)
	}
	return err
}
