-- +goose NO TRANSACTION
-- +goose Up
-- The admin's user search (GET /v1/admin/users). A phone number is found by
-- its blind index, as a national ID number is, never by a search on the
-- sealed value; a profile saved before this column gets its index at its
-- next save. Indexes built CONCURRENTLY, as in 00041, so that sign-ins and
-- profiles are still written meanwhile.
ALTER TABLE profiles ADD COLUMN IF NOT EXISTS phone_index text;
CREATE INDEX CONCURRENTLY IF NOT EXISTS profiles_phone_index ON profiles (phone_index) WHERE phone_index IS NOT NULL;
-- Users newest first, the search's order.
CREATE INDEX CONCURRENTLY IF NOT EXISTS users_created ON users (created_at DESC, id DESC);

-- +goose Down
DROP INDEX CONCURRENTLY IF EXISTS users_created;
DROP INDEX CONCURRENTLY IF EXISTS profiles_phone_index;
ALTER TABLE profiles DROP COLUMN IF EXISTS phone_index;
