-- +goose Up
-- Offers of units to applicants and the leases they become. An accepted
-- offer stays live for as long as its lease: the partial unique indexes make
-- "one unit, one live offer or lease" and "one applicant, one live offer" a
-- database rule, whatever the code does.
CREATE TABLE offers (
    id             uuid PRIMARY KEY,
    round_id       uuid NOT NULL REFERENCES rounds (id),
    application_id uuid NOT NULL REFERENCES applications (id),
    user_id        uuid NOT NULL REFERENCES users (id),
    unit_id        uuid NOT NULL REFERENCES units (id),
    status         text NOT NULL CHECK (status IN ('pending', 'accepted', 'declined', 'expired', 'ended')),
    source         text NOT NULL CHECK (source IN ('draw', 'waitlist', 'manual')),
    reason         text NOT NULL DEFAULT '', -- why staff assigned it by hand
    created_by     text NOT NULL,            -- a staff user id, or "system"
    expires_at     timestamptz NOT NULL,
    reminded_at    timestamptz,
    created_at     timestamptz NOT NULL,
    decided_at     timestamptz,
    CHECK (source <> 'manual' OR reason <> '')
);
CREATE UNIQUE INDEX offers_unit_live ON offers (unit_id) WHERE status IN ('pending', 'accepted');
CREATE UNIQUE INDEX offers_application_live ON offers (application_id) WHERE status IN ('pending', 'accepted');
CREATE INDEX offers_round ON offers (round_id);
CREATE INDEX offers_pending ON offers (expires_at) WHERE status = 'pending';

CREATE TABLE leases (
    id            uuid PRIMARY KEY,
    offer_id      uuid NOT NULL UNIQUE REFERENCES offers (id),
    user_id       uuid NOT NULL REFERENCES users (id),
    unit_id       uuid NOT NULL REFERENCES units (id),
    starts_on     date NOT NULL,
    ends_on       date NOT NULL CHECK (ends_on > starts_on),
    rent_schedule jsonb NOT NULL, -- monthly rent by lease year, fen
    status        text NOT NULL CHECK (status IN ('active', 'ended')),
    created_at    timestamptz NOT NULL
);

-- +goose Down
DROP TABLE leases;
DROP TABLE offers;
