-- +goose Up
-- Finance as an office: a batch is made by one finance officer and approved
-- by another before it can go to the bank (maker–checker); its payees are
-- snapshotted into its lines when it is made, so that every export of it is
-- the same file; exports and the bank's return files are recorded; money
-- paid to graduates who left early is clawed back; and payments to a bank
-- account changed recently are held.

-- When the graduate last changed the account number (NULL: never, or only
-- set it the first time). Payments to a new account are held for the
-- package's new_account_hold_days; a failed payment is batched again only
-- after the account changed.
ALTER TABLE profiles ADD COLUMN bank_account_changed_at timestamptz;
ALTER TABLE payments ADD COLUMN failed_at timestamptz;

-- Batches made before this migration went to the bank under the old rules:
-- they count as approved.
ALTER TABLE payment_batches
    ADD COLUMN status        text NOT NULL DEFAULT 'approved'
        CHECK (status IN ('pending_approval', 'approved', 'settled', 'rejected')),
    ADD COLUMN approved_by   uuid REFERENCES users (id),
    ADD COLUMN approved_at   timestamptz,
    ADD COLUMN rejected_by   uuid REFERENCES users (id),
    ADD COLUMN reject_reason text NOT NULL DEFAULT '',
    ADD COLUMN paid          int NOT NULL DEFAULT 0, -- lines the bank paid
    ADD COLUMN failed        int NOT NULL DEFAULT 0, -- lines the bank refused
    ADD COLUMN held_back     jsonb NOT NULL DEFAULT '[]', -- due payments left out, and why
    ADD COLUMN updated_at    timestamptz,
    ADD CONSTRAINT payment_batches_second_approver CHECK (approved_by <> created_by);
ALTER TABLE payment_batches ALTER COLUMN status DROP DEFAULT;
UPDATE payment_batches SET updated_at = created_at;
ALTER TABLE payment_batches ALTER COLUMN updated_at SET NOT NULL;
CREATE INDEX payment_batches_listed ON payment_batches (created_at DESC, id DESC);

-- A batch's payments with their payee as the profile said when the batch was
-- made (the account number sealed), and the bank's answer to each.
CREATE TABLE batch_lines (
    batch_id            uuid NOT NULL REFERENCES payment_batches (id),
    payment_id          uuid NOT NULL REFERENCES payments (id),
    seq                 int NOT NULL,
    package             text NOT NULL,
    amount              bigint NOT NULL,
    due_on              date NOT NULL,
    payee_name          text NOT NULL,
    national_id_masked  text NOT NULL,
    bank_name           text NOT NULL,
    bank_account_sealed text NOT NULL,
    result              text NOT NULL DEFAULT '' CHECK (result IN ('', 'paid', 'failed')),
    reason              text NOT NULL DEFAULT '',
    bank_serial         text NOT NULL DEFAULT '',
    answered_at         timestamptz,
    PRIMARY KEY (batch_id, payment_id),
    UNIQUE (batch_id, seq)
);
CREATE INDEX batch_lines_payment ON batch_lines (payment_id);
-- Lines of the batches made before: the payee as the profile says now.
INSERT INTO batch_lines (batch_id, payment_id, seq, package, amount, due_on, payee_name, national_id_masked,
                         bank_name, bank_account_sealed, result, answered_at)
SELECT p.batch_id, p.id, row_number() OVER (PARTITION BY p.batch_id ORDER BY p.due_on, p.id), c.package, p.amount,
       p.due_on, coalesce(pr.name, ''), '', coalesce(pr.bank_name, ''), coalesce(pr.bank_account_sealed, ''),
       CASE p.status WHEN 'paid' THEN 'paid' WHEN 'failed' THEN 'failed' ELSE '' END,
       CASE WHEN p.status IN ('paid', 'failed') THEN p.updated_at END
FROM payments p JOIN claims c ON c.id = p.claim_id LEFT JOIN profiles pr ON pr.user_id = p.user_id
WHERE p.batch_id IS NOT NULL;

-- Every export of a batch for the bank: who, when, which format, and the
-- SHA-256 of the file, so that any copy can be matched to its export.
CREATE TABLE batch_exports (
    id       uuid PRIMARY KEY,
    batch_id uuid NOT NULL REFERENCES payment_batches (id),
    actor_id uuid NOT NULL REFERENCES users (id),
    at       timestamptz NOT NULL,
    format   text NOT NULL CHECK (format IN ('xlsx', 'csv')),
    sha256   text NOT NULL,
    size     int NOT NULL
);
CREATE INDEX batch_exports_batch ON batch_exports (batch_id, at);

-- The bank's return files applied to a batch, by the SHA-256 of their
-- content: the same file sent again is recognised and changes nothing.
CREATE TABLE bank_returns (
    id          uuid PRIMARY KEY,
    batch_id    uuid NOT NULL REFERENCES payment_batches (id),
    sha256      text NOT NULL,
    uploaded_by uuid NOT NULL REFERENCES users (id),
    at          timestamptz NOT NULL,
    lines       int NOT NULL, -- rows of the file
    paid        int NOT NULL,
    failed      int NOT NULL,
    changed     int NOT NULL,
    UNIQUE (batch_id, sha256)
);

-- Money reclaimed from a graduate who left the city's employment before the
-- package's clawback_months had passed since the first payment. At most one
-- live clawback per claim; a cancelled proposal is not proposed again.
CREATE TABLE clawbacks (
    id              uuid PRIMARY KEY,
    claim_id        uuid NOT NULL REFERENCES claims (id),
    user_id         uuid NOT NULL REFERENCES users (id),
    package         text NOT NULL,
    status          text NOT NULL CHECK (status IN ('proposed', 'owed', 'repaid', 'cancelled')),
    reason          text NOT NULL,
    paid            bigint NOT NULL,  -- what the claim had paid when the amount was computed (fen)
    amount          bigint NOT NULL CHECK (amount > 0),
    served_months   int NOT NULL,
    clawback_months int NOT NULL,
    first_paid_on   date NOT NULL,
    left_on         date NOT NULL,
    proposed_by     text NOT NULL,    -- a reviewer's id, or 'system'
    created_at      timestamptz NOT NULL,
    decided_by      uuid REFERENCES users (id),
    decided_at      timestamptz,
    cancel_reason   text NOT NULL DEFAULT '',
    repaid_by       uuid REFERENCES users (id),
    repaid_at       timestamptz,
    repayment_ref   text NOT NULL DEFAULT '',
    updated_at      timestamptz NOT NULL
);
CREATE UNIQUE INDEX clawbacks_one_live ON clawbacks (claim_id) WHERE status <> 'cancelled';
CREATE INDEX clawbacks_listed ON clawbacks (created_at DESC, id DESC);

-- Changes that are not a claim's transition (claims keep claim_audit):
-- batches, exports, return files, clawbacks, bank-account changes.
-- Append-only; details never hold personal data in clear.
CREATE TABLE audit_log (
    id         bigserial PRIMARY KEY,
    at         timestamptz NOT NULL,
    actor_id   text NOT NULL,
    entity     text NOT NULL,
    entity_id  text NOT NULL,
    event      text NOT NULL,
    detail     text NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, id);

-- +goose Down
DROP TABLE audit_log;
DROP TABLE clawbacks;
DROP TABLE bank_returns;
DROP TABLE batch_exports;
DROP TABLE batch_lines;
DROP INDEX payment_batches_listed;
ALTER TABLE payment_batches DROP CONSTRAINT payment_batches_second_approver,
    DROP COLUMN updated_at, DROP COLUMN held_back, DROP COLUMN failed, DROP COLUMN paid, DROP COLUMN reject_reason,
    DROP COLUMN rejected_by, DROP COLUMN approved_at, DROP COLUMN approved_by, DROP COLUMN status;
ALTER TABLE payments DROP COLUMN failed_at;
ALTER TABLE profiles DROP COLUMN bank_account_changed_at;
