package housing

import (
	"context"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/policy"
)

// UserApplication is an application with its round.
type UserApplication struct {
	Application Application
	Round       Round
}

// Mine is a graduate's housing: applications, offers and leases, each with
// what comes next and by when.
type Mine struct {
	Applications []MyApplication
	Offers       []MyOffer
	Leases       []MyLease
}

// MyApplication is one of the graduate's applications.
type MyApplication struct {
	Application Application
	RoundName   string
	Next        talent.Step
}

// MyOffer is one of the graduate's offers.
type MyOffer struct {
	Offer Offer
	Next  talent.Step
}

// MyLease is one of the graduate's leases.
type MyLease struct {
	Lease Lease
	Next  talent.Step
}

// Mine lists the caller's applications, offers and leases, newest first.
func (s *Rounds) Mine(ctx context.Context, actor talent.User) (Mine, error) {
	apps, err := s.RoundStore.ApplicationsOf(ctx, actor.ID)
	if err != nil {
		return Mine{}, err
	}
	offers, err := s.OfferStore.OffersOf(ctx, actor.ID)
	if err != nil {
		return Mine{}, err
	}
	leases, err := s.OfferStore.UserLeases(ctx, actor.ID)
	if err != nil {
		return Mine{}, err
	}
	now := s.now()
	var m Mine
	for _, x := range apps {
		m.Applications = append(m.Applications, MyApplication{Application: x.Application, RoundName: x.Round.Name,
			Next: applicationStep(x.Application, x.Round, now)})
	}
	for _, o := range offers {
		m.Offers = append(m.Offers, MyOffer{Offer: o, Next: offerStep(o)})
	}
	for _, l := range leases {
		m.Leases = append(m.Leases, MyLease{Lease: l, Next: leaseStep(l, now)})
	}
	return m, nil
}

func applicationStep(a Application, r Round, now time.Time) talent.Step {
	switch {
	case a.Status == AppEligible && r.Status == RoundOpen:
		return talent.Step{Name: "round_closes", Actor: "housing", DueAt: &r.ClosesAt}
	case a.Status == AppEligible && r.Status == RoundClosed:
		return talent.Step{Name: "draw", Actor: "housing"}
	case a.Status == AppWaitlisted && a.Active:
		return talent.Step{Name: "waitlist", Actor: "housing"}
	}
	return talent.Step{}
}

func offerStep(o Offer) talent.Step {
	if o.Status == OfferPending {
		return talent.Step{Name: "answer_offer", Actor: "graduate", DueAt: &o.ExpiresAt}
	}
	return talent.Step{}
}

func leaseStep(l Lease, now time.Time) talent.Step {
	switch l.Status {
	case LeaseActive:
		opens := renewalOpens(l)
		if l.Months+LeaseTermMonths <= MaxLeaseMonths && !policy.Civil(now).Before(opens) {
			ends := l.EndsOn
			return talent.Step{Name: "renew", Actor: "graduate", DueAt: &ends}
		}
		if l.CheckedInAt == nil {
			return talent.Step{Name: "check_in", Actor: "housing"}
		}
	case LeaseMovingOut:
		return talent.Step{Name: "move_out", Actor: "graduate", DueAt: l.MoveOutBy}
	}
	return talent.Step{}
}
