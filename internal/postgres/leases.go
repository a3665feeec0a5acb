package postgres

import (
	"context"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/allowance"
	"github.com/anju-city/anju/internal/talent/housing"
	"github.com/jackc/pgx/v5"
)

// Leases is housing.LeaseStore (and allowance's view of who holds a lease).
type Leases struct{ db *DB }

// Leases returns the leases adapter.
func (db *DB) Leases() Leases { return Leases{db} }

const leaseColumns = `id, offer_id, user_id, unit_id, starts_on, ends_on, months, rent_schedule, status, renewal_notified_at,
	move_out_reason, move_out_by, checked_in_at, checked_out_at, created_at`

func scanLease(r pgx.Row) (housing.Lease, error) {
	var l housing.Lease
	err := r.Scan(&l.ID, &l.OfferID, &l.UserID, &l.UnitID, &l.StartsOn, &l.EndsOn, &l.Months, &l.RentSchedule, &l.Status,
		&l.RenewalNotifiedAt, &l.MoveOutReason, &l.MoveOutBy, &l.CheckedInAt, &l.CheckedOutAt, &l.CreatedAt)
	return l, err
}

// Lease implements housing.LeaseStore.
func (s Leases) Lease(ctx context.Context, id string) (housing.Lease, error) {
	return byID(ctx, s.db.pool, id, housing.CodeLeaseNotFound, scanLease, `SELECT `+leaseColumns+` FROM leases WHERE id = $1`)
}

// LeasesToReview implements housing.LeaseStore.
func (s Leases) LeasesToReview(ctx context.Context, after *housing.Lease) ([]housing.Lease, error) {
	afterOn, afterID := time.Time{}, afterID("")
	if after != nil {
		afterOn, afterID = after.EndsOn, after.ID
	}
	return collect(ctx, s.db.pool, scanLease, `SELECT `+leaseColumns+` FROM leases WHERE status = 'active'
		AND (ends_on, id) > ($1::date, $2::uuid) ORDER BY ends_on, id LIMIT $3`, afterOn, afterID, talent.SweepPage)
}

// UpdateLease implements housing.LeaseStore.
func (s Leases) UpdateLease(ctx context.Context, id string, fn func(*housing.Lease) (housing.Change, error)) (housing.Lease, error) {
	return update(ctx, s.db, id, housing.CodeLeaseNotFound,
		func(tx pgx.Tx) (housing.Lease, error) {
			return scanLease(tx.QueryRow(ctx, `SELECT `+leaseColumns+` FROM leases WHERE id = $1 FOR UPDATE`, id))
		}, fn,
		func(tx pgx.Tx, l *housing.Lease, change housing.Change) error {
			if _, err := tx.Exec(ctx, `UPDATE leases SET ends_on = $2, months = $3, status = $4, renewal_notified_at = $5,
				move_out_reason = $6, move_out_by = $7, checked_in_at = $8, checked_out_at = $9 WHERE id = $1`,
				l.ID, l.EndsOn, l.Months, l.Status, l.RenewalNotifiedAt, l.MoveOutReason, l.MoveOutBy, l.CheckedInAt, l.CheckedOutAt); err != nil {
				return err
			}
			return saveHousingChange(ctx, tx, change)
		})
}

// HoldsLease implements allowance.Leases.
func (s Leases) HoldsLease(ctx context.Context, userID string) (bool, error) {
	var held bool
	err := s.db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM leases WHERE user_id = $1 AND status = 'active')`, userID).Scan(&held)
	return held, translate(err)
}

// LeasesOf implements allowance.Leases.
func (s Leases) LeasesOf(ctx context.Context, userID string) ([]allowance.ApplicantLease, error) {
	return collect(ctx, s.db.pool, func(r pgx.Row) (allowance.ApplicantLease, error) {
		var l allowance.ApplicantLease
		err := r.Scan(&l.ID, &l.UnitID, &l.Status, &l.StartsOn, &l.EndsOn)
		return l, err
	}, `SELECT id, unit_id, status, starts_on, ends_on FROM leases WHERE user_id = $1 ORDER BY created_at DESC LIMIT 20`, userID)
}
