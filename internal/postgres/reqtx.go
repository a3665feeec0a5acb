package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// conn is how every adapter reaches the database: the pool, unless the
// context carries a request transaction (see Idempotency.Run), in which
// case every statement, and every transaction an adapter opens (then a
// savepoint), runs in it. So an operation's effect commits together with
// the stored response to its Idempotency-Key, without the adapters or the
// modules knowing.
type conn struct{ p *pgxpool.Pool }

// Exec runs sql in the context's request transaction or on the pool.
func (c conn) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	if t := requestTx(ctx); t != nil {
		return t.Exec(ctx, sql, args...)
	}
	return c.p.Exec(ctx, sql, args...)
}

// Query runs sql in the context's request transaction or on the pool.
func (c conn) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if t := requestTx(ctx); t != nil {
		return t.Query(ctx, sql, args...)
	}
	return c.p.Query(ctx, sql, args...)
}

// QueryRow runs sql in the context's request transaction or on the pool.
func (c conn) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	if t := requestTx(ctx); t != nil {
		return t.QueryRow(ctx, sql, args...)
	}
	return c.p.QueryRow(ctx, sql, args...)
}

// Begin opens a transaction, or a savepoint of the request transaction.
func (c conn) Begin(ctx context.Context) (pgx.Tx, error) {
	if t := requestTx(ctx); t != nil {
		return t.Begin(ctx)
	}
	return c.p.Begin(ctx)
}

type requestTxKey struct{}

// requestTx is the request transaction ctx carries, if any.
func requestTx(ctx context.Context) *reqTx {
	t, _ := ctx.Value(requestTxKey{}).(*reqTx)
	return t
}

// reqTx is one request's transaction on a connection of its own. Control
// statements (savepoints, their release and rollback) are not sent on
// their own: they are queued and go out in the same round trip as the
// next statement, so a nested transaction costs no wait for the database.
// The transaction's opening, with its Idempotency-Key claim, waits the
// same way for the handler's first statement (see Idempotency.Run).
// Like pgx.Tx it is not safe for concurrent use.
type reqTx struct {
	c       *pgxpool.Conn
	pending []string
	seq     int
	closed  bool
	// opening is sent in front of the first statement: BEGIN and the
	// key's claim. Once it has gone, claimErr says whether the claim
	// held; when it did not, nothing more is sent.
	opening  *claim
	claimErr error
	// fresh names the innermost savepoint when no statement has run since
	// it was taken: a statement that fails can be undone back to it, so it
	// needs no savepoint of its own.
	fresh string
	// autocommit: a pinned connection with no transaction around it
	// (Inbox.WithPushLock): each statement commits by itself and an
	// adapter's transaction is a real one.
	autocommit bool
}

// queue adds a control statement to be sent before the next statement.
func (t *reqTx) queue(sql string) { t.pending = append(t.pending, sql) }

// send sends the opening (if it has not gone yet), the pending control
// statements and qs in one round trip and returns the results of qs (the
// others already read).
func (t *reqTx) send(ctx context.Context, qs ...*pgx.QueuedQuery) (pgx.BatchResults, error) {
	if t.closed {
		return nil, pgx.ErrTxClosed
	}
	if t.claimErr != nil {
		return nil, errClaimLost
	}
	b := &pgx.Batch{}
	if t.opening != nil {
		t.opening.queue(b)
		t.opening = nil
	} else if t.undoing() {
		// The transaction stays aborted until the ROLLBACK TO runs, and
		// pgx prepares every statement of a batch before it runs any:
		// what undoes goes out first, on its own.
		pending := strings.Join(t.pending, "; ")
		t.pending = nil
		if _, err := t.c.Exec(ctx, pending); err != nil {
			return nil, err
		}
	}
	opened, n := b.Len(), len(t.pending)
	for _, s := range t.pending {
		b.Queue(s)
	}
	t.pending = nil
	b.QueuedQueries = append(b.QueuedQueries, qs...)
	br := t.c.SendBatch(ctx, b)
	for i := range opened + n {
		if _, err := br.Exec(); err != nil {
			_ = br.Close()
			if i < opened {
				// The key was not claimed (or the database failed).
				t.claimErr = err
				return nil, errClaimLost
			}
			return nil, err
		}
	}
	return br, nil
}

// undoing reports whether a pending control statement rolls back.
func (t *reqTx) undoing() bool {
	for _, s := range t.pending {
		if strings.HasPrefix(s, "ROLLBACK") {
			return true
		}
	}
	return false
}

// idle says nothing has to go before the next statement: no control
// statement queued, no opening unsent, no claim lost.
func (t *reqTx) idle() bool {
	return len(t.pending) == 0 && t.opening == nil && t.claimErr == nil
}

// flush sends what is pending.
func (t *reqTx) flush(ctx context.Context) error {
	if t.idle() {
		return nil
	}
	br, err := t.send(ctx)
	if err != nil {
		return err
	}
	return br.Close()
}

// Exec runs one statement under a savepoint, queued like the others, so
// that a write a constraint refuses is undone alone and the request goes
// on (to answer 409, say) instead of every later statement failing in an
// aborted transaction. Right after a savepoint (the first statement of an
// adapter's transaction, or of the request) that one serves: rolling back
// to it undoes exactly this statement.
func (t *reqTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	if t.closed {
		return pgconn.CommandTag{}, pgx.ErrTxClosed
	}
	if t.autocommit {
		return t.c.Exec(ctx, sql, args...)
	}
	name, own := t.fresh, false
	if name == "" {
		t.seq++
		name, own = "st_"+strconv.Itoa(t.seq), true
		t.queue("SAVEPOINT " + name)
	}
	t.fresh = ""
	br, err := t.send(ctx, &pgx.QueuedQuery{SQL: sql, Arguments: args})
	if err != nil {
		return pgconn.CommandTag{}, err
	}
	tag, err := br.Exec()
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.queue("ROLLBACK TO SAVEPOINT " + name)
		if !own {
			t.fresh = name // as it was: nothing has run since
		}
	}
	if own {
		t.queue("RELEASE SAVEPOINT " + name)
	}
	return tag, err
}

func (t *reqTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if t.closed {
		return nil, pgx.ErrTxClosed
	}
	// A read may lock rows, which rolling back to a savepoint would let
	// go: after it no savepoint is fresh.
	t.fresh = ""
	if t.idle() {
		return t.c.Query(ctx, sql, args...)
	}
	br, err := t.send(ctx, &pgx.QueuedQuery{SQL: sql, Arguments: args})
	if err != nil {
		return nil, err
	}
	rows, err := br.Query()
	if err != nil {
		_ = br.Close()
		return nil, err
	}
	return &batchRows{Rows: rows, br: br}, nil
}

func (t *reqTx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	rows, err := t.Query(ctx, sql, args...)
	return &row{rows: rows, err: err}
}

// SendBatch sends the pending control statements with b.
func (t *reqTx) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	t.fresh = ""
	br, err := t.send(ctx, b.QueuedQueries...)
	if err != nil {
		return errBatch{err}
	}
	return br
}

func (t *reqTx) CopyFrom(ctx context.Context, table pgx.Identifier, columns []string, src pgx.CopyFromSource) (int64, error) {
	t.fresh = ""
	if err := t.flush(ctx); err != nil {
		return 0, err
	}
	return t.c.CopyFrom(ctx, table, columns, src)
}

// Begin queues a savepoint: an adapter's own transaction inside the
// request's, undone alone when it fails.
func (t *reqTx) Begin(ctx context.Context) (pgx.Tx, error) {
	if t.closed {
		return nil, pgx.ErrTxClosed
	}
	if t.autocommit {
		return t.c.Begin(ctx)
	}
	t.seq++
	name := "sp_" + strconv.Itoa(t.seq)
	t.queue("SAVEPOINT " + name)
	t.fresh = name
	return &savepoint{t: t, name: name}, nil
}

// savepoint is an adapter's transaction inside the request transaction.
type savepoint struct {
	t      *reqTx
	name   string
	closed bool
}

func (s *savepoint) Begin(ctx context.Context) (pgx.Tx, error) { return s.t.Begin(ctx) }

func (s *savepoint) Commit(context.Context) error {
	if s.closed {
		return pgx.ErrTxClosed
	}
	s.closed = true
	s.t.queue("RELEASE SAVEPOINT " + s.name)
	s.t.fresh = ""
	return nil
}

func (s *savepoint) Rollback(context.Context) error {
	if s.closed {
		return pgx.ErrTxClosed
	}
	s.closed = true
	s.t.queue("ROLLBACK TO SAVEPOINT " + s.name)
	s.t.fresh = ""
	return nil
}

func (s *savepoint) CopyFrom(ctx context.Context, table pgx.Identifier, columns []string, src pgx.CopyFromSource) (int64, error) {
	return s.t.CopyFrom(ctx, table, columns, src)
}

func (s *savepoint) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	return s.t.SendBatch(ctx, b)
}

// LargeObjects is not offered: Anju keeps files in the object store.
func (s *savepoint) LargeObjects() pgx.LargeObjects {
	panic(fmt.Errorf("postgres: large objects are not used by Anju"))
}

func (s *savepoint) Prepare(ctx context.Context, name, sql string) (*pgconn.StatementDescription, error) {
	if err := s.t.flush(ctx); err != nil {
		return nil, err
	}
	return s.t.c.Conn().Prepare(ctx, name, sql)
}

func (s *savepoint) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	return s.t.Exec(ctx, sql, args...)
}

func (s *savepoint) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	return s.t.Query(ctx, sql, args...)
}

func (s *savepoint) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return s.t.QueryRow(ctx, sql, args...)
}

func (s *savepoint) Conn() *pgx.Conn { return s.t.c.Conn() }

// batchRows closes the batch its rows came from.
type batchRows struct {
	pgx.Rows
	br pgx.BatchResults
}

func (r *batchRows) Close() {
	r.Rows.Close()
	_ = r.br.Close()
}

// row is pgx.Row over rows, as pgx's own QueryRow gives.
type row struct {
	rows pgx.Rows
	err  error
}

func (r *row) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	defer r.rows.Close()
	if !r.rows.Next() {
		if err := r.rows.Err(); err != nil {
			return err
		}
		return pgx.ErrNoRows
	}
	if err := r.rows.Scan(dest...); err != nil {
		return err
	}
	r.rows.Close()
	return r.rows.Err()
}

// errBatch answers every result of a batch that could not be sent.
type errBatch struct{ err error }

func (e errBatch) Exec() (pgconn.CommandTag, error) { return pgconn.CommandTag{}, e.err }
func (e errBatch) Query() (pgx.Rows, error)         { return nil, e.err }
func (e errBatch) QueryRow() pgx.Row                { return &row{err: e.err} }
func (e errBatch) Close() error                     { return e.err }
func (e errBatch) Tx() pgx.Tx                       { return nil }
