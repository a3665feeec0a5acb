-- +goose Up
-- Policy versions published by admins. The embedded defaults are version 1
-- of each package; a published version is never edited, only superseded by
-- a higher one.
CREATE TABLE policy_versions (
    package        text NOT NULL,
    version        int NOT NULL CHECK (version > 0),
    effective_from date NOT NULL,
    effective_to   date,
    source         text NOT NULL, -- the YAML as published
    published_by   uuid REFERENCES users (id),
    published_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (package, version)
);

-- Allowance claims. person_index is the blind index of the claimant's
-- national ID number: one live claim per package per person, whichever
-- account it comes from, is a database rule.
CREATE TABLE claims (
    id             uuid PRIMARY KEY,
    user_id        uuid NOT NULL REFERENCES users (id),
    package        text NOT NULL,
    person_index   text NOT NULL,
    policy_version int NOT NULL DEFAULT 0,
    status         text NOT NULL CHECK (status IN ('draft', 'submitted', 'awaiting_employer', 'under_review', 'approved',
                                                   'rejected', 'withdrawn', 'active', 'suspended', 'completed')),
    appealed       boolean NOT NULL DEFAULT false,
    declarations   jsonb NOT NULL DEFAULT '{}',
    decision       jsonb,          -- the latest evaluation: outcome, trace, benefit
    stage          text NOT NULL DEFAULT '',
    due_at         timestamptz,    -- when the current stage is due
    escalated_at   timestamptz,
    breaches       int NOT NULL DEFAULT 0, -- stages that went past their deadline
    reject_code    text NOT NULL DEFAULT '',
    reject_reason  text NOT NULL DEFAULT '',
    submitted_at   timestamptz,
    decided_at     timestamptz,
    first_paid_at  timestamptz,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);
CREATE UNIQUE INDEX claims_one_per_person ON claims (package, person_index) WHERE status <> 'withdrawn';
CREATE INDEX claims_user ON claims (user_id, created_at DESC, id DESC);
CREATE INDEX claims_queue ON claims (status, due_at);

CREATE TABLE claim_documents (
    claim_id    uuid NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
    document_id uuid NOT NULL REFERENCES documents (id),
    PRIMARY KEY (claim_id, document_id)
);

-- Every transition, append-only: who, when, from, to, why.
CREATE TABLE claim_audit (
    id          bigserial PRIMARY KEY,
    claim_id    uuid NOT NULL REFERENCES claims (id),
    at          timestamptz NOT NULL,
    actor_id    text NOT NULL,
    event       text NOT NULL,
    from_status text NOT NULL,
    to_status   text NOT NULL,
    reason      text NOT NULL DEFAULT ''
);
CREATE INDEX claim_audit_claim ON claim_audit (claim_id, id);

-- +goose Down
DROP TABLE claim_audit;
DROP TABLE claim_documents;
DROP TABLE claims;
DROP TABLE policy_versions;
