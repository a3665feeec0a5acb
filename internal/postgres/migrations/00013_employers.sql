-- +goose Up
-- Employers at city scale: employers register themselves and a city admin
-- approves them; an employer's admin invites its HR users; a graduate names
-- an employer that is not registered yet; HR files its new hires in bulk,
-- and each filed graduate finds a confirmed employment and a pre-filled
-- draft claim on signing in. Every change is audited in audit_log
-- (00014) under the entity "employer".
ALTER TABLE role_grants DROP CONSTRAINT role_grants_role_check;
ALTER TABLE role_grants ADD CONSTRAINT role_grants_role_check
    CHECK (role IN ('graduate', 'hr', 'employer_admin', 'reviewer', 'lead_reviewer', 'housing', 'finance', 'admin'));
ALTER TABLE role_grants DROP CONSTRAINT role_grants_check;
ALTER TABLE role_grants ADD CONSTRAINT role_grants_check CHECK ((role IN ('hr', 'employer_admin')) = (employer_id IS NOT NULL));

-- An unregistered employer was named by a graduate and waits for its
-- contact to take the account up.
ALTER TABLE employers ADD COLUMN status text NOT NULL DEFAULT 'registered' CHECK (status IN ('registered', 'unregistered')),
    ADD COLUMN address text NOT NULL DEFAULT '';

ALTER TABLE employments ADD COLUMN source text NOT NULL DEFAULT 'declared' CHECK (source IN ('declared', 'filed'));

CREATE TABLE employer_registrations (
    id                   uuid PRIMARY KEY,
    credit_code          text NOT NULL,
    name                 text NOT NULL,
    address              text NOT NULL,
    contact_name         text NOT NULL,
    contact_phone_sealed text NOT NULL,
    applicant_id         uuid NOT NULL REFERENCES users (id),
    status               text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    reason               text NOT NULL DEFAULT '',
    employer_id          uuid REFERENCES employers (id),
    decided_by           uuid REFERENCES users (id),
    decided_at           timestamptz,
    created_at           timestamptz NOT NULL
);
CREATE UNIQUE INDEX employer_registrations_one_pending ON employer_registrations (credit_code) WHERE status = 'pending';
CREATE INDEX employer_registrations_status ON employer_registrations (status, created_at DESC, id DESC);
CREATE INDEX employer_registrations_applicant ON employer_registrations (applicant_id, created_at DESC);

-- The code is looked up by its hash; it is kept sealed as well so that
-- whoever may invite for the employer can read it again to pass it on.
CREATE TABLE invitations (
    id             uuid PRIMARY KEY,
    employer_id    uuid NOT NULL REFERENCES employers (id),
    role           text NOT NULL CHECK (role IN ('hr', 'employer_admin')),
    code_hash      text NOT NULL UNIQUE,
    code_sealed    text NOT NULL,
    contact_sealed text NOT NULL, -- a phone number or an email address
    invited_by     uuid REFERENCES users (id), -- NULL: Anju, for a named employer's contact
    status         text NOT NULL CHECK (status IN ('pending', 'accepted', 'revoked')),
    expires_at     timestamptz NOT NULL,
    accepted_by    uuid REFERENCES users (id),
    decided_at     timestamptz,
    created_at     timestamptz NOT NULL
);
CREATE INDEX invitations_employer ON invitations (employer_id, created_at DESC, id DESC);

CREATE TABLE employer_nominations (
    id             uuid PRIMARY KEY,
    employer_id    uuid NOT NULL REFERENCES employers (id),
    user_id        uuid NOT NULL REFERENCES users (id),
    contact_name   text NOT NULL,
    contact_sealed text NOT NULL,
    invitation_id  uuid REFERENCES invitations (id),
    created_at     timestamptz NOT NULL,
    UNIQUE (employer_id, user_id)
);
CREATE INDEX employer_nominations_created ON employer_nominations (created_at DESC, id DESC);

CREATE TABLE filings (
    id          uuid PRIMARY KEY,
    employer_id uuid NOT NULL REFERENCES employers (id),
    filed_by    uuid NOT NULL REFERENCES users (id),
    hires       int NOT NULL,
    created_at  timestamptz NOT NULL
);
CREATE INDEX filings_employer ON filings (employer_id, created_at DESC, id DESC);

CREATE TABLE filed_hires (
    id                     uuid PRIMARY KEY,
    filing_id              uuid NOT NULL REFERENCES filings (id),
    employer_id            uuid NOT NULL REFERENCES employers (id),
    name                   text NOT NULL,
    national_id_sealed     text NOT NULL,
    national_id_index      text NOT NULL,
    phone_sealed           text NOT NULL DEFAULT '',
    contract_start         date NOT NULL,
    contract_end           date NOT NULL,
    social_insurance_start date NOT NULL,
    user_id                uuid REFERENCES users (id),
    employment_id          uuid REFERENCES employments (id),
    matched_at             timestamptz
);
CREATE UNIQUE INDEX filed_hires_once ON filed_hires (employer_id, national_id_index);
CREATE INDEX filed_hires_unmatched ON filed_hires (national_id_index) WHERE matched_at IS NULL;
CREATE INDEX filed_hires_filing ON filed_hires (filing_id, name);

-- +goose Down
DROP TABLE filed_hires;
DROP TABLE filings;
DROP TABLE employer_nominations;
DROP TABLE invitations;
DROP TABLE employer_registrations;
ALTER TABLE employments DROP COLUMN source;
DELETE FROM employments WHERE employer_id IN (SELECT id FROM employers WHERE status = 'unregistered');
DELETE FROM employers WHERE status = 'unregistered';
ALTER TABLE employers DROP COLUMN address, DROP COLUMN status;
DELETE FROM role_grants WHERE role = 'employer_admin';
ALTER TABLE role_grants DROP CONSTRAINT role_grants_check;
ALTER TABLE role_grants ADD CONSTRAINT role_grants_check CHECK ((role = 'hr') = (employer_id IS NOT NULL));
ALTER TABLE role_grants DROP CONSTRAINT role_grants_role_check;
ALTER TABLE role_grants ADD CONSTRAINT role_grants_role_check
    CHECK (role IN ('graduate', 'hr', 'reviewer', 'lead_reviewer', 'housing', 'finance', 'admin'));
