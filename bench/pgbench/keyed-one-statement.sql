\set u random(1, 1200)
\set k random(1, 9000000000000000000)
WITH k AS (INSERT INTO idempotency_keys (scope, key, request_hash, status, content_type, body, completed_at) VALUES (md5(:u::text), 'k' || :k, 'abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789', 201, 'application/json', '\x7b7d', now()) ON CONFLICT DO NOTHING RETURNING 1)
INSERT INTO documents (id, owner_id, kind, content_type, size, sha256, object_key, status, reject_reason, created_at, updated_at, inspected_at, inspected_key) SELECT gen_random_uuid(), md5(:u::text)::uuid, 'diploma', 'application/pdf', 1234, 'abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789', 'documents/' || :k || '/' || :u, 'pending', '', now(), now(), NULL, NULL FROM k;
