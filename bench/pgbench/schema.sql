-- A scratch database for the keyed-write shapes in this folder: the two
-- tables a keyed POST /v1/documents writes, as the migrations make them,
-- and 1,200 owners whose ids the scripts compute (md5 of their number).
-- docs/performance.md ("Figures, fourth pass") says how they are run.
CREATE TABLE users (id uuid PRIMARY KEY);
INSERT INTO users SELECT md5(i::text)::uuid FROM generate_series(1, 1200) i;
CREATE TABLE idempotency_keys (
    scope        text NOT NULL,
    key          text NOT NULL,
    request_hash text NOT NULL,
    status       int,
    content_type text NOT NULL DEFAULT '',
    body         bytea,
    created_at   timestamptz NOT NULL DEFAULT now(),
    completed_at timestamptz,
    headers      jsonb NOT NULL DEFAULT '{}',
    PRIMARY KEY (scope, key)
);
CREATE TABLE documents (
    id            uuid PRIMARY KEY,
    owner_id      uuid NOT NULL REFERENCES users (id),
    kind          text NOT NULL,
    content_type  text NOT NULL,
    size          bigint NOT NULL CHECK (size > 0 AND size <= 10485760),
    sha256        text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    object_key    text NOT NULL UNIQUE,
    status        text NOT NULL CHECK (status IN ('pending', 'inspecting', 'accepted', 'rejected')),
    reject_reason text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    inspected_at  timestamptz,
    inspected_key text UNIQUE
);
CREATE INDEX documents_owner ON documents (owner_id, created_at DESC, id DESC);
CREATE INDEX documents_inspecting ON documents (updated_at) WHERE status = 'inspecting';
CREATE TABLE bench_ceiling (id uuid PRIMARY KEY, owner uuid NOT NULL, at timestamptz NOT NULL);
