package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/account"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
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

// employmentOrders are the HR list's orders: the key each pages by (its
// SQL, and the type its cursor text is cast back to) and whether reversed.
// Each is given by an index of the employer's employments of a status
// (employments_employer, read backwards for the earliest first, and
// employments_employer_since), except the name, which lives on the
// profile: those rows are sorted after they are found through the
// employer's index, as many as that employer has of that status, never
// the city's.
var employmentOrders = map[account.EmploymentSort]struct {
	key, cast string
	desc      bool
}{
	account.BySubmission:       {"e.created_at", "timestamptz", false},
	account.BySubmissionNewest: {"e.created_at", "timestamptz", true},
	account.ByName:             {"coalesce(p.name, '')", "text", false},
	account.ByNameReversed:     {"coalesce(p.name, '')", "text", true},
	account.BySince:            {"coalesce(e.declared_since, 'infinity'::date)", "date", false},
	account.BySinceReversed:    {"coalesce(e.declared_since, 'infinity'::date)", "date", true},
}

// EmploymentRequests implements account.EmploymentStore. A name matches
// the start of the profile's name (escaped for LIKE); a national ID its
// blind index exactly.
func (s Employments) EmploymentRequests(ctx context.Context, f account.EmploymentFilter, p talent.Page) ([]account.EmploymentRecord, string, error) {
	o, ok := employmentOrders[f.Sort]
	if !ok {
		return nil, "", fmt.Errorf("employment order %q", f.Sort)
	}
	key, after, from, err := decodeKeyCursor(p.Cursor, string(f.Sort))
	if err != nil {
		return nil, "", err
	}
	dir, cmp := "", ">"
	if o.desc {
		dir, cmp = " DESC", "<"
	}
	n := limit(p)
	args := []any{f.EmployerID, f.Status, escapeLike(f.NamePrefix), f.NationalIDIndex, n + 1}
	position := ""
	if from {
		position = fmt.Sprintf("AND (%s, e.id) %s ($6::%s, $7::uuid)", o.key, cmp, o.cast)
		args = append(args, key, after)
	}
	type row struct {
		rec account.EmploymentRecord
		key string
	}
	rows, err := collect(ctx, s.db.pool, func(r pgx.Row) (row, error) {
		var x row
		err := r.Scan(append(employmentFields(&x.rec.Employment), &x.rec.Profile.Name, &x.rec.Profile.NationalIDSealed, &x.key)...)
		x.rec.Profile.UserID = x.rec.Employment.UserID
		return x, err
	}, `SELECT `+employmentColumnsOf("e.")+`, coalesce(p.name, ''), coalesce(p.national_id_sealed, ''), (`+o.key+`)::text
		FROM employments e LEFT JOIN profiles p ON p.user_id = e.user_id
		WHERE e.employer_id = $1 AND e.status = $2
			AND ($3 = '' OR p.name LIKE $3 || '%')
			AND ($4 = '' OR p.national_id_index = $4)
			`+position+`
		ORDER BY `+o.key+dir+`, e.id`+dir+` LIMIT $5`, args...)
	var pgErr *pgconn.PgError
	if from && errors.As(err, &pgErr) && strings.HasPrefix(pgErr.Code, "22") { // a key that is not of its type
		return nil, "", talent.Errorf(talent.KindMalformed, talent.CodeCursorInvalid, "the cursor is not one this server issued")
	}
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(rows) > n {
		rows = rows[:n]
		last := rows[n-1]
		next = encodeKeyCursor(string(f.Sort), last.key, last.rec.Employment.ID)
	}
	out := make([]account.EmploymentRecord, len(rows))
	for i, r := range rows {
		out[i] = r.rec
	}
	return out, next, nil
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
