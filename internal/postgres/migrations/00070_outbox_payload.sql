-- +goose Up
-- The reconciler finds the outbox rows written for a document, a claim or
-- a notification by their payload (payload @> '{"documentId": …}'), and
-- the documents and claims that wait longest for their task.
CREATE INDEX outbox_payload ON outbox USING gin (payload jsonb_path_ops);
CREATE INDEX documents_inspecting ON documents (updated_at) WHERE status = 'inspecting';
CREATE INDEX claims_stuck_submitted ON claims (updated_at) WHERE status = 'submitted';

-- +goose Down
DROP INDEX claims_stuck_submitted;
DROP INDEX documents_inspecting;
DROP INDEX outbox_payload;
