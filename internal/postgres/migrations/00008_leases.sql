-- +goose Up
-- Employment that ended (HR says so) is an exit trigger for talent
-- apartments and a reason payments stop.
ALTER TABLE employments DROP CONSTRAINT employments_status_check;
ALTER TABLE employments ADD CONSTRAINT employments_status_check
    CHECK (status IN ('pending', 'confirmed', 'rejected', 'superseded', 'ended'));
ALTER TABLE employments ADD COLUMN ended_on date;

-- Lease life: renewals up to 36 months, move-out with notice, check-in and
-- check-out recorded by staff.
ALTER TABLE leases DROP CONSTRAINT leases_status_check;
ALTER TABLE leases ADD CONSTRAINT leases_status_check CHECK (status IN ('active', 'moving_out', 'ended'));
ALTER TABLE leases ADD COLUMN months int NOT NULL DEFAULT 12 CHECK (months BETWEEN 1 AND 36);
ALTER TABLE leases ADD COLUMN renewal_notified_at timestamptz;
ALTER TABLE leases ADD COLUMN move_out_reason text NOT NULL DEFAULT '';
ALTER TABLE leases ADD COLUMN move_out_by date;
ALTER TABLE leases ADD COLUMN checked_in_at timestamptz;
ALTER TABLE leases ADD COLUMN checked_out_at timestamptz;

-- +goose Down
ALTER TABLE leases DROP COLUMN checked_out_at;
ALTER TABLE leases DROP COLUMN checked_in_at;
ALTER TABLE leases DROP COLUMN move_out_by;
ALTER TABLE leases DROP COLUMN move_out_reason;
ALTER TABLE leases DROP COLUMN renewal_notified_at;
ALTER TABLE leases DROP COLUMN months;
ALTER TABLE leases DROP CONSTRAINT leases_status_check;
ALTER TABLE leases ADD CONSTRAINT leases_status_check CHECK (status IN ('active', 'ended'));
ALTER TABLE employments DROP COLUMN ended_on;
ALTER TABLE employments DROP CONSTRAINT employments_status_check;
ALTER TABLE employments ADD CONSTRAINT employments_status_check
    CHECK (status IN ('pending', 'confirmed', 'rejected', 'superseded'));
