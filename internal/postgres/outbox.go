package postgres

import (
	"context"
	"encoding/json"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/workers"
	"github.com/jackc/pgx/v5"
)

// enqueue is the outbox writer: it records tasks inside the caller's
// transaction, so follow-up work is committed exactly with the change that
// needs it. Each row stores the task's kind and its JSON arguments.
func enqueue(ctx context.Context, tx execer, tasks []talent.Task) error {
	for _, t := range tasks {
		payload, err := json.Marshal(t)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO outbox (id, kind, payload) VALUES ($1, $2, $3)`,
			talent.NewID(), t.Kind(), payload); err != nil {
			return err
		}
	}
	if len(tasks) > 0 {
		// Wake the relay now rather than at its next poll.
		_, err := tx.Exec(ctx, `SELECT pg_notify('anju_outbox', '')`)
		return err
	}
	return nil
}

// Outbox is the relay's side of the outbox table (workers.Outbox).
type Outbox struct{ db *DB }

// Outbox returns the outbox adapter.
func (db *DB) Outbox() Outbox { return Outbox{db} }

// RelayOutbox claims up to n due rows with FOR UPDATE SKIP LOCKED, so that
// relays on several replicas never publish the same row at once, and calls
// publish for each. A row whose publish succeeds is marked published; the
// first failure stops the batch (the queue is most likely down), and that row
// is retried after a backoff. It returns how many rows were published.
func (o Outbox) RelayOutbox(ctx context.Context, n int, publish func(context.Context, workers.OutboxMessage) error) (int, error) {
	published := 0
	err := o.db.tx(ctx, func(tx pgx.Tx) error {
		msgs, err := collect(ctx, tx, func(r pgx.Row) (workers.OutboxMessage, error) {
			var m workers.OutboxMessage
			err := r.Scan(&m.ID, &m.Kind, &m.Payload, &m.Attempts)
			return m, err
		}, `SELECT id, kind, payload, attempts FROM outbox
			WHERE published_at IS NULL AND available_at <= now()
			ORDER BY available_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`, n)
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
func (o Outbox) OutboxLag(ctx context.Context) (pending int, oldest time.Duration, err error) {
	var age *float64
	err = o.db.pool.QueryRow(ctx, `SELECT count(*), extract(epoch FROM now() - min(created_at))
		FROM outbox WHERE published_at IS NULL`).Scan(&pending, &age)
	if age != nil {
		oldest = time.Duration(*age * float64(time.Second))
	}
	return pending, oldest, translate(err)
}

// PruneOutbox deletes published rows older than the retention, keeping the
// table small; asynq keeps its own task ids for deduplication.
func (o Outbox) PruneOutbox(ctx context.Context, olderThan time.Duration) (int64, error) {
	tag, err := o.db.pool.Exec(ctx, `DELETE FROM outbox WHERE published_at < now() - $1::interval`, olderThan.String())
	return tag.RowsAffected(), translate(err)
}

// WaitOutbox blocks until a transaction signals new outbox rows or the
// timeout passes, so the relay reacts at once without busy polling.
func (o Outbox) WaitOutbox(ctx context.Context, timeout time.Duration) error {
	conn, err := o.db.pool.p.Acquire(ctx)
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
