package postgres

import (
	"context"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/housing"
	"github.com/jackc/pgx/v5"
)

// Corrections is housing.CorrectionStore: draw corrections and their approval.
type Corrections struct{ db *DB }

// Corrections returns the corrections adapter.
func (db *DB) Corrections() Corrections { return Corrections{db} }

// CreateCorrection implements housing.CorrectionStore.
func (s Corrections) CreateCorrection(ctx context.Context, c housing.Correction) error {
	_, err := s.db.pool.Exec(ctx, `INSERT INTO draw_corrections (id, kind, round_id, application_id, unit_id, reason, status, proposed_by, proposed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, c.ID, c.Kind, c.RoundID, c.ApplicationID, c.UnitID, c.Reason, c.Status, c.ProposedBy, c.ProposedAt)
	return translate(err)
}

// ApplyCorrection implements housing.CorrectionStore.
func (s Corrections) ApplyCorrection(ctx context.Context, id string, fn func(*housing.Correction, housing.Application) (housing.Change, error)) (housing.Correction, error) {
	type locked struct {
		correction  housing.Correction
		application housing.Application
	}
	x, err := update(ctx, s.db, id, housing.CodeCorrectionNotFound,
		func(tx pgx.Tx) (locked, error) {
			var x locked
			c := &x.correction
			err := tx.QueryRow(ctx, `SELECT id, kind, round_id, application_id, unit_id, reason, status, proposed_by, proposed_at,
					coalesce(approved_by::text, ''), approved_at, coalesce(offer_id::text, '')
				FROM draw_corrections WHERE id = $1 FOR UPDATE`, id).
				Scan(&c.ID, &c.Kind, &c.RoundID, &c.ApplicationID, &c.UnitID, &c.Reason, &c.Status, &c.ProposedBy, &c.ProposedAt,
					&c.ApprovedBy, &c.ApprovedAt, &c.OfferID)
			if err != nil {
				return x, err
			}
			x.application, err = scanApplication(tx.QueryRow(ctx, `SELECT `+applicationColumns+` FROM applications WHERE id = $1`, c.ApplicationID))
			return x, err
		},
		func(x *locked) (housing.Change, error) { return fn(&x.correction, x.application) },
		func(tx pgx.Tx, x *locked, change housing.Change) error {
			if err := saveHousingChange(ctx, tx, change); err != nil {
				return err
			}
			c := x.correction
			_, err := tx.Exec(ctx, `UPDATE draw_corrections SET status = $2, approved_by = $3, approved_at = $4, offer_id = $5 WHERE id = $1`,
				c.ID, c.Status, c.ApprovedBy, c.ApprovedAt, c.OfferID)
			return err
		})
	return x.correction, err
}

// Corrections implements housing.CorrectionStore.
func (s Corrections) Corrections(ctx context.Context, status string, p talent.Page) ([]housing.Correction, string, error) {
	return newestFirst(ctx, s.db.pool, p, scanCorrection, func(c housing.Correction) (time.Time, string) { return c.ProposedAt, c.ID },
		`SELECT id, kind, round_id, application_id, unit_id, reason, status, proposed_by, proposed_at,
			coalesce(approved_by::text, ''), approved_at, coalesce(offer_id::text, '')
		FROM draw_corrections WHERE status = $1 AND (proposed_at, id) < ($2, $3) ORDER BY proposed_at DESC, id DESC LIMIT $4`, status)
}

func scanCorrection(r pgx.Row) (housing.Correction, error) {
	var c housing.Correction
	err := r.Scan(&c.ID, &c.Kind, &c.RoundID, &c.ApplicationID, &c.UnitID, &c.Reason, &c.Status, &c.ProposedBy, &c.ProposedAt,
		&c.ApprovedBy, &c.ApprovedAt, &c.OfferID)
	return c, err
}
