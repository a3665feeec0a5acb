-- +goose NO TRANSACTION
-- +goose Up
-- The reconciler finds the outbox rows written for a document, a claim or
-- a notification by their payload (payload @> '{"documentId": …}'), and
-- the documents and claims that wait longest for their task. Built
-- CONCURRENTLY so that writes go on meanwhile; hence no transaction.
CREATE INDEX CONCURRENTLY IF NOT EXISTS outbox_payload ON outbox USING gin (payload jsonb_path_ops);
CREATE INDEX CONCURRENTLY IF NOT EXISTS documents_inspecting ON documents (updated_at) WHERE status = 'inspecting';
CREATE INDEX CONCURRENTLY IF NOT EXISTS claims_stuck_submitted ON claims (updated_at) WHERE status = 'submitted';

-- +goose Down
DROP INDEX CONCURRENTLY IF EXISTS claims_stuck_submitted;
DROP INDEX CONCURRENTLY IF EXISTS documents_inspecting;
DROP INDEX CONCURRENTLY IF EXISTS outbox_payload;
