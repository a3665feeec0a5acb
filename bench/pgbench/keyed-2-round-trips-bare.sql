\set u random(1, 1200)
\set k random(1, 9000000000000000000)
\startpipeline
BEGIN;
INSERT INTO idempotency_keys (scope, key, request_hash) VALUES (md5(:u::text), 'k' || :k, 'abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789');
INSERT INTO documents (id, owner_id, kind, content_type, size, sha256, object_key, status, reject_reason, created_at, updated_at, inspected_at, inspected_key) VALUES (gen_random_uuid(), md5(:u::text)::uuid, 'diploma', 'application/pdf', 1234, 'abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789', 'documents/' || :k || '/' || :u, 'pending', '', now(), now(), NULL, NULL);
\endpipeline
\startpipeline
UPDATE idempotency_keys SET status = 201, content_type = 'application/json', headers = '{}', body = '\x7b7d', completed_at = now() WHERE scope = md5(:u::text) AND key = 'k' || :k;
COMMIT;
\endpipeline
