package postgres

import (
	"context"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/allowance"
	"github.com/jackc/pgx/v5"
)

const paymentColumns = `p.id, p.claim_id, p.user_id, p.seq, p.kind, p.amount, p.gate_months, p.due_on, p.status,
	p.held_since, coalesce(p.batch_id::text, ''), p.paid_at, p.failure_reason, p.updated_at`

func scanPayment(r pgx.Row) (allowance.Payment, error) {
	var p allowance.Payment
	err := r.Scan(&p.ID, &p.ClaimID, &p.UserID, &p.Seq, &p.Kind, &p.Amount, &p.GateMonths, &p.DueOn, &p.Status,
		&p.HeldSince, &p.BatchID, &p.PaidAt, &p.FailureReason, &p.UpdatedAt)
	return p, err
}

func (db *DB) paymentList(ctx context.Context, sql string, args ...any) ([]allowance.Payment, error) {
	rows, err := db.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, translate(err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (allowance.Payment, error) { return scanPayment(r) })
	return list, translate(err)
}

// Payments implements allowance.Store.
func (db *DB) Payments(ctx context.Context, claimID string) ([]allowance.Payment, error) {
	return db.paymentList(ctx, `SELECT `+paymentColumns+` FROM payments p WHERE claim_id = $1 ORDER BY seq`, claimID)
}

// PaymentsFallingDue implements allowance.Store.
func (db *DB) PaymentsFallingDue(ctx context.Context, today time.Time) ([]allowance.Payment, error) {
	return db.paymentList(ctx, `SELECT `+paymentColumns+` FROM payments p JOIN claims c ON c.id = p.claim_id
		WHERE p.status IN ('scheduled', 'held') AND p.due_on <= $1 AND c.status = 'active'
		ORDER BY p.due_on, p.id LIMIT 1000`, today)
}

func updatePayment(ctx context.Context, tx pgx.Tx, p allowance.Payment) error {
	var batch *string
	if p.BatchID != "" {
		batch = &p.BatchID
	}
	_, err := tx.Exec(ctx, `UPDATE payments SET status = $2, held_since = $3, batch_id = $4, paid_at = $5,
		failure_reason = $6, updated_at = $7 WHERE id = $1`, p.ID, p.Status, p.HeldSince, batch, p.PaidAt, p.FailureReason, p.UpdatedAt)
	return err
}

// UpdatePayment implements allowance.Store.
func (db *DB) UpdatePayment(ctx context.Context, id string, fn func(*allowance.Payment) ([]talent.Task, error)) error {
	return db.tx(ctx, func(tx pgx.Tx) error {
		p, err := scanPayment(tx.QueryRow(ctx, `SELECT `+paymentColumns+` FROM payments p WHERE id = $1 FOR UPDATE`, id))
		if err != nil {
			return notFound(translate(err), "payment")
		}
		tasks, err := fn(&p)
		if err != nil {
			return err
		}
		if err := updatePayment(ctx, tx, p); err != nil {
			return err
		}
		return enqueue(ctx, tx, tasks)
	})
}

// UpdatePaymentAndClaim implements allowance.Store. The claim is locked
// first, as UpdateClaim does, so the two never deadlock.
func (db *DB) UpdatePaymentAndClaim(ctx context.Context, id string, fn func(*allowance.Payment, *allowance.Claim, int) (allowance.ClaimChange, error)) error {
	if !isUUID(id) {
		return talent.NotFound("payment")
	}
	return db.tx(ctx, func(tx pgx.Tx) error {
		var claimID string
		if err := tx.QueryRow(ctx, `SELECT claim_id FROM payments WHERE id = $1`, id).Scan(&claimID); err != nil {
			return notFound(translate(err), "payment")
		}
		c, err := scanClaim(tx.QueryRow(ctx, `SELECT `+claimColumns+` FROM claims WHERE id = $1 FOR UPDATE`, claimID))
		if err != nil {
			return err
		}
		p, err := scanPayment(tx.QueryRow(ctx, `SELECT `+paymentColumns+` FROM payments p WHERE id = $1 FOR UPDATE`, id))
		if err != nil {
			return err
		}
		var remaining int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM payments WHERE claim_id = $1 AND id <> $2
			AND status NOT IN ('paid', 'clawed_back')`, claimID, id).Scan(&remaining); err != nil {
			return err
		}
		change, err := fn(&p, &c, remaining)
		if err != nil {
			return err
		}
		if err := updatePayment(ctx, tx, p); err != nil {
			return err
		}
		return saveClaim(ctx, tx, c, change)
	})
}

// CreateBatch implements allowance.Store.
func (db *DB) CreateBatch(ctx context.Context, b allowance.Batch) (allowance.Batch, error) {
	err := db.tx(ctx, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT count(*), coalesce(sum(amount), 0) FROM payments WHERE status = 'due'`).
			Scan(&b.Count, &b.Total); err != nil {
			return err
		}
		if b.Count == 0 {
			return talent.Errorf(talent.KindConflict, "no_payments_due", "no payment is due")
		}
		if _, err := tx.Exec(ctx, `INSERT INTO payment_batches (id, created_by, created_at, count, total) VALUES ($1, $2, $3, $4, $5)`,
			b.ID, b.CreatedBy, b.CreatedAt, b.Count, b.Total); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE payments SET status = 'batched', batch_id = $1, updated_at = $2 WHERE status = 'due'`, b.ID, b.CreatedAt)
		if err == nil && tag.RowsAffected() != int64(b.Count) {
			// A payment became due between count and update: retry cleanly.
			return talent.Errorf(talent.KindUnavailable, "retry", "payments changed while batching")
		}
		return err
	})
	return b, err
}

// BatchPayments implements allowance.Store.
func (db *DB) BatchPayments(ctx context.Context, batchID string) (allowance.Batch, []allowance.PaymentRecord, error) {
	var b allowance.Batch
	if !isUUID(batchID) {
		return b, nil, talent.NotFound("batch")
	}
	err := db.pool.QueryRow(ctx, `SELECT id, created_by, created_at, count, total FROM payment_batches WHERE id = $1`, batchID).
		Scan(&b.ID, &b.CreatedBy, &b.CreatedAt, &b.Count, &b.Total)
	if err != nil {
		return b, nil, notFound(translate(err), "batch")
	}
	rows, err := db.pool.Query(ctx, `SELECT `+paymentColumns+`, c.package, coalesce(pr.name, ''),
			coalesce(pr.national_id_sealed, ''), coalesce(pr.bank_name, ''), coalesce(pr.bank_account_sealed, '')
		FROM payments p JOIN claims c ON c.id = p.claim_id LEFT JOIN profiles pr ON pr.user_id = p.user_id
		WHERE p.batch_id = $1 ORDER BY p.due_on, p.id`, batchID)
	if err != nil {
		return b, nil, translate(err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (allowance.PaymentRecord, error) {
		var rec allowance.PaymentRecord
		p := &rec.Payment
		err := r.Scan(&p.ID, &p.ClaimID, &p.UserID, &p.Seq, &p.Kind, &p.Amount, &p.GateMonths, &p.DueOn, &p.Status,
			&p.HeldSince, &p.BatchID, &p.PaidAt, &p.FailureReason, &p.UpdatedAt,
			&rec.Package, &rec.Profile.Name, &rec.Profile.NationalIDSealed, &rec.BankName, &rec.BankAccountSealed)
		return rec, err
	})
	return b, list, translate(err)
}

// Reconcile implements allowance.Store: approved is what the schedules of
// approved claims add up to; the rest splits it by payment status (failed
// payments are still owed, so they count as scheduled).
func (db *DB) Reconcile(ctx context.Context) (allowance.Reconciliation, error) {
	var r allowance.Reconciliation
	err := db.pool.QueryRow(ctx, `SELECT
			coalesce(sum(amount), 0),
			coalesce(sum(amount) FILTER (WHERE status = 'paid'), 0),
			coalesce(sum(amount) FILTER (WHERE status IN ('scheduled', 'held', 'due', 'batched', 'failed')), 0),
			coalesce(sum(amount) FILTER (WHERE status = 'suspended'), 0),
			coalesce(sum(amount) FILTER (WHERE status = 'clawed_back'), 0)
		FROM payments`).Scan(&r.Approved, &r.Paid, &r.Scheduled, &r.Suspended, &r.ClawedBack)
	return r, translate(err)
}

// Delivery implements allowance.Store.
func (db *DB) Delivery(ctx context.Context, from, to time.Time) ([]allowance.DeliveryStats, error) {
	rows, err := db.pool.Query(ctx, `SELECT package, count(*),
			count(decided_at), count(first_paid_at),
			coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM decided_at - submitted_at)), 0),
			coalesce(percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM decided_at - submitted_at)), 0),
			coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_paid_at - submitted_at)), 0),
			coalesce(percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM first_paid_at - submitted_at)), 0),
			count(*) FILTER (WHERE breaches > 0)
		FROM claims WHERE submitted_at >= $1 AND submitted_at < $2
		GROUP BY package ORDER BY package`, from, to)
	if err != nil {
		return nil, translate(err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (allowance.DeliveryStats, error) {
		var s allowance.DeliveryStats
		var md, pd, mp, pp float64
		err := r.Scan(&s.Package, &s.Claims, &s.Decided, &s.Paid, &md, &pd, &mp, &pp, &s.DeadlinesBreached)
		s.MedianToDecision, s.P90ToDecision = seconds(md), seconds(pd)
		s.MedianToFirstPay, s.P90ToFirstPay = seconds(mp), seconds(pp)
		return s, err
	})
	return list, translate(err)
}

func seconds(f float64) time.Duration { return time.Duration(f * float64(time.Second)) }
