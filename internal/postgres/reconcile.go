package postgres

import (
	"context"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/account"
	"github.com/anju-city/anju/internal/talent/allowance"
	"github.com/anju-city/anju/internal/talent/housing"
	"github.com/anju-city/anju/workers"
	"github.com/jackc/pgx/v5"
)

// Reconcile is the reconciler's side of PostgreSQL (workers.ReconcileStore).
type Reconcile struct{ db *DB }

// Reconcile returns the reconciler adapter.
func (db *DB) Reconcile() Reconcile { return Reconcile{db} }

// reconcileLockKey is the advisory lock one reconciler holds at a time.
const reconcileLockKey = 4243

// TryReconcileLock implements workers.ReconcileStore with a session
// advisory lock on a connection held for the pass.
func (r Reconcile) TryReconcileLock(ctx context.Context) (func(), bool, error) {
	conn, err := r.db.pool.p.Acquire(ctx)
	if err != nil {
		return nil, false, translate(err)
	}
	var ok bool
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, reconcileLockKey).Scan(&ok); err != nil || !ok {
		conn.Release()
		return nil, false, translate(err)
	}
	return func() {
		_, _ = conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, reconcileLockKey)
		conn.Release()
	}, true, nil
}

// stuckQueries find, per task kind, the work not done after the threshold
// ($1) with the outbox rows written for it (matched by the payload's
// subject through the outbox_payload index): its subject, the payload
// that does it, the published rows' ids and whether a row is unpublished.
var stuckQueries = []struct{ kind, sql string }{
	{account.InspectDocument{}.Kind(), `
		SELECT d.id::text, jsonb_build_object('documentId', d.id::text),
			coalesce(array_agg(o.id::text) FILTER (WHERE o.published_at IS NOT NULL), '{}'),
			coalesce(bool_or(o.published_at IS NULL), false)
		FROM (SELECT id FROM documents WHERE status = 'inspecting' AND updated_at < now() - $1::interval
			ORDER BY updated_at LIMIT $2) d
		LEFT JOIN outbox o ON o.kind = 'document:inspect' AND o.payload @> jsonb_build_object('documentId', d.id::text)
		GROUP BY d.id`},
	{allowance.EvaluateClaim{}.Kind(), `
		SELECT c.id::text, jsonb_build_object('claimId', c.id::text),
			coalesce(array_agg(o.id::text) FILTER (WHERE o.published_at IS NOT NULL), '{}'),
			coalesce(bool_or(o.published_at IS NULL), false)
		FROM (SELECT id FROM claims WHERE status = 'submitted' AND updated_at < now() - $1::interval
			ORDER BY updated_at LIMIT $2) c
		LEFT JOIN outbox o ON o.kind = 'claim:evaluate' AND o.payload @> jsonb_build_object('claimId', c.id::text)
		GROUP BY c.id`},
	// A notification is done when its inbox entry exists; the outbox keeps
	// its rows for the prune's retention, which bounds how far back this sees.
	{talent.NotifyRequest{}.Kind(), `
		SELECT (o.payload->>'userId') || ' ' || (o.payload->>'eventId'), (array_agg(o.payload ORDER BY o.created_at))[1],
			coalesce(array_agg(o.id::text) FILTER (WHERE o.published_at IS NOT NULL), '{}'),
			coalesce(bool_or(o.published_at IS NULL), false)
		FROM outbox o
		WHERE o.kind = 'notify:send' AND o.created_at < now() - $1::interval
			AND NOT EXISTS (SELECT 1 FROM notifications n
				WHERE n.user_id::text = o.payload->>'userId' AND n.event_id = o.payload->>'eventId')
		GROUP BY o.payload->>'userId', o.payload->>'eventId'
		ORDER BY min(o.created_at) LIMIT $2`},
}

// StuckWork implements workers.ReconcileStore.
func (r Reconcile) StuckWork(ctx context.Context, olderThan time.Duration, limit int) ([]workers.Stuck, error) {
	var out []workers.Stuck
	for _, q := range stuckQueries {
		list, err := collect(ctx, r.db.pool, func(row pgx.Row) (workers.Stuck, error) {
			s := workers.Stuck{Kind: q.kind}
			err := row.Scan(&s.Subject, &s.Payload, &s.TaskIDs, &s.Unpublished)
			return s, err
		}, q.sql, olderThan.String(), limit)
		if err != nil {
			return nil, err
		}
		out = append(out, list...)
	}
	return out, nil
}

// Redrive implements workers.ReconcileStore.
func (r Reconcile) Redrive(ctx context.Context, msgs []workers.OutboxMessage) error {
	return r.db.tx(ctx, func(tx pgx.Tx) error {
		for _, m := range msgs {
			if _, err := tx.Exec(ctx, `INSERT INTO outbox (id, kind, payload) VALUES ($1, $2, $3)`,
				talent.NewID(), m.Kind, m.Payload); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, `SELECT pg_notify('anju_outbox', '')`)
		return err
	})
}

// OverduePeriodic implements workers.ReconcileStore: pending offers past
// their expiry, and scheduled payments of active claims due, by more than
// the threshold.
func (r Reconcile) OverduePeriodic(ctx context.Context, olderThan time.Duration) (map[string]int, error) {
	var offers, payments int
	err := r.db.pool.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM offers WHERE status = 'pending' AND expires_at < now() - $1::interval),
		(SELECT count(*) FROM payments p JOIN claims c ON c.id = p.claim_id
			WHERE p.status = 'scheduled' AND c.status = 'active'
			AND p.due_on < (now() AT TIME ZONE 'Asia/Shanghai' - $1::interval)::date)`,
		olderThan.String()).Scan(&offers, &payments)
	if err != nil {
		return nil, translate(err)
	}
	return map[string]int{housing.ExpireOffers{}.Kind(): offers, allowance.ReleasePayments{}.Kind(): payments}, nil
}
