-- +goose NO TRANSACTION
-- +goose Up
-- Indexes that give the review queues, the deadline sweep, the delivery
-- statistics and the staff lookups their rows in order at a million
-- claims (checked by TestListAndQueueQueriesUseIndexes with EXPLAIN).
-- Built CONCURRENTLY so that claims can still be written meanwhile; hence
-- no transaction around this file.

-- The review queue of a stage, by deadline (none last) then id, and by
-- submission then id, exactly as ReviewQueue orders and pages it; the
-- first replaces claims_queue.
CREATE INDEX CONCURRENTLY IF NOT EXISTS claims_review_queue
    ON claims (status, (coalesce(due_at, 'infinity'::timestamptz)), id);
CREATE INDEX CONCURRENTLY IF NOT EXISTS claims_review_queue_submitted
    ON claims (status, (coalesce(submitted_at, 'infinity'::timestamptz)), id);
DROP INDEX CONCURRENTLY IF EXISTS claims_queue;

-- Open claims past their deadline and not yet escalated, by deadline.
CREATE INDEX CONCURRENTLY IF NOT EXISTS claims_overdue ON claims (due_at)
    WHERE escalated_at IS NULL AND status IN ('submitted', 'awaiting_employer', 'under_review', 'approved', 'active');

-- Delivery statistics over a period of submission, whatever the status.
CREATE INDEX CONCURRENTLY IF NOT EXISTS claims_submitted_at ON claims (submitted_at);

-- A person's claims of a package, whatever their status: EarlierClaims
-- (every evaluation, and every apartment application for each allowance)
-- cannot use the partial unique index claims_one_per_person, whose
-- condition its own does not imply.
CREATE INDEX CONCURRENTLY IF NOT EXISTS claims_person ON claims (person_index, package);

-- Who holds a staff role (notifications to reviewers, finance).
CREATE INDEX CONCURRENTLY IF NOT EXISTS role_grants_role ON role_grants (role, user_id);

-- +goose Down
DROP INDEX CONCURRENTLY IF EXISTS role_grants_role;
DROP INDEX CONCURRENTLY IF EXISTS claims_person;
DROP INDEX CONCURRENTLY IF EXISTS claims_submitted_at;
DROP INDEX CONCURRENTLY IF EXISTS claims_overdue;
CREATE INDEX CONCURRENTLY IF NOT EXISTS claims_queue ON claims (status, due_at);
DROP INDEX CONCURRENTLY IF EXISTS claims_review_queue_submitted;
DROP INDEX CONCURRENTLY IF EXISTS claims_review_queue;
