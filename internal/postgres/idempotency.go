package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/anju-city/anju/internal/aftercommit"
	"github.com/anju-city/anju/internal/idempotency"
	"github.com/anju-city/anju/internal/talent"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Idempotency keeps the first response to each Idempotency-Key, shared by
// every API replica (api.IdempotencyStore), in the transaction of the
// request's effect.
type Idempotency struct{ db *DB }

// Idempotency returns the idempotency-key adapter.
func (db *DB) Idempotency() Idempotency { return Idempotency{db} }

// idempotencyWait is how long a duplicate waits for the first request with
// its key to commit or roll back before it is told the first is still
// running.
const idempotencyWait = 10 * time.Second

// Run runs fn at most once to a committed effect for (scope, key).
//
// The key's row is inserted first, in a transaction that fn's statements
// share (every adapter picks it from the context) and in which fn's
// response is stored before the one commit: the effect and the response to
// replay exist together or not at all, whatever fails in between (the
// process, the connection, the commit). A duplicate's insert waits on the
// uncommitted row, so concurrent duplicates never both run; once the first
// commits the duplicate gets its stored response (replayed=true; the
// caller compares RequestHash), once it rolls back the duplicate runs. A
// duplicate still waiting after idempotencyWait gets
// idempotency.ErrInProgress.
//
// The opening (BEGIN and the claim) is not sent on its own: it goes out in
// front of fn's first statement, or with the stored response if fn sends
// none, so a request that writes one row costs two round trips. fn
// therefore runs up to its first statement before the claim is known: on
// a replay that work is done again and thrown away, so what a handler
// does before it first reaches the database must have no effect outside
// it (checking input, signing an upload policy); what it does after, and
// everything it leaves to the outbox or to aftercommit, happens once.
//
// fn's response decides the rest: a status of 500 or more rolls everything
// back and stores nothing, so a retry runs again; a status of 400 to 499
// undoes fn's writes (back to a savepoint taken after the claim) and
// stores the response; anything else commits fn's writes with it. An error
// means nothing was committed. Work registered with aftercommit.Do during
// fn runs after the commit.
func (s Idempotency) Run(ctx context.Context, scope, key, hash string, fn func(context.Context) idempotency.Response) (resp idempotency.Response, replayed bool, err error) {
	c, err := s.db.pool.p.Acquire(ctx)
	if err != nil {
		return resp, false, translate(err)
	}
	t := &reqTx{c: c, opening: &claim{scope: scope, key: key, hash: hash}, fresh: "effect"}
	finished := false
	defer func() {
		if !finished {
			// A panic in fn, or an error: end the transaction so the
			// connection goes back to the pool clean.
			_, _ = c.Exec(context.WithoutCancel(ctx), "ROLLBACK")
		}
		c.Release()
	}()

	hooks := &aftercommit.Hooks{}
	resp = fn(aftercommit.With(context.WithValue(ctx, requestTxKey{}, t), hooks))
	fin := context.WithoutCancel(ctx)
	if resp.Status >= 500 && t.claimErr == nil {
		// Rolled back by the deferred ROLLBACK; but if fn sent nothing,
		// the key may hold an answer to replay instead.
		if t.opening == nil {
			return resp, false, nil
		}
		if err := t.flush(fin); !errors.Is(err, errClaimLost) {
			return resp, false, nil
		}
	}
	if resp.Status >= 400 && t.fresh != "effect" {
		t.queue("ROLLBACK TO SAVEPOINT effect")
	}
	headers, err := json.Marshal(resp.Headers)
	if err != nil {
		return resp, false, err
	}
	// The response and the commit go in one round trip, with whatever
	// control statements fn left queued (and the opening, if fn sent none).
	br, err := t.send(fin,
		&pgx.QueuedQuery{SQL: `UPDATE idempotency_keys SET status = $3, content_type = $4, headers = $5, body = $6, completed_at = now()
			WHERE scope = $1 AND key = $2`, Arguments: []any{scope, key, resp.Status, resp.ContentType, headers, resp.Body}},
		&pgx.QueuedQuery{SQL: "COMMIT"})
	if errors.Is(err, errClaimLost) {
		prev, err := s.claimLost(fin, c, t.claimErr, scope, key)
		finished = err == nil
		return prev, err == nil, err
	}
	if err != nil {
		return resp, false, translate(err)
	}
	_, err = br.Exec()
	var tag pgconn.CommandTag
	if err == nil {
		tag, err = br.Exec()
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err == nil && tag.String() != "COMMIT" {
		// The transaction had failed (a statement of fn's errored and
		// nothing undid it): PostgreSQL rolled it back.
		err = pgx.ErrTxCommitRollback
	}
	if err != nil {
		return resp, false, translate(err)
	}
	t.closed, finished = true, true
	hooks.Run()
	return resp, false, nil
}

// claim is a keyed request's opening: the transaction, the key's row and
// the savepoint fn's effect starts from. The key's insert has no ON
// CONFLICT: a key already answered fails it, which aborts what was sent
// with it, and the answer is read after the rollback (claimLost).
type claim struct{ scope, key, hash string }

// queue puts the opening at the head of b.
func (o *claim) queue(b *pgx.Batch) {
	b.Queue("BEGIN")
	b.Queue(fmt.Sprintf("SET LOCAL lock_timeout = %d", idempotencyWait.Milliseconds()))
	b.Queue(`INSERT INTO idempotency_keys (scope, key, request_hash) VALUES ($1, $2, $3)`, o.scope, o.key, o.hash)
	b.Queue("SET LOCAL lock_timeout TO DEFAULT")
	b.Queue("SAVEPOINT effect")
}

// errClaimLost is what fn's statements get once the key's claim has
// failed: fn's answer is thrown away (the key's stored one is replayed,
// or Run fails), so it only has to stop. A conflict, so that nothing logs
// it as a failure.
var errClaimLost = &talent.Error{Kind: talent.KindConflict, Code: talent.CodeRetry, Message: "the request's Idempotency-Key was claimed first by another"}

// claimLost ends a transaction whose claim failed and says why: the key's
// stored answer, a first request still running, or the database's error.
func (s Idempotency) claimLost(ctx context.Context, c *pgxpool.Conn, cause error, scope, key string) (prev idempotency.Response, err error) {
	var pgErr *pgconn.PgError
	switch {
	case errors.As(cause, &pgErr) && pgErr.Code == "55P03": // lock_not_available
		return prev, idempotency.ErrInProgress
	case errors.As(cause, &pgErr) && pgErr.Code == "23505" && pgErr.ConstraintName == "idempotency_keys_pkey":
	default:
		return prev, translate(cause)
	}
	// Two round trips, not one batch: pgx prepares a batch's statements
	// before it runs any, and the transaction is aborted until the
	// ROLLBACK has run.
	if _, err := c.Exec(ctx, "ROLLBACK"); err != nil {
		return prev, translate(err)
	}
	var status *int
	var headers []byte
	if err := c.QueryRow(ctx, `SELECT request_hash, status, content_type, headers, coalesce(body, ''), created_at
		FROM idempotency_keys WHERE scope = $1 AND key = $2`, scope, key).Scan(&prev.RequestHash, &status, &prev.ContentType, &headers, &prev.Body, &prev.CreatedAt); err != nil {
		return prev, translate(err)
	}
	if status != nil {
		prev.Status = *status
	}
	return prev, json.Unmarshal(headers, &prev.Headers)
}

// PruneIdempotency deletes keys older than the retention.
func (s Idempotency) PruneIdempotency(ctx context.Context, olderThan time.Duration) (int64, error) {
	tag, err := s.db.pool.Exec(ctx, `DELETE FROM idempotency_keys WHERE created_at < now() - $1::interval`, olderThan.String())
	return tag.RowsAffected(), translate(err)
}
