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
	constraintCodes["claims_one_per_person"] = "claim_exists"
	constraintCodes["policy_versions_pkey"] = "policy_version_exists"
}

// PolicySources implements allowance.Store.
func (db *DB) PolicySources(ctx context.Context) ([]allowance.PolicySource, error) {
	rows, err := db.pool.Query(ctx, `SELECT package, version, source, published_at FROM policy_versions ORDER BY package, version`)
	if err != nil {
		return nil, translate(err)
	}
	srcs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (allowance.PolicySource, error) {
		var s allowance.PolicySource
		var src string
		err := r.Scan(&s.Package, &s.Version, &src, &s.PublishedAt)
		s.Source = []byte(src)
		return s, err
	})
	return srcs, translate(err)
}

// PublishPolicy implements allowance.Store.
func (db *DB) PublishPolicy(ctx context.Context, src allowance.PolicySource, by string) error {
	p, err := policy.Parse(src.Source)
	if err != nil {
		return err
	}
	var to *time.Time
	if !p.EffectiveTo.IsZero() {
		to = &p.EffectiveTo
	}
	_, err = db.pool.Exec(ctx, `INSERT INTO policy_versions (package, version, effective_from, effective_to, source, published_by, published_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, src.Package, src.Version, p.EffectiveFrom, to, string(src.Source), by, src.PublishedAt)
	return translate(err)
}

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

// CreateClaim implements allowance.Store.
func (db *DB) CreateClaim(ctx context.Context, c allowance.Claim) error {
	args, err := claimArgs(c)
	if err != nil {
		return err
	}
	_, err = db.pool.Exec(ctx, `INSERT INTO claims (`+claimColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)`, args...)
	return translate(err)
}

// Claim implements allowance.Store.
func (db *DB) Claim(ctx context.Context, id string) (allowance.Claim, error) {
	if !isUUID(id) {
		return allowance.Claim{}, talent.NotFound("claim")
	}
	c, err := scanClaim(db.pool.QueryRow(ctx, `SELECT `+claimColumns+` FROM claims WHERE id = $1`, id))
	return c, notFound(translate(err), "claim")
}

func (db *DB) claimList(ctx context.Context, sql string, args ...any) ([]allowance.Claim, error) {
	rows, err := db.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, translate(err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (allowance.Claim, error) { return scanClaim(r) })
	return list, translate(err)
}

// Claims implements allowance.Store.
func (db *DB) Claims(ctx context.Context, userID string, p talent.Page) ([]allowance.Claim, string, error) {
	at, after, err := decodeCursor(p.Cursor)
	if err != nil {
		return nil, "", err
	}
	n := limit(p)
	list, err := db.claimList(ctx, `SELECT `+claimColumns+` FROM claims WHERE user_id = $1 AND (created_at, id) < ($2, $3)
		ORDER BY created_at DESC, id DESC LIMIT $4`, userID, at, after, n+1)
	if err != nil {
		return nil, "", err
	}
	list, next := page(list, n, func(c allowance.Claim) (time.Time, string) { return c.CreatedAt, c.ID })
	return list, next, nil
}

// UpdateClaim implements allowance.Store.
func (db *DB) UpdateClaim(ctx context.Context, id string, fn func(*allowance.Claim) (allowance.ClaimChange, error)) (allowance.Claim, error) {
	if !isUUID(id) {
		return allowance.Claim{}, talent.NotFound("claim")
	}
	var c allowance.Claim
	err := db.tx(ctx, func(tx pgx.Tx) error {
		var err error
		c, err = scanClaim(tx.QueryRow(ctx, `SELECT `+claimColumns+` FROM claims WHERE id = $1 FOR UPDATE`, id))
		if err != nil {
			return notFound(translate(err), "claim")
		}
		change, err := fn(&c)
		if err != nil {
			return err
		}
		if len(change.Audit) == 0 && len(change.Tasks) == 0 && !change.Touched {
			return nil
		}
		return saveClaim(ctx, tx, c, change)
	})
	return c, err
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
		if _, err := tx.Exec(ctx, `UPDATE payments SET status = 'suspended', updated_at = $2
			WHERE claim_id = $1 AND status IN ('scheduled', 'held', 'due')`, c.ID, c.UpdatedAt); err != nil {
			return err
		}
	}
	return enqueue(ctx, tx, change.Tasks)
}

// ClaimDocuments implements allowance.Store.
func (db *DB) ClaimDocuments(ctx context.Context, claimID string) ([]talent.Document, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+prefixed("d.", documentColumns)+` FROM documents d
		JOIN claim_documents cd ON cd.document_id = d.id WHERE cd.claim_id = $1 ORDER BY d.created_at, d.id`, claimID)
	if err != nil {
		return nil, translate(err)
	}
	docs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (talent.Document, error) { return scanDocument(r) })
	return docs, translate(err)
}

// ClaimAudit implements allowance.Store.
func (db *DB) ClaimAudit(ctx context.Context, claimID string) ([]allowance.ClaimAudit, error) {
	rows, err := db.pool.Query(ctx, `SELECT claim_id, at, actor_id, event, from_status, to_status, reason
		FROM claim_audit WHERE claim_id = $1 ORDER BY id`, claimID)
	if err != nil {
		return nil, translate(err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (allowance.ClaimAudit, error) {
		var a allowance.ClaimAudit
		err := r.Scan(&a.ClaimID, &a.At, &a.ActorID, &a.Event, &a.From, &a.To, &a.Reason)
		return a, err
	})
	return list, translate(err)
}

// EarlierClaims implements allowance.Store.
func (db *DB) EarlierClaims(ctx context.Context, personIndex string, pkg policy.ID, except string) ([]string, error) {
	rows, err := db.pool.Query(ctx, `SELECT id::text FROM claims WHERE person_index = $1 AND package = $2 AND id::text <> $3
		AND status NOT IN ('withdrawn', 'rejected', 'draft') ORDER BY created_at`, personIndex, pkg, except)
	if err != nil {
		return nil, translate(err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return ids, translate(err)
}

// ClaimsAwaitingEmployer implements allowance.Store.
func (db *DB) ClaimsAwaitingEmployer(ctx context.Context, userID string) ([]string, error) {
	rows, err := db.pool.Query(ctx, `SELECT id::text FROM claims WHERE user_id = $1 AND status = 'awaiting_employer'`, userID)
	if err != nil {
		return nil, translate(err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return ids, translate(err)
}

// ReviewQueue implements allowance.Store. The cursor is the position of the
// last claim of the previous page by (due_at, id).
func (db *DB) ReviewQueue(ctx context.Context, status allowance.ClaimStatus, p talent.Page) ([]allowance.Claim, string, error) {
	due, after := time.Time{}, "00000000-0000-0000-0000-000000000000"
	if p.Cursor != "" {
		var err error
		if due, after, err = decodeCursor(p.Cursor); err != nil {
			return nil, "", err
		}
	}
	n := limit(p)
	list, err := db.claimList(ctx, `SELECT `+claimColumns+` FROM claims
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

// Overdue implements allowance.Store.
func (db *DB) Overdue(ctx context.Context, now time.Time) ([]allowance.Claim, error) {
	return db.claimList(ctx, `SELECT `+claimColumns+` FROM claims
		WHERE due_at < $1 AND escalated_at IS NULL AND status IN ('submitted', 'awaiting_employer', 'under_review', 'approved', 'active')
		ORDER BY due_at LIMIT 500`, now)
}

// UsersWithRole implements allowance.Store.
func (db *DB) UsersWithRole(ctx context.Context, role talent.Role) ([]string, error) {
	rows, err := db.pool.Query(ctx, `SELECT user_id::text FROM role_grants WHERE role = $1 ORDER BY user_id`, role)
	if err != nil {
		return nil, translate(err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return ids, translate(err)
}

// HoldsLease implements allowance.Store.
func (db *DB) HoldsLease(ctx context.Context, userID string) (bool, error) {
	var held bool
	err := db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM leases WHERE user_id = $1 AND status = 'active')`, userID).Scan(&held)
	return held, translate(err)
}

var _ allowance.Store = (*DB)(nil)
