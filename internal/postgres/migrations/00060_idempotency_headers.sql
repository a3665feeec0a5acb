-- +goose Up
-- A stored response keeps the headers a replay must repeat (Location,
-- Cache-Control, Content-Disposition, ...). Keys are now claimed inside the
-- transaction of the request's effect, so a row is only ever committed
-- with its response; rows left unfinished by the previous scheme (a
-- replica that died mid-request) are dropped, as that scheme would have
-- let them be taken over.
ALTER TABLE idempotency_keys ADD COLUMN headers jsonb NOT NULL DEFAULT '{}';
DELETE FROM idempotency_keys WHERE status IS NULL;

-- +goose Down
ALTER TABLE idempotency_keys DROP COLUMN headers;
