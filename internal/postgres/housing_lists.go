package postgres

import (
	"context"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/housing"
	"github.com/jackc/pgx/v5"
)

// HousingLists is housing.ApplicationListStore and housing.LeaseListStore:
// the housing officer's lists, each read in one query through an index that
// gives its order (TestListAndQueueQueriesUseIndexes).
type HousingLists struct{ db *DB }

// HousingLists returns the housing lists adapter.
func (db *DB) HousingLists() HousingLists { return HousingLists{db} }

// rankKey orders a round's applications: by their place in the draw, and
// those outside it after every place. The indexes applications_round_rank
// and applications_round_status_rank are on the same expression.
const rankKey = `coalesce(a.draw_rank, 2147483647)`

// RoundApplications implements housing.ApplicationListStore. The waitlist
// is numbered in the same query: the waitlisted applications still active
// with no offer at all (cascade offers a returned unit to none other), in
// the draw's order.
func (s HousingLists) RoundApplications(ctx context.Context, roundID string, status housing.ApplicationStatus, p talent.Page) ([]housing.ListedApplication, string, error) {
	at, after, err := decodeRankCursor(p.Cursor)
	if err != nil {
		return nil, "", err
	}
	n := limit(p)
	list, err := collect(ctx, s.db.pool, scanListedApplication, `
		WITH waiting AS (
			SELECT b.id, row_number() OVER (ORDER BY coalesce(b.draw_rank, 2147483647), b.id) AS place
			FROM applications b
			WHERE b.round_id = $1 AND b.status = 'waitlisted' AND b.active
				AND NOT EXISTS (SELECT 1 FROM offers x WHERE x.application_id = b.id)
		)
		SELECT `+prefixed("a.", applicationColumns)+`, coalesce(pr.name, ''), `+prefixed("o.", offerColumns)+`,
			l.id, u.number, w.place
		FROM applications a
		LEFT JOIN profiles pr ON pr.user_id = a.user_id
		LEFT JOIN LATERAL (SELECT `+offerColumns+` FROM offers x WHERE x.application_id = a.id ORDER BY x.created_at DESC LIMIT 1) o ON true
		LEFT JOIN leases l ON l.offer_id = o.id
		LEFT JOIN units u ON u.id = coalesce(o.unit_id, nullif(a.declarations ->> 'unitId', '')::uuid)
		LEFT JOIN waiting w ON w.id = a.id
		WHERE a.round_id = $1 AND ($2 = '' OR a.status = $2)
			AND (`+rankKey+`, a.id) > ($3::int, $4::uuid)
		ORDER BY `+rankKey+`, a.id LIMIT $5`,
		roundID, string(status), at, after, n+1)
	if err != nil {
		return nil, "", err
	}
	if len(list) <= n {
		return list, "", nil
	}
	list = list[:n]
	last := list[n-1].Application
	key := int32(2147483647)
	if last.Rank > 0 {
		key = int32(last.Rank)
	}
	return list, encodeRankCursor(key, last.ID), nil
}

func scanListedApplication(r pgx.Row) (housing.ListedApplication, error) {
	var x housing.ListedApplication
	var decl applicationDeclarations
	var decision []byte
	// The offer's columns are NULL when it has none.
	var o struct {
		id, roundID, applicationID, userID, unitID, status, source, reason, createdBy *string
		expiresAt, remindedAt, createdAt, decidedAt                                   *time.Time
	}
	var leaseID, unitNumber *string
	var place *int
	fields := append(applicationFields(&x.Application, &decl, &decision), &x.Name,
		&o.id, &o.roundID, &o.applicationID, &o.userID, &o.unitID, &o.status, &o.source, &o.reason, &o.createdBy,
		&o.expiresAt, &o.remindedAt, &o.createdAt, &o.decidedAt, &leaseID, &unitNumber, &place)
	if err := r.Scan(fields...); err != nil {
		return x, err
	}
	if o.id != nil {
		x.Offer = &housing.Offer{ID: *o.id, RoundID: *o.roundID, ApplicationID: *o.applicationID, UserID: *o.userID,
			UnitID: *o.unitID, Status: housing.OfferStatus(*o.status), Source: *o.source, Reason: *o.reason,
			CreatedBy: *o.createdBy, ExpiresAt: *o.expiresAt, RemindedAt: o.remindedAt, CreatedAt: *o.createdAt, DecidedAt: o.decidedAt}
	}
	if leaseID != nil {
		x.LeaseID = *leaseID
	}
	if unitNumber != nil {
		x.UnitNumber = *unitNumber
	}
	if place != nil {
		x.WaitlistPlace = *place
	}
	return x, decodeApplication(&x.Application, decl, decision)
}

// StaffLeases implements housing.LeaseListStore. A name matches the start
// of the profile's name (an index of text_pattern_ops); a national ID
// matches its blind index exactly.
func (s HousingLists) StaffLeases(ctx context.Context, f housing.LeaseFilter, p talent.Page) ([]housing.ListedLease, string, error) {
	at, after := time.Time{}, "00000000-0000-0000-0000-000000000000"
	if p.Cursor != "" {
		var err error
		if at, after, err = decodeCursor(p.Cursor); err != nil {
			return nil, "", err
		}
	}
	var property *string
	if f.PropertyID != "" {
		property = &f.PropertyID
	}
	var before *time.Time
	if !f.EndsBefore.IsZero() {
		before = &f.EndsBefore
	}
	n := limit(p)
	list, err := collect(ctx, s.db.pool, func(r pgx.Row) (housing.ListedLease, error) {
		var x housing.ListedLease
		l := &x.Lease
		err := r.Scan(&l.ID, &l.OfferID, &l.UserID, &l.UnitID, &l.StartsOn, &l.EndsOn, &l.Months, &l.RentSchedule, &l.Status,
			&l.RenewalNotifiedAt, &l.MoveOutReason, &l.MoveOutBy, &l.CheckedInAt, &l.CheckedOutAt, &l.CreatedAt,
			&x.TenantName, &x.UnitNumber, &x.PropertyID, &x.PropertyName)
		return x, err
	}, `SELECT `+prefixed("l.", leaseColumns)+`, coalesce(pr.name, ''), u.number, u.property_id, p.name
		FROM leases l
		JOIN units u ON u.id = l.unit_id
		JOIN properties p ON p.id = u.property_id
		LEFT JOIN profiles pr ON pr.user_id = l.user_id
		WHERE ($1 = '' OR l.status = $1)
			AND ($2::uuid IS NULL OR u.property_id = $2)
			AND ($3::date IS NULL OR l.ends_on < $3)
			AND ($4 = '' OR pr.name LIKE $4 || '%')
			AND ($5 = '' OR pr.national_id_index = $5)
			AND (l.ends_on, l.id) > ($6::date, $7::uuid)
		ORDER BY l.ends_on, l.id LIMIT $8`,
		string(f.Status), property, before, escapeLike(f.Name), f.PersonIndex, at, after, n+1)
	if err != nil {
		return nil, "", err
	}
	list, next := page(list, n, func(x housing.ListedLease) (time.Time, string) { return x.Lease.EndsOn, x.Lease.ID })
	return list, next, nil
}
