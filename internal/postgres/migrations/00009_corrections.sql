-- +goose Up
-- Corrections of a published draw: proposed by one housing officer, applied
-- only when a second one approves. Rows are never deleted: they are the audit.
CREATE TABLE draw_corrections (
    id             uuid PRIMARY KEY,
    round_id       uuid NOT NULL REFERENCES rounds (id),
    application_id uuid NOT NULL REFERENCES applications (id),
    unit_id        uuid NOT NULL REFERENCES units (id),
    reason         text NOT NULL CHECK (reason <> ''),
    status         text NOT NULL CHECK (status IN ('proposed', 'applied')),
    proposed_by    uuid NOT NULL REFERENCES users (id),
    proposed_at    timestamptz NOT NULL,
    approved_by    uuid REFERENCES users (id),
    approved_at    timestamptz,
    offer_id       uuid REFERENCES offers (id),
    CHECK (approved_by IS NULL OR approved_by <> proposed_by)
);

ALTER TABLE offers DROP CONSTRAINT offers_source_check;
ALTER TABLE offers ADD CONSTRAINT offers_source_check CHECK (source IN ('draw', 'waitlist', 'manual', 'correction'));
ALTER TABLE offers DROP CONSTRAINT offers_check;
ALTER TABLE offers ADD CONSTRAINT offers_check CHECK (source NOT IN ('manual', 'correction') OR reason <> '');

-- +goose Down
ALTER TABLE offers DROP CONSTRAINT offers_check;
ALTER TABLE offers ADD CONSTRAINT offers_check CHECK (source <> 'manual' OR reason <> '');
ALTER TABLE offers DROP CONSTRAINT offers_source_check;
ALTER TABLE offers ADD CONSTRAINT offers_source_check CHECK (source IN ('draw', 'waitlist', 'manual'));
DROP TABLE draw_corrections;
