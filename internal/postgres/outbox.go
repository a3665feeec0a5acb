package postgres

import (
	"context"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/jackc/pgx/v5"
)

// OutboxMessage is one unpublished outbox row.
type OutboxMessage struct {
	ID       string
	Type     string
	Payload  []byte
	Attempts int
}

// RelayOutbox claims up to n due rows with FOR UPDATE SKIP LOCKED, so that
// relays on several replicas never publish the same row at once, and calls
// publish for each. A row whose publish succeeds is marked published; the
// first failure stops the batch (the queue is most likely down), and that row
// is retried after a backoff. It returns how many rows were published.
func (db *DB) RelayOutbox(ctx context.Context, n int, publish func(context.Context, OutboxMessage) error) (int, error) {
	published := 0
	err := db.tx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT id, task_type, payload, attempts FROM outbox
			WHERE published_at IS NULL AND available_at <= now()
			ORDER BY available_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`, n)
		if err != nil {
			return err
		}
		msgs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (OutboxMessage, error) {
			var m OutboxMessage
			err := r.Scan(&m.ID, &m.Type, &m.Payload, &m.Attempts)
			return m, err
		})
		if err != nil {
			return err
		}
		for _, m := range msgs {
			if perr := publish(ctx, m); perr != nil {
				_, err := tx.Exec(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = $2,
					available_at = now() + $3::interval WHERE id = $1`,
					m.ID, perr.Error(), outboxBackoff(m.Attempts+1).String())
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE outbox SET published_at = now() WHERE id = $1`, m.ID); err != nil {
				return err
			}
			published++
		}
		return nil
	})
	return published, err
}

// outboxBackoff doubles from 250ms up to 5s: short enough that work resumes
// within seconds of the queue coming back.
func outboxBackoff(attempt int) time.Duration {
	d := 250 * time.Millisecond
	for i := 1; i < attempt && d < 5*time.Second; i++ {
		d *= 2
	}
	return min(d, 5*time.Second)
}

// OutboxLag reports how many rows wait and how old the oldest is.
func (db *DB) OutboxLag(ctx context.Context) (pending int, oldest time.Duration, err error) {
	var age *float64
	err = db.pool.QueryRow(ctx, `SELECT count(*), extract(epoch FROM now() - min(created_at))
		FROM outbox WHERE published_at IS NULL`).Scan(&pending, &age)
	if age != nil {
		oldest = time.Duration(*age * float64(time.Second))
	}
	return pending, oldest, translate(err)
}

// PruneOutbox deletes published rows older than the retention, keeping the
// table small; asynq keeps its own task ids for deduplication.
func (db *DB) PruneOutbox(ctx context.Context, olderThan time.Duration) (int64, error) {
	tag, err := db.pool.Exec(ctx, `DELETE FROM outbox WHERE published_at < now() - $1::interval`, olderThan.String())
	return tag.RowsAffected(), translate(err)
}

// WaitOutbox blocks until a transaction signals new outbox rows or the
// timeout passes, so the relay reacts at once without busy polling.
func (db *DB) WaitOutbox(ctx context.Context, timeout time.Duration) error {
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return translate(err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `LISTEN anju_outbox`); err != nil {
		return translate(err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), `UNLISTEN anju_outbox`) //nolint:errcheck // best effort on a pooled connection
	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	_, err = conn.Conn().WaitForNotification(wctx)
	if err != nil && wctx.Err() != nil && ctx.Err() == nil {
		return nil // timed out: poll anyway
	}
	return translate(err)
}

var _ talent.Store = (*DB)(nil)
