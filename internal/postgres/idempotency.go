package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/anju-city/anju/internal/aftercommit"
	"github.com/anju-city/anju/internal/idempotency"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
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
	t := &reqTx{c: c}
	finished := false
	defer func() {
		if !finished {
			// A panic in fn, or an error: end the transaction so the
			// connection goes back to the pool clean.
			_, _ = c.Exec(context.WithoutCancel(ctx), "ROLLBACK")
		}
		c.Release()
	}()

	b := &pgx.Batch{}
	b.Queue("BEGIN")
	b.Queue(fmt.Sprintf("SET LOCAL lock_timeout = %d", idempotencyWait.Milliseconds()))
	b.Queue(`INSERT INTO idempotency_keys (scope, key, request_hash) VALUES ($1, $2, $3)
		ON CONFLICT (scope, key) DO NOTHING RETURNING true`, scope, key, hash)
	b.Queue(`SELECT request_hash, status, content_type, headers, coalesce(body, ''), created_at
		FROM idempotency_keys WHERE scope = $1 AND key = $2`, scope, key)
	b.Queue("SET LOCAL lock_timeout TO DEFAULT")
	b.Queue("SAVEPOINT effect")
	br := c.SendBatch(ctx, b)
	claimed, prev, err := readClaim(br)
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "55P03" { // lock_not_available
			return resp, false, idempotency.ErrInProgress
		}
		return resp, false, translate(err)
	}
	if !claimed {
		return prev, true, nil
	}

	hooks := &aftercommit.Hooks{}
	resp = fn(aftercommit.With(context.WithValue(ctx, requestTxKey{}, t), hooks))
	if resp.Status >= 500 {
		return resp, false, nil // rolled back by the deferred ROLLBACK
	}
	if resp.Status >= 400 {
		t.queue("ROLLBACK TO SAVEPOINT effect")
	}
	headers, err := json.Marshal(resp.Headers)
	if err != nil {
		return resp, false, err
	}
	// The response and the commit go in one round trip, with whatever
	// control statements fn left queued.
	fin := context.WithoutCancel(ctx)
	br, err = t.send(fin,
		&pgx.QueuedQuery{SQL: `UPDATE idempotency_keys SET status = $3, content_type = $4, headers = $5, body = $6, completed_at = now()
			WHERE scope = $1 AND key = $2`, Arguments: []any{scope, key, resp.Status, resp.ContentType, headers, resp.Body}},
		&pgx.QueuedQuery{SQL: "COMMIT"})
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

// readClaim reads the answers to Run's opening batch.
func readClaim(br pgx.BatchResults) (claimed bool, prev idempotency.Response, err error) {
	for range 2 { // BEGIN, SET LOCAL
		if _, err := br.Exec(); err != nil {
			return false, prev, err
		}
	}
	err = br.QueryRow().Scan(&claimed)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return false, prev, err
	}
	var status *int
	var headers []byte
	if err := br.QueryRow().Scan(&prev.RequestHash, &status, &prev.ContentType, &headers, &prev.Body, &prev.CreatedAt); err != nil {
		return false, prev, err
	}
	if status != nil {
		prev.Status = *status
	}
	if err := json.Unmarshal(headers, &prev.Headers); err != nil {
		return false, prev, err
	}
	for range 2 { // SET LOCAL, SAVEPOINT
		if _, err := br.Exec(); err != nil {
			return false, prev, err
		}
	}
	return claimed, prev, nil
}

// PruneIdempotency deletes keys older than the retention.
func (s Idempotency) PruneIdempotency(ctx context.Context, olderThan time.Duration) (int64, error) {
	tag, err := s.db.pool.Exec(ctx, `DELETE FROM idempotency_keys WHERE created_at < now() - $1::interval`, olderThan.String())
	return tag.RowsAffected(), translate(err)
}
