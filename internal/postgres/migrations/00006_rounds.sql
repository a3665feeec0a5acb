-- +goose Up
-- Allocation rounds. The seed stays sealed until the draw; its SHA-256 (the
-- commitment) is public from the opening, and the pool hash from the close.
CREATE TABLE rounds (
    id             uuid PRIMARY KEY,
    name           text NOT NULL,
    opens_at       timestamptz NOT NULL,
    closes_at      timestamptz NOT NULL CHECK (closes_at > opens_at),
    policy_version int NOT NULL,
    status         text NOT NULL CHECK (status IN ('open', 'closed', 'drawn')),
    commitment     text NOT NULL,
    seed_sealed    text NOT NULL,
    pool_hash      text NOT NULL DEFAULT '',
    pool           jsonb,  -- the frozen pool, published with the draw
    record         jsonb,  -- the published draw record
    created_by     uuid NOT NULL REFERENCES users (id),
    created_at     timestamptz NOT NULL,
    closed_at      timestamptz,
    drawn_at       timestamptz
);

CREATE TABLE round_units (
    round_id uuid NOT NULL REFERENCES rounds (id),
    unit_id  uuid NOT NULL REFERENCES units (id),
    PRIMARY KEY (round_id, unit_id)
);

-- Applications. active is true while the application can still lead to a
-- home; one active application per person (blind index), across rounds.
CREATE TABLE applications (
    id             uuid PRIMARY KEY,
    round_id       uuid NOT NULL REFERENCES rounds (id),
    user_id        uuid NOT NULL REFERENCES users (id),
    person_index   text NOT NULL,
    preferences    jsonb NOT NULL,
    household_size int NOT NULL CHECK (household_size BETWEEN 1 AND 10),
    declarations   jsonb NOT NULL DEFAULT '{}',
    status         text NOT NULL CHECK (status IN ('eligible', 'ineligible', 'withdrawn', 'allocated', 'waitlisted')),
    active         boolean NOT NULL,
    score          int NOT NULL DEFAULT 0,
    decision       jsonb NOT NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);
CREATE UNIQUE INDEX applications_one_active ON applications (person_index) WHERE active;
CREATE INDEX applications_round ON applications (round_id, status);

-- +goose Down
DROP TABLE applications;
DROP TABLE round_units;
DROP TABLE rounds;
