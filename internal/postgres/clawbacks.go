package postgres

import (
	"context"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/allowance"
	"github.com/jackc/pgx/v5"
)

func init() {
	constraintCodes["clawbacks_one_live"] = allowance.CodeClawbackExists
}

// Clawbacks is allowance.ClawbackStore.
type Clawbacks struct{ db *DB }

// Clawbacks returns the clawbacks adapter.
func (db *DB) Clawbacks() Clawbacks { return Clawbacks{db} }

const clawbackColumns = `id, claim_id, user_id, package, status, reason, paid, amount, served_months, clawback_months,
	first_paid_on, left_on, proposed_by, created_at, coalesce(decided_by::text, ''), decided_at, cancel_reason,
	coalesce(repaid_by::text, ''), repaid_at, repayment_ref, updated_at`

const clawbackInsertColumns = `id, claim_id, user_id, package, status, reason, paid, amount, served_months, clawback_months,
	first_paid_on, left_on, proposed_by, created_at, decided_by, decided_at, cancel_reason, repaid_by, repaid_at, repayment_ref,
	updated_at`

func scanClawback(r pgx.Row) (allowance.Clawback, error) {
	var k allowance.Clawback
	err := r.Scan(&k.ID, &k.ClaimID, &k.UserID, &k.Package, &k.Status, &k.Reason, &k.Paid, &k.Amount, &k.ServedMonths,
		&k.ClawbackMonths, &k.FirstPaidOn, &k.LeftOn, &k.ProposedBy, &k.CreatedAt, &k.DecidedBy, &k.DecidedAt, &k.CancelReason,
		&k.RepaidBy, &k.RepaidAt, &k.RepaymentRef, &k.UpdatedAt)
	return k, err
}

// Clawback implements allowance.ClawbackStore.
func (s Clawbacks) Clawback(ctx context.Context, id string) (allowance.Clawback, error) {
	return byID(ctx, s.db.pool, id, allowance.CodeClawbackNotFound, scanClawback, `SELECT `+clawbackColumns+` FROM clawbacks WHERE id = $1`)
}

// Clawbacks implements allowance.ClawbackStore.
func (s Clawbacks) Clawbacks(ctx context.Context, f allowance.ClawbackFilter, p talent.Page) ([]allowance.Clawback, string, error) {
	return newestFirst(ctx, s.db.pool, p, scanClawback, func(k allowance.Clawback) (time.Time, string) { return k.CreatedAt, k.ID },
		`SELECT `+clawbackColumns+` FROM clawbacks WHERE ($1 = '' OR status = $1) AND (created_at, id) < ($2, $3)
		ORDER BY created_at DESC, id DESC LIMIT $4`, string(f.Status))
}

// ClawbackCandidates implements allowance.ClawbackStore.
func (s Clawbacks) ClawbackCandidates(ctx context.Context, after *allowance.Claim) ([]allowance.Claim, error) {
	afterPaid, afterID := time.Time{}, afterID("")
	if after != nil && after.FirstPaidAt != nil {
		afterPaid, afterID = *after.FirstPaidAt, after.ID
	}
	return collect(ctx, s.db.pool, scanClaim, `SELECT `+claimColumnsOf("c.")+` FROM claims c
		WHERE c.first_paid_at IS NOT NULL AND c.status IN ('active', 'suspended', 'completed')
			AND NOT EXISTS (SELECT 1 FROM clawbacks k WHERE k.claim_id = c.id)
			AND EXISTS (SELECT 1 FROM employments e WHERE e.user_id = c.user_id AND e.status = 'ended')
			AND (c.first_paid_at, c.id) > ($1::timestamptz, $2::uuid)
		ORDER BY c.first_paid_at, c.id LIMIT $3`, afterPaid, afterID, talent.SweepPage)
}

// UpdateClawbacks implements allowance.ClawbackStore. The claim is locked
// first, as every writer of a claim's payments locks it.
func (s Clawbacks) UpdateClawbacks(ctx context.Context, claimID string,
	fn func(*allowance.Claim, []allowance.Clawback, int64) (allowance.ClawbackChange, error)) (allowance.Clawback, error) {
	type locked struct {
		claim allowance.Claim
		list  []allowance.Clawback
		paid  int64
	}
	var out allowance.Clawback
	_, err := update(ctx, s.db, claimID, allowance.CodeClaimNotFound,
		func(tx pgx.Tx) (locked, error) {
			var x locked
			var err error
			if x.claim, err = lockClaim(ctx, tx, claimID); err != nil {
				return x, err
			}
			if x.list, err = collect(ctx, tx, scanClawback, `SELECT `+clawbackColumns+` FROM clawbacks WHERE claim_id = $1
				ORDER BY created_at FOR UPDATE`, claimID); err != nil {
				return x, err
			}
			err = tx.QueryRow(ctx, `SELECT coalesce(sum(amount), 0) FROM payments WHERE claim_id = $1 AND status = 'paid'`, claimID).Scan(&x.paid)
			return x, err
		},
		func(x *locked) (allowance.ClawbackChange, error) { return fn(&x.claim, x.list, x.paid) },
		func(tx pgx.Tx, x *locked, change allowance.ClawbackChange) error {
			k := change.Clawback
			if k == nil {
				return nil
			}
			out = *k
			if _, err := tx.Exec(ctx, `INSERT INTO clawbacks (`+clawbackInsertColumns+`)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
				ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, reason = EXCLUDED.reason, paid = EXCLUDED.paid,
					amount = EXCLUDED.amount, served_months = EXCLUDED.served_months, clawback_months = EXCLUDED.clawback_months,
					first_paid_on = EXCLUDED.first_paid_on, decided_by = EXCLUDED.decided_by, decided_at = EXCLUDED.decided_at,
					cancel_reason = EXCLUDED.cancel_reason, repaid_by = EXCLUDED.repaid_by, repaid_at = EXCLUDED.repaid_at,
					repayment_ref = EXCLUDED.repayment_ref, updated_at = EXCLUDED.updated_at`,
				k.ID, k.ClaimID, k.UserID, k.Package, k.Status, k.Reason, k.Paid, k.Amount, k.ServedMonths, k.ClawbackMonths,
				k.FirstPaidOn, k.LeftOn, k.ProposedBy, k.CreatedAt, nullable(k.DecidedBy), k.DecidedAt, k.CancelReason,
				nullable(k.RepaidBy), k.RepaidAt, k.RepaymentRef, k.UpdatedAt); err != nil {
				return err
			}
			if change.Claim != nil {
				if err := saveClaim(ctx, tx, x.claim, *change.Claim); err != nil {
					return err
				}
			}
			if err := appendAudit(ctx, tx, change.Audit); err != nil {
				return err
			}
			return enqueue(ctx, tx, change.Tasks)
		})
	return out, err
}
