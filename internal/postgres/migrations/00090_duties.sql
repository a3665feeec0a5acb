-- +goose Up
-- Nobody acts for themselves: a unit offered by hand waits for a second
-- officer like a correction of the draw; a talent tier is certified by one
-- officer and approved by another, neither of them its holder; and one
-- claim of a package and one live application per person hold by account
-- as well as by ID number.
ALTER TABLE draw_corrections ADD COLUMN kind text NOT NULL DEFAULT 'correction' CHECK (kind IN ('correction', 'assignment'));

CREATE TABLE tier_certifications (
    id          uuid PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id),
    tier        text NOT NULL CHECK (tier IN ('', 'A', 'B', 'C', 'D', 'E')), -- '' withdraws a tier
    evidence    text NOT NULL,
    status      text NOT NULL CHECK (status IN ('proposed', 'approved', 'rejected')),
    proposed_by uuid NOT NULL REFERENCES users (id),
    proposed_at timestamptz NOT NULL,
    decided_by  uuid REFERENCES users (id),
    decided_at  timestamptz,
    reason      text NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX tier_certifications_one_open ON tier_certifications (user_id) WHERE status = 'proposed';
CREATE INDEX tier_certifications_status ON tier_certifications (status, proposed_at DESC, id DESC);

CREATE UNIQUE INDEX claims_one_per_account ON claims (package, user_id) WHERE status NOT IN ('withdrawn', 'lapsed');
CREATE UNIQUE INDEX applications_one_active_account ON applications (user_id) WHERE active;

-- +goose Down
DROP INDEX applications_one_active_account;
DROP INDEX claims_one_per_account;
DROP TABLE tier_certifications;
ALTER TABLE draw_corrections DROP COLUMN kind;
