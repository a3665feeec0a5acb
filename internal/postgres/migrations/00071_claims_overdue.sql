-- +goose NO TRANSACTION
-- +goose Up
-- The escalation job pages through overdue claims in (due_at, id) order:
-- the id breaks ties between claims due at the same instant.
CREATE INDEX CONCURRENTLY IF NOT EXISTS claims_overdue_page ON claims (due_at, id)
    WHERE escalated_at IS NULL AND status IN ('submitted', 'awaiting_employer', 'under_review', 'approved', 'active');
DROP INDEX CONCURRENTLY IF EXISTS claims_overdue;

-- +goose Down
CREATE INDEX CONCURRENTLY IF NOT EXISTS claims_overdue ON claims (due_at)
    WHERE escalated_at IS NULL AND status IN ('submitted', 'awaiting_employer', 'under_review', 'approved', 'active');
DROP INDEX CONCURRENTLY IF EXISTS claims_overdue_page;
