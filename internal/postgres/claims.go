package postgres

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/allowance"
	"github.com/anju-city/anju/internal/talent/policy"
	"github.com/jackc/pgx/v5"
)

func init() {
	constraintCodes["claims_one_per_person"] = allowance.CodeClaimExists
	constraintCodes["claims_one_per_account"] = allowance.CodeClaimExists
}

// Claims is allowance.ClaimStore: claims, their documents and audit.
type Claims struct{ db *DB }

// Claims returns the claims adapter.
func (db *DB) Claims() Claims { return Claims{db} }

// claimColumnsOf lists a claim's columns, qualified by alias ("" or "c.").
func claimColumnsOf(alias string) string {
	return strings.ReplaceAll(`@id, @user_id, @person_index, @package, @policy_version, @status, @appealed, @declarations,
	@decision, @stage, @due_at, @escalated_at, @breaches, @reject_code, @reject_reason, @submitted_at, @decided_at,
	@first_paid_at, @created_at, @updated_at, coalesce(@assignee_id::text, ''), coalesce(@employer_id::text, ''), @returns,
	@return_items, @returned_at, @paused_due_at, coalesce(@decided_by::text, ''), @notice_until, @objections_open`, "@", alias)
}

var claimColumns = claimColumnsOf("")

const claimInsertColumns = `id, user_id, person_index, package, policy_version, status, appealed, declarations, decision,
	stage, due_at, escalated_at, breaches, reject_code, reject_reason, submitted_at, decided_at, first_paid_at, created_at,
	updated_at, assignee_id, employer_id, returns, return_items, returned_at, paused_due_at, decided_by, notice_until,
	objections_open`

func claimFields(c *allowance.Claim, decision, items *[]byte) []any {
	return []any{&c.ID, &c.UserID, &c.PersonIndex, &c.Package, &c.PolicyVersion, &c.Status, &c.Appealed, &c.Declarations,
		decision, &c.Stage, &c.DueAt, &c.EscalatedAt, &c.Breaches, &c.RejectCode, &c.RejectReason, &c.SubmittedAt, &c.DecidedAt,
		&c.FirstPaidAt, &c.CreatedAt, &c.UpdatedAt, &c.AssigneeID, &c.EmployerID, &c.Returns, items, &c.ReturnedAt,
		&c.PausedDueAt, &c.DecidedBy, &c.NoticeUntil, &c.ObjectionsOpen}
}

// decodeClaim fills the claim's JSON columns after a scan.
func decodeClaim(c *allowance.Claim, decision, items []byte) error {
	if decision != nil {
		c.Decision = new(policy.Decision)
		if err := json.Unmarshal(decision, c.Decision); err != nil {
			return err
		}
	}
	if items != nil {
		return json.Unmarshal(items, &c.ReturnItems)
	}
	return nil
}

func scanClaim(r pgx.Row) (allowance.Claim, error) {
	var c allowance.Claim
	var decision, items []byte
	if err := r.Scan(claimFields(&c, &decision, &items)...); err != nil {
		return c, err
	}
	return c, decodeClaim(&c, decision, items)
}

// nullable turns "" into NULL for uuid columns.
func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func claimArgs(c allowance.Claim) ([]any, error) {
	var decision, items []byte
	var err error
	if c.Decision != nil {
		if decision, err = json.Marshal(c.Decision); err != nil {
			return nil, err
		}
	}
	if c.ReturnItems != nil {
		if items, err = json.Marshal(c.ReturnItems); err != nil {
			return nil, err
		}
	}
	return []any{c.ID, c.UserID, c.PersonIndex, c.Package, c.PolicyVersion, c.Status, c.Appealed, c.Declarations,
		decision, c.Stage, c.DueAt, c.EscalatedAt, c.Breaches, c.RejectCode, c.RejectReason, c.SubmittedAt, c.DecidedAt,
		c.FirstPaidAt, c.CreatedAt, c.UpdatedAt, nullable(c.AssigneeID), nullable(c.EmployerID), c.Returns, items, c.ReturnedAt,
		c.PausedDueAt, nullable(c.DecidedBy), c.NoticeUntil, c.ObjectionsOpen}, nil
}

// CreateClaim implements allowance.ClaimStore.
func (s Claims) CreateClaim(ctx context.Context, c allowance.Claim) error {
	args, err := claimArgs(c)
	if err != nil {
		return err
	}
	return s.db.tx(ctx, func(tx pgx.Tx) error {
		if err := holdIdentity(ctx, tx, c.UserID, c.PersonIndex); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO claims (`+claimInsertColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
			$21, $22, $23, $24, $25, $26, $27, $28, $29)`, args...)
		return err
	})
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
			if len(change.Audit) == 0 && len(change.Tasks) == 0 && !change.Touched && len(change.Objections) == 0 && change.EntryEvent == "" {
				return nil
			}
			return saveClaim(ctx, tx, *c, change)
		})
}

// saveClaim writes a locked claim and everything its change carries: audit
// rows, a payment schedule, suspended payments, its public-notice entry and
// objections, and outbox tasks.
func saveClaim(ctx context.Context, tx pgx.Tx, c allowance.Claim, change allowance.ClaimChange) error {
	if err := writeClaim(ctx, tx, c, change); err != nil {
		return err
	}
	if change.Entry != nil {
		if err := insertEntry(ctx, tx, *change.Entry); err != nil {
			return err
		}
	}
	if err := saveObjections(ctx, tx, change.Objections); err != nil {
		return err
	}
	if change.EntryEvent != "" {
		if err := moveEntry(ctx, tx, c.ID, change.EntryEvent); err != nil {
			return err
		}
	}
	return enqueue(ctx, tx, change.Tasks)
}

// writeClaim writes the claim row and the parts of its change whose
// statements need no answer (so that they can be pipelined): audit rows,
// payments, documents, suspended payments. Not the notice or the tasks.
func writeClaim(ctx context.Context, q execer, c allowance.Claim, change allowance.ClaimChange) error {
	args, err := claimArgs(c)
	if err != nil {
		return err
	}
	_, err = q.Exec(ctx, `UPDATE claims SET user_id = $2, person_index = $3, package = $4, policy_version = $5,
		status = $6, appealed = $7, declarations = $8, decision = $9, stage = $10, due_at = $11, escalated_at = $12,
		breaches = $13, reject_code = $14, reject_reason = $15, submitted_at = $16, decided_at = $17, first_paid_at = $18,
		created_at = $19, updated_at = $20, assignee_id = $21, employer_id = $22, returns = $23, return_items = $24,
		returned_at = $25, paused_due_at = $26, decided_by = $27, notice_until = $28, objections_open = $29
		WHERE id = $1`, args...)
	if err != nil {
		return err
	}
	for _, a := range change.Audit {
		if _, err := q.Exec(ctx, `INSERT INTO claim_audit (claim_id, at, actor_id, event, from_status, to_status, reason)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, a.ClaimID, a.At, a.ActorID, a.Event, a.From, a.To, a.Reason); err != nil {
			return err
		}
	}
	for _, p := range change.Payments {
		if _, err := q.Exec(ctx, `INSERT INTO payments (id, claim_id, user_id, seq, kind, amount, gate_months, due_on, status, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			p.ID, p.ClaimID, p.UserID, p.Seq, p.Kind, p.Amount, p.GateMonths, p.DueOn, p.Status, p.UpdatedAt); err != nil {
			return err
		}
	}
	if len(change.DetachDocuments) > 0 {
		if _, err := q.Exec(ctx, `DELETE FROM claim_documents WHERE claim_id = $1 AND document_id = ANY($2::uuid[])`,
			c.ID, change.DetachDocuments); err != nil {
			return err
		}
	}
	if len(change.AttachDocuments) > 0 {
		if _, err := q.Exec(ctx, `INSERT INTO claim_documents (claim_id, document_id)
			SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`, c.ID, change.AttachDocuments); err != nil {
			return err
		}
	}
	if change.SuspendPayments {
		suspend := allowance.PaymentTransitions[allowance.PaymentSuspend]
		if _, err := q.Exec(ctx, `UPDATE payments SET status = $3, updated_at = $2
			WHERE claim_id = $1 AND status = ANY($4)`, c.ID, c.UpdatedAt, suspend.To, strs(suspend.From)); err != nil {
			return err
		}
	}
	return nil
}

// DocumentClaims implements allowance.ClaimStore.
func (s Claims) DocumentClaims(ctx context.Context, documentID string) ([]allowance.Claim, error) {
	if !isUUID(documentID) {
		return nil, nil
	}
	return collect(ctx, s.db.pool, scanClaim, `SELECT `+claimColumnsOf("c.")+` FROM claims c
		JOIN claim_documents cd ON cd.claim_id = c.id WHERE cd.document_id = $1`, documentID)
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

// ReviewQueue implements allowance.ClaimStore. The cursor is the position
// of the last claim of the previous page in the queue's order: (due_at, id)
// by deadline, (submitted_at, id) by submission.
func (s Claims) ReviewQueue(ctx context.Context, f allowance.QueueFilter, p talent.Page) ([]allowance.QueueItem, string, error) {
	order := "coalesce(c.due_at, 'infinity')"
	if f.Sort == allowance.SortBySubmission {
		order = "coalesce(c.submitted_at, 'infinity')"
	}
	at, after := time.Time{}, "00000000-0000-0000-0000-000000000000"
	if p.Cursor != "" {
		var err error
		if at, after, err = decodeCursor(p.Cursor); err != nil {
			return nil, "", err
		}
	}
	var from, to *time.Time
	if !f.SubmittedFrom.IsZero() {
		from = &f.SubmittedFrom
	}
	if !f.SubmittedTo.IsZero() {
		to = &f.SubmittedTo
	}
	n := limit(p)
	list, err := collect(ctx, s.db.pool, func(r pgx.Row) (allowance.QueueItem, error) {
		var x allowance.QueueItem
		var decision, items []byte
		if err := r.Scan(append(claimFields(&x.Claim, &decision, &items), &x.ApplicantName)...); err != nil {
			return x, err
		}
		return x, decodeClaim(&x.Claim, decision, items)
	}, `SELECT `+claimColumnsOf("c.")+`, coalesce(pr.name, '')
		FROM claims c LEFT JOIN profiles pr ON pr.user_id = c.user_id
		WHERE c.status = $1
		AND ($2 = '' OR pr.name LIKE $2 || '%')
		AND ($3 = '' OR c.person_index = $3)
		AND ($4 = '' OR c.employer_id::text = $4)
		AND ($5 = '' OR c.package = $5)
		AND (NOT $6 OR c.due_at < $7)
		AND ($8::timestamptz IS NULL OR c.submitted_at >= $8)
		AND ($9::timestamptz IS NULL OR c.submitted_at < $9)
		AND ($10 = '' OR ($10 = 'none' AND c.assignee_id IS NULL) OR c.assignee_id::text = $10)
		AND (`+order+`, c.id) > ($11, $12)
		ORDER BY `+order+`, c.id LIMIT $13`,
		f.Status, escapeLike(f.Name), f.PersonIndex, f.EmployerID, string(f.Package), f.Overdue, f.Now, from, to, f.Assignee,
		at, after, n+1)
	if err != nil {
		return nil, "", err
	}
	list, next := page(list, n, func(x allowance.QueueItem) (time.Time, string) {
		t := x.DueAt
		if f.Sort == allowance.SortBySubmission {
			t = x.SubmittedAt
		}
		if t == nil {
			return time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), x.ID
		}
		return *t, x.ID
	})
	return list, next, nil
}

// escapeLike makes text match itself in a LIKE pattern.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(s)
}

// PersonClaims implements allowance.ClaimStore.
func (s Claims) PersonClaims(ctx context.Context, personIndex, except string) ([]allowance.EarlierClaim, error) {
	return collect(ctx, s.db.pool, func(r pgx.Row) (allowance.EarlierClaim, error) {
		var e allowance.EarlierClaim
		err := r.Scan(&e.ID, &e.Package, &e.Status, &e.SubmittedAt)
		return e, err
	}, `SELECT id, package, status, submitted_at FROM claims WHERE person_index = $1 AND id::text <> $2
		ORDER BY created_at DESC LIMIT 50`, personIndex, except)
}

// ReturnsDue implements allowance.ClaimStore.
func (s Claims) ReturnsDue(ctx context.Context, now time.Time, after string) ([]string, error) {
	return ids(ctx, s.db.pool, `SELECT id::text FROM claims WHERE status = 'returned' AND due_at < $1
		AND id > $2::uuid ORDER BY id LIMIT $3`, now, afterID(after), talent.SweepPage)
}

// NoticesDue implements allowance.ClaimStore.
func (s Claims) NoticesDue(ctx context.Context, now time.Time, after string) ([]string, error) {
	return ids(ctx, s.db.pool, `SELECT id::text FROM claims WHERE status = 'approved' AND notice_until <= $1
		AND objections_open = 0 AND id > $2::uuid ORDER BY id LIMIT $3`, now, afterID(after), talent.SweepPage)
}

// Overdue implements allowance.ClaimStore.
func (s Claims) Overdue(ctx context.Context, now time.Time, after *allowance.Claim) ([]allowance.Claim, error) {
	afterDue, afterID := time.Time{}, afterID("")
	if after != nil && after.DueAt != nil {
		afterDue, afterID = *after.DueAt, after.ID
	}
	return collect(ctx, s.db.pool, scanClaim, `SELECT `+claimColumns+` FROM claims
		WHERE due_at < $1 AND escalated_at IS NULL AND status IN ('submitted', 'awaiting_employer', 'under_review', 'approved', 'active')
		AND (due_at, id) > ($2::timestamptz, $3::uuid) ORDER BY due_at, id LIMIT $4`, now, afterDue, afterID, talent.SweepPage)
}

// Delivery implements allowance.ClaimStore.
func (s Claims) Delivery(ctx context.Context, from, to time.Time) ([]allowance.DeliveryStats, error) {
	months, err := s.delivery(ctx, from, to, false)
	out := make([]allowance.DeliveryStats, len(months))
	for i, m := range months {
		out[i] = m.DeliveryStats
	}
	return out, err
}

// MonthlyDelivery implements allowance.ClaimStore: months are civil months
// in Shanghai, where the scheme runs.
func (s Claims) MonthlyDelivery(ctx context.Context, from, to time.Time) ([]allowance.MonthStats, error) {
	return s.delivery(ctx, from, to, true)
}

// delivery aggregates the claims submitted in [from, to) per package, and
// per month too when byMonth is set, with the clawbacks (owed or repaid)
// of those claims.
func (s Claims) delivery(ctx context.Context, from, to time.Time, byMonth bool) ([]allowance.MonthStats, error) {
	month, group := "NULL::date", "package, month ORDER BY package"
	if byMonth {
		month, group = "date_trunc('month', submitted_at AT TIME ZONE 'Asia/Shanghai')::date", "package, month ORDER BY month, package"
	}
	return collect(ctx, s.db.pool, func(r pgx.Row) (allowance.MonthStats, error) {
		var m allowance.MonthStats
		var month *time.Time
		var md, pd, mp, pp float64
		err := r.Scan(&m.Package, &month, &m.Claims, &m.Decided, &m.Paid, &md, &pd, &mp, &pp, &m.DeadlinesBreached,
			&m.Clawbacks, &m.ClawbackOwed, &m.ClawbackRepaid)
		if month != nil {
			m.Month = time.Date(month.Year(), month.Month(), 1, 0, 0, 0, 0, time.UTC)
		}
		m.MedianToDecision, m.P90ToDecision, m.MedianToFirstPay, m.P90ToFirstPay = seconds(md), seconds(pd), seconds(mp), seconds(pp)
		return m, err
	}, `SELECT package, `+month+` AS month, count(*), count(decided_at), count(first_paid_at),
			coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM decided_at - submitted_at)), 0),
			coalesce(percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM decided_at - submitted_at)), 0),
			coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_paid_at - submitted_at)), 0),
			coalesce(percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM first_paid_at - submitted_at)), 0),
			count(*) FILTER (WHERE breaches > 0),
			count(k.claim_id), coalesce(sum(k.owed), 0)::bigint, coalesce(sum(k.repaid), 0)::bigint
		FROM claims LEFT JOIN (
			SELECT claim_id, sum(amount) FILTER (WHERE status = 'owed') AS owed, sum(amount) FILTER (WHERE status = 'repaid') AS repaid
			FROM clawbacks WHERE status IN ('owed', 'repaid') GROUP BY claim_id) k ON k.claim_id = claims.id
		WHERE submitted_at >= $1 AND submitted_at < $2
		GROUP BY `+group, from, to)
}

func seconds(f float64) time.Duration { return time.Duration(f * float64(time.Second)) }
