package postgres

import (
	"context"
	"encoding/json"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/draw"
	"github.com/anju-city/anju/internal/talent/housing"
	"github.com/jackc/pgx/v5"
)

func init() {
	constraintCodes["applications_one_active"] = "application_exists"
}

const roundColumns = `id, name, opens_at, closes_at, policy_version, status, commitment, seed_sealed, pool_hash, pool,
	record, created_by, created_at, closed_at, drawn_at`

func scanRound(r pgx.Row) (housing.Round, error) {
	var x housing.Round
	var pool, record []byte
	err := r.Scan(&x.ID, &x.Name, &x.OpensAt, &x.ClosesAt, &x.PolicyVersion, &x.Status, &x.Commitment, &x.SealedSeed,
		&x.PoolHash, &pool, &record, &x.CreatedBy, &x.CreatedAt, &x.ClosedAt, &x.DrawnAt)
	if err == nil && pool != nil {
		x.Pool = new(draw.Pool)
		err = json.Unmarshal(pool, x.Pool)
	}
	if err == nil && record != nil {
		var rec draw.Record
		if rec, err = draw.UnmarshalRecord(record); err == nil {
			x.Record = &rec
		}
	}
	return x, err
}

// CreateRound implements housing.RoundStore.
func (db *DB) CreateRound(ctx context.Context, r housing.Round) error {
	return db.tx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO rounds (id, name, opens_at, closes_at, policy_version, status, commitment,
			seed_sealed, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			r.ID, r.Name, r.OpensAt, r.ClosesAt, r.PolicyVersion, r.Status, r.Commitment, r.SealedSeed, r.CreatedBy, r.CreatedAt)
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `INSERT INTO round_units (round_id, unit_id)
			SELECT $1, id FROM units WHERE id = ANY($2::uuid[]) AND status = 'available'`, r.ID, r.UnitIDs)
		if err != nil {
			return err
		}
		if tag.RowsAffected() != int64(len(r.UnitIDs)) {
			return talent.Invalid(talent.FieldError{Field: "unitIds", Code: "unit_not_available"})
		}
		return nil
	})
}

// Round implements housing.RoundStore.
func (db *DB) Round(ctx context.Context, id string) (housing.Round, error) {
	if !isUUID(id) {
		return housing.Round{}, talent.NotFound("round")
	}
	r, err := scanRound(db.pool.QueryRow(ctx, `SELECT `+roundColumns+` FROM rounds WHERE id = $1`, id))
	return r, notFound(translate(err), "round")
}

// Rounds implements housing.RoundStore.
func (db *DB) Rounds(ctx context.Context, p talent.Page) ([]housing.Round, string, error) {
	at, after, err := decodeCursor(p.Cursor)
	if err != nil {
		return nil, "", err
	}
	n := limit(p)
	rows, err := db.pool.Query(ctx, `SELECT `+roundColumns+` FROM rounds WHERE (created_at, id) < ($1, $2)
		ORDER BY created_at DESC, id DESC LIMIT $3`, at, after, n+1)
	if err != nil {
		return nil, "", translate(err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (housing.Round, error) { return scanRound(r) })
	if err != nil {
		return nil, "", translate(err)
	}
	list, next := page(list, n, func(r housing.Round) (time.Time, string) { return r.CreatedAt, r.ID })
	return list, next, nil
}

const applicationColumns = `id, round_id, user_id, person_index, preferences, household_size, declarations, status, active,
	score, decision, created_at, updated_at`

// applicationDeclarations is the stored shape of what the applicant declared.
type applicationDeclarations struct {
	OwnsHome  bool   `json:"ownsHome"`
	Applicant string `json:"applicant"`
	UnitID    string `json:"unitId,omitempty"`
}

func scanApplication(r pgx.Row) (housing.Application, error) {
	var a housing.Application
	var decl applicationDeclarations
	var decision []byte
	err := r.Scan(&a.ID, &a.RoundID, &a.UserID, &a.PersonIndex, &a.Preferences, &a.HouseholdSize, &decl, &a.Status,
		&a.Active, &a.Score, &decision, &a.CreatedAt, &a.UpdatedAt)
	if err == nil {
		a.OwnsHome, a.Applicant, a.UnitID = decl.OwnsHome, decl.Applicant, decl.UnitID
		err = json.Unmarshal(decision, &a.Decision)
	}
	return a, err
}

// CreateApplication implements housing.RoundStore.
func (db *DB) CreateApplication(ctx context.Context, a housing.Application, tasks []talent.Task) error {
	decision, err := json.Marshal(a.Decision)
	if err != nil {
		return err
	}
	return db.tx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO applications (`+applicationColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
			a.ID, a.RoundID, a.UserID, a.PersonIndex, a.Preferences, a.HouseholdSize,
			applicationDeclarations{OwnsHome: a.OwnsHome, Applicant: a.Applicant}, a.Status, a.Active, a.Score, decision,
			a.CreatedAt, a.UpdatedAt)
		if err != nil {
			return err
		}
		return enqueue(ctx, tx, tasks)
	})
}

// Application implements housing.RoundStore.
func (db *DB) Application(ctx context.Context, id string) (housing.Application, error) {
	if !isUUID(id) {
		return housing.Application{}, talent.NotFound("application")
	}
	a, err := scanApplication(db.pool.QueryRow(ctx, `SELECT `+applicationColumns+` FROM applications WHERE id = $1`, id))
	return a, notFound(translate(err), "application")
}

// RoundUnits implements housing.RoundStore.
func (db *DB) RoundUnits(ctx context.Context, roundID string) ([]housing.Unit, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+prefixed("u.", unitColumns)+` FROM units u
		JOIN round_units ru ON ru.unit_id = u.id WHERE ru.round_id = $1 ORDER BY u.id`, roundID)
	if err != nil {
		return nil, translate(err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (housing.Unit, error) { return scanUnit(r) })
	return list, translate(err)
}

// DueRounds implements housing.RoundStore.
func (db *DB) DueRounds(ctx context.Context, now time.Time) ([]string, error) {
	rows, err := db.pool.Query(ctx, `SELECT id::text FROM rounds WHERE status = 'open' AND closes_at <= $1`, now)
	if err != nil {
		return nil, translate(err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return ids, translate(err)
}

// UpdateRound implements housing.RoundStore.
func (db *DB) UpdateRound(ctx context.Context, id string, fn func(*housing.Round, []housing.Application) ([]housing.Application, []talent.Task, error)) (housing.Round, error) {
	if !isUUID(id) {
		return housing.Round{}, talent.NotFound("round")
	}
	var r housing.Round
	err := db.tx(ctx, func(tx pgx.Tx) error {
		var err error
		if r, err = scanRound(tx.QueryRow(ctx, `SELECT `+roundColumns+` FROM rounds WHERE id = $1 FOR UPDATE`, id)); err != nil {
			return notFound(translate(err), "round")
		}
		rows, err := tx.Query(ctx, `SELECT `+applicationColumns+` FROM applications WHERE round_id = $1 ORDER BY id`, id)
		if err != nil {
			return err
		}
		apps, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (housing.Application, error) { return scanApplication(r) })
		if err != nil {
			return err
		}
		changed, tasks, err := fn(&r, apps)
		if err != nil {
			return err
		}
		var pool, record []byte
		if r.Pool != nil {
			if pool, err = json.Marshal(r.Pool); err != nil {
				return err
			}
		}
		if r.Record != nil {
			if record, err = draw.MarshalRecord(*r.Record); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE rounds SET status = $2, pool_hash = $3, pool = $4, record = $5, closed_at = $6,
			drawn_at = $7 WHERE id = $1`, r.ID, r.Status, r.PoolHash, pool, record, r.ClosedAt, r.DrawnAt); err != nil {
			return err
		}
		for _, a := range changed {
			if _, err := tx.Exec(ctx, `UPDATE applications SET status = $2, declarations = $3, updated_at = $4 WHERE id = $1`,
				a.ID, a.Status, applicationDeclarations{OwnsHome: a.OwnsHome, Applicant: a.Applicant, UnitID: a.UnitID}, a.UpdatedAt); err != nil {
				return err
			}
		}
		return enqueue(ctx, tx, tasks)
	})
	return r, err
}

var _ housing.RoundStore = (*DB)(nil)
