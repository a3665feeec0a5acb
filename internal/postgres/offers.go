package postgres

import (
	"context"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/housing"
	"github.com/jackc/pgx/v5"
)

func init() {
	constraintCodes["offers_unit_live"] = housing.CodeUnitTaken
	constraintCodes["offers_application_live"] = housing.CodeApplicationHasOffer
}

// Offers is housing.OfferStore: offers and the leases they become.
type Offers struct{ db *DB }

// Offers returns the offers adapter.
func (db *DB) Offers() Offers { return Offers{db} }

const offerColumns = `id, round_id, application_id, user_id, unit_id, status, source, reason, created_by, expires_at,
	reminded_at, created_at, decided_at`

func scanOffer(r pgx.Row) (housing.Offer, error) {
	var o housing.Offer
	err := r.Scan(&o.ID, &o.RoundID, &o.ApplicationID, &o.UserID, &o.UnitID, &o.Status, &o.Source, &o.Reason, &o.CreatedBy,
		&o.ExpiresAt, &o.RemindedAt, &o.CreatedAt, &o.DecidedAt)
	return o, err
}

// saveHousingChange writes what a round, offer or lease update carries
// besides its own row, in the caller's transaction. Unit events are applied
// with a guarded update from UnitTransitions: a unit whose status does not
// allow the event fails the whole change.
func saveHousingChange(ctx context.Context, tx pgx.Tx, c housing.Change) error {
	for _, a := range c.Applications {
		if _, err := tx.Exec(ctx, `UPDATE applications SET status = $2, active = $3, declarations = $4, updated_at = $5, draw_rank = $6 WHERE id = $1`,
			a.ID, a.Status, a.Active, applicationDeclarations{OwnsHome: a.OwnsHome, Applicant: a.Applicant, UnitID: a.UnitID}, a.UpdatedAt, rank(a.Rank)); err != nil {
			return err
		}
	}
	for id, ev := range c.Units {
		edge := housing.UnitTransitions[ev]
		tag, err := tx.Exec(ctx, `UPDATE units SET status = $2, updated_at = now() WHERE id = $1 AND status = ANY($3)`,
			id, edge.To, strs(edge.From))
		if err != nil {
			return err
		}
		if tag.RowsAffected() != 1 {
			return talent.Errorf(talent.KindConflict, housing.CodeUnitStatusConflict, "unit %s: its status does not allow %s", id, ev)
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
	for _, e := range c.Entries {
		if err := insertEntry(ctx, tx, e); err != nil {
			return err
		}
	}
	if err := saveObjections(ctx, tx, c.Objections); err != nil {
		return err
	}
	for id, ev := range c.EntryEvents {
		if err := moveEntry(ctx, tx, id, ev); err != nil {
			return err
		}
	}
	if err := appendAudit(ctx, tx, c.Audit); err != nil {
		return err
	}
	if c.EndOffer != "" {
		end := housing.OfferTransitions[housing.OfferEnd]
		if _, err := tx.Exec(ctx, `UPDATE offers SET status = $2 WHERE id = $1 AND status = ANY($3)`, c.EndOffer, end.To, strs(end.From)); err != nil {
			return err
		}
	}
	return enqueue(ctx, tx, c.Tasks)
}

// CreateOffers implements housing.OfferStore. A unit in a round that is
// not drawn yet belongs to that round's draw and cannot be offered by hand.
func (s Offers) CreateOffers(ctx context.Context, c housing.Change) error {
	return s.db.tx(ctx, func(tx pgx.Tx) error {
		for _, o := range c.Offers {
			held, err := unitInUndrawnRound(ctx, tx, o.UnitID)
			if err != nil {
				return err
			}
			if held {
				return talent.Errorf(talent.KindConflict, housing.CodeUnitInRound, "the unit waits for its round's draw")
			}
		}
		return saveHousingChange(ctx, tx, c)
	})
}

// Offer implements housing.OfferStore.
func (s Offers) Offer(ctx context.Context, id string) (housing.Offer, error) {
	return byID(ctx, s.db.pool, id, housing.CodeOfferNotFound, scanOffer, `SELECT `+offerColumns+` FROM offers WHERE id = $1`)
}

// LeaseOf implements housing.OfferStore.
func (s Offers) LeaseOf(ctx context.Context, offerID string) (housing.Lease, error) {
	l, err := scanLease(s.db.pool.QueryRow(ctx, `SELECT `+leaseColumns+` FROM leases WHERE offer_id = $1`, offerID))
	return l, notFound(translate(err), housing.CodeLeaseNotFound)
}

// PendingOffers implements housing.OfferStore: one page in (expires_at,
// id) order after the offer after.
func (s Offers) PendingOffers(ctx context.Context, before time.Time, after *housing.Offer) ([]housing.Offer, error) {
	afterAt, afterID := time.Time{}, "00000000-0000-0000-0000-000000000000"
	if after != nil {
		afterAt, afterID = after.ExpiresAt, after.ID
	}
	return collect(ctx, s.db.pool, scanOffer, `SELECT `+offerColumns+` FROM offers WHERE status = 'pending' AND expires_at < $1
		AND (expires_at, id) > ($2::timestamptz, $3::uuid) ORDER BY expires_at, id LIMIT $4`, before, afterAt, afterID, talent.SweepPage)
}

// UpdateOffer implements housing.OfferStore. The round is locked first, so
// offers of one round are answered one at a time and a cascade never races
// another.
func (s Offers) UpdateOffer(ctx context.Context, id string, fn func(*housing.Offer, housing.OfferState) (housing.Change, error)) (housing.Offer, error) {
	type locked struct {
		offer housing.Offer
		state housing.OfferState
	}
	x, err := update(ctx, s.db, id, housing.CodeOfferNotFound,
		func(tx pgx.Tx) (locked, error) {
			var x locked
			var roundID string
			if err := tx.QueryRow(ctx, `SELECT round_id FROM offers WHERE id = $1`, id).Scan(&roundID); err != nil {
				return x, err
			}
			var err error
			if x.state.Round, err = scanRound(tx.QueryRow(ctx, `SELECT `+roundColumns+` FROM rounds WHERE id = $1 FOR UPDATE`, roundID)); err != nil {
				return x, err
			}
			if x.offer, err = scanOffer(tx.QueryRow(ctx, `SELECT `+offerColumns+` FROM offers WHERE id = $1 FOR UPDATE`, id)); err != nil {
				return x, err
			}
			if x.state.Offers, err = collect(ctx, tx, scanOffer, `SELECT `+offerColumns+` FROM offers WHERE round_id = $1`, roundID); err != nil {
				return x, err
			}
			if x.state.Applications, err = roundApplications(ctx, tx, roundID); err != nil {
				return x, err
			}
			x.state.Unit, err = scanUnit(tx.QueryRow(ctx, `SELECT `+unitColumns+` FROM units WHERE id = $1`, x.offer.UnitID))
			return x, err
		},
		func(x *locked) (housing.Change, error) { return fn(&x.offer, x.state) },
		func(tx pgx.Tx, x *locked, change housing.Change) error {
			o := x.offer
			if _, err := tx.Exec(ctx, `UPDATE offers SET status = $2, reminded_at = $3, decided_at = $4 WHERE id = $1`,
				o.ID, o.Status, o.RemindedAt, o.DecidedAt); err != nil {
				return err
			}
			return saveHousingChange(ctx, tx, change)
		})
	return x.offer, err
}

// OffersOf implements housing.OfferStore.
func (s Offers) OffersOf(ctx context.Context, userID string) ([]housing.Offer, error) {
	return collect(ctx, s.db.pool, scanOffer, `SELECT `+offerColumns+` FROM offers WHERE user_id = $1 ORDER BY created_at DESC LIMIT 50`, userID)
}

// UserLeases implements housing.OfferStore.
func (s Offers) UserLeases(ctx context.Context, userID string) ([]housing.Lease, error) {
	return collect(ctx, s.db.pool, scanLease, `SELECT `+leaseColumns+` FROM leases WHERE user_id = $1 ORDER BY created_at DESC LIMIT 50`, userID)
}
