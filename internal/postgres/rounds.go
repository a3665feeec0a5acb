package postgres

import (
	"context"
	"encoding/json"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/draw"
	"github.com/anju-city/anju/internal/talent/housing"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

func init() {
	constraintCodes["applications_one_active"] = housing.CodeApplicationExists
	constraintCodes["applications_one_active_account"] = housing.CodeApplicationExists
}

// Rounds is housing.RoundStore: rounds and their applications.
type Rounds struct{ db *DB }

// Rounds returns the rounds adapter.
func (db *DB) Rounds() Rounds { return Rounds{db} }

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
func (s Rounds) CreateRound(ctx context.Context, r housing.Round) error {
	return s.db.tx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO rounds (id, name, opens_at, closes_at, policy_version, status, commitment,
			seed_sealed, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			r.ID, r.Name, r.OpensAt, r.ClosesAt, r.PolicyVersion, r.Status, r.Commitment, r.SealedSeed, r.CreatedBy, r.CreatedAt)
		if err != nil {
			return err
		}
		// A unit is in one undrawn round at a time, or its draw could not
		// offer it.
		tag, err := tx.Exec(ctx, `INSERT INTO round_units (round_id, unit_id)
			SELECT $1, u.id FROM units u WHERE u.id = ANY($2::uuid[]) AND u.status = 'available'
			AND NOT EXISTS (SELECT 1 FROM round_units ru JOIN rounds o ON o.id = ru.round_id
				WHERE ru.unit_id = u.id AND o.status IN ('open', 'closed'))`, r.ID, r.UnitIDs)
		if err != nil {
			return err
		}
		if tag.RowsAffected() != int64(len(r.UnitIDs)) {
			return talent.Field("unitIds", housing.CodeUnitNotAvailable)
		}
		return nil
	})
}

// Round implements housing.RoundStore.
func (s Rounds) Round(ctx context.Context, id string) (housing.Round, error) {
	return byID(ctx, s.db.pool, id, housing.CodeRoundNotFound, scanRound, `SELECT `+roundColumns+` FROM rounds WHERE id = $1`)
}

// Rounds implements housing.RoundStore.
func (s Rounds) Rounds(ctx context.Context, p talent.Page) ([]housing.Round, string, error) {
	return newestFirst(ctx, s.db.pool, p, scanRound, func(r housing.Round) (time.Time, string) { return r.CreatedAt, r.ID },
		`SELECT `+roundColumns+` FROM rounds WHERE (created_at, id) < ($1, $2) ORDER BY created_at DESC, id DESC LIMIT $3`)
}

const applicationColumns = `id, round_id, user_id, person_index, preferences, household_size, declarations, status, active,
	score, decision, created_at, updated_at, draw_rank`

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
	err := r.Scan(applicationFields(&a, &decl, &decision)...)
	if err == nil {
		err = decodeApplication(&a, decl, decision)
	}
	return a, err
}

// applicationFields are the scan targets of applicationColumns.
func applicationFields(a *housing.Application, decl *applicationDeclarations, decision *[]byte) []any {
	return []any{&a.ID, &a.RoundID, &a.UserID, &a.PersonIndex, &a.Preferences, &a.HouseholdSize, decl, &a.Status,
		&a.Active, &a.Score, decision, &a.CreatedAt, &a.UpdatedAt, (*rank)(&a.Rank)}
}

func decodeApplication(a *housing.Application, decl applicationDeclarations, decision []byte) error {
	a.OwnsHome, a.Applicant, a.UnitID = decl.OwnsHome, decl.Applicant, decl.UnitID
	return json.Unmarshal(decision, &a.Decision)
}

// rank is a place in a draw's order: NULL in the database, 0 in Go, when
// there is none.
type rank int

// ScanInt64 implements pgtype.Int64Scanner.
func (r *rank) ScanInt64(v pgtype.Int8) error {
	*r = rank(v.Int64) // 0 when NULL
	return nil
}

// Int64Value implements pgtype.Int64Valuer.
func (r rank) Int64Value() (pgtype.Int8, error) {
	return pgtype.Int8{Int64: int64(r), Valid: r > 0}, nil
}

// CreateApplication implements housing.RoundStore.
func (s Rounds) CreateApplication(ctx context.Context, a housing.Application, tasks []talent.Task) error {
	decision, err := json.Marshal(a.Decision)
	if err != nil {
		return err
	}
	return s.db.tx(ctx, func(tx pgx.Tx) error {
		// The round must still be open when the application is written:
		// closing it takes the row lock this waits for.
		var open bool
		if err := tx.QueryRow(ctx, `SELECT status = 'open' FROM rounds WHERE id = $1 FOR SHARE`, a.RoundID).Scan(&open); err != nil {
			return notFound(translate(err), housing.CodeRoundNotFound)
		}
		if !open {
			return talent.Errorf(talent.KindConflict, housing.CodeRoundNotOpen, "the round is not taking applications")
		}
		if err := holdIdentity(ctx, tx, a.UserID, a.PersonIndex); err != nil {
			return err
		}
		// A graduate still on the waitlist of a drawn round moves on to this one.
		if a.Active {
			if _, err := tx.Exec(ctx, `UPDATE applications SET active = false, updated_at = $2
				WHERE person_index = $1 AND active AND status = 'waitlisted'`, a.PersonIndex, a.CreatedAt); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, `INSERT INTO applications (`+applicationColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
			a.ID, a.RoundID, a.UserID, a.PersonIndex, a.Preferences, a.HouseholdSize,
			applicationDeclarations{OwnsHome: a.OwnsHome, Applicant: a.Applicant}, a.Status, a.Active, a.Score, decision,
			a.CreatedAt, a.UpdatedAt, rank(a.Rank))
		if err != nil {
			return err
		}
		return enqueue(ctx, tx, tasks)
	})
}

// Application implements housing.RoundStore.
func (s Rounds) Application(ctx context.Context, id string) (housing.Application, error) {
	return byID(ctx, s.db.pool, id, housing.CodeApplicationNotFound, scanApplication, `SELECT `+applicationColumns+` FROM applications WHERE id = $1`)
}

// RoundUnits implements housing.RoundStore.
func (s Rounds) RoundUnits(ctx context.Context, roundID string) ([]housing.Unit, error) {
	return collect(ctx, s.db.pool, scanUnit, `SELECT `+prefixed("u.", unitColumns)+` FROM units u
		JOIN round_units ru ON ru.unit_id = u.id WHERE ru.round_id = $1 ORDER BY u.id`, roundID)
}

// DueRounds implements housing.RoundStore.
func (s Rounds) DueRounds(ctx context.Context, now time.Time, after string) ([]string, error) {
	return ids(ctx, s.db.pool, `SELECT id::text FROM rounds WHERE status = 'open' AND closes_at <= $1
		AND id > $2::uuid ORDER BY id LIMIT $3`, now, afterID(after), talent.SweepPage)
}

// UpdateRound implements housing.RoundStore.
func (s Rounds) UpdateRound(ctx context.Context, id string, fn func(*housing.Round, []housing.Application) (housing.Change, error)) (housing.Round, error) {
	type locked struct {
		round housing.Round
		apps  []housing.Application
	}
	x, err := update(ctx, s.db, id, housing.CodeRoundNotFound,
		func(tx pgx.Tx) (locked, error) {
			var x locked
			var err error
			if x.round, err = scanRound(tx.QueryRow(ctx, `SELECT `+roundColumns+` FROM rounds WHERE id = $1 FOR UPDATE`, id)); err != nil {
				return x, err
			}
			x.apps, err = roundApplications(ctx, tx, id)
			return x, err
		},
		func(x *locked) (housing.Change, error) { return fn(&x.round, x.apps) },
		func(tx pgx.Tx, x *locked, change housing.Change) error { return saveRound(ctx, tx, x.round, change) })
	return x.round, err
}

// saveRound writes a locked round and its change.
func saveRound(ctx context.Context, tx pgx.Tx, r housing.Round, change housing.Change) error {
	var pool, record []byte
	var err error
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
	return saveHousingChange(ctx, tx, change)
}

func roundApplications(ctx context.Context, tx pgx.Tx, roundID string) ([]housing.Application, error) {
	return collect(ctx, tx, scanApplication, `SELECT `+applicationColumns+` FROM applications WHERE round_id = $1 ORDER BY id`, roundID)
}

// ApplicationsOf implements housing.RoundStore.
func (s Rounds) ApplicationsOf(ctx context.Context, userID string) ([]housing.UserApplication, error) {
	return collect(ctx, s.db.pool, func(r pgx.Row) (housing.UserApplication, error) {
		var x housing.UserApplication
		rd := &x.Round
		var decl applicationDeclarations
		var decision []byte
		err := r.Scan(append(applicationFields(&x.Application, &decl, &decision), &rd.ID, &rd.Name, &rd.OpensAt, &rd.ClosesAt, &rd.Status)...)
		if err == nil {
			err = decodeApplication(&x.Application, decl, decision)
		}
		return x, err
	}, `SELECT `+prefixed("a.", applicationColumns)+`, r.id, r.name, r.opens_at, r.closes_at, r.status
		FROM applications a JOIN rounds r ON r.id = a.round_id WHERE a.user_id = $1 ORDER BY a.created_at DESC LIMIT 50`, userID)
}
