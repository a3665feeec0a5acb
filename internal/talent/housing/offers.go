package housing

import (
	"context"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/draw"
	"github.com/anju-city/anju/internal/talent/policy"
)

// OfferTTL is how long an applicant has to accept an offer.
const OfferTTL = 7 * 24 * time.Hour

// OfferStatus is where an offer stands.
type OfferStatus string

// Offer statuses. Pending and accepted offers are live: a unit has at most
// one live offer, which the database enforces.
const (
	OfferPending  OfferStatus = "pending"
	OfferAccepted OfferStatus = "accepted" // live for as long as its lease
	OfferDeclined OfferStatus = "declined"
	OfferExpired  OfferStatus = "expired"
	OfferEnded    OfferStatus = "ended" // its lease ended
)

// OfferEvent is something that happens to an offer.
type OfferEvent string

// Offer events.
const (
	OfferAccept  OfferEvent = "accept"  // the applicant takes the unit; a lease begins
	OfferDecline OfferEvent = "decline" // the applicant gives it up
	OfferExpire  OfferEvent = "expire"  // the deadline passed unanswered
	OfferEnd     OfferEvent = "end"     // the lease it became ended
)

// OfferTransitions is the offer state machine; an offer is made pending.
var OfferTransitions = talent.Transitions[OfferStatus, OfferEvent]{
	OfferAccept:  {From: []OfferStatus{OfferPending}, To: OfferAccepted},
	OfferDecline: {From: []OfferStatus{OfferPending}, To: OfferDeclined},
	OfferExpire:  {From: []OfferStatus{OfferPending}, To: OfferExpired},
	OfferEnd:     {From: []OfferStatus{OfferAccepted}, To: OfferEnded},
}

// Offer is a unit offered to an applicant.
type Offer struct {
	ID            string
	RoundID       string
	ApplicationID string
	UserID        string
	UnitID        string
	Status        OfferStatus
	Source        string // draw | waitlist | manual
	Reason        string // a manual assignment's reason
	CreatedBy     string // staff user id, or talent.SystemID
	ExpiresAt     time.Time
	RemindedAt    *time.Time
	CreatedAt     time.Time
	DecidedAt     *time.Time
}

// RentYear is the monthly rent in one lease year, in fen.
type RentYear struct {
	Year        int   `json:"year"`
	Percent     int   `json:"percent"`
	MonthlyRent int64 `json:"monthlyRent"`
}

// Lease is the tenancy an accepted offer becomes.
type Lease struct {
	ID                string
	OfferID           string
	UserID            string
	UnitID            string
	StartsOn          time.Time
	EndsOn            time.Time
	Months            int // the term so far, renewals included; at most MaxLeaseMonths
	RentSchedule      []RentYear
	Status            LeaseStatus
	RenewalNotifiedAt *time.Time
	MoveOutReason     string
	MoveOutBy         *time.Time
	CheckedInAt       *time.Time
	CheckedOutAt      *time.Time
	CreatedAt         time.Time
}

// RentShares are the shares of market rent by lease year used when the
// round's apartment package has no rent_shares parameter (60/80/100%, as in
// Ningbo Yinzhou).
var RentShares = []int{60, 80, 100}

// rentShares reads the package's rent_shares parameter (rent_shares_talent
// for recognised talent): percentages of the market rent, one per lease year.
func rentShares(pkg policy.Package, recognised bool) []int {
	name := "rent_shares"
	if recognised {
		if _, ok := pkg.Param("rent_shares_talent"); ok {
			name = "rent_shares_talent"
		}
	}
	p, ok := pkg.Param(name)
	if !ok {
		return RentShares
	}
	list, ok := p.Value.([]any)
	if !ok || len(list) == 0 {
		return RentShares
	}
	out := make([]int, 0, len(list))
	for _, v := range list {
		n, ok := v.(int)
		if !ok || n < 0 || n > 100 {
			return RentShares
		}
		out = append(out, n)
	}
	return out
}

// Change is what a round or offer update writes besides the row it locks.
type Change struct {
	Applications []Application
	Offers       []Offer // new offers
	Lease        *Lease  // a new lease
	EndOffer     string  // an offer whose lease ended
	// Units are the events that happen to units; the store applies each
	// with UnitTransitions under the unit's current status, or fails.
	Units map[string]UnitEvent
	Tasks []talent.Task
	// Entries are new public-notice entries (a draw's allocations);
	// EntryEvents move existing ones along talent.EntryTransitions.
	Entries     []talent.Entry
	EntryEvents map[string]talent.EntryEvent
	// Objections are objections to insert (filed, open) or to decide; a
	// decision on one not open any more fails the whole change.
	Objections []talent.Objection
	// Audit rows record what staff, tenants and the daily review did to a
	// lease, written with the change.
	Audit []talent.Audit
}

func (c *Change) entry(id string, ev talent.EntryEvent) {
	if c.EntryEvents == nil {
		c.EntryEvents = map[string]talent.EntryEvent{}
	}
	c.EntryEvents[id] = ev
}

// offer makes an offer of o's unit, which ev moves to offered.
func (c *Change) offer(o Offer, ev UnitEvent) {
	c.Offers = append(c.Offers, o)
	c.unit(o.UnitID, ev)
	c.notify(o.UserID, "offer:"+o.ID, "offer.made", "anju://housing/offers/"+o.ID, map[string]string{"expires": o.ExpiresAt.Format("2006-01-02 15:04 MST")})
}

// release ends an application's part in its round (its offer was declined
// or lapsed), so the graduate may apply in a later round.
func (c *Change) release(applicationID string, st OfferState, now time.Time) {
	for _, a := range st.Applications {
		if a.ID == applicationID && a.Active {
			a.Active, a.UpdatedAt = false, now
			c.Applications = append(c.Applications, a)
		}
	}
}

func (c *Change) unit(id string, ev UnitEvent) {
	if c.Units == nil {
		c.Units = map[string]UnitEvent{}
	}
	c.Units[id] = ev
}

func (c *Change) notify(userID, eventID, template, link string, params map[string]string) {
	c.Tasks = append(c.Tasks, talent.NotifyRequest{UserID: userID, EventID: eventID, Template: template, Params: params, Link: link})
}

// OfferState is what an offer update sees: the offer's round, all its
// offers and applications.
type OfferState struct {
	Round        Round
	Offers       []Offer
	Applications []Application
	Unit         Unit
}

// OfferStore keeps offers and leases. Errors: KindNotFound (CodeOfferNotFound,
// CodeLeaseNotFound), KindConflict (CodeUnitTaken when a unit already has a
// live offer or lease, CodeApplicationHasOffer, CodeUnitInRound,
// CodeUnitStatusConflict).
type OfferStore interface {
	// CreateOffers writes a change made outside an offer (a manual assignment).
	CreateOffers(ctx context.Context, c Change) error
	// UpdateOffer locks an offer with its round and runs fn, saving the
	// offer and fn's change in one transaction.
	UpdateOffer(ctx context.Context, id string, fn func(*Offer, OfferState) (Change, error)) (Offer, error)
	Offer(ctx context.Context, id string) (Offer, error)
	LeaseOf(ctx context.Context, offerID string) (Lease, error)
	// PendingOffers lists one page (talent.SweepPage) of pending offers
	// that expire before the instant, in (ExpiresAt, ID) order after the
	// offer after (nil: from the start).
	PendingOffers(ctx context.Context, before time.Time, after *Offer) ([]Offer, error)
	// OffersOf and UserLeases list a user's offers and leases, newest first.
	OffersOf(ctx context.Context, userID string) ([]Offer, error)
	UserLeases(ctx context.Context, userID string) ([]Lease, error)
}

func (s *Rounds) newOffer(roundID string, a Application, unitID, source, reason, by string, now time.Time) Offer {
	return Offer{ID: talent.NewID(), RoundID: roundID, ApplicationID: a.ID, UserID: a.UserID, UnitID: unitID,
		Status: OfferPending, Source: source, Reason: reason, CreatedBy: by, ExpiresAt: now.Add(OfferTTL), CreatedAt: now}
}

// Offer returns an offer to its applicant or to housing staff.
func (s *Rounds) Offer(ctx context.Context, actor talent.User, id string) (Offer, *Lease, error) {
	o, err := s.OfferStore.Offer(ctx, id)
	if err != nil {
		return Offer{}, nil, err
	}
	if o.UserID != actor.ID && requireHousing(actor) != nil {
		return Offer{}, nil, talent.NotFound(CodeOfferNotFound)
	}
	if o.Status != OfferAccepted && o.Status != OfferEnded {
		return o, nil, nil
	}
	l, err := s.OfferStore.LeaseOf(ctx, id)
	if err != nil {
		return Offer{}, nil, err
	}
	return o, &l, nil
}

// Accept turns a pending offer into a lease of 12 months with its rent by
// lease year from the round's apartment package (applicant).
func (s *Rounds) Accept(ctx context.Context, actor talent.User, id string) (Offer, error) {
	person, err := s.People.Person(ctx, actor.ID)
	if err != nil {
		return Offer{}, err
	}
	o, err := s.OfferStore.Offer(ctx, id)
	if err != nil {
		return Offer{}, err
	}
	r, err := s.RoundStore.Round(ctx, o.RoundID)
	if err != nil {
		return Offer{}, err
	}
	pkg, err := s.Catalog.Package(ctx, policy.Apartment, r.PolicyVersion)
	if err != nil {
		return Offer{}, err
	}
	shares := rentShares(pkg, person.TalentTier != "")
	return s.OfferStore.UpdateOffer(ctx, id, func(o *Offer, st OfferState) (Change, error) {
		now := s.now()
		if err := s.decide(o, actor, OfferAccept, now); err != nil {
			return Change{}, err
		}
		start := policy.Civil(now).AddDate(0, 0, 1)
		lease := &Lease{ID: talent.NewID(), OfferID: o.ID, UserID: o.UserID, UnitID: o.UnitID, StartsOn: start,
			EndsOn: policy.AddMonths(start, LeaseTermMonths).AddDate(0, 0, -1), Months: LeaseTermMonths, Status: LeaseActive, CreatedAt: now}
		for i, pct := range shares {
			lease.RentSchedule = append(lease.RentSchedule, RentYear{Year: i + 1, Percent: pct, MonthlyRent: st.Unit.MarketRent * int64(pct) / 100})
		}
		change := Change{Lease: lease}
		change.unit(o.UnitID, UnitLetOut)
		for _, a := range st.Applications {
			if a.ID == o.ApplicationID {
				if err := ApplicationTransitions.Apply(&a.Status, AppAcceptOffer, CodeApplicationStatusConflict); err != nil {
					return Change{}, err
				}
				a.Active, a.UnitID, a.UpdatedAt = false, o.UnitID, now
				change.Applications = append(change.Applications, a)
			}
		}
		change.notify(o.UserID, "lease:"+lease.ID, "lease.created", "anju://housing/offers/"+o.ID,
			map[string]string{"start": start.Format("2006-01-02"), "rent": talent.Yuan(lease.RentSchedule[0].MonthlyRent)})
		return change, nil
	})
}

// Decline gives an offer up (applicant); the unit goes to the next in line.
func (s *Rounds) Decline(ctx context.Context, actor talent.User, id string) (Offer, error) {
	return s.OfferStore.UpdateOffer(ctx, id, func(o *Offer, st OfferState) (Change, error) {
		now := s.now()
		if err := s.decide(o, actor, OfferDecline, now); err != nil {
			return Change{}, err
		}
		change := s.cascade(o, st, now)
		change.release(o.ApplicationID, st, now)
		return change, nil
	})
}

// decide answers the offer as its applicant, before it lapses.
func (s *Rounds) decide(o *Offer, actor talent.User, ev OfferEvent, now time.Time) error {
	if o.UserID != actor.ID {
		return talent.NotFound(CodeOfferNotFound)
	}
	if !now.Before(o.ExpiresAt) {
		return talent.Errorf(talent.KindConflict, CodeOfferNotPending, "the offer lapsed at %s", o.ExpiresAt)
	}
	if err := OfferTransitions.Apply(&o.Status, ev, CodeOfferNotPending); err != nil {
		return err
	}
	o.DecidedAt = &now
	return nil
}

// cascade passes a returned unit to the best-ranked waitlisted applicant
// who wants it and has had no offer in the round yet; with nobody left the
// unit is available again.
func (s *Rounds) cascade(o *Offer, st OfferState, now time.Time) Change {
	var change Change
	if st.Round.Record == nil {
		change.unit(o.UnitID, UnitRelease)
		return change
	}
	skip := map[string]bool{}
	for _, x := range st.Offers {
		skip[x.ApplicationID] = true
	}
	for _, a := range st.Applications {
		if !a.Active {
			skip[a.ID] = true
		}
	}
	unit := draw.Unit{ID: st.Unit.ID, PropertyID: st.Unit.PropertyID, Layout: string(st.Unit.Layout)}
	next, ok := draw.NextInLine(*st.Round.Record, unit, skip)
	if !ok {
		change.unit(o.UnitID, UnitRelease)
		return change
	}
	for _, a := range st.Applications {
		if a.ID == next {
			change.offer(s.newOffer(st.Round.ID, a, o.UnitID, "waitlist", "", talent.SystemID, now), UnitPassOn)
		}
	}
	return change
}

// ExpireOffers lapses pending offers past their deadline, passing their
// units on, and reminds applicants a day before (periodic job).
func (s *Rounds) ExpireOffers(ctx context.Context) error {
	now := s.now()
	return talent.Sweep(ctx, "offers:expire",
		func(ctx context.Context, after *Offer) ([]Offer, error) {
			return s.OfferStore.PendingOffers(ctx, now.Add(24*time.Hour), after)
		},
		func(o Offer) string { return o.ID },
		func(ctx context.Context, o Offer) error {
			_, err := s.OfferStore.UpdateOffer(ctx, o.ID, func(o *Offer, st OfferState) (Change, error) {
				switch {
				case !OfferTransitions.Allows(o.Status, OfferExpire):
					return Change{}, nil // answered since the list was read
				case !now.Before(o.ExpiresAt):
					o.Status, _ = OfferTransitions.Next(o.Status, OfferExpire)
					o.DecidedAt = &now
					change := s.cascade(o, st, now)
					change.release(o.ApplicationID, st, now)
					change.notify(o.UserID, "offer.expired:"+o.ID, "offer.expired", "anju://housing/offers/"+o.ID, nil)
					return change, nil
				case o.RemindedAt == nil:
					o.RemindedAt = &now
					var change Change
					change.notify(o.UserID, "offer.expiring:"+o.ID, "offer.expiring", "anju://housing/offers/"+o.ID,
						map[string]string{"expires": o.ExpiresAt.Format("2006-01-02 15:04 MST")})
					return change, nil
				}
				return Change{}, nil
			})
			return err
		})
}
