-- +goose Up
-- The outbox stores each task's kind (the Kind of its typed arguments).
ALTER TABLE outbox RENAME COLUMN task_type TO kind;

-- +goose Down
ALTER TABLE outbox RENAME COLUMN kind TO task_type;
