-- The key, its stored response and the document in one statement, the
-- response computed before the write (not taken: see docs/performance.md).
\set u random(1, :owners)
\set k random(1, 9000000000000000000)
WITH k AS (INSERT INTO idempotency_keys (scope, key, request_hash, status, content_type, headers, body, completed_at)
  VALUES ('bench-ceiling-' || :u, 'bench-ceiling-' || :k, md5(:k::text) || md5(:u::text), 201, 'application/json', '{"Location": "/v1/documents/x"}', convert_to(repeat('x', 700), 'UTF8'), now())
  ON CONFLICT DO NOTHING RETURNING 1)
INSERT INTO documents (id, owner_id, kind, content_type, size, sha256, object_key, status, reject_reason, created_at, updated_at, inspected_at, inspected_key)
  SELECT gen_random_uuid(), (SELECT id FROM bench_owners WHERE n = :u), 'diploma', 'application/pdf', 1234, md5(:k::text) || md5(:u::text), 'bench-ceiling/' || :u || '/' || :k, 'pending', '', now(), now(), NULL, NULL FROM k;
