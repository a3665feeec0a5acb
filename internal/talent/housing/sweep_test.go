package housing_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/anju-city/anju/internal/postgres"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/housing"
	"github.com/anju-city/anju/internal/testenv"
)

// failRow makes every update of one row of a table fail in PostgreSQL, as a
// row a job cannot process would: the job must skip it and go on.
func failRow(t *testing.T, db *postgres.DB, table, id string) {
	t.Helper()
	ctx := context.Background()
	for _, q := range []string{
		`CREATE OR REPLACE FUNCTION anju_test_bad_row() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN RAISE EXCEPTION 'this row cannot be processed'; END $$`,
		fmt.Sprintf(`CREATE TRIGGER bad_row BEFORE UPDATE ON %s FOR EACH ROW WHEN (OLD.id = '%s') EXECUTE FUNCTION anju_test_bad_row()`, table, id),
	} {
		if _, err := db.Pool().Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
}

// housingRows creates a staff member, a property with n units and a round
// in the given status that ends before now, with one application per unit.
func housingRows(t *testing.T, db *postgres.DB, now time.Time, status string, n int) (round string, units, apps, users []string) {
	t.Helper()
	ctx := context.Background()
	staff, _ := db.Users().SignIn(ctx, "staff-"+talent.NewID(), false)
	round, property := talent.NewID(), talent.NewID()
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.Pool().Exec(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`INSERT INTO rounds (id, name, opens_at, closes_at, policy_version, status, commitment, seed_sealed, created_by, created_at)
		VALUES ($1, 'r', $2, $3, 1, $4, 'c', 's', $5, $2)`, round, now.Add(-48*time.Hour), now.Add(-time.Hour), status, staff.ID)
	exec(`INSERT INTO properties (id, name, district, address, created_at, updated_at) VALUES ($1::uuid, $1::text, 'd', 'a', now(), now())`, property)
	for i := range n {
		u, _ := db.Users().SignIn(ctx, "grad-"+talent.NewID(), false)
		unit, app := talent.NewID(), talent.NewID()
		exec(`INSERT INTO units (id, property_id, number, layout, area_dm2, floor, market_rent, status, created_at, updated_at)
			VALUES ($1, $2, $3, 'studio', 3000, 1, 100000, 'offered', now(), now())`, unit, property, fmt.Sprint(100+i))
		exec(`INSERT INTO round_units (round_id, unit_id) VALUES ($1, $2)`, round, unit)
		exec(`INSERT INTO applications (id, round_id, user_id, person_index, preferences, household_size, status, active, decision, created_at, updated_at)
			VALUES ($1, $2, $3, $4, '[]', 1, 'allocated', true, '{}', now(), now())`, app, round, u.ID, "p-"+app)
		units, apps, users = append(units, unit), append(apps, app), append(users, u.ID)
	}
	return round, units, apps, users
}

// TestExpireOffersPassesOverAFailingOffer: an offer that cannot be expired is
// skipped and counted; the offers after it still lapse.
func TestExpireOffersPassesOverAFailingOffer(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, a, clk := testenv.App(t, nil, nil)
	round, units, apps, users := housingRows(t, db, clk.T, "drawn", 3)
	var offers []string
	for i := range units {
		id := talent.NewID()
		// The first offer expired first: the old job stopped there.
		if _, err := db.Pool().Exec(ctx, `INSERT INTO offers (id, round_id, application_id, user_id, unit_id, status, source, created_by, expires_at, created_at)
			VALUES ($1, $2, $3, $4, $5, 'pending', 'draw', 'system', $6, $7)`, id, round, apps[i], users[i], units[i],
			clk.T.Add(-time.Duration(3-i)*time.Hour), clk.T.Add(-72*time.Hour)); err != nil {
			t.Fatal(err)
		}
		offers = append(offers, id)
	}
	failRow(t, db, "offers", offers[0])

	err := a.Rounds.ExpireOffers(ctx)
	sweep, ok := talent.AsSweepError(err)
	if !ok || sweep.Failed != 1 || sweep.Done != 2 {
		t.Fatalf("ExpireOffers: %v; want one row failed and two done", err)
	}
	for i, id := range offers {
		o, err := db.Offers().Offer(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		want := housing.OfferExpired
		if i == 0 {
			want = housing.OfferPending
		}
		if o.Status != want {
			t.Errorf("offer %d: %s, want %s", i, o.Status, want)
		}
	}
}

// TestCloseRoundsPassesOverAFailingRound: a round that cannot be closed is
// skipped and counted; the rounds after it still close.
func TestCloseRoundsPassesOverAFailingRound(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, a, clk := testenv.App(t, nil, nil)
	var rounds []string
	for range 3 {
		r, _, _, _ := housingRows(t, db, clk.T, "open", 1)
		rounds = append(rounds, r)
	}
	// Whichever order the job reads them in, the failing round is met:
	// the old job stopped at the first failure.
	failRow(t, db, "rounds", rounds[0])
	err := a.Rounds.CloseDue(ctx)
	sweep, ok := talent.AsSweepError(err)
	if !ok || sweep.Failed != 1 || sweep.Done != 2 {
		t.Fatalf("CloseDue: %v; want one row failed and two done", err)
	}
	for i, id := range rounds {
		var status string
		if err := db.Pool().QueryRow(ctx, `SELECT status FROM rounds WHERE id = $1`, id).Scan(&status); err != nil {
			t.Fatal(err)
		}
		want := "closed"
		if i == 0 {
			want = "open"
		}
		if status != want {
			t.Errorf("round %d: %s, want %s", i, status, want)
		}
	}
}
