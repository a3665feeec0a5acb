package postgres

import (
	"context"
	"time"

	"github.com/anju-city/anju/internal/idempotency"
	"github.com/jackc/pgx/v5"
)

// Idempotency keeps the first response to each Idempotency-Key, shared by
// every API replica (api.IdempotencyStore).
type Idempotency struct{ db *DB }

// Idempotency returns the idempotency-key adapter.
func (db *DB) Idempotency() Idempotency { return Idempotency{db} }

// BeginIdempotent claims (scope, key) for a new request. It returns
// claimed=true when this caller must run the request, or the stored state of
// an earlier one. A claim older than stale whose request never finished
// (its replica died) is taken over.
func (s Idempotency) BeginIdempotent(ctx context.Context, scope, key, hash string, stale time.Duration) (claimed bool, prev idempotency.Response, err error) {
	tag, err := s.db.pool.Exec(ctx, `INSERT INTO idempotency_keys (scope, key, request_hash) VALUES ($1, $2, $3)
		ON CONFLICT (scope, key) DO UPDATE SET request_hash = EXCLUDED.request_hash, created_at = now()
		WHERE idempotency_keys.status IS NULL AND idempotency_keys.created_at < now() - $4::interval`,
		scope, key, hash, stale.String())
	if err != nil {
		return false, prev, translate(err)
	}
	if tag.RowsAffected() == 1 {
		return true, prev, nil
	}
	var status *int
	err = s.db.pool.QueryRow(ctx, `SELECT request_hash, status, content_type, coalesce(body, ''), created_at
		FROM idempotency_keys WHERE scope = $1 AND key = $2`, scope, key).
		Scan(&prev.RequestHash, &status, &prev.ContentType, &prev.Body, &prev.CreatedAt)
	if err == pgx.ErrNoRows {
		// Released between our insert and select: try once more.
		return s.BeginIdempotent(ctx, scope, key, hash, stale)
	}
	if status != nil {
		prev.Status = *status
	}
	return false, prev, translate(err)
}

// FinishIdempotent stores the response of a claimed request.
func (s Idempotency) FinishIdempotent(ctx context.Context, scope, key string, status int, contentType string, body []byte) error {
	_, err := s.db.pool.Exec(ctx, `UPDATE idempotency_keys SET status = $3, content_type = $4, body = $5, completed_at = now()
		WHERE scope = $1 AND key = $2`, scope, key, status, contentType, body)
	return translate(err)
}

// ReleaseIdempotent forgets a claim whose request failed in a way worth
// retrying (a server error), so the client's retry runs it again.
func (s Idempotency) ReleaseIdempotent(ctx context.Context, scope, key string) error {
	_, err := s.db.pool.Exec(ctx, `DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND status IS NULL`, scope, key)
	return translate(err)
}

// PruneIdempotency deletes keys older than the retention.
func (s Idempotency) PruneIdempotency(ctx context.Context, olderThan time.Duration) (int64, error) {
	tag, err := s.db.pool.Exec(ctx, `DELETE FROM idempotency_keys WHERE created_at < now() - $1::interval`, olderThan.String())
	return tag.RowsAffected(), translate(err)
}
