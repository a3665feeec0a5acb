package housing_test

import (
	"context"
	"testing"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/draw"
	"github.com/anju-city/anju/internal/talent/housing"
	"github.com/anju-city/anju/internal/talent/policy"
	"github.com/anju-city/anju/internal/testenv"
)

// eligible gives facts that pass the apartment package; the test is about
// offers, not eligibility.
type eligible struct{}

func (eligible) PersonFacts(_ context.Context, _ talent.Person, on time.Time) (policy.Facts, error) {
	return policy.Facts{
		ClaimDate: on, BirthDate: time.Date(1998, 6, 15, 0, 0, 0, 0, time.UTC),
		Education: []policy.Education{{Education: talent.Education{Level: talent.LevelBachelor, FullTime: true,
			GraduationDate: time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)}}},
		Employment:      policy.Employment{Confirmed: policy.Yes, ContractMonths: 24},
		SocialInsurance: policy.SocialInsurance{Known: true, Months: 6, Since: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)},
		Holds:           map[string]policy.Truth{"rent": policy.No, policy.BenefitApartmentLease: policy.No},
	}, nil
}

// TestWaitlistCascade drives a round on a test clock: one unit, four
// applicants; two decline in turn, the third lets the offer lapse (reminded
// a day before), the fourth accepts. Each offer goes to the next in the
// draw's order, and the unit never has two live offers.
func TestWaitlistCascade(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, a, clk := testenv.App(t, nil, nil)
	var err error
	ts, inventory := a.Account, a.Housing
	rounds := *a.Rounds
	rounds.Facts = eligible{}

	staff, _ := db.Users().SignIn(ctx, "staff", false)
	if staff, err = db.Users().GrantRole(ctx, staff.ID, talent.RoleGrant{Role: talent.RoleHousing}, ""); err != nil {
		t.Fatal(err)
	}
	p, err := inventory.CreateProperty(ctx, staff, housing.PropertyInput{Name: "一期", District: "慈溪", Address: "新城大道 1 号"})
	if err != nil {
		t.Fatal(err)
	}
	unit, err := inventory.CreateUnit(ctx, staff, p.ID, housing.UnitInput{Number: "101", Layout: housing.Studio, AreaDM2: 4000, Floor: 1, MarketRent: 150000})
	if err != nil {
		t.Fatal(err)
	}
	round, err := rounds.OpenRound(ctx, staff, "r", clk.T.Add(-time.Minute), clk.T.Add(time.Hour), []string{unit.ID})
	if err != nil {
		t.Fatal(err)
	}
	users := map[string]talent.User{} // by application id
	for i, id := range []string{"330282199806150423", "330282199903050029", "330282200107120036", "330203200002290017"} {
		u, _ := db.Users().SignIn(ctx, "grad-"+id, false)
		if _, err := ts.UpdateProfile(ctx, u, talent.ProfileInput{Name: "申请人" + string(rune('甲'+i)), NationalID: id}); err != nil {
			t.Fatal(err)
		}
		a, err := rounds.Apply(ctx, u, round.ID, housing.ApplicationInput{Preferences: []draw.Preference{{Layout: "studio"}}, HouseholdSize: 1})
		if err != nil || a.Status != housing.AppEligible {
			t.Fatalf("apply: %+v %v", a, err)
		}
		users[a.ID] = u
	}
	if _, err := rounds.CloseRound(ctx, staff, round.ID); err != nil {
		t.Fatal(err)
	}
	round, err = rounds.Draw(ctx, staff, round.ID)
	if err != nil {
		t.Fatal(err)
	}
	var order []string // application ids in the draw's order
	for _, x := range round.Record.Result {
		order = append(order, x.ApplicationID)
	}

	// liveOffer returns the unit's one live offer, failing if there are two.
	liveOffer := func() housing.Offer {
		t.Helper()
		var ids []string
		rows, _ := db.Pool().Query(ctx, `SELECT id::text FROM offers WHERE unit_id = $1 AND status IN ('pending', 'accepted')`, unit.ID)
		for rows.Next() {
			var id string
			_ = rows.Scan(&id)
			ids = append(ids, id)
		}
		rows.Close()
		if len(ids) != 1 {
			t.Fatalf("unit has %d live offers", len(ids))
		}
		o, err := db.Offers().Offer(ctx, ids[0])
		if err != nil {
			t.Fatal(err)
		}
		return o
	}

	for step, want := range order {
		o := liveOffer()
		if o.ApplicationID != want {
			t.Fatalf("step %d: offer went to %s, want %s (the draw's order)", step, o.ApplicationID, want)
		}
		switch step {
		case 0, 1:
			if _, err := rounds.Decline(ctx, users[want], o.ID); err != nil {
				t.Fatalf("decline: %v", err)
			}
		case 2:
			clk.T = o.ExpiresAt.Add(-12 * time.Hour)
			if err := rounds.ExpireOffers(ctx); err != nil {
				t.Fatal(err)
			}
			if again, _ := db.Offers().Offer(ctx, o.ID); again.Status != housing.OfferPending || again.RemindedAt == nil {
				t.Fatalf("a day before expiry: %+v", again)
			}
			clk.T = o.ExpiresAt.Add(time.Minute)
			if _, err := rounds.Accept(ctx, users[want], o.ID); talent.ErrorCode(err) != "offer_not_pending" {
				t.Fatalf("accepting a lapsed offer: %v", err)
			}
			if err := rounds.ExpireOffers(ctx); err != nil {
				t.Fatal(err)
			}
			if again, _ := db.Offers().Offer(ctx, o.ID); again.Status != housing.OfferExpired {
				t.Fatalf("after expiry: %+v", again)
			}
		case 3:
			// Recognised talent live rent-free: one officer proposes the
			// tier, a second approves it.
			var officers []talent.User
			for _, uid := range []string{"reviewer", "second-reviewer"} {
				r, _ := db.Users().SignIn(ctx, uid, false)
				r, _ = db.Users().GrantRole(ctx, r.ID, talent.RoleGrant{Role: talent.RoleReviewer}, "")
				officers = append(officers, r)
			}
			c, err := ts.ProposeTalentTier(ctx, officers[0], users[want].ID, "B", "省级人才证书 2026-0042")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := ts.DecideTalentTier(ctx, officers[0], c.ID, true, ""); !talent.HasCode(err, talent.CodeSecondApprover) {
				t.Fatalf("the proposer approving: %v", err)
			}
			if _, err := ts.DecideTalentTier(ctx, officers[1], c.ID, true, ""); err != nil {
				t.Fatal(err)
			}
			if _, err := rounds.Accept(ctx, users[want], o.ID); err != nil {
				t.Fatalf("accept: %v", err)
			}
		}
	}
	lease, err := db.Offers().LeaseOf(ctx, liveOffer().ID)
	if err != nil || lease.RentSchedule[0].MonthlyRent != 0 || lease.RentSchedule[0].Percent != 0 || lease.Months != 12 {
		t.Fatalf("lease: %+v %v", lease, err)
	}
	var reminders int
	_ = db.Pool().QueryRow(ctx, `SELECT count(*) FROM outbox WHERE payload->>'template' = 'offer.expiring'`).Scan(&reminders)
	if reminders != 1 {
		t.Fatalf("%d expiry reminders queued", reminders)
	}
}
