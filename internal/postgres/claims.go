package postgres

import (
	"context"
	"encoding/json"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/allowance"
	"github.com/anju-city/anju/internal/talent/policy"
	"github.com/jackc/pgx/v5"
)

func init() {
	constraintCodes["claims_one_per_person"] = allowance.CodeClaimExists
}

// Claims is allowance.ClaimStore: claims, their documents and audit.
type Claims struct{ db *DB }

// Claims returns the claims adapter.
func (db *DB) Claims() Claims { return Claims{db} }

const claimColumns = `id, user_id, person_index, package, policy_version, status, appealed, declarations, decision,
	stage, due_at, escalated_at, breaches, reject_code, reject_reason, submitted_at, decided_at, first_paid_at, created_at, updated_at`

func scanClaim(r pgx.Row) (allowance.Claim, error) {
	var c allowance.Claim
	var decision []byte
	err := r.Scan(&c.ID, &c.UserID, &c.PersonIndex, &c.Package, &c.PolicyVersion, &c.Status, &c.Appealed, &c.Declarations,
		&decision, &c.Stage, &c.DueAt, &c.EscalatedAt, &c.Breaches, &c.RejectCode, &c.RejectReason, &c.SubmittedAt, &c.DecidedAt,
		&c.FirstPaidAt, &c.CreatedAt, &c.UpdatedAt)
	if err == nil && decision != nil {
		c.Decision = new(policy.Decision)
		err = json.Unmarshal(decision, c.Decision)
	}
	return c, err
}

func claimArgs(c allowance.Claim) ([]any, error) {
	var decision []byte
	if c.Decision != nil {
		var err error
		if decision, err = json.Marshal(c.Decision); err != nil {
			return nil, err
		}
	}
	return []any{c.ID, c.UserID, c.PersonIndex, c.Package, c.PolicyVersion, c.Status, c.Appealed, c.Declarations,
		decision, c.Stage, c.DueAt, c.EscalatedAt, c.Breaches, c.RejectCode, c.RejectReason, c.SubmittedAt, c.DecidedAt,
		c.FirstPaidAt, c.CreatedAt, c.UpdatedAt}, nil
}

// CreateClaim implements allowance.ClaimStore.
func (s Claims) CreateClaim(ctx context.Context, c allowance.Claim) error {
	args, err := claimArgs(c)
	if err != nil {
		return err
	}
	_, err = s.db.pool.Exec(ctx, `INSERT INTO claims (`+claimColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)`, args...)
	return translate(err)
}

// Claim implements allowance.ClaimStore.
func (s Claims) Claim(ctx context.Context, id string) (allowance.Claim, error) {
	return byID(ctx, s.db.pool, id, allowance.CodeClaimNotFound, scanClaim, `SELECT `+claimColumns+` FROM claims WHERE id = $1`)
}

// Claims implements allowance.ClaimStore.
func (s Claims) Claims(ctx context.Context, userID string, p talent.Page) ([]allowance.Claim, string, error) {
	return newestFirst(ctx, s.db.pool, p, scanClaim, func(c allowance.Claim) (time.Time, string) { return c.CreatedAt, c.ID },
		`SELECT `+claimColumns+` FROM claims WHERE user_id = $1 AND (created_at, id) < ($2, $3)
		ORDER BY created_at DESC, id DESC LIMIT $4`, userID)
}

// lockClaim reads a claim under a row lock.
func lockClaim(ctx context.Context, tx pgx.Tx, id string) (allowance.Claim, error) {
	return scanClaim(tx.QueryRow(ctx, `SELECT `+claimColumns+` FROM claims WHERE id = $1 FOR UPDATE`, id))
}

// UpdateClaim implements allowance.ClaimStore.
func (s Claims) UpdateClaim(ctx context.Context, id string, fn func(*allowance.Claim) (allowance.ClaimChange, error)) (allowance.Claim, error) {
	return update(ctx, s.db, id, allowance.CodeClaimNotFound,
		func(tx pgx.Tx) (allowance.Claim, error) { return lockClaim(ctx, tx, id) }, fn,
		func(tx pgx.Tx, c *allowance.Claim, change allowance.ClaimChange) error {
			if len(change.Audit) == 0 && len(change.Tasks) == 0 && !change.Touched {
				return nil
			}
			return saveClaim(ctx, tx, *c, change)
		})
}

// saveClaim writes a locked claim and everything its change carries: audit
// rows, a payment schedule, suspended payments and outbox tasks.
func saveClaim(ctx context.Context, tx pgx.Tx, c allowance.Claim, change allowance.ClaimChange) error {
	args, err := claimArgs(c)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE claims SET user_id = $2, person_index = $3, package = $4, policy_version = $5,
		status = $6, appealed = $7, declarations = $8, decision = $9, stage = $10, due_at = $11, escalated_at = $12,
		breaches = $13, reject_code = $14, reject_reason = $15, submitted_at = $16, decided_at = $17, first_paid_at = $18,
		created_at = $19, updated_at = $20
		WHERE id = $1`, args...)
	if err != nil {
		return err
	}
	for _, a := range change.Audit {
		if _, err := tx.Exec(ctx, `INSERT INTO claim_audit (claim_id, at, actor_id, event, from_status, to_status, reason)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, a.ClaimID, a.At, a.ActorID, a.Event, a.From, a.To, a.Reason); err != nil {
			return err
		}
	}
	for _, p := range change.Payments {
		if _, err := tx.Exec(ctx, `INSERT INTO payments (id, claim_id, user_id, seq, kind, amount, gate_months, due_on, status, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			p.ID, p.ClaimID, p.UserID, p.Seq, p.Kind, p.Amount, p.GateMonths, p.DueOn, p.Status, p.UpdatedAt); err != nil {
			return err
		}
	}
	if len(change.AttachDocuments) > 0 {
		if _, err := tx.Exec(ctx, `INSERT INTO claim_documents (claim_id, document_id)
			SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`, c.ID, change.AttachDocuments); err != nil {
			return err
		}
	}
	if change.SuspendPayments {
		suspend := allowance.PaymentTransitions[allowance.PaymentSuspend]
		if _, err := tx.Exec(ctx, `UPDATE payments SET status = $3, updated_at = $2
			WHERE claim_id = $1 AND status = ANY($4)`, c.ID, c.UpdatedAt, suspend.To, strs(suspend.From)); err != nil {
			return err
		}
	}
	return enqueue(ctx, tx, change.Tasks)
}

// ClaimDocuments implements allowance.ClaimStore.
func (s Claims) ClaimDocuments(ctx context.Context, claimID string) ([]talent.Document, error) {
	return collect(ctx, s.db.pool, scanDocument, `SELECT `+prefixed("d.", documentColumns)+` FROM documents d
		JOIN claim_documents cd ON cd.document_id = d.id WHERE cd.claim_id = $1 ORDER BY d.created_at, d.id`, claimID)
}

// ClaimAudit implements allowance.ClaimStore.
func (s Claims) ClaimAudit(ctx context.Context, claimID string) ([]allowance.ClaimAudit, error) {
	return collect(ctx, s.db.pool, func(r pgx.Row) (allowance.ClaimAudit, error) {
		var a allowance.ClaimAudit
		err := r.Scan(&a.ClaimID, &a.At, &a.ActorID, &a.Event, &a.From, &a.To, &a.Reason)
		return a, err
	}, `SELECT claim_id, at, actor_id, event, from_status, to_status, reason FROM claim_audit WHERE claim_id = $1 ORDER BY id`, claimID)
}

// EarlierClaims implements allowance.ClaimStore.
func (s Claims) EarlierClaims(ctx context.Context, personIndex string, pkg policy.ID, except string) ([]string, error) {
	return ids(ctx, s.db.pool, `SELECT id::text FROM claims WHERE person_index = $1 AND package = $2 AND id::text <> $3
		AND status NOT IN ('withdrawn', 'rejected', 'draft') ORDER BY created_at`, personIndex, pkg, except)
}

// ClaimsAwaitingEmployer implements allowance.ClaimStore.
func (s Claims) ClaimsAwaitingEmployer(ctx context.Context, userID string) ([]string, error) {
	return ids(ctx, s.db.pool, `SELECT id::text FROM claims WHERE user_id = $1 AND status = 'awaiting_employer'`, userID)
}

// ReviewQueue implements allowance.ClaimStore. The cursor is the position of
// the last claim of the previous page by (due_at, id).
func (s Claims) ReviewQueue(ctx context.Context, status allowance.ClaimStatus, p talent.Page) ([]allowance.Claim, string, error) {
	due, after := time.Time{}, "00000000-0000-0000-0000-000000000000"
	if p.Cursor != "" {
		var err error
		if due, after, err = decodeCursor(p.Cursor); err != nil {
			return nil, "", err
		}
	}
	n := limit(p)
	list, err := collect(ctx, s.db.pool, scanClaim, `SELECT `+claimColumns+` FROM claims
		WHERE status = $1 AND (coalesce(due_at, 'infinity'), id) > ($2, $3)
		ORDER BY coalesce(due_at, 'infinity'), id LIMIT $4`, status, due, after, n+1)
	if err != nil {
		return nil, "", err
	}
	list, next := page(list, n, func(c allowance.Claim) (time.Time, string) {
		if c.DueAt == nil {
			return time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), c.ID
		}
		return *c.DueAt, c.ID
	})
	return list, next, nil
}

// Overdue implements allowance.ClaimStore.
func (s Claims) Overdue(ctx context.Context, now time.Time) ([]allowance.Claim, error) {
	return collect(ctx, s.db.pool, scanClaim, `SELECT `+claimColumns+` FROM claims
		WHERE due_at < $1 AND escalated_at IS NULL AND status IN ('submitted', 'awaiting_employer', 'under_review', 'approved', 'active')
		ORDER BY due_at LIMIT 500`, now)
}

// Delivery implements allowance.ClaimStore.
func (s Claims) Delivery(ctx context.Context, from, to time.Time) ([]allowance.DeliveryStats, error) {
	return collect(ctx, s.db.pool, func(r pgx.Row) (allowance.DeliveryStats, error) {
		var d allowance.DeliveryStats
		var md, pd, mp, pp float64
		err := r.Scan(&d.Package, &d.Claims, &d.Decided, &d.Paid, &md, &pd, &mp, &pp, &d.DeadlinesBreached)
		d.MedianToDecision, d.P90ToDecision = seconds(md), seconds(pd)
		d.MedianToFirstPay, d.P90ToFirstPay = seconds(mp), seconds(pp)
		return d, err
	}, `SELECT package, count(*),
			count(decided_at), count(first_paid_at),
			coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM decided_at - submitted_at)), 0),
			coalesce(percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM decided_at - submitted_at)), 0),
			coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_paid_at - submitted_at)), 0),
			coalesce(percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM first_paid_at - submitted_at)), 0),
			count(*) FILTER (WHERE breaches > 0)
		FROM claims WHERE submitted_at >= $1 AND submitted_at < $2
		GROUP BY package ORDER BY package`, from, to)
}

func seconds(f float64) time.Duration { return time.Duration(f * float64(time.Second)) }
