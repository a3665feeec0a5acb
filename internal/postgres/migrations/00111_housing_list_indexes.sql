-- +goose NO TRANSACTION
-- +goose Up
-- Indexes that give the housing officer's lists their rows in order
-- (checked by TestListAndQueueQueriesUseIndexes with EXPLAIN). Built
-- CONCURRENTLY, so no transaction around this file.

-- A round's applications in the draw's order (the unranked last), all of
-- them or those of one status (the waitlist); the second replaces
-- applications_round, a prefix of it.
CREATE INDEX CONCURRENTLY IF NOT EXISTS applications_round_rank
    ON applications (round_id, (coalesce(draw_rank, 2147483647)), id);
CREATE INDEX CONCURRENTLY IF NOT EXISTS applications_round_status_rank
    ON applications (round_id, status, (coalesce(draw_rank, 2147483647)), id);
DROP INDEX CONCURRENTLY IF EXISTS applications_round;

-- The offers made for an application, newest first (the listing shows the
-- latest; the waitlist counts those that had none).
CREATE INDEX CONCURRENTLY IF NOT EXISTS offers_application ON offers (application_id, created_at DESC);

-- Leases by end date, all or of one status (the staff list, and the daily
-- review of active leases), and a tenant's leases.
CREATE INDEX CONCURRENTLY IF NOT EXISTS leases_ends ON leases (ends_on, id);
CREATE INDEX CONCURRENTLY IF NOT EXISTS leases_status_ends ON leases (status, ends_on, id);
CREATE INDEX CONCURRENTLY IF NOT EXISTS leases_user ON leases (user_id, created_at DESC);

-- +goose Down
DROP INDEX CONCURRENTLY IF EXISTS leases_user;
DROP INDEX CONCURRENTLY IF EXISTS leases_status_ends;
DROP INDEX CONCURRENTLY IF EXISTS leases_ends;
DROP INDEX CONCURRENTLY IF EXISTS offers_application;
CREATE INDEX CONCURRENTLY IF NOT EXISTS applications_round ON applications (round_id, status);
DROP INDEX CONCURRENTLY IF EXISTS applications_round_status_rank;
DROP INDEX CONCURRENTLY IF EXISTS applications_round_rank;
