-- +goose Up
-- When a bootstrap admin (ANJU_BOOTSTRAP_ADMINS) was given the admin role
-- at sign-in. The grant happens once: an admin role revoked later is not
-- given back at the next sign-in.
ALTER TABLE users ADD COLUMN bootstrap_granted_at timestamptz;
-- Admins granted before this column existed: the uid list cannot be read
-- here, so every current admin grant made by nobody (the bootstrap) counts.
UPDATE users u SET bootstrap_granted_at = g.granted_at
    FROM role_grants g WHERE g.user_id = u.id AND g.role = 'admin' AND g.granted_by IS NULL;

-- +goose Down
ALTER TABLE users DROP COLUMN bootstrap_granted_at;
