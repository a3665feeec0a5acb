package allowance_test

import (
	"context"
	"testing"
	"time"

	"github.com/anju-city/anju/internal/app"
	"github.com/anju-city/anju/internal/postgres"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/allowance"
	"github.com/anju-city/anju/internal/talent/policy"
	"github.com/anju-city/anju/internal/testenv"
)

type bundle struct {
	db    *postgres.DB
	app   *app.App
	clock *testenv.Clock
	svc   *allowance.Service
	grad  talent.User
	hr    talent.User
}

// setup gives the claims service on a fresh database with a graduate whose
// employment HR confirmed, social insurance paid since 2026-01.
func setup(t *testing.T) bundle {
	t.Helper()
	ctx := context.Background()
	db, a, clk := testenv.App(t, nil, nil)
	var err error
	svc, ts := a.Allowance, a.Account

	emp := talent.Employer{ID: talent.NewID(), Name: "慈溪智造", CreditCode: "91330282MA2H3B8K4N", CreatedAt: clk.T}
	if err := db.Employers().CreateEmployer(ctx, emp); err != nil {
		t.Fatal(err)
	}
	grad, _ := db.Users().SignIn(ctx, "grad", false)
	hr, _ := db.Users().SignIn(ctx, "hr", false)
	if hr, err = db.Users().GrantRole(ctx, hr.ID, talent.RoleGrant{Role: talent.RoleHR, EmployerID: emp.ID}, ""); err != nil {
		t.Fatal(err)
	}
	_, err = ts.UpdateProfile(ctx, grad, talent.ProfileInput{Name: "李明", NationalID: "330282199806150423", HukouPlace: "江西省南昌市",
		Education: []talent.Education{{Level: talent.LevelMaster, Institution: "南昌大学", FullTime: true,
			GraduationDate: time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)}},
		Employer: &talent.EmployerDeclaration{Name: emp.Name, CreditCode: emp.CreditCode}})
	if err != nil {
		t.Fatal(err)
	}
	e, _ := db.Employments().CurrentEmployment(ctx, grad.ID)
	_, err = ts.DecideEmployment(ctx, hr, e.ID, &talent.Confirmation{
		ContractStart: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), ContractEnd: time.Date(2028, 12, 31, 0, 0, 0, 0, time.UTC),
		SocialInsuranceStart: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}, "")
	if err != nil {
		t.Fatal(err)
	}
	return bundle{db: db, app: a, clock: clk, svc: svc, grad: grad, hr: hr}
}

// claim stores a claim of the graduate in a status with the given payments.
func (b bundle) claim(t *testing.T, status allowance.ClaimStatus, due *time.Time, payments ...allowance.Payment) allowance.Claim {
	t.Helper()
	return b.claimOf(t, b.grad.ID, status, due, payments...)
}

// claimOf stores a claim of the user in a status with the given payments,
// under the identity on their profile and of the first package they have
// not claimed yet: one claim of a package per person.
func (b bundle) claimOf(t *testing.T, userID string, status allowance.ClaimStatus, due *time.Time, payments ...allowance.Payment) allowance.Claim {
	t.Helper()
	ctx := context.Background()
	c := b.newClaim(t, userID)
	c.Status, c.Stage, c.DueAt = status, allowance.StageReview, due
	if err := b.db.Claims().CreateClaim(ctx, c); err != nil {
		t.Fatal(err)
	}
	for i := range payments {
		payments[i].ID, payments[i].ClaimID, payments[i].UserID, payments[i].Seq = talent.NewID(), c.ID, userID, i+1
		payments[i].UpdatedAt = b.clock.T
	}
	_, err := b.db.Claims().UpdateClaim(ctx, c.ID, func(*allowance.Claim) (allowance.ClaimChange, error) {
		return allowance.ClaimChange{Touched: true, Payments: payments}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// newClaim is a claim of the user, not stored, under the identity on
// their profile and of the first package they have not claimed: one claim
// of a package per person holds in the database.
func (b bundle) newClaim(t *testing.T, userID string) allowance.Claim {
	t.Helper()
	ctx := context.Background()
	rec, err := b.db.Profiles().Profile(ctx, userID)
	if err != nil {
		t.Fatal(err)
	}
	for _, pkg := range []policy.ID{policy.Relocation, policy.Rent, policy.Living} {
		var n int
		if err := b.db.Pool().QueryRow(ctx, `SELECT count(*) FROM claims WHERE user_id = $1 AND package = $2`, userID, pkg).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return allowance.Claim{ID: talent.NewID(), UserID: userID, PersonIndex: rec.NationalIDIndex, Package: pkg,
				PolicyVersion: 1, CreatedAt: b.clock.T, UpdatedAt: b.clock.T}
		}
	}
	t.Fatalf("user %s claimed every package", userID)
	return allowance.Claim{}
}

func (b bundle) payments(t *testing.T, claimID string) map[int]allowance.PaymentStatus {
	t.Helper()
	list, err := b.db.Payments().Payments(context.Background(), claimID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int]allowance.PaymentStatus{}
	for _, p := range list {
		out[p.GateMonths] = p.Status
	}
	return out
}

// Payments falling due are re-checked: one whose social-insurance gate is
// met is released, one that is not is held with notice, and a claim held
// past the grace period is suspended.
func TestReleasePaymentsChecksContinuingEligibility(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	today := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	c := b.claim(t, allowance.ClaimActive, nil,
		allowance.Payment{Kind: "instalment", Amount: 500000, GateMonths: 6, DueOn: today, Status: allowance.PaymentScheduled},
		allowance.Payment{Kind: "instalment", Amount: 500000, GateMonths: 12, DueOn: today, Status: allowance.PaymentScheduled},
		allowance.Payment{Kind: "instalment", Amount: 500000, GateMonths: 18, DueOn: today.AddDate(0, 6, 0), Status: allowance.PaymentScheduled},
	)
	if err := b.svc.ReleasePayments(ctx); err != nil {
		t.Fatal(err)
	}
	// Paid since January: 10 whole months by 25 November.
	got := b.payments(t, c.ID)
	if got[6] != allowance.PaymentDue || got[12] != allowance.PaymentHeld || got[18] != allowance.PaymentScheduled {
		t.Fatalf("after the first check: %v", got)
	}
	// The notice is queued with the change (the worker sends it).
	var held int
	_ = b.db.Pool().QueryRow(ctx, `SELECT count(*) FROM outbox WHERE payload->>'template' = 'payment.held'`).Scan(&held)
	if held != 1 {
		t.Fatalf("%d held notices queued", held)
	}
	// Still failing after the grace period: the claim is suspended.
	b.clock.T = b.clock.T.Add(allowance.HoldGrace + time.Hour)
	// Another job (11 months now) would still fail the 12-month gate.
	if err := b.svc.ReleasePayments(ctx); err != nil {
		t.Fatal(err)
	}
	after, _ := b.db.Claims().Claim(ctx, c.ID)
	got = b.payments(t, c.ID)
	if after.Status != allowance.ClaimSuspended || got[12] != allowance.PaymentSuspended || got[18] != allowance.PaymentSuspended || got[6] != allowance.PaymentSuspended {
		t.Fatalf("after the grace period: %s %v", after.Status, got)
	}
	audit, _ := b.db.Claims().ClaimAudit(ctx, c.ID)
	if len(audit) != 1 || audit[0].Event != allowance.EventSuspend || audit[0].ActorID != "system" {
		t.Fatalf("audit: %+v", audit)
	}
}

// Overdue claims alert the staff responsible once and count as a breach.
func TestEscalateOnce(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	reviewer, _ := b.db.Users().SignIn(ctx, "reviewer", false)
	if _, err := b.db.Users().GrantRole(ctx, reviewer.ID, talent.RoleGrant{Role: talent.RoleReviewer}, ""); err != nil {
		t.Fatal(err)
	}
	past := b.clock.T.Add(-time.Hour)
	future := b.clock.T.Add(time.Hour)
	late := b.claim(t, allowance.ClaimUnderReview, &past)
	onTime := b.claim(t, allowance.ClaimUnderReview, &future)
	for range 2 {
		if err := b.svc.Escalate(ctx); err != nil {
			t.Fatal(err)
		}
	}
	list, _, _ := b.db.Inbox().Notifications(ctx, reviewer.ID, talent.Page{})
	if len(list) != 1 || list[0].Template != "claim.overdue" || list[0].Data["link"] != "anju://review/claims/"+late.ID {
		t.Fatalf("reviewer's inbox: %+v", list)
	}
	got, _ := b.db.Claims().Claim(ctx, late.ID)
	other, _ := b.db.Claims().Claim(ctx, onTime.ID)
	if got.EscalatedAt == nil || got.Breaches != 1 || other.EscalatedAt != nil {
		t.Fatalf("escalation flags: %+v / %+v", got, other)
	}
}

// A rent subsidy is exclusive with a talent-apartment lease: a lease taken
// up after the decision holds the next payment.
func TestPaymentHeldWhileHoldingALease(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	today := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	rec, _ := b.db.Profiles().Profile(ctx, b.grad.ID)
	c := allowance.Claim{ID: talent.NewID(), UserID: b.grad.ID, PersonIndex: rec.NationalIDIndex, Package: policy.Rent,
		PolicyVersion: 1, Status: allowance.ClaimActive, CreatedAt: b.clock.T, UpdatedAt: b.clock.T}
	if err := b.db.Claims().CreateClaim(ctx, c); err != nil {
		t.Fatal(err)
	}
	pay := func() allowance.Payment {
		return allowance.Payment{ID: talent.NewID(), ClaimID: c.ID, UserID: b.grad.ID, Kind: "monthly", Amount: 80000,
			DueOn: today, Status: allowance.PaymentScheduled, UpdatedAt: b.clock.T}
	}
	first, second := pay(), pay()
	first.Seq, second.Seq = 1, 2
	if _, err := b.db.Claims().UpdateClaim(ctx, c.ID, func(*allowance.Claim) (allowance.ClaimChange, error) {
		return allowance.ClaimChange{Touched: true, Payments: []allowance.Payment{first}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := b.svc.ReleasePayments(ctx); err != nil {
		t.Fatal(err)
	}
	if got := b.payments(t, c.ID); got[0] != allowance.PaymentDue {
		t.Fatalf("without a lease: %v", got)
	}
	// The graduate takes up a talent apartment.
	ids := map[string]string{"round": talent.NewID(), "property": talent.NewID(), "unit": talent.NewID(), "app": talent.NewID(), "offer": talent.NewID()}
	for _, q := range []string{
		`INSERT INTO rounds (id, name, opens_at, closes_at, policy_version, status, commitment, seed_sealed, created_by, created_at)
			VALUES ('` + ids["round"] + `', 'r', now(), now() + interval '1 day', 1, 'drawn', 'c', 's', '` + b.grad.ID + `', now())`,
		`INSERT INTO properties (id, name, district, address, created_at, updated_at) VALUES ('` + ids["property"] + `', 'p', 'd', 'a', now(), now())`,
		`INSERT INTO units (id, property_id, number, layout, area_dm2, floor, market_rent, status, created_at, updated_at)
			VALUES ('` + ids["unit"] + `', '` + ids["property"] + `', '1', 'studio', 3000, 1, 100000, 'let', now(), now())`,
		`INSERT INTO applications (id, round_id, user_id, person_index, preferences, household_size, status, active, decision, created_at, updated_at)
			VALUES ('` + ids["app"] + `', '` + ids["round"] + `', '` + b.grad.ID + `', 'x', '[]', 1, 'allocated', false, '{}', now(), now())`,
		`INSERT INTO offers (id, round_id, application_id, user_id, unit_id, status, source, created_by, expires_at, created_at)
			VALUES ('` + ids["offer"] + `', '` + ids["round"] + `', '` + ids["app"] + `', '` + b.grad.ID + `', '` + ids["unit"] + `', 'accepted', 'draw', 'system', now(), now())`,
		`INSERT INTO leases (id, offer_id, user_id, unit_id, starts_on, ends_on, rent_schedule, status, created_at)
			VALUES ('` + talent.NewID() + `', '` + ids["offer"] + `', '` + b.grad.ID + `', '` + ids["unit"] + `', '2026-11-26', '2027-11-25', '[]', 'active', now())`,
	} {
		if _, err := b.db.Pool().Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if _, err := b.db.Claims().UpdateClaim(ctx, c.ID, func(*allowance.Claim) (allowance.ClaimChange, error) {
		return allowance.ClaimChange{Touched: true, Payments: []allowance.Payment{second}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := b.svc.ReleasePayments(ctx); err != nil {
		t.Fatal(err)
	}
	list, _ := b.db.Payments().Payments(ctx, c.ID)
	if len(list) != 2 || list[1].Status != allowance.PaymentHeld {
		t.Fatalf("with a lease the rent subsidy must be held: %+v", list)
	}
}

// A backlog of held payments larger than a page never starves a payment
// falling due today: the job pages through everything and takes new due
// payments first.
func TestReleasePaymentsHeldBacklogDoesNotStarveNewOnes(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	today := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	// Due today and its gate met (10 months paid, 6 needed): released.
	c := b.claim(t, allowance.ClaimActive, nil,
		allowance.Payment{Kind: "instalment", Amount: 500000, GateMonths: 6, DueOn: today, Status: allowance.PaymentScheduled})
	// Older payments of the same claim, held because their 24-month gate
	// is not met, more than a page of them and due before the new one.
	backlog := talent.SweepPage*2 + 100
	if _, err := b.db.Pool().Exec(ctx, `INSERT INTO payments (id, claim_id, user_id, seq, kind, amount, gate_months, due_on, status, held_since, updated_at)
		SELECT gen_random_uuid(), $1, $2, 100 + i, 'instalment', 1000, 24, $3::date - 30, 'held', $3::date, now()
		FROM generate_series(1, $4) AS i`, c.ID, b.grad.ID, today, backlog); err != nil {
		t.Fatal(err)
	}
	if err := b.svc.ReleasePayments(ctx); err != nil {
		t.Fatal(err)
	}
	if got := b.payments(t, c.ID); got[6] != allowance.PaymentDue {
		t.Fatalf("the payment due today was starved by %d held ones: %v", backlog, got[6])
	}
	var held int
	_ = b.db.Pool().QueryRow(ctx, `SELECT count(*) FROM payments WHERE claim_id = $1 AND status = 'held'`, c.ID).Scan(&held)
	if held != backlog {
		t.Fatalf("%d held payments, want the %d of the backlog still held", held, backlog)
	}
}

// A payment that cannot be processed is skipped and counted; the payments
// after it are still released.
func TestReleasePaymentsPassesOverAFailingPayment(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	today := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	var list []allowance.Payment
	for range 3 {
		list = append(list, allowance.Payment{Kind: "instalment", Amount: 500000, GateMonths: 6, DueOn: today, Status: allowance.PaymentScheduled})
	}
	c := b.claim(t, allowance.ClaimActive, nil, list...)
	all, _ := b.db.Payments().Payments(ctx, c.ID)
	bad := all[0].ID
	for _, q := range []string{
		`CREATE OR REPLACE FUNCTION anju_test_bad_row() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN RAISE EXCEPTION 'this row cannot be processed'; END $$`,
		`CREATE TRIGGER bad_row BEFORE UPDATE ON payments FOR EACH ROW WHEN (OLD.id = '` + bad + `') EXECUTE FUNCTION anju_test_bad_row()`,
	} {
		if _, err := b.db.Pool().Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	err := b.svc.ReleasePayments(ctx)
	if s, ok := talent.AsSweepError(err); !ok || s.Failed != 1 || s.Done != 2 {
		t.Fatalf("ReleasePayments: %v; want one row failed, two done", err)
	}
	after, _ := b.db.Payments().Payments(ctx, c.ID)
	for _, p := range after {
		want := allowance.PaymentDue
		if p.ID == bad {
			want = allowance.PaymentScheduled
		}
		if p.Status != want {
			t.Errorf("payment %d: %s, want %s", p.Seq, p.Status, want)
		}
	}
}
