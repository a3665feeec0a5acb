-- +goose Up
-- Review like an office does: who a claim is assigned to, returns for
-- supplement (退回补正) with the review deadline paused while the claim is
-- with the graduate, public notice (公示) with objections, and the log of
-- who viewed whose personal data.
-- A lead reviewer assigns claims to reviewers, and reviews.
ALTER TABLE role_grants DROP CONSTRAINT role_grants_role_check;
ALTER TABLE role_grants ADD CONSTRAINT role_grants_role_check
    CHECK (role IN ('graduate', 'hr', 'reviewer', 'lead_reviewer', 'housing', 'finance', 'admin'));

ALTER TABLE claims DROP CONSTRAINT claims_status_check;
ALTER TABLE claims ADD CONSTRAINT claims_status_check CHECK (status IN ('draft', 'submitted', 'awaiting_employer',
    'under_review', 'returned', 'lapsed', 'approved', 'rejected', 'withdrawn', 'active', 'suspended', 'completed'));
ALTER TABLE claims
    ADD COLUMN assignee_id     uuid REFERENCES users (id),
    ADD COLUMN employer_id     uuid REFERENCES employers (id), -- the employment the claim was evaluated with
    ADD COLUMN returns         int NOT NULL DEFAULT 0,
    ADD COLUMN return_items    jsonb,                          -- what the latest return asks for
    ADD COLUMN returned_at     timestamptz,
    ADD COLUMN paused_due_at   timestamptz,                    -- the review deadline, paused while returned
    ADD COLUMN decided_by      uuid REFERENCES users (id),
    ADD COLUMN notice_until    timestamptz,                    -- the end of the public notice after approval
    ADD COLUMN objections_open int NOT NULL DEFAULT 0;
-- A lapsed claim, like a withdrawn one, no longer stands in the way of a new one.
DROP INDEX claims_one_per_person;
CREATE UNIQUE INDEX claims_one_per_person ON claims (package, person_index) WHERE status NOT IN ('withdrawn', 'lapsed');
CREATE INDEX claims_submitted ON claims (status, submitted_at, id);
CREATE INDEX claims_employer ON claims (employer_id, status);
CREATE INDEX claims_assignee ON claims (assignee_id, status);
CREATE INDEX claims_notice ON claims (notice_until) WHERE status = 'approved';
CREATE INDEX profiles_name ON profiles (name text_pattern_ops);

-- The public notice (公示): approved claims before their first payment and
-- the allocations of drawn rounds, as anyone may read them (masked).
CREATE TABLE publicity_entries (
    id         uuid PRIMARY KEY, -- the claim's or the application's id
    kind       text NOT NULL CHECK (kind IN ('claim', 'round')),
    round_id   uuid REFERENCES rounds (id),
    person     text NOT NULL,    -- masked, e.g. 李*（0423）
    employer   text NOT NULL DEFAULT '',
    package    text NOT NULL DEFAULT '',
    amount     bigint NOT NULL DEFAULT 0, -- fen
    starts_at  timestamptz NOT NULL,
    ends_at    timestamptz NOT NULL,
    status     text NOT NULL CHECK (status IN ('open', 'objected', 'ended', 'withdrawn')),
    created_at timestamptz NOT NULL
);
CREATE INDEX publicity_listed ON publicity_entries (starts_at DESC, id DESC) WHERE status IN ('open', 'objected');

CREATE TABLE objections (
    id          uuid PRIMARY KEY,
    entry_id    uuid NOT NULL REFERENCES publicity_entries (id),
    filed_by    uuid NOT NULL REFERENCES users (id),
    reasons     text NOT NULL,
    status      text NOT NULL CHECK (status IN ('open', 'upheld', 'dismissed')),
    resolved_by uuid REFERENCES users (id),
    resolution  text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL,
    resolved_at timestamptz
);
CREATE INDEX objections_entry ON objections (entry_id);
CREATE INDEX objections_open ON objections (created_at, id) WHERE status = 'open';

-- Who viewed whose personal data, when and under which request.
CREATE TABLE access_log (
    id         uuid PRIMARY KEY,
    at         timestamptz NOT NULL,
    actor_id   uuid NOT NULL REFERENCES users (id),
    subject_id uuid REFERENCES users (id),
    what       text NOT NULL,
    object_id  text NOT NULL,
    request_id text NOT NULL DEFAULT ''
);
CREATE INDEX access_log_recent ON access_log (at DESC, id DESC);
CREATE INDEX access_log_subject ON access_log (subject_id, at DESC);

-- +goose Down
DROP TABLE access_log;
DROP TABLE objections;
DROP TABLE publicity_entries;
DROP INDEX profiles_name;
DROP INDEX claims_notice;
DROP INDEX claims_assignee;
DROP INDEX claims_employer;
DROP INDEX claims_submitted;
DROP INDEX claims_one_per_person;
CREATE UNIQUE INDEX claims_one_per_person ON claims (package, person_index) WHERE status <> 'withdrawn';
ALTER TABLE claims DROP COLUMN objections_open, DROP COLUMN notice_until, DROP COLUMN decided_by,
    DROP COLUMN paused_due_at, DROP COLUMN returned_at, DROP COLUMN return_items, DROP COLUMN returns,
    DROP COLUMN employer_id, DROP COLUMN assignee_id;
ALTER TABLE claims DROP CONSTRAINT claims_status_check;
ALTER TABLE claims ADD CONSTRAINT claims_status_check CHECK (status IN ('draft', 'submitted', 'awaiting_employer',
    'under_review', 'approved', 'rejected', 'withdrawn', 'active', 'suspended', 'completed'));
DELETE FROM role_grants WHERE role = 'lead_reviewer';
ALTER TABLE role_grants DROP CONSTRAINT role_grants_role_check;
ALTER TABLE role_grants ADD CONSTRAINT role_grants_role_check
    CHECK (role IN ('graduate', 'hr', 'reviewer', 'housing', 'finance', 'admin'));
