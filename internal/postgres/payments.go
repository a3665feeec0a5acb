package postgres

import (
	"context"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/allowance"
	"github.com/jackc/pgx/v5"
)

// Payments is allowance.PaymentStore: schedules, batches, reconciliation.
type Payments struct{ db *DB }

// Payments returns the payments adapter.
func (db *DB) Payments() Payments { return Payments{db} }

const paymentColumns = `p.id, p.claim_id, p.user_id, p.seq, p.kind, p.amount, p.gate_months, p.due_on, p.status,
	p.held_since, coalesce(p.batch_id::text, ''), p.paid_at, p.failure_reason, p.updated_at`

func paymentFields(p *allowance.Payment) []any {
	return []any{&p.ID, &p.ClaimID, &p.UserID, &p.Seq, &p.Kind, &p.Amount, &p.GateMonths, &p.DueOn, &p.Status,
		&p.HeldSince, &p.BatchID, &p.PaidAt, &p.FailureReason, &p.UpdatedAt}
}

func scanPayment(r pgx.Row) (allowance.Payment, error) {
	var p allowance.Payment
	err := r.Scan(paymentFields(&p)...)
	return p, err
}

// Payments implements allowance.PaymentStore.
func (s Payments) Payments(ctx context.Context, claimID string) ([]allowance.Payment, error) {
	return collect(ctx, s.db.pool, scanPayment, `SELECT `+paymentColumns+` FROM payments p WHERE claim_id = $1 ORDER BY seq`, claimID)
}

// PaymentsFallingDue implements allowance.PaymentStore.
func (s Payments) PaymentsFallingDue(ctx context.Context, today time.Time) ([]allowance.Payment, error) {
	return collect(ctx, s.db.pool, scanPayment, `SELECT `+paymentColumns+` FROM payments p JOIN claims c ON c.id = p.claim_id
		WHERE p.status IN ('scheduled', 'held') AND p.due_on <= $1 AND c.status = 'active'
		ORDER BY p.due_on, p.id LIMIT 1000`, today)
}

func savePayment(ctx context.Context, tx pgx.Tx, p allowance.Payment) error {
	var batch *string
	if p.BatchID != "" {
		batch = &p.BatchID
	}
	_, err := tx.Exec(ctx, `UPDATE payments SET status = $2, held_since = $3, batch_id = $4, paid_at = $5,
		failure_reason = $6, updated_at = $7 WHERE id = $1`, p.ID, p.Status, p.HeldSince, batch, p.PaidAt, p.FailureReason, p.UpdatedAt)
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

// paymentAndClaim is a payment locked with its claim, as UpdatePaymentAndClaim sees them.
type paymentAndClaim struct {
	payment   allowance.Payment
	claim     allowance.Claim
	remaining int
}

// UpdatePaymentAndClaim implements allowance.PaymentStore. The claim is
// locked first, as UpdateClaim does, so the two never deadlock.
func (s Payments) UpdatePaymentAndClaim(ctx context.Context, id string, fn func(*allowance.Payment, *allowance.Claim, int) (allowance.ClaimChange, error)) error {
	_, err := update(ctx, s.db, id, allowance.CodePaymentNotFound,
		func(tx pgx.Tx) (paymentAndClaim, error) {
			var x paymentAndClaim
			var claimID string
			if err := tx.QueryRow(ctx, `SELECT claim_id FROM payments WHERE id = $1`, id).Scan(&claimID); err != nil {
				return x, err
			}
			var err error
			if x.claim, err = lockClaim(ctx, tx, claimID); err != nil {
				return x, err
			}
			if x.payment, err = lockPayment(ctx, tx, id); err != nil {
				return x, err
			}
			err = tx.QueryRow(ctx, `SELECT count(*) FROM payments WHERE claim_id = $1 AND id <> $2
				AND status NOT IN ('paid', 'clawed_back')`, claimID, id).Scan(&x.remaining)
			return x, err
		},
		func(x *paymentAndClaim) (allowance.ClaimChange, error) { return fn(&x.payment, &x.claim, x.remaining) },
		func(tx pgx.Tx, x *paymentAndClaim, change allowance.ClaimChange) error {
			if err := savePayment(ctx, tx, x.payment); err != nil {
				return err
			}
			return saveClaim(ctx, tx, x.claim, change)
		})
	return err
}

// CreateBatch implements allowance.PaymentStore.
func (s Payments) CreateBatch(ctx context.Context, b allowance.Batch) (allowance.Batch, error) {
	batch := allowance.PaymentTransitions[allowance.PaymentBatch]
	err := s.db.tx(ctx, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT count(*), coalesce(sum(amount), 0) FROM payments WHERE status = ANY($1)`,
			strs(batch.From)).Scan(&b.Count, &b.Total); err != nil {
			return err
		}
		if b.Count == 0 {
			return talent.Errorf(talent.KindConflict, allowance.CodeNoPaymentsDue, "no payment is due")
		}
		if _, err := tx.Exec(ctx, `INSERT INTO payment_batches (id, created_by, created_at, count, total) VALUES ($1, $2, $3, $4, $5)`,
			b.ID, b.CreatedBy, b.CreatedAt, b.Count, b.Total); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE payments SET status = $3, batch_id = $1, updated_at = $2 WHERE status = ANY($4)`,
			b.ID, b.CreatedAt, batch.To, strs(batch.From))
		if err == nil && tag.RowsAffected() != int64(b.Count) {
			// A payment became due between count and update: retry cleanly.
			return talent.Errorf(talent.KindUnavailable, talent.CodeRetry, "payments changed while batching")
		}
		return err
	})
	return b, err
}

// BatchPayments implements allowance.PaymentStore.
func (s Payments) BatchPayments(ctx context.Context, batchID string) (allowance.Batch, []allowance.PaymentRecord, error) {
	var b allowance.Batch
	if !isUUID(batchID) {
		return b, nil, talent.NotFound(allowance.CodeBatchNotFound)
	}
	err := s.db.pool.QueryRow(ctx, `SELECT id, created_by, created_at, count, total FROM payment_batches WHERE id = $1`, batchID).
		Scan(&b.ID, &b.CreatedBy, &b.CreatedAt, &b.Count, &b.Total)
	if err != nil {
		return b, nil, notFound(translate(err), allowance.CodeBatchNotFound)
	}
	list, err := collect(ctx, s.db.pool, func(r pgx.Row) (allowance.PaymentRecord, error) {
		var rec allowance.PaymentRecord
		err := r.Scan(append(paymentFields(&rec.Payment),
			&rec.Package, &rec.Profile.Name, &rec.Profile.NationalIDSealed, &rec.BankName, &rec.BankAccountSealed)...)
		return rec, err
	}, `SELECT `+paymentColumns+`, c.package, coalesce(pr.name, ''),
			coalesce(pr.national_id_sealed, ''), coalesce(pr.bank_name, ''), coalesce(pr.bank_account_sealed, '')
		FROM payments p JOIN claims c ON c.id = p.claim_id LEFT JOIN profiles pr ON pr.user_id = p.user_id
		WHERE p.batch_id = $1 ORDER BY p.due_on, p.id`, batchID)
	return b, list, err
}

// Reconcile implements allowance.PaymentStore: approved is what the
// schedules of approved claims add up to; the rest splits it by payment
// status (failed payments are still owed, so they count as scheduled).
func (s Payments) Reconcile(ctx context.Context) (allowance.Reconciliation, error) {
	var r allowance.Reconciliation
	err := s.db.pool.QueryRow(ctx, `SELECT
			coalesce(sum(amount), 0),
			coalesce(sum(amount) FILTER (WHERE status = 'paid'), 0),
			coalesce(sum(amount) FILTER (WHERE status IN ('scheduled', 'held', 'due', 'batched', 'failed')), 0),
			coalesce(sum(amount) FILTER (WHERE status = 'suspended'), 0),
			coalesce(sum(amount) FILTER (WHERE status = 'clawed_back'), 0)
		FROM payments`).Scan(&r.Approved, &r.Paid, &r.Scheduled, &r.Suspended, &r.ClawedBack)
	return r, translate(err)
}
