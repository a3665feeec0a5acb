-- A keyed POST /v1/documents before 1 Dec 2026: 11 statements in 3 round trips.
\set u random(1, :owners)
\set k random(1, 9000000000000000000)
\startpipeline
BEGIN;
SET LOCAL lock_timeout = 10000;
INSERT INTO idempotency_keys (scope, key, request_hash) VALUES ('bench-ceiling-' || :u, 'bench-ceiling-' || :k, md5(:k::text) || md5(:u::text)) ON CONFLICT (scope, key) DO NOTHING RETURNING true;
SELECT request_hash, status, content_type, headers, coalesce(body, ''), created_at FROM idempotency_keys WHERE scope = 'bench-ceiling-' || :u AND key = 'bench-ceiling-' || :k;
SET LOCAL lock_timeout TO DEFAULT;
SAVEPOINT effect;
\endpipeline
\startpipeline
SAVEPOINT st_1;
INSERT INTO documents (id, owner_id, kind, content_type, size, sha256, object_key, status, reject_reason, created_at, updated_at, inspected_at, inspected_key)
  VALUES (gen_random_uuid(), (SELECT id FROM bench_owners WHERE n = :u), 'diploma', 'application/pdf', 1234, md5(:k::text) || md5(:u::text), 'bench-ceiling/' || :u || '/' || :k, 'pending', '', now(), now(), NULL, nullif('', ''));
\endpipeline
\startpipeline
RELEASE SAVEPOINT st_1;
UPDATE idempotency_keys SET status = 201, content_type = 'application/json', headers = '{"Location": "/v1/documents/x"}', body = convert_to(repeat('x', 700), 'UTF8'), completed_at = now()
  WHERE scope = 'bench-ceiling-' || :u AND key = 'bench-ceiling-' || :k;
COMMIT;
\endpipeline
