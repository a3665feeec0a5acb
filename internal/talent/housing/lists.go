package housing

import (
	"context"
	"time"

	"github.com/anju-city/anju/internal/talent"
)

// The housing officer's lists: a round's applications with their offers and
// the waitlist, and the leases. Only housing staff read them; they name
// applicants and tenants.

// ListedApplication is an application as staff see it in its round.
type ListedApplication struct {
	Application Application
	// Name is the applicant's name from their profile.
	Name string
	// Offer is the latest offer made for the application, if any.
	Offer *Offer
	// LeaseID is the lease that offer became, if it did.
	LeaseID string
	// UnitNumber is the number of the unit offered, or allocated by the draw.
	UnitNumber string
	// WaitlistPlace is the application's place among those waiting with no
	// offer, in the draw's order (1 is next); 0 when it is not waiting. A
	// returned unit goes to the first waiting applicant whose preferences
	// match it, so the place is an order, not a promise.
	WaitlistPlace int
}

// ApplicationListStore lists a round's applications. The order is the
// draw's (rank, then id), with applications outside the draw after the
// ranked ones; the cursor is the position of the last one listed.
type ApplicationListStore interface {
	RoundApplications(ctx context.Context, roundID string, status ApplicationStatus, page talent.Page) ([]ListedApplication, string, error)
}

// RoundApplications lists a round's applications in the draw's order, each
// with its offer and place on the waitlist, of one status or all (housing).
func (s *Rounds) RoundApplications(ctx context.Context, actor talent.User, roundID string, status ApplicationStatus, page talent.Page) ([]ListedApplication, string, error) {
	if err := requireHousing(actor); err != nil {
		return nil, "", err
	}
	if _, err := s.RoundStore.Round(ctx, roundID); err != nil {
		return nil, "", err
	}
	return s.Lists.RoundApplications(ctx, roundID, status, page)
}

// LeaseFilter narrows the staff's lease list. Name and PersonIndex come
// from one search term: the start of the tenant's name, or the blind index
// of an exact national ID number.
type LeaseFilter struct {
	Status      LeaseStatus
	PropertyID  string
	EndsBefore  time.Time // zero: no bound; else leases ending before that day
	Name        string
	PersonIndex string
}

// ListedLease is a lease as staff list it: with its tenant and unit.
type ListedLease struct {
	Lease        Lease
	TenantName   string
	UnitNumber   string
	PropertyID   string
	PropertyName string
}

// LeaseListStore lists leases soonest ending first, in (EndsOn, ID) order;
// the cursor is the position of the last one listed.
type LeaseListStore interface {
	StaffLeases(ctx context.Context, f LeaseFilter, page talent.Page) ([]ListedLease, string, error)
}

// List lists leases by end date, filtered, and searched by q as every
// staff list is (talent.SearchPerson): a part of a number finds nobody
// (housing).
func (s *Leases) List(ctx context.Context, actor talent.User, f LeaseFilter, q string, page talent.Page) ([]ListedLease, string, error) {
	if err := requireHousing(actor); err != nil {
		return nil, "", err
	}
	search, ok := talent.SearchPerson(q, s.now(), s.Vault)
	if !ok {
		return nil, "", nil
	}
	f.Name, f.PersonIndex = search.NamePrefix, search.NationalIDIndex
	return s.Lists.StaffLeases(ctx, f, page)
}
