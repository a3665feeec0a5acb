-- +goose Up
-- The reconciler finds the outbox rows written for a document, a claim or
-- a notification by their payload (payload @> '{"documentId": …}').
CREATE INDEX outbox_payload ON outbox USING gin (payload jsonb_path_ops);

-- +goose Down
DROP INDEX outbox_payload;
