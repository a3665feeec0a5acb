-- +goose Up
-- When a user last made a signed-in request, written in batches off the
-- request path and at most every few minutes per user (ANJU_LAST_SEEN_INTERVAL).
ALTER TABLE users ADD COLUMN last_seen_at timestamptz;

-- +goose Down
ALTER TABLE users DROP COLUMN last_seen_at;
