package postgres

import (
	"context"
	"errors"
	"net"
	"strings"

	"github.com/anju-city/anju/internal/talent"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// querier is what both a pool and a transaction offer.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// execer runs a statement whose rows nobody reads: a transaction, or a
// pipeline.
type execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// pipeline queues statements whose answers nobody reads, to send them in
// one round trip: a change of hundreds of rows costs one wait for the
// database, not hundreds. Errors surface when it is sent.
type pipeline struct{ batch pgx.Batch }

// Exec implements execer by queueing the statement.
func (p *pipeline) Exec(_ context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	p.batch.Queue(sql, args...)
	return pgconn.CommandTag{}, nil
}

// send runs the queued statements in tx and returns the first error.
func (p *pipeline) send(ctx context.Context, tx pgx.Tx) error {
	if p.batch.Len() == 0 {
		return nil
	}
	return tx.SendBatch(ctx, &p.batch).Close()
}

// tx runs fn in a transaction, committing when it returns nil.
func (db *DB) tx(ctx context.Context, fn func(pgx.Tx) error) error {
	return translate(pgx.BeginFunc(ctx, db.pool, fn))
}

// update is the shape of every Update method: in one transaction, load
// locks one row (SELECT … FOR UPDATE), fn changes it and says what else to
// write, and save writes the row with that change. An id that is not a
// UUID is not found without a query; a missing row is KindNotFound with
// code missing; when fn fails nothing is written.
func update[T, C any](ctx context.Context, db *DB, id string, missing talent.Code,
	load func(pgx.Tx) (T, error), fn func(*T) (C, error), save func(pgx.Tx, *T, C) error) (T, error) {
	var v T
	if !isUUID(id) {
		return v, talent.NotFound(missing)
	}
	err := db.tx(ctx, func(tx pgx.Tx) error {
		var err error
		if v, err = load(tx); err != nil {
			return notFound(translate(err), missing)
		}
		change, err := fn(&v)
		if err != nil {
			return err
		}
		return save(tx, &v, change)
	})
	return v, err
}

// byID reads one row by its id with scan: an id that is not a UUID, or a
// row that does not exist, is KindNotFound with code missing.
func byID[T any](ctx context.Context, q querier, id string, missing talent.Code, scan func(pgx.Row) (T, error), sql string) (T, error) {
	if !isUUID(id) {
		var zero T
		return zero, talent.NotFound(missing)
	}
	v, err := scan(q.QueryRow(ctx, sql, id))
	return v, notFound(translate(err), missing)
}

// collect reads every row of a query with scan.
func collect[T any](ctx context.Context, q querier, scan func(pgx.Row) (T, error), sql string, args ...any) ([]T, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, translate(err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (T, error) { return scan(r) })
	return list, translate(err)
}

// ids reads a query's single text column.
// afterID is the keyset start of a page of rows in id order: after the id
// given, or before every id.
func afterID(after string) string {
	if after == "" {
		return "00000000-0000-0000-0000-000000000000"
	}
	return after
}

func ids(ctx context.Context, q querier, sql string, args ...any) ([]string, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, translate(err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return list, translate(err)
}

// constraintCodes names the conflict each unique or exclusion constraint
// stands for; each adapter file registers its own.
var constraintCodes = map[string]talent.Code{}

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
		return talent.NotFound(talent.CodeNotFound)
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505": // unique_violation
			code, ok := constraintCodes[pgErr.ConstraintName]
			if !ok {
				code = talent.CodeDuplicate
			}
			return talent.Errorf(talent.KindConflict, code, "unique constraint %s", pgErr.ConstraintName)
		case "23503": // foreign_key_violation
			return talent.Errorf(talent.KindInvalid, talent.CodeReferenceUnknown, "foreign key %s", pgErr.ConstraintName)
		case "23514", "22P02", "22001": // check_violation, invalid_text_representation, string too long
			return talent.Errorf(talent.KindInvalid, talent.CodeValueRejected, "value rejected by %s", pgErr.ConstraintName)
		case "40001", "40P01": // serialization_failure, deadlock_detected
			return talent.Errorf(talent.KindUnavailable, talent.CodeRetry, "transaction conflict, retry")
		case "57P01", "57P02", "57P03", "53300": // shutdown, cannot connect now, too many connections
			return talent.Errorf(talent.KindUnavailable, talent.CodeDatabaseDown, "database unavailable: %s", pgErr.Code)
		}
		return err
	}
	var netErr net.Error
	if errors.As(err, &netErr) || errors.Is(err, context.DeadlineExceeded) {
		return &talent.Error{Kind: talent.KindUnavailable, Code: talent.CodeDatabaseDown, Message: err.Error()}
	}
	var connErr *pgconn.ConnectError
	if errors.As(err, &connErr) {
		return &talent.Error{Kind: talent.KindUnavailable, Code: talent.CodeDatabaseDown, Message: "cannot connect to the database"}
	}
	return err
}

// notFound replaces a generic not-found with a resource-specific one.
func notFound(err error, code talent.Code) error {
	if talent.HasCode(err, talent.CodeNotFound) {
		return talent.NotFound(code)
	}
	return err
}

// isUUID keeps ids that cannot exist away from the database, where they would
// be a type error rather than "not found".
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if (c < '0' || c > '9') && (c < 'a' || c > 'f') && (c < 'A' || c > 'F') {
				return false
			}
		}
	}
	return true
}

// prefixed qualifies a column list with a table alias.
func prefixed(alias, columns string) string {
	var out []string
	for _, c := range strings.Split(columns, ",") {
		out = append(out, alias+strings.TrimSpace(c))
	}
	return strings.Join(out, ", ")
}

// strs turns a list of statuses into the text[] a query takes.
func strs[S ~string](list []S) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = string(s)
	}
	return out
}
