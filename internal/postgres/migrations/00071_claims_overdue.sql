-- +goose Up
-- The escalation job pages through overdue claims in (due_at, id) order.
CREATE INDEX claims_overdue ON claims (due_at, id) WHERE escalated_at IS NULL;

-- +goose Down
DROP INDEX claims_overdue;
