package allowance

import (
	"context"
	"slices"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/policy"
)

// HoldGrace is how long a payment may be held for failing the continuing
// eligibility check before the claim is suspended: the graduate is told
// first and has this long to put things right (e.g. a new job in the city).
const HoldGrace = 30 * 24 * time.Hour

// PaymentStatus is where one scheduled payment stands.
type PaymentStatus string

// Payment statuses.
const (
	PaymentScheduled PaymentStatus = "scheduled" // not due yet
	PaymentHeld      PaymentStatus = "held"      // due, but the continuing check failed; graduate told
	PaymentDue       PaymentStatus = "due"       // checked and ready for finance's next batch
	PaymentBatched   PaymentStatus = "batched"   // in a batch for the bank
	PaymentPaid      PaymentStatus = "paid"      // the bank paid it
	PaymentFailed    PaymentStatus = "failed"    // the bank refused it (e.g. a closed account); still owed
	PaymentSuspended PaymentStatus = "suspended" // the claim was suspended
)

// PaymentEvent is something that happens to a payment.
type PaymentEvent string

// Payment events.
const (
	PaymentRelease PaymentEvent = "release" // the continuing check passed on the due date
	PaymentHold    PaymentEvent = "hold"    // the continuing check failed; the graduate is told
	// PaymentBatch: finance put it in a batch for the bank; a failed one
	// only once the graduate corrected the account.
	PaymentBatch   PaymentEvent = "batch"
	PaymentUnbatch PaymentEvent = "unbatch" // its batch was rejected before it went to the bank
	PaymentPay     PaymentEvent = "pay"     // the bank paid it (also after an earlier failure)
	PaymentFail    PaymentEvent = "fail"    // the bank refused it
	PaymentSuspend PaymentEvent = "suspend" // its claim was suspended
)

// PaymentTransitions is the payment state machine.
var PaymentTransitions = talent.Transitions[PaymentStatus, PaymentEvent]{
	PaymentRelease: {From: []PaymentStatus{PaymentScheduled, PaymentHeld}, To: PaymentDue},
	PaymentHold:    {From: []PaymentStatus{PaymentScheduled}, To: PaymentHeld},
	PaymentBatch:   {From: []PaymentStatus{PaymentDue, PaymentFailed}, To: PaymentBatched},
	PaymentUnbatch: {From: []PaymentStatus{PaymentBatched}, To: PaymentDue},
	PaymentPay:     {From: []PaymentStatus{PaymentBatched, PaymentFailed}, To: PaymentPaid},
	PaymentFail:    {From: []PaymentStatus{PaymentBatched}, To: PaymentFailed},
	PaymentSuspend: {From: []PaymentStatus{PaymentScheduled, PaymentHeld, PaymentDue}, To: PaymentSuspended},
}

// Payment is one amount of a claim's schedule, in fen.
type Payment struct {
	ID            string
	ClaimID       string
	UserID        string
	Seq           int
	Kind          string // instalment | monthly
	Amount        int64
	GateMonths    int // consecutive social-insurance months that release an instalment
	DueOn         time.Time
	Status        PaymentStatus
	HeldSince     *time.Time
	BatchID       string // the batch it was last put in
	PaidAt        *time.Time
	FailedAt      *time.Time // when the bank last refused it
	FailureReason string
	UpdatedAt     time.Time
}

// schedule turns an approved claim's entitlement into payments: instalments
// fall due when their social-insurance gate is met; a monthly benefit pays
// on the first of each month from the next month, at most Months times.
func schedule(c *Claim, now time.Time) []Payment {
	if c.Decision == nil {
		return nil
	}
	e := c.Decision.Entitlement
	today := policy.Civil(now)
	var out []Payment
	add := func(kind string, amount int64, gate int, due time.Time, checked bool) {
		// What the decision itself checked and is due on the day of approval
		// is due at once; everything else goes through the release job.
		status := PaymentScheduled
		if checked && !due.After(today) {
			status = PaymentDue
		}
		out = append(out, Payment{ID: talent.NewID(), ClaimID: c.ID, UserID: c.UserID, Seq: len(out) + 1, Kind: kind,
			Amount: amount, GateMonths: gate, DueOn: due, Status: status, UpdatedAt: now})
	}
	switch e.Kind {
	case policy.BenefitInstalments:
		for _, in := range e.Instalments {
			due := in.From
			if in.Met || due.IsZero() || due.Before(today) {
				due = today
			}
			// Only an instalment whose gate the decision saw met is due now;
			// the others wait for the release job to check their months.
			add("instalment", in.Amount, in.AfterMonths, due, in.Met)
		}
	case policy.BenefitMonthly:
		first := policy.AddMonths(firstOfMonth(today), 1)
		for i := range e.Months {
			add("monthly", e.Monthly, 0, policy.AddMonths(first, i), false)
		}
	}
	return out
}

// ReleasePayments is the periodic continuing-eligibility check: each
// payment falling due is released to finance if the graduate still works in
// the city (and, for an instalment, has the social-insurance months it
// needs); otherwise it is held and the graduate told, and a claim held
// longer than HoldGrace is suspended.
func (s *Service) ReleasePayments(ctx context.Context) error {
	now := s.now()
	today := policy.Civil(now)
	// New due payments first, then the held ones re-checked: a held backlog
	// never delays a payment falling due today.
	var errs []error
	for _, status := range []PaymentStatus{PaymentScheduled, PaymentHeld} {
		err := talent.Sweep(ctx, "payments:release",
			func(ctx context.Context, after *Payment) ([]Payment, error) {
				return s.PaymentStore.PaymentsFallingDue(ctx, today, status, after)
			},
			func(p Payment) string { return p.ID },
			func(ctx context.Context, p Payment) error { return s.release(ctx, p, now) })
		if err != nil {
			errs = append(errs, err)
		}
	}
	return talent.JoinSweeps(errs...)
}

func (s *Service) release(ctx context.Context, p Payment, now time.Time) error {
	ok, err := s.stillEligible(ctx, p, now)
	if err != nil {
		return err
	}
	today := policy.Civil(now)
	if !ok && p.HeldSince != nil && now.Sub(*p.HeldSince) >= HoldGrace {
		_, err := s.ClaimStore.UpdateClaim(ctx, p.ClaimID, func(c *Claim) (ClaimChange, error) {
			if c.Status != ClaimActive {
				return ClaimChange{}, nil
			}
			change, err := s.transition(c, EventSuspend, talent.System, "continuing eligibility failed for "+HoldGrace.String(), now, StageNone, false)
			change.SuspendPayments = err == nil
			return change, err
		})
		return err
	}
	return s.PaymentStore.UpdatePayment(ctx, p.ID, func(p *Payment) ([]talent.Task, error) {
		switch {
		case !PaymentTransitions.Allows(p.Status, PaymentRelease):
			return nil, nil // released, batched or suspended since the list was read
		case ok:
			p.Status, _ = PaymentTransitions.Next(p.Status, PaymentRelease)
			p.HeldSince, p.UpdatedAt = nil, now
			return nil, nil
		case PaymentTransitions.Allows(p.Status, PaymentHold):
			p.Status, _ = PaymentTransitions.Next(p.Status, PaymentHold)
			p.HeldSince, p.UpdatedAt = &today, now
			return []talent.Task{talent.NotifyRequest{
				UserID: p.UserID, EventID: "payment.held:" + p.ID, Template: "payment.held",
				Link: "anju://claims/" + p.ClaimID,
			}}, nil
		}
		return nil, nil // held already; the graduate was told
	})
}

// stillEligible re-checks employment (and social insurance for an
// instalment) on the day a payment falls due.
func (s *Service) stillEligible(ctx context.Context, p Payment, now time.Time) (bool, error) {
	emp, err := s.Employments.CurrentEmployment(ctx, p.UserID)
	if talent.ErrorKind(err) == talent.KindNotFound {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	today := policy.Civil(now)
	if emp.Status != talent.EmploymentConfirmed || emp.ContractEnd.Before(today) {
		return false, nil
	}
	if p.GateMonths > 0 && wholeMonths(*emp.SocialInsuranceStart, firstOfMonth(today)) < p.GateMonths {
		return false, nil
	}
	return s.stillExclusive(ctx, p)
}

// stillExclusive re-checks, at each payment, the benefits the claim's
// package may not be combined with (a rent subsidy while holding a
// talent-apartment lease, say): they may have been taken up since the decision.
func (s *Service) stillExclusive(ctx context.Context, p Payment) (bool, error) {
	c, err := s.ClaimStore.Claim(ctx, p.ClaimID)
	if err != nil {
		return false, err
	}
	pkg, err := s.Catalog.Package(ctx, c.Package, c.PolicyVersion)
	if err != nil {
		return false, err
	}
	if len(pkg.ExclusiveWith) == 0 {
		return true, nil
	}
	facts, _, _, err := s.profileFacts(ctx, p.UserID, s.now())
	if err != nil {
		return false, err
	}
	if slices.Contains(pkg.ExclusiveWith, policy.BenefitPublicRentalHousing) && c.Declarations.PublicRentalHousing {
		return false, nil
	}
	for _, other := range pkg.ExclusiveWith {
		if other == string(c.Package) {
			continue
		}
		if facts.Holds[other] == policy.Yes {
			return false, nil
		}
	}
	return true, nil
}

// Reconciliation is the money of approved claims, which must add up:
// Approved = Paid + Scheduled + Suspended (fen), where Scheduled is
// everything still owed (scheduled, held, due, batched or failed). Of the
// paid money, ClawbackOwed is reclaimed from graduates who left early and
// not repaid yet, and ClawedBack was repaid.
type Reconciliation struct {
	Approved, Paid, Scheduled, Suspended int64
	ClawbackOwed, ClawedBack             int64
}

// Balanced reports whether the totals add up and no more is reclaimed than was paid.
func (r Reconciliation) Balanced() bool {
	return r.Approved == r.Paid+r.Scheduled+r.Suspended && r.ClawbackOwed+r.ClawedBack <= r.Paid
}

// Reconcile totals the money of approved claims and their clawbacks (finance).
func (s *Service) Reconcile(ctx context.Context, actor talent.User) (Reconciliation, error) {
	if err := actor.Require(talent.RoleFinance); err != nil {
		return Reconciliation{}, err
	}
	return s.PaymentStore.Reconcile(ctx)
}

// Delivery reports, per package, how many claims submitted in [from, to)
// were decided and paid, how fast (median and 90th percentile from
// submission) and how many went past a deadline (the office, finance and
// admins: counts only, nobody named).
func (s *Service) Delivery(ctx context.Context, actor talent.User, from, to time.Time) ([]DeliveryStats, error) {
	if err := actor.Require(append(talent.ReviewRoles, talent.RoleFinance, talent.RoleAdmin)...); err != nil {
		return nil, err
	}
	if !to.After(from) {
		return nil, talent.Field("to", talent.CodeRange)
	}
	return s.ClaimStore.Delivery(ctx, from, to)
}
