package postgres

import (
	"context"
	"encoding/json"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/allowance"
	"github.com/jackc/pgx/v5"
)

// Batches is allowance.BatchStore: payment batches, their lines (the payees
// as snapshotted), exports and the bank's return files.
type Batches struct{ db *DB }

// Batches returns the batches adapter.
func (db *DB) Batches() Batches { return Batches{db} }

const batchColumns = `id, status, created_by, created_at, count, total, coalesce(approved_by::text, ''), approved_at,
	coalesce(rejected_by::text, ''), reject_reason, paid, failed, held_back, updated_at`

func scanBatch(r pgx.Row) (allowance.Batch, error) {
	var b allowance.Batch
	var held []byte
	err := r.Scan(&b.ID, &b.Status, &b.CreatedBy, &b.CreatedAt, &b.Count, &b.Total, &b.ApprovedBy, &b.ApprovedAt,
		&b.RejectedBy, &b.RejectReason, &b.Paid, &b.Failed, &held, &b.UpdatedAt)
	if err == nil {
		err = json.Unmarshal(held, &b.HeldBack)
	}
	return b, err
}

const lineColumns = `l.batch_id, l.seq, ` + paymentColumns + `, l.package, l.amount, l.due_on, l.payee_name,
	l.national_id_masked, l.bank_name, l.bank_account_sealed, l.result, l.reason, l.bank_serial, l.answered_at`

func scanLine(r pgx.Row) (allowance.BatchLine, error) {
	var l allowance.BatchLine
	err := r.Scan(append(append([]any{&l.BatchID, &l.Seq}, paymentFields(&l.Payment)...), &l.Package, &l.Amount, &l.DueOn,
		&l.Name, &l.NationalIDMasked, &l.BankName, &l.BankAccountSealed, &l.Result, &l.Reason, &l.BankSerial, &l.AnsweredAt)...)
	return l, err
}

// linesOf reads a batch's lines in order, each with its payment.
func linesOf(ctx context.Context, q querier, batchID string) ([]allowance.BatchLine, error) {
	return collect(ctx, q, scanLine, `SELECT `+lineColumns+` FROM batch_lines l JOIN payments p ON p.id = l.payment_id
		WHERE l.batch_id = $1 ORDER BY l.seq`, batchID)
}

// CreateBatch implements allowance.BatchStore. The candidates are locked
// in id order, as UpdateBatch locks payments, so the two never deadlock.
func (s Batches) CreateBatch(ctx context.Context, b allowance.Batch,
	pick func(*allowance.Batch, []allowance.BatchCandidate) ([]allowance.BatchLine, allowance.BatchChange, error)) (allowance.Batch, error) {
	batch := allowance.PaymentTransitions[allowance.PaymentBatch]
	err := s.db.tx(ctx, func(tx pgx.Tx) error {
		candidates, err := collect(ctx, tx, func(r pgx.Row) (allowance.BatchCandidate, error) {
			var c allowance.BatchCandidate
			err := r.Scan(append(paymentFields(&c.Payment), &c.Package, &c.PolicyVersion, &c.Name, &c.NationalIDSealed,
				&c.BankName, &c.BankAccountSealed, &c.AccountChangedAt)...)
			return c, err
		}, `SELECT `+paymentColumns+`, c.package, c.policy_version, coalesce(pr.name, ''), coalesce(pr.national_id_sealed, ''),
				coalesce(pr.bank_name, ''), coalesce(pr.bank_account_sealed, ''), pr.bank_account_changed_at
			FROM payments p JOIN claims c ON c.id = p.claim_id LEFT JOIN profiles pr ON pr.user_id = p.user_id
			WHERE p.status = ANY($1) AND c.status = 'active' ORDER BY p.id FOR UPDATE OF p`, strs(batch.From))
		if err != nil {
			return err
		}
		lines, change, err := pick(&b, candidates)
		if err != nil {
			return err
		}
		held, err := json.Marshal(b.HeldBack)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO payment_batches (id, status, created_by, created_at, count, total, held_back, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, b.ID, b.Status, b.CreatedBy, b.CreatedAt, b.Count, b.Total, held, b.UpdatedAt); err != nil {
			return err
		}
		rows := make([][]any, len(lines))
		ids := make([]string, len(lines))
		for i, l := range lines {
			rows[i] = []any{l.BatchID, l.Payment.ID, l.Seq, l.Package, l.Amount, l.DueOn, l.Name, l.NationalIDMasked, l.BankName, l.BankAccountSealed}
			ids[i] = l.Payment.ID
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"batch_lines"}, []string{"batch_id", "payment_id", "seq", "package", "amount",
			"due_on", "payee_name", "national_id_masked", "bank_name", "bank_account_sealed"}, pgx.CopyFromRows(rows)); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE payments SET status = $2, batch_id = $1, updated_at = $3 WHERE id = ANY($4) AND status = ANY($5)`,
			b.ID, batch.To, b.CreatedAt, ids, strs(batch.From))
		if err != nil {
			return err
		}
		if tag.RowsAffected() != int64(len(lines)) {
			return talent.Errorf(talent.KindInternal, talent.CodeInternal, "a locked payment changed while batching")
		}
		if err := appendAudit(ctx, tx, change.Audit); err != nil {
			return err
		}
		return enqueue(ctx, tx, change.Tasks)
	})
	return b, err
}

// Batch implements allowance.BatchStore.
func (s Batches) Batch(ctx context.Context, id string) (allowance.Batch, error) {
	return byID(ctx, s.db.pool, id, allowance.CodeBatchNotFound, scanBatch, `SELECT `+batchColumns+` FROM payment_batches WHERE id = $1`)
}

// Batches implements allowance.BatchStore.
func (s Batches) Batches(ctx context.Context, f allowance.BatchFilter, p talent.Page) ([]allowance.Batch, string, error) {
	var from, to *time.Time
	if !f.CreatedFrom.IsZero() {
		from = &f.CreatedFrom
	}
	if !f.CreatedTo.IsZero() {
		to = &f.CreatedTo
	}
	return newestFirst(ctx, s.db.pool, p, scanBatch, func(b allowance.Batch) (time.Time, string) { return b.CreatedAt, b.ID },
		`SELECT `+batchColumns+` FROM payment_batches
		WHERE ($1 = '' OR status = $1) AND ($2::timestamptz IS NULL OR created_at >= $2) AND ($3::timestamptz IS NULL OR created_at < $3)
			AND (created_at, id) < ($4, $5)
		ORDER BY created_at DESC, id DESC LIMIT $6`, string(f.Status), from, to)
}

// BatchLines implements allowance.BatchStore.
func (s Batches) BatchLines(ctx context.Context, id string) ([]allowance.BatchLine, error) {
	if !isUUID(id) {
		return nil, talent.NotFound(allowance.CodeBatchNotFound)
	}
	return linesOf(ctx, s.db.pool, id)
}

// Exports implements allowance.BatchStore.
func (s Batches) Exports(ctx context.Context, batchID string) ([]allowance.BatchExport, error) {
	return collect(ctx, s.db.pool, func(r pgx.Row) (allowance.BatchExport, error) {
		var e allowance.BatchExport
		err := r.Scan(&e.ID, &e.BatchID, &e.ActorID, &e.At, &e.Format, &e.SHA256, &e.Size)
		return e, err
	}, `SELECT id, batch_id, actor_id, at, format, sha256, size FROM batch_exports WHERE batch_id = $1 ORDER BY at, id`, batchID)
}

// RecordExport implements allowance.BatchStore.
func (s Batches) RecordExport(ctx context.Context, e allowance.BatchExport, audit talent.Audit) error {
	return s.db.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO batch_exports (id, batch_id, actor_id, at, format, sha256, size)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, e.ID, e.BatchID, e.ActorID, e.At, e.Format, e.SHA256, e.Size); err != nil {
			return err
		}
		return appendAudit(ctx, tx, []talent.Audit{audit})
	})
}

// UpdateBatch implements allowance.BatchStore. Locks are taken in the
// order every writer of these rows takes them: the batch, then claims, then
// payments, each set in id order.
func (s Batches) UpdateBatch(ctx context.Context, id string, fn func(*allowance.Settlement) (allowance.BatchChange, error)) (allowance.Batch, error) {
	st, err := update(ctx, s.db, id, allowance.CodeBatchNotFound,
		func(tx pgx.Tx) (allowance.Settlement, error) { return lockSettlement(ctx, tx, id) }, fn,
		func(tx pgx.Tx, st *allowance.Settlement, change allowance.BatchChange) error {
			if change.Empty() {
				return nil
			}
			return saveSettlement(ctx, tx, st, change)
		})
	return st.Batch, err
}

func lockSettlement(ctx context.Context, tx pgx.Tx, id string) (allowance.Settlement, error) {
	st := allowance.Settlement{Claims: map[string]*allowance.Claim{}, Unpaid: map[string]int{}}
	var err error
	if st.Batch, err = scanBatch(tx.QueryRow(ctx, `SELECT `+batchColumns+` FROM payment_batches WHERE id = $1 FOR UPDATE`, id)); err != nil {
		return st, err
	}
	claims, err := collect(ctx, tx, scanClaim, `SELECT `+claimColumns+` FROM claims WHERE id IN (
		SELECT p.claim_id FROM batch_lines l JOIN payments p ON p.id = l.payment_id WHERE l.batch_id = $1) ORDER BY id FOR UPDATE`, id)
	if err != nil {
		return st, err
	}
	ids := make([]string, len(claims))
	for i := range claims {
		st.Claims[claims[i].ID], ids[i] = &claims[i], claims[i].ID
	}
	if _, err := tx.Exec(ctx, `SELECT 1 FROM payments WHERE id IN (SELECT payment_id FROM batch_lines WHERE batch_id = $1)
		ORDER BY id FOR UPDATE`, id); err != nil {
		return st, err
	}
	if st.Lines, err = linesOf(ctx, tx, id); err != nil {
		return st, err
	}
	rows, err := tx.Query(ctx, `SELECT claim_id::text, count(*) FROM payments WHERE claim_id = ANY($1) AND status <> 'paid'
		AND id NOT IN (SELECT payment_id FROM batch_lines WHERE batch_id = $2) GROUP BY claim_id`, ids, id)
	if err != nil {
		return st, err
	}
	var claimID string
	var n int
	if _, err := pgx.ForEachRow(rows, []any{&claimID, &n}, func() error { st.Unpaid[claimID] = n; return nil }); err != nil {
		return st, err
	}
	st.Returns, err = collect(ctx, tx, func(r pgx.Row) (allowance.BankReturn, error) {
		var b allowance.BankReturn
		err := r.Scan(&b.ID, &b.BatchID, &b.SHA256, &b.UploadedBy, &b.At, &b.Lines, &b.Paid, &b.Failed, &b.Changed)
		return b, err
	}, `SELECT id, batch_id, sha256, uploaded_by, at, lines, paid, failed, changed FROM bank_returns WHERE batch_id = $1 ORDER BY at`, id)
	return st, err
}

// saveSettlement writes a settlement in one round trip: the batch, the
// lines and payments its change names, the claims with their changes (a
// settlement's never touch the public notice), the return file, audit rows
// and tasks.
func saveSettlement(ctx context.Context, tx pgx.Tx, st *allowance.Settlement, change allowance.BatchChange) error {
	var q pipeline
	b := st.Batch
	if _, err := q.Exec(ctx, `UPDATE payment_batches SET status = $2, approved_by = $3, approved_at = $4, rejected_by = $5,
		reject_reason = $6, paid = $7, failed = $8, updated_at = $9 WHERE id = $1`,
		b.ID, b.Status, nullable(b.ApprovedBy), b.ApprovedAt, nullable(b.RejectedBy), b.RejectReason, b.Paid, b.Failed, b.UpdatedAt); err != nil {
		return err
	}
	byPayment := make(map[string]*allowance.BatchLine, len(st.Lines))
	for i := range st.Lines {
		byPayment[st.Lines[i].Payment.ID] = &st.Lines[i]
	}
	for _, id := range change.Lines {
		l := byPayment[id]
		if _, err := q.Exec(ctx, `UPDATE batch_lines SET result = $3, reason = $4, bank_serial = $5, answered_at = $6
			WHERE batch_id = $1 AND payment_id = $2`, b.ID, id, l.Result, l.Reason, l.BankSerial, l.AnsweredAt); err != nil {
			return err
		}
		if err := savePayment(ctx, &q, l.Payment); err != nil {
			return err
		}
	}
	tasks := change.Tasks
	for id, c := range change.Claims {
		if err := writeClaim(ctx, &q, *st.Claims[id], c); err != nil {
			return err
		}
		tasks = append(tasks, c.Tasks...)
	}
	if r := change.Return; r != nil {
		if _, err := q.Exec(ctx, `INSERT INTO bank_returns (id, batch_id, sha256, uploaded_by, at, lines, paid, failed, changed)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, r.ID, r.BatchID, r.SHA256, r.UploadedBy, r.At, r.Lines, r.Paid, r.Failed, r.Changed); err != nil {
			return err
		}
	}
	if err := appendAudit(ctx, &q, change.Audit); err != nil {
		return err
	}
	if err := enqueue(ctx, &q, tasks); err != nil {
		return err
	}
	return q.send(ctx, tx)
}

// appendAudit writes audit rows inside the caller's transaction.
func appendAudit(ctx context.Context, tx execer, rows []talent.Audit) error {
	for _, a := range rows {
		if _, err := tx.Exec(ctx, `INSERT INTO audit_log (at, actor_id, entity, entity_id, event, detail) VALUES ($1, $2, $3, $4, $5, $6)`,
			a.At, a.ActorID, a.Entity, a.EntityID, a.Event, a.Detail); err != nil {
			return err
		}
	}
	return nil
}
