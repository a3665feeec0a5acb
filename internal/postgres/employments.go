package postgres

import (
	"context"
	"strings"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/jackc/pgx/v5"
)

// CreateEmployer implements talent.Store.
func (db *DB) CreateEmployer(ctx context.Context, e talent.Employer) error {
	_, err := db.pool.Exec(ctx, `INSERT INTO employers (id, name, credit_code, created_at) VALUES ($1, $2, $3, $4)`,
		e.ID, e.Name, e.CreditCode, e.CreatedAt)
	return translate(err)
}

// Employers implements talent.Store.
func (db *DB) Employers(ctx context.Context, query string, p talent.Page) ([]talent.Employer, string, error) {
	at, after, err := decodeCursor(p.Cursor)
	if err != nil {
		return nil, "", err
	}
	n := limit(p)
	like := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(query) + "%"
	rows, err := db.pool.Query(ctx, `SELECT id, name, credit_code, created_at FROM employers
		WHERE (name ILIKE $1 OR credit_code ILIKE $1) AND (created_at, id) < ($2, $3)
		ORDER BY created_at DESC, id DESC LIMIT $4`, like, at, after, n+1)
	if err != nil {
		return nil, "", translate(err)
	}
	list, err := pgx.CollectRows(rows, scanEmployer)
	if err != nil {
		return nil, "", translate(err)
	}
	list, next := page(list, n, func(e talent.Employer) (time.Time, string) { return e.CreatedAt, e.ID })
	return list, next, nil
}

func scanEmployer(r pgx.CollectableRow) (talent.Employer, error) {
	var e talent.Employer
	err := r.Scan(&e.ID, &e.Name, &e.CreditCode, &e.CreatedAt)
	return e, err
}

// EmployerByCreditCode implements talent.Store.
func (db *DB) EmployerByCreditCode(ctx context.Context, code string) (talent.Employer, error) {
	rows, err := db.pool.Query(ctx, `SELECT id, name, credit_code, created_at FROM employers WHERE credit_code = $1`, code)
	if err != nil {
		return talent.Employer{}, translate(err)
	}
	e, err := pgx.CollectExactlyOneRow(rows, scanEmployer)
	return e, notFound(translate(err), "employer")
}

// HRUsers implements talent.Store.
func (db *DB) HRUsers(ctx context.Context, employerID string) ([]string, error) {
	rows, err := db.pool.Query(ctx, `SELECT user_id::text FROM role_grants WHERE role = 'hr' AND employer_id = $1 ORDER BY user_id`, employerID)
	if err != nil {
		return nil, translate(err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return ids, translate(err)
}

const employmentColumns = `id, user_id, employer_id, status, declared_since, contract_start, contract_end,
	social_insurance_start, reject_reason, ended_on, coalesce(decided_by::text, ''), decided_at, created_at, updated_at`

func scanEmployment(r pgx.Row) (talent.Employment, error) {
	var e talent.Employment
	err := r.Scan(&e.ID, &e.UserID, &e.EmployerID, &e.Status, &e.DeclaredSince, &e.ContractStart, &e.ContractEnd,
		&e.SocialInsuranceStart, &e.RejectReason, &e.EndedOn, &e.DecidedBy, &e.DecidedAt, &e.CreatedAt, &e.UpdatedAt)
	return e, err
}

// declareEmployment supersedes the user's live declaration and inserts e.
func declareEmployment(ctx context.Context, tx pgx.Tx, e talent.Employment) error {
	if _, err := tx.Exec(ctx, `UPDATE employments SET status = 'superseded', updated_at = $2
		WHERE user_id = $1 AND status IN ('pending', 'confirmed')`, e.UserID, e.CreatedAt); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO employments (id, user_id, employer_id, status, declared_since, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, e.ID, e.UserID, e.EmployerID, e.Status, e.DeclaredSince, e.CreatedAt, e.UpdatedAt)
	return err
}

// Employment implements talent.Store.
func (db *DB) Employment(ctx context.Context, id string) (talent.Employment, error) {
	if !isUUID(id) {
		return talent.Employment{}, talent.NotFound("employment")
	}
	e, err := scanEmployment(db.pool.QueryRow(ctx, `SELECT `+employmentColumns+` FROM employments WHERE id = $1`, id))
	return e, notFound(translate(err), "employment")
}

// CurrentEmployment implements talent.Store.
func (db *DB) CurrentEmployment(ctx context.Context, userID string) (talent.Employment, error) {
	e, err := scanEmployment(db.pool.QueryRow(ctx, `SELECT `+employmentColumns+` FROM employments
		WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1`, userID))
	return e, notFound(translate(err), "employment")
}

// EmploymentRequests implements talent.Store.
func (db *DB) EmploymentRequests(ctx context.Context, employerID string, status talent.EmploymentStatus, p talent.Page) ([]talent.EmploymentRecord, string, error) {
	at, after, err := decodeCursor(p.Cursor)
	if err != nil {
		return nil, "", err
	}
	n := limit(p)
	rows, err := db.pool.Query(ctx, `SELECT e.id, e.user_id, e.employer_id, e.status, e.declared_since, e.contract_start,
			e.contract_end, e.social_insurance_start, e.reject_reason, e.ended_on, coalesce(e.decided_by::text, ''), e.decided_at,
			e.created_at, e.updated_at, coalesce(p.name, ''), coalesce(p.national_id_sealed, '')
		FROM employments e LEFT JOIN profiles p ON p.user_id = e.user_id
		WHERE e.employer_id = $1 AND e.status = $2 AND (e.created_at, e.id) < ($3, $4)
		ORDER BY e.created_at DESC, e.id DESC LIMIT $5`, employerID, status, at, after, n+1)
	if err != nil {
		return nil, "", translate(err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (talent.EmploymentRecord, error) {
		var rec talent.EmploymentRecord
		e := &rec.Employment
		err := r.Scan(&e.ID, &e.UserID, &e.EmployerID, &e.Status, &e.DeclaredSince, &e.ContractStart, &e.ContractEnd,
			&e.SocialInsuranceStart, &e.RejectReason, &e.EndedOn, &e.DecidedBy, &e.DecidedAt, &e.CreatedAt, &e.UpdatedAt,
			&rec.Profile.Name, &rec.Profile.NationalIDSealed)
		rec.Profile.UserID = e.UserID
		return rec, err
	})
	if err != nil {
		return nil, "", translate(err)
	}
	list, next := page(list, n, func(r talent.EmploymentRecord) (time.Time, string) {
		return r.Employment.CreatedAt, r.Employment.ID
	})
	return list, next, nil
}

// UpdateEmployment implements talent.Store.
func (db *DB) UpdateEmployment(ctx context.Context, id string, fn func(*talent.Employment) ([]talent.Task, error)) (talent.Employment, error) {
	if !isUUID(id) {
		return talent.Employment{}, talent.NotFound("employment")
	}
	var e talent.Employment
	err := db.tx(ctx, func(tx pgx.Tx) error {
		var err error
		e, err = scanEmployment(tx.QueryRow(ctx, `SELECT `+employmentColumns+` FROM employments WHERE id = $1 FOR UPDATE`, id))
		if err != nil {
			return notFound(translate(err), "employment")
		}
		tasks, err := fn(&e)
		if err != nil {
			return err
		}
		var decidedBy *string
		if e.DecidedBy != "" {
			decidedBy = &e.DecidedBy
		}
		_, err = tx.Exec(ctx, `UPDATE employments SET status = $2, contract_start = $3, contract_end = $4,
			social_insurance_start = $5, reject_reason = $6, decided_by = $7, decided_at = $8, updated_at = $9,
			ended_on = $10 WHERE id = $1`, e.ID, e.Status, e.ContractStart, e.ContractEnd, e.SocialInsuranceStart,
			e.RejectReason, decidedBy, e.DecidedAt, e.UpdatedAt, e.EndedOn)
		if err != nil {
			return err
		}
		return enqueue(ctx, tx, tasks)
	})
	return e, err
}
