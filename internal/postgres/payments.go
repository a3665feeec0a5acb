package postgres

import (
	"context"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/allowance"
	"github.com/jackc/pgx/v5"
)

// Payments is allowance.PaymentStore: schedules and reconciliation.
type Payments struct{ db *DB }

// Payments returns the payments adapter.
func (db *DB) Payments() Payments { return Payments{db} }

const paymentColumns = `p.id, p.claim_id, p.user_id, p.seq, p.kind, p.amount, p.gate_months, p.due_on, p.status,
	p.held_since, coalesce(p.batch_id::text, ''), p.paid_at, p.failed_at, p.failure_reason, p.updated_at`

func paymentFields(p *allowance.Payment) []any {
	return []any{&p.ID, &p.ClaimID, &p.UserID, &p.Seq, &p.Kind, &p.Amount, &p.GateMonths, &p.DueOn, &p.Status,
		&p.HeldSince, &p.BatchID, &p.PaidAt, &p.FailedAt, &p.FailureReason, &p.UpdatedAt}
}

func scanPayment(r pgx.Row) (allowance.Payment, error) {
	var p allowance.Payment
	err := r.Scan(paymentFields(&p)...)
	return p, err
}

// Payment implements allowance.PaymentStore.
func (s Payments) Payment(ctx context.Context, id string) (allowance.Payment, error) {
	return byID(ctx, s.db.pool, id, allowance.CodePaymentNotFound, scanPayment, `SELECT `+paymentColumns+` FROM payments p WHERE id = $1`)
}

// Payments implements allowance.PaymentStore.
func (s Payments) Payments(ctx context.Context, claimID string) ([]allowance.Payment, error) {
	return collect(ctx, s.db.pool, scanPayment, `SELECT `+paymentColumns+` FROM payments p WHERE claim_id = $1 ORDER BY seq`, claimID)
}

// PaymentsFallingDue implements allowance.PaymentStore: one page in
// (due_on, id) order, after the payment after, of one status only, so the
// held backlog never fills the page that new due payments need.
func (s Payments) PaymentsFallingDue(ctx context.Context, today time.Time, status allowance.PaymentStatus, after *allowance.Payment) ([]allowance.Payment, error) {
	afterDue, afterID := time.Time{}, "00000000-0000-0000-0000-000000000000"
	if after != nil {
		afterDue, afterID = after.DueOn, after.ID
	}
	return collect(ctx, s.db.pool, scanPayment, `SELECT `+paymentColumns+` FROM payments p JOIN claims c ON c.id = p.claim_id
		WHERE p.status = $2 AND p.due_on <= $1 AND c.status = 'active' AND (p.due_on, p.id) > ($3::date, $4::uuid)
		ORDER BY p.due_on, p.id LIMIT $5`, today, status, afterDue, afterID, talent.SweepPage)
}

func savePayment(ctx context.Context, tx execer, p allowance.Payment) error {
	var batch *string
	if p.BatchID != "" {
		batch = &p.BatchID
	}
	_, err := tx.Exec(ctx, `UPDATE payments SET status = $2, held_since = $3, batch_id = $4, paid_at = $5,
		failure_reason = $6, updated_at = $7, failed_at = $8 WHERE id = $1`,
		p.ID, p.Status, p.HeldSince, batch, p.PaidAt, p.FailureReason, p.UpdatedAt, p.FailedAt)
	return err
}

func lockPayment(ctx context.Context, tx pgx.Tx, id string) (allowance.Payment, error) {
	return scanPayment(tx.QueryRow(ctx, `SELECT `+paymentColumns+` FROM payments p WHERE id = $1 FOR UPDATE`, id))
}

// UpdatePayment implements allowance.PaymentStore.
func (s Payments) UpdatePayment(ctx context.Context, id string, fn func(*allowance.Payment) ([]talent.Task, error)) error {
	_, err := update(ctx, s.db, id, allowance.CodePaymentNotFound,
		func(tx pgx.Tx) (allowance.Payment, error) { return lockPayment(ctx, tx, id) }, fn,
		func(tx pgx.Tx, p *allowance.Payment, tasks []talent.Task) error {
			if err := savePayment(ctx, tx, *p); err != nil {
				return err
			}
			return enqueue(ctx, tx, tasks)
		})
	return err
}

// Reconcile implements allowance.PaymentStore: approved is what the
// schedules of approved claims add up to; the rest splits it by payment
// status (failed payments are still owed, so they count as scheduled).
// Clawbacks are money paid that is reclaimed.
func (s Payments) Reconcile(ctx context.Context) (allowance.Reconciliation, error) {
	var r allowance.Reconciliation
	err := s.db.pool.QueryRow(ctx, `SELECT
			coalesce(sum(amount), 0),
			coalesce(sum(amount) FILTER (WHERE status = 'paid'), 0),
			coalesce(sum(amount) FILTER (WHERE status IN ('scheduled', 'held', 'due', 'batched', 'failed')), 0),
			coalesce(sum(amount) FILTER (WHERE status = 'suspended'), 0),
			(SELECT coalesce(sum(amount), 0) FROM clawbacks WHERE status = 'owed'),
			(SELECT coalesce(sum(amount), 0) FROM clawbacks WHERE status = 'repaid')
		FROM payments`).Scan(&r.Approved, &r.Paid, &r.Scheduled, &r.Suspended, &r.ClawbackOwed, &r.ClawedBack)
	return r, translate(err)
}
