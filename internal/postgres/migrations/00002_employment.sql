-- +goose Up
-- A graduate's declared employment and the employer HR office's answer.
-- Only one declaration per graduate is live (pending or confirmed) at a time;
-- declaring another employer supersedes it.
CREATE TABLE employments (
    id                     uuid PRIMARY KEY,
    user_id                uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    employer_id            uuid NOT NULL REFERENCES employers (id),
    status                 text NOT NULL CHECK (status IN ('pending', 'confirmed', 'rejected', 'superseded')),
    declared_since         date,
    contract_start         date,
    contract_end           date,
    social_insurance_start date,
    reject_reason          text NOT NULL DEFAULT '',
    decided_by             uuid REFERENCES users (id),
    decided_at             timestamptz,
    created_at             timestamptz NOT NULL,
    updated_at             timestamptz NOT NULL,
    CHECK (status <> 'confirmed' OR (contract_start IS NOT NULL AND contract_end IS NOT NULL AND social_insurance_start IS NOT NULL))
);
CREATE UNIQUE INDEX employments_one_live ON employments (user_id) WHERE status IN ('pending', 'confirmed');
CREATE INDEX employments_employer ON employments (employer_id, status, created_at DESC, id DESC);
CREATE INDEX role_grants_employer ON role_grants (employer_id) WHERE employer_id IS NOT NULL;

-- +goose Down
DROP INDEX role_grants_employer;
DROP TABLE employments;
