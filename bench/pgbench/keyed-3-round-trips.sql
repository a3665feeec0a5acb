\set u random(1, 1200)
\set k random(1, 9000000000000000000)
\startpipeline
BEGIN;
SET LOCAL lock_timeout = 10000;
INSERT INTO idempotency_keys (scope, key, request_hash) VALUES (md5(:u::text), 'k' || :k, 'abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789') ON CONFLICT (scope, key) DO NOTHING RETURNING true;
SELECT request_hash, status, content_type, headers, coalesce(body, ''), created_at FROM idempotency_keys WHERE scope = md5(:u::text) AND key = 'k' || :k;
SET LOCAL lock_timeout TO DEFAULT;
SAVEPOINT effect;
\endpipeline
\startpipeline
SAVEPOINT st_1;
INSERT INTO documents (id, owner_id, kind, content_type, size, sha256, object_key, status, reject_reason, created_at, updated_at, inspected_at, inspected_key) VALUES (gen_random_uuid(), md5(:u::text)::uuid, 'diploma', 'application/pdf', 1234, 'abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789', 'documents/' || :k || '/' || :u, 'pending', '', now(), now(), NULL, NULL);
\endpipeline
\startpipeline
RELEASE SAVEPOINT st_1;
UPDATE idempotency_keys SET status = 201, content_type = 'application/json', headers = '{}', body = '\x7b7d', completed_at = now() WHERE scope = md5(:u::text) AND key = 'k' || :k;
COMMIT;
\endpipeline
