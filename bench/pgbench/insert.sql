-- The issue's ceiling: one single-row INSERT per transaction.
INSERT INTO bench_ceiling (id, owner, at) VALUES (gen_random_uuid(), gen_random_uuid(), now());
