package postgres

import (
	"context"
	"strings"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/account"
	"github.com/jackc/pgx/v5"
)

// Employments is account.EmploymentStore.
type Employments struct{ db *DB }

// Employments returns the employments adapter.
func (db *DB) Employments() Employments { return Employments{db} }

// employmentColumnsOf lists the employment columns, qualified by alias
// ("" or "e.") for joins.
func employmentColumnsOf(alias string) string {
	return strings.ReplaceAll(`@id, @user_id, @employer_id, @status, @declared_since, @contract_start, @contract_end,
	@social_insurance_start, @reject_reason, @ended_on, coalesce(@decided_by::text, ''), @decided_at, @source, @created_at, @updated_at`, "@", alias)
}

var employmentColumns = employmentColumnsOf("")

func scanEmployment(r pgx.Row) (talent.Employment, error) {
	var e talent.Employment
	err := r.Scan(employmentFields(&e)...)
	return e, err
}

func employmentFields(e *talent.Employment) []any {
	return []any{&e.ID, &e.UserID, &e.EmployerID, &e.Status, &e.DeclaredSince, &e.ContractStart, &e.ContractEnd,
		&e.SocialInsuranceStart, &e.RejectReason, &e.EndedOn, &e.DecidedBy, &e.DecidedAt, &e.Source, &e.CreatedAt, &e.UpdatedAt}
}

// declareEmployment supersedes the user's live declaration and inserts e,
// declared by the graduate or filed by HR.
func declareEmployment(ctx context.Context, tx pgx.Tx, e talent.Employment) error {
	if _, err := tx.Exec(ctx, `UPDATE employments SET status = $3, updated_at = $2
		WHERE user_id = $1 AND status = ANY($4)`, e.UserID, e.CreatedAt,
		talent.EmploymentTransitions[talent.EmploymentSupersede].To, strs(talent.EmploymentTransitions[talent.EmploymentSupersede].From)); err != nil {
		return err
	}
	if e.Source == "" {
		e.Source = talent.SourceDeclared
	}
	var decidedBy *string
	if e.DecidedBy != "" {
		decidedBy = &e.DecidedBy
	}
	_, err := tx.Exec(ctx, `INSERT INTO employments (id, user_id, employer_id, status, declared_since, contract_start, contract_end,
			social_insurance_start, decided_by, decided_at, source, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		e.ID, e.UserID, e.EmployerID, e.Status, e.DeclaredSince, e.ContractStart, e.ContractEnd, e.SocialInsuranceStart,
		decidedBy, e.DecidedAt, e.Source, e.CreatedAt, e.UpdatedAt)
	return err
}

// Employment implements account.EmploymentStore.
func (s Employments) Employment(ctx context.Context, id string) (talent.Employment, error) {
	return byID(ctx, s.db.pool, id, talent.CodeEmploymentNotFound, scanEmployment, `SELECT `+employmentColumns+` FROM employments WHERE id = $1`)
}

// CurrentEmployment implements account.EmploymentStore.
func (s Employments) CurrentEmployment(ctx context.Context, userID string) (talent.Employment, error) {
	e, err := scanEmployment(s.db.pool.QueryRow(ctx, `SELECT `+employmentColumns+` FROM employments
		WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1`, userID))
	return e, notFound(translate(err), talent.CodeEmploymentNotFound)
}

// EmploymentRequests implements account.EmploymentStore.
func (s Employments) EmploymentRequests(ctx context.Context, employerID string, status talent.EmploymentStatus, p talent.Page) ([]account.EmploymentRecord, string, error) {
	return newestFirst(ctx, s.db.pool, p, func(r pgx.Row) (account.EmploymentRecord, error) {
		var rec account.EmploymentRecord
		err := r.Scan(append(employmentFields(&rec.Employment), &rec.Profile.Name, &rec.Profile.NationalIDSealed)...)
		rec.Profile.UserID = rec.Employment.UserID
		return rec, err
	}, func(r account.EmploymentRecord) (time.Time, string) { return r.Employment.CreatedAt, r.Employment.ID },
		`SELECT `+employmentColumnsOf("e.")+`, coalesce(p.name, ''), coalesce(p.national_id_sealed, '')
		FROM employments e LEFT JOIN profiles p ON p.user_id = e.user_id
		WHERE e.employer_id = $1 AND e.status = $2 AND (e.created_at, e.id) < ($3, $4)
		ORDER BY e.created_at DESC, e.id DESC LIMIT $5`, employerID, status)
}

// UpdateEmployment implements account.EmploymentStore.
func (s Employments) UpdateEmployment(ctx context.Context, id string, fn func(*talent.Employment) ([]talent.Task, error)) (talent.Employment, error) {
	return update(ctx, s.db, id, talent.CodeEmploymentNotFound,
		func(tx pgx.Tx) (talent.Employment, error) {
			return scanEmployment(tx.QueryRow(ctx, `SELECT `+employmentColumns+` FROM employments WHERE id = $1 FOR UPDATE`, id))
		}, fn,
		func(tx pgx.Tx, e *talent.Employment, tasks []talent.Task) error {
			var decidedBy *string
			if e.DecidedBy != "" {
				decidedBy = &e.DecidedBy
			}
			_, err := tx.Exec(ctx, `UPDATE employments SET status = $2, contract_start = $3, contract_end = $4,
				social_insurance_start = $5, reject_reason = $6, decided_by = $7, decided_at = $8, updated_at = $9,
				ended_on = $10 WHERE id = $1`, e.ID, e.Status, e.ContractStart, e.ContractEnd, e.SocialInsuranceStart,
				e.RejectReason, decidedBy, e.DecidedAt, e.UpdatedAt, e.EndedOn)
			if err != nil {
				return err
			}
			return enqueue(ctx, tx, tasks)
		})
}
