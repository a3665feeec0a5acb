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
	constraintCodes["offers_unit_live"] = "unit_taken"
	constraintCodes["offers_application_live"] = "application_has_offer"
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
		// The round must still be open when the application is written:
		// closing it takes the row lock this waits for.
		var open bool
		if err := tx.QueryRow(ctx, `SELECT status = 'open' FROM rounds WHERE id = $1 FOR SHARE`, a.RoundID).Scan(&open); err != nil {
			return notFound(translate(err), "round")
		}
		if !open {
			return talent.Errorf(talent.KindConflict, "round_not_open", "the round is not taking applications")
		}
		// A graduate still on the waitlist of a drawn round moves on to this one.
		if a.Active {
			if _, err := tx.Exec(ctx, `UPDATE applications SET active = false, updated_at = $2
				WHERE person_index = $1 AND active AND status = 'waitlisted'`, a.PersonIndex, a.CreatedAt); err != nil {
				return err
			}
		}
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
func (db *DB) UpdateRound(ctx context.Context, id string, fn func(*housing.Round, []housing.Application) (housing.Change, error)) (housing.Round, error) {
	if !isUUID(id) {
		return housing.Round{}, talent.NotFound("round")
	}
	var r housing.Round
	err := db.tx(ctx, func(tx pgx.Tx) error {
		var err error
		if r, err = scanRound(tx.QueryRow(ctx, `SELECT `+roundColumns+` FROM rounds WHERE id = $1 FOR UPDATE`, id)); err != nil {
			return notFound(translate(err), "round")
		}
		apps, err := roundApplications(ctx, tx, id)
		if err != nil {
			return err
		}
		change, err := fn(&r, apps)
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
		return saveHousingChange(ctx, tx, change)
	})
	return r, err
}

func roundApplications(ctx context.Context, tx pgx.Tx, roundID string) ([]housing.Application, error) {
	rows, err := tx.Query(ctx, `SELECT `+applicationColumns+` FROM applications WHERE round_id = $1 ORDER BY id`, roundID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (housing.Application, error) { return scanApplication(r) })
}

// saveHousingChange writes what a round or offer update carries besides
// its own row, in the caller's transaction.
func saveHousingChange(ctx context.Context, tx pgx.Tx, c housing.Change) error {
	for _, a := range c.Applications {
		if _, err := tx.Exec(ctx, `UPDATE applications SET status = $2, active = $3, declarations = $4, updated_at = $5 WHERE id = $1`,
			a.ID, a.Status, a.Active, applicationDeclarations{OwnsHome: a.OwnsHome, Applicant: a.Applicant, UnitID: a.UnitID}, a.UpdatedAt); err != nil {
			return err
		}
	}
	for _, o := range c.Offers {
		if _, err := tx.Exec(ctx, `INSERT INTO offers (`+offerColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
			o.ID, o.RoundID, o.ApplicationID, o.UserID, o.UnitID, o.Status, o.Source, o.Reason, o.CreatedBy, o.ExpiresAt,
			o.RemindedAt, o.CreatedAt, o.DecidedAt); err != nil {
			return err
		}
	}
	if l := c.Lease; l != nil {
		if _, err := tx.Exec(ctx, `INSERT INTO leases (id, offer_id, user_id, unit_id, starts_on, ends_on, months, rent_schedule, status, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, l.ID, l.OfferID, l.UserID, l.UnitID, l.StartsOn, l.EndsOn, l.Months,
			l.RentSchedule, l.Status, l.CreatedAt); err != nil {
			return err
		}
	}
	if c.EndOffer != "" {
		if _, err := tx.Exec(ctx, `UPDATE offers SET status = 'ended' WHERE id = $1`, c.EndOffer); err != nil {
			return err
		}
	}
	for id, status := range c.Units {
		if _, err := tx.Exec(ctx, `UPDATE units SET status = $2, updated_at = now() WHERE id = $1`, id, status); err != nil {
			return err
		}
	}
	return enqueue(ctx, tx, c.Tasks)
}

const offerColumns = `id, round_id, application_id, user_id, unit_id, status, source, reason, created_by, expires_at,
	reminded_at, created_at, decided_at`

func scanOffer(r pgx.Row) (housing.Offer, error) {
	var o housing.Offer
	err := r.Scan(&o.ID, &o.RoundID, &o.ApplicationID, &o.UserID, &o.UnitID, &o.Status, &o.Source, &o.Reason, &o.CreatedBy,
		&o.ExpiresAt, &o.RemindedAt, &o.CreatedAt, &o.DecidedAt)
	return o, err
}

// CreateOffers implements housing.OfferStore. A unit in a round that is
// not drawn yet belongs to that round's draw and cannot be offered by hand.
func (db *DB) CreateOffers(ctx context.Context, c housing.Change) error {
	return db.tx(ctx, func(tx pgx.Tx) error {
		for _, o := range c.Offers {
			held, err := unitInUndrawnRound(ctx, tx, o.UnitID)
			if err != nil {
				return err
			}
			if held {
				return talent.Errorf(talent.KindConflict, "unit_in_round", "the unit waits for its round's draw")
			}
		}
		return saveHousingChange(ctx, tx, c)
	})
}

// Offer implements housing.OfferStore.
func (db *DB) Offer(ctx context.Context, id string) (housing.Offer, error) {
	if !isUUID(id) {
		return housing.Offer{}, talent.NotFound("offer")
	}
	o, err := scanOffer(db.pool.QueryRow(ctx, `SELECT `+offerColumns+` FROM offers WHERE id = $1`, id))
	return o, notFound(translate(err), "offer")
}

const leaseColumns = `id, offer_id, user_id, unit_id, starts_on, ends_on, months, rent_schedule, status, renewal_notified_at,
	move_out_reason, move_out_by, checked_in_at, checked_out_at, created_at`

func scanLease(r pgx.Row) (housing.Lease, error) {
	var l housing.Lease
	err := r.Scan(&l.ID, &l.OfferID, &l.UserID, &l.UnitID, &l.StartsOn, &l.EndsOn, &l.Months, &l.RentSchedule, &l.Status,
		&l.RenewalNotifiedAt, &l.MoveOutReason, &l.MoveOutBy, &l.CheckedInAt, &l.CheckedOutAt, &l.CreatedAt)
	return l, err
}

// LeaseOf implements housing.OfferStore.
func (db *DB) LeaseOf(ctx context.Context, offerID string) (housing.Lease, error) {
	l, err := scanLease(db.pool.QueryRow(ctx, `SELECT `+leaseColumns+` FROM leases WHERE offer_id = $1`, offerID))
	return l, notFound(translate(err), "lease")
}

// Lease implements housing.LeaseStore.
func (db *DB) Lease(ctx context.Context, id string) (housing.Lease, error) {
	if !isUUID(id) {
		return housing.Lease{}, talent.NotFound("lease")
	}
	l, err := scanLease(db.pool.QueryRow(ctx, `SELECT `+leaseColumns+` FROM leases WHERE id = $1`, id))
	return l, notFound(translate(err), "lease")
}

// LeasesToReview implements housing.LeaseStore.
func (db *DB) LeasesToReview(ctx context.Context) ([]housing.Lease, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+leaseColumns+` FROM leases WHERE status = 'active' ORDER BY ends_on`)
	if err != nil {
		return nil, translate(err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (housing.Lease, error) { return scanLease(r) })
	return list, translate(err)
}

// UpdateLease implements housing.LeaseStore.
func (db *DB) UpdateLease(ctx context.Context, id string, fn func(*housing.Lease) (housing.Change, error)) (housing.Lease, error) {
	if !isUUID(id) {
		return housing.Lease{}, talent.NotFound("lease")
	}
	var l housing.Lease
	err := db.tx(ctx, func(tx pgx.Tx) error {
		var err error
		if l, err = scanLease(tx.QueryRow(ctx, `SELECT `+leaseColumns+` FROM leases WHERE id = $1 FOR UPDATE`, id)); err != nil {
			return notFound(translate(err), "lease")
		}
		change, err := fn(&l)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE leases SET ends_on = $2, months = $3, status = $4, renewal_notified_at = $5,
			move_out_reason = $6, move_out_by = $7, checked_in_at = $8, checked_out_at = $9 WHERE id = $1`,
			l.ID, l.EndsOn, l.Months, l.Status, l.RenewalNotifiedAt, l.MoveOutReason, l.MoveOutBy, l.CheckedInAt, l.CheckedOutAt); err != nil {
			return err
		}
		return saveHousingChange(ctx, tx, change)
	})
	return l, err
}

// PendingOffers implements housing.OfferStore.
func (db *DB) PendingOffers(ctx context.Context, before time.Time) ([]housing.Offer, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+offerColumns+` FROM offers WHERE status = 'pending' AND expires_at < $1
		ORDER BY expires_at LIMIT 1000`, before)
	if err != nil {
		return nil, translate(err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (housing.Offer, error) { return scanOffer(r) })
	return list, translate(err)
}

// UpdateOffer implements housing.OfferStore. The round is locked first, so
// offers of one round are answered one at a time and a cascade never races
// another.
func (db *DB) UpdateOffer(ctx context.Context, id string, fn func(*housing.Offer, housing.OfferState) (housing.Change, error)) (housing.Offer, error) {
	if !isUUID(id) {
		return housing.Offer{}, talent.NotFound("offer")
	}
	var o housing.Offer
	err := db.tx(ctx, func(tx pgx.Tx) error {
		var roundID string
		if err := tx.QueryRow(ctx, `SELECT round_id FROM offers WHERE id = $1`, id).Scan(&roundID); err != nil {
			return notFound(translate(err), "offer")
		}
		var st housing.OfferState
		var err error
		if st.Round, err = scanRound(tx.QueryRow(ctx, `SELECT `+roundColumns+` FROM rounds WHERE id = $1 FOR UPDATE`, roundID)); err != nil {
			return err
		}
		if o, err = scanOffer(tx.QueryRow(ctx, `SELECT `+offerColumns+` FROM offers WHERE id = $1 FOR UPDATE`, id)); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT `+offerColumns+` FROM offers WHERE round_id = $1`, roundID)
		if err != nil {
			return err
		}
		if st.Offers, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (housing.Offer, error) { return scanOffer(r) }); err != nil {
			return err
		}
		if st.Applications, err = roundApplications(ctx, tx, roundID); err != nil {
			return err
		}
		if st.Unit, err = scanUnit(tx.QueryRow(ctx, `SELECT `+unitColumns+` FROM units WHERE id = $1`, o.UnitID)); err != nil {
			return err
		}
		change, err := fn(&o, st)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE offers SET status = $2, reminded_at = $3, decided_at = $4 WHERE id = $1`,
			o.ID, o.Status, o.RemindedAt, o.DecidedAt); err != nil {
			return err
		}
		return saveHousingChange(ctx, tx, change)
	})
	return o, err
}

// CreateCorrection implements housing.CorrectionStore.
func (db *DB) CreateCorrection(ctx context.Context, c housing.Correction) error {
	_, err := db.pool.Exec(ctx, `INSERT INTO draw_corrections (id, round_id, application_id, unit_id, reason, status, proposed_by, proposed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, c.ID, c.RoundID, c.ApplicationID, c.UnitID, c.Reason, c.Status, c.ProposedBy, c.ProposedAt)
	return translate(err)
}

// ApplyCorrection implements housing.CorrectionStore.
func (db *DB) ApplyCorrection(ctx context.Context, id string, fn func(*housing.Correction, housing.Application) (housing.Change, error)) (housing.Correction, error) {
	if !isUUID(id) {
		return housing.Correction{}, talent.NotFound("correction")
	}
	var c housing.Correction
	err := db.tx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT id, round_id, application_id, unit_id, reason, status, proposed_by, proposed_at,
				coalesce(approved_by::text, ''), approved_at, coalesce(offer_id::text, '')
			FROM draw_corrections WHERE id = $1 FOR UPDATE`, id).
			Scan(&c.ID, &c.RoundID, &c.ApplicationID, &c.UnitID, &c.Reason, &c.Status, &c.ProposedBy, &c.ProposedAt,
				&c.ApprovedBy, &c.ApprovedAt, &c.OfferID)
		if err != nil {
			return notFound(translate(err), "correction")
		}
		a, err := scanApplication(tx.QueryRow(ctx, `SELECT `+applicationColumns+` FROM applications WHERE id = $1`, c.ApplicationID))
		if err != nil {
			return err
		}
		change, err := fn(&c, a)
		if err != nil {
			return err
		}
		if err := saveHousingChange(ctx, tx, change); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE draw_corrections SET status = $2, approved_by = $3, approved_at = $4, offer_id = $5 WHERE id = $1`,
			c.ID, c.Status, c.ApprovedBy, c.ApprovedAt, c.OfferID)
		return err
	})
	return c, err
}

var (
	_ housing.CorrectionStore = (*DB)(nil)
	_ housing.RoundStore      = (*DB)(nil)
	_ housing.OfferStore      = (*DB)(nil)
	_ housing.LeaseStore      = (*DB)(nil)
)
