package allowance

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/policy"
)

var allClaimStatuses = []ClaimStatus{ClaimDraft, ClaimSubmitted, ClaimAwaitingEmployer, ClaimUnderReview, ClaimReturned,
	ClaimLapsed, ClaimApproved, ClaimRejected, ClaimWithdrawn, ClaimActive, ClaimSuspended, ClaimCompleted}

var allClaimEvents = []ClaimEvent{EventSubmit, EventWaitForEmployer, EventEmployerConfirmed, EventEvaluate, EventApprove,
	EventReject, EventReturn, EventLapse, EventReopen, EventWithdraw, EventAppeal, EventActivate, EventSuspend, EventResume,
	EventComplete}

// TestClaimStatusEventMatrix walks every status × event with the actor the
// event needs, and checks the outcome against an independent statement of
// the rules: the target status, or a conflict.
func TestClaimStatusEventMatrix(t *testing.T) {
	t.Parallel()
	want := map[ClaimStatus]map[ClaimEvent]ClaimStatus{
		ClaimDraft:            {EventSubmit: ClaimSubmitted, EventWithdraw: ClaimWithdrawn},
		ClaimSubmitted:        {EventWaitForEmployer: ClaimAwaitingEmployer, EventEvaluate: ClaimUnderReview, EventWithdraw: ClaimWithdrawn},
		ClaimAwaitingEmployer: {EventEmployerConfirmed: ClaimSubmitted, EventWithdraw: ClaimWithdrawn},
		ClaimUnderReview:      {EventApprove: ClaimApproved, EventReject: ClaimRejected, EventReturn: ClaimReturned, EventWithdraw: ClaimWithdrawn},
		ClaimReturned:         {EventSubmit: ClaimSubmitted, EventLapse: ClaimLapsed, EventWithdraw: ClaimWithdrawn},
		ClaimLapsed:           {},
		ClaimApproved:         {EventActivate: ClaimActive, EventReopen: ClaimUnderReview},
		ClaimRejected:         {EventAppeal: ClaimSubmitted},
		ClaimWithdrawn:        {},
		ClaimActive:           {EventSuspend: ClaimSuspended, EventComplete: ClaimCompleted},
		ClaimSuspended:        {EventResume: ClaimActive},
		ClaimCompleted:        {},
	}
	for ev := range claimTransitions {
		if !slices.Contains(allClaimEvents, ev) {
			t.Errorf("the table has event %s, which the test does not list", ev)
		}
	}
	graduate := talent.User{ID: "g1", Roles: []talent.RoleGrant{{Role: talent.RoleGraduate}}}
	reviewer := talent.User{ID: "r1", Roles: []talent.RoleGrant{{Role: talent.RoleReviewer}}}
	actorFor := map[actorKind]talent.User{byGraduate: graduate, bySystem: talent.System, byReviewer: reviewer, bySystemOrReviewer: reviewer}
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	for _, from := range allClaimStatuses {
		for _, ev := range allClaimEvents {
			t.Run(fmt.Sprintf("%s/%s", from, ev), func(t *testing.T) {
				c := Claim{ID: "c1", UserID: "g1", Status: from}
				audit, err := c.Apply(ev, actorFor[claimTransitions[ev].by], "a reason", now)
				to, ok := want[from][ev]
				if !ok {
					if talent.ErrorKind(err) != talent.KindConflict || c.Status != from {
						t.Fatalf("want conflict and no change, got %v, status %s", err, c.Status)
					}
					return
				}
				if err != nil || c.Status != to || audit.From != from || audit.To != to || audit.Event != ev || !audit.At.Equal(now) {
					t.Fatalf("got %v, status %s, audit %+v; want %s", err, c.Status, audit, to)
				}
			})
		}
	}
}

func TestClaimActors(t *testing.T) {
	t.Parallel()
	now := time.Now()
	other := talent.User{ID: "g2", Roles: []talent.RoleGrant{{Role: talent.RoleGraduate}}}
	finance := talent.User{ID: "f1", Roles: []talent.RoleGrant{{Role: talent.RoleFinance}}}
	hr := talent.User{ID: "h1", Roles: []talent.RoleGrant{{Role: talent.RoleHR, EmployerID: "e1"}}}
	c := Claim{ID: "c1", UserID: "g1", Status: ClaimDraft}
	if _, err := c.Apply(EventSubmit, other, "", now); talent.ErrorKind(err) != talent.KindNotFound {
		t.Fatalf("another graduate submitting: %v", err)
	}
	c.Status = ClaimUnderReview
	for _, u := range []talent.User{other, finance, hr, {ID: "g1"}} {
		if _, err := c.Apply(EventApprove, u, "", now); talent.ErrorKind(err) != talent.KindForbidden {
			t.Fatalf("%s approving: %v", u.ID, err)
		}
	}
	if _, err := c.Apply(EventEvaluate, talent.User{ID: "r1", Roles: []talent.RoleGrant{{Role: talent.RoleReviewer}}}, "", now); talent.ErrorKind(err) != talent.KindForbidden {
		t.Fatalf("a reviewer faking the worker's evaluation: %v", err)
	}
	reviewer := talent.User{ID: "r1", Roles: []talent.RoleGrant{{Role: talent.RoleReviewer}}}
	if _, err := c.Apply(EventReject, reviewer, "  ", now); talent.ErrorKind(err) != talent.KindInvalid {
		t.Fatalf("rejecting without a reason: %v", err)
	}
}

func TestClaimAppealsOnce(t *testing.T) {
	t.Parallel()
	now := time.Now()
	reviewer := talent.User{ID: "r1", Roles: []talent.RoleGrant{{Role: talent.RoleReviewer}}}
	graduate := talent.User{ID: "g1"}
	c := Claim{ID: "c1", UserID: "g1", Status: ClaimUnderReview, PolicyVersion: 3}
	steps := []struct {
		ev    ClaimEvent
		actor talent.User
	}{{EventReject, reviewer}, {EventAppeal, graduate}, {EventEvaluate, talent.System}, {EventReject, reviewer}}
	for _, s := range steps {
		if _, err := c.Apply(s.ev, s.actor, "missing diploma", now); err != nil {
			t.Fatalf("%s: %v", s.ev, err)
		}
	}
	if _, err := c.Apply(EventAppeal, graduate, "", now); talent.ErrorCode(err) != "claim_already_appealed" {
		t.Fatalf("second appeal: %v", err)
	}
	if c.PolicyVersion != 3 {
		t.Fatal("an appeal changed the policy version")
	}
}

func TestNobodyDecidesTheirOwnClaim(t *testing.T) {
	t.Parallel()
	reviewer := talent.User{ID: "r1", Roles: []talent.RoleGrant{{Role: talent.RoleReviewer}}}
	c := Claim{ID: "c1", UserID: "r1", Status: ClaimUnderReview}
	if _, err := c.Apply(EventApprove, reviewer, "", time.Now()); talent.ErrorCode(err) != "own_claim" {
		t.Fatalf("a reviewer approving their own claim: %v", err)
	}
}

// Only instalments the decision saw met are due at approval; the others
// wait for the release job, which checks their social-insurance months.
func TestScheduleReleasesOnlyCheckedInstalments(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)
	c := Claim{ID: "c1", UserID: "u1", Decision: &policy.Decision{Entitlement: policy.Entitlement{
		Kind: policy.BenefitInstalments, Total: 3000000,
		Instalments: []policy.InstalmentDue{
			{AfterMonths: 6, Percent: 50, Amount: 1500000, Met: true},
			{AfterMonths: 12, Percent: 50, Amount: 1500000, Met: false, From: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)},
		},
	}}}
	got := schedule(&c, now)
	if len(got) != 2 || got[0].Status != PaymentDue || got[1].Status != PaymentScheduled || got[1].GateMonths != 12 {
		t.Fatalf("schedule: %+v", got)
	}
}
