-- +goose Up
-- The bank account allowances are paid into: sealed like the national ID,
-- shown in clear only in finance's export.
ALTER TABLE profiles ADD COLUMN bank_name text NOT NULL DEFAULT '';
ALTER TABLE profiles ADD COLUMN bank_account_sealed text NOT NULL DEFAULT '';

-- A claim's payment schedule, created when it is approved. Amounts are fen.
CREATE TABLE payments (
    id             uuid PRIMARY KEY,
    claim_id       uuid NOT NULL REFERENCES claims (id),
    user_id        uuid NOT NULL REFERENCES users (id),
    seq            int NOT NULL,
    kind           text NOT NULL CHECK (kind IN ('instalment', 'monthly')),
    amount         bigint NOT NULL CHECK (amount > 0),
    gate_months    int NOT NULL DEFAULT 0, -- consecutive social-insurance months that release an instalment
    due_on         date NOT NULL,
    status         text NOT NULL CHECK (status IN ('scheduled', 'held', 'due', 'batched', 'paid', 'failed', 'suspended', 'clawed_back')),
    held_since     date,
    batch_id       uuid,
    paid_at        timestamptz,
    failure_reason text NOT NULL DEFAULT '',
    updated_at     timestamptz NOT NULL,
    UNIQUE (claim_id, seq)
);
CREATE INDEX payments_due ON payments (status, due_on);

CREATE TABLE payment_batches (
    id         uuid PRIMARY KEY,
    created_by uuid NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL,
    count      int NOT NULL,
    total      bigint NOT NULL
);
ALTER TABLE payments ADD CONSTRAINT payments_batch_fk FOREIGN KEY (batch_id) REFERENCES payment_batches (id);

-- +goose Down
DROP TABLE payments;
DROP TABLE payment_batches;
ALTER TABLE profiles DROP COLUMN bank_account_sealed;
ALTER TABLE profiles DROP COLUMN bank_name;
