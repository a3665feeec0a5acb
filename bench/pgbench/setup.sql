-- What the scripts in this folder write beside Anju's own tables: the
-- single-row INSERT's table, and the database's users numbered for pgbench
-- (run with -D owners=<their count>). The harness runs this on its
-- database; for a scratch one, migrate it (ANJU_DATABASE_URL=… anju migrate
-- up) and make some users first:
--   INSERT INTO users (id, firebase_uid)
--     SELECT gen_random_uuid(), 'bench-' || i FROM generate_series(1, 1200) i;
CREATE TABLE IF NOT EXISTS bench_ceiling (id uuid PRIMARY KEY, owner uuid NOT NULL, at timestamptz NOT NULL);
CREATE TABLE bench_owners AS SELECT row_number() OVER (ORDER BY id) AS n, id FROM users;
ALTER TABLE bench_owners ADD PRIMARY KEY (n);
