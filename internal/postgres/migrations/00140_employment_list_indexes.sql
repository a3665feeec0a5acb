-- +goose NO TRANSACTION
-- +goose Up
-- The HR list of an employer's declarations of a status by declared start
-- date (none last) then id, exactly as EmploymentRequests orders and pages
-- it, either way round; by submission it reads employments_employer,
-- forwards or backwards (checked by TestListAndQueueQueriesUseIndexes with
-- EXPLAIN). Built CONCURRENTLY, so no transaction around this file.
CREATE INDEX CONCURRENTLY IF NOT EXISTS employments_employer_since
    ON employments (employer_id, status, (coalesce(declared_since, 'infinity'::date)), id);

-- +goose Down
DROP INDEX CONCURRENTLY IF EXISTS employments_employer_since;
