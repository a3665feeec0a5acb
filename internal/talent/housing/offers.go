package housing

import (
	"context"
	"strings"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/draw"
	"github.com/anju-city/anju/internal/talent/policy"
)

// TaskExpireOffers expires lapsed offers and reminds those about to lapse.
const TaskExpireOffers = "offers:expire"

// OfferTTL is how long an applicant has to accept an offer.
const OfferTTL = 7 * 24 * time.Hour

// SystemActor records offers made by Anju itself (the draw, the waitlist).
const SystemActor = "system"

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
	CreatedBy     string // staff user id, or SystemActor
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
	Units        map[string]UnitStatus
	Tasks        []talent.Task
}

func (c *Change) offer(o Offer) {
	c.Offers = append(c.Offers, o)
	c.unit(o.UnitID, UnitOffered)
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

func (c *Change) unit(id string, status UnitStatus) {
	if c.Units == nil {
		c.Units = map[string]UnitStatus{}
	}
	c.Units[id] = status
}

func (c *Change) notify(userID, eventID, template, link string, params map[string]string) {
	c.Tasks = append(c.Tasks, talent.Task{Type: talent.TaskSendNotification, Payload: talent.NotifyRequest{
		UserID: userID, EventID: eventID, Template: template, Params: params, Link: link,
	}})
}

// OfferState is what an offer update sees: the offer's round, all its
// offers and applications.
type OfferState struct {
	Round        Round
	Offers       []Offer
	Applications []Application
	Unit         Unit
}

// OfferStore keeps offers and leases. CreateOffers returns KindConflict
// "unit_taken" when a unit already has a live offer or lease.
type OfferStore interface {
	// CreateOffers writes a change made outside an offer (a manual assignment).
	CreateOffers(ctx context.Context, c Change) error
	// UpdateOffer locks an offer with its round and runs fn, saving the
	// offer and fn's change in one transaction.
	UpdateOffer(ctx context.Context, id string, fn func(*Offer, OfferState) (Change, error)) (Offer, error)
	Offer(ctx context.Context, id string) (Offer, error)
	LeaseOf(ctx context.Context, offerID string) (Lease, error)
	// PendingOffers lists pending offers that expire before the instant.
	PendingOffers(ctx context.Context, before time.Time) ([]Offer, error)
}

func (s *Rounds) newOffer(roundID string, a Application, unitID, source, reason, by string, now time.Time) Offer {
	return Offer{ID: talent.NewID(), RoundID: roundID, ApplicationID: a.ID, UserID: a.UserID, UnitID: unitID,
		Status: OfferPending, Source: source, Reason: reason, CreatedBy: by, ExpiresAt: now.Add(OfferTTL), CreatedAt: now}
}

// Offer returns an offer to its applicant or to housing staff.
func (s *Rounds) Offer(ctx context.Context, actor talent.User, id string) (Offer, *Lease, error) {
	o, err := s.Offers.Offer(ctx, id)
	if err != nil {
		return Offer{}, nil, err
	}
	if o.UserID != actor.ID && requireHousing(actor) != nil {
		return Offer{}, nil, talent.NotFound("offer")
	}
	if o.Status != OfferAccepted && o.Status != OfferEnded {
		return o, nil, nil
	}
	l, err := s.Offers.LeaseOf(ctx, id)
	if err != nil {
		return Offer{}, nil, err
	}
	return o, &l, nil
}

// Accept turns a pending offer into a lease of 12 months with its rent by
// lease year from the round's apartment package (applicant).
func (s *Rounds) Accept(ctx context.Context, actor talent.User, id string) (Offer, error) {
	pkgs, err := s.Packages(ctx)
	if err != nil {
		return Offer{}, err
	}
	rec, err := s.Talent.Store.Profile(ctx, actor.ID)
	if err != nil && talent.ErrorKind(err) != talent.KindNotFound {
		return Offer{}, err
	}
	return s.Offers.UpdateOffer(ctx, id, func(o *Offer, st OfferState) (Change, error) {
		now := s.now()
		if err := s.decidable(o, actor, now); err != nil {
			return Change{}, err
		}
		o.Status, o.DecidedAt = OfferAccepted, &now
		start := policy.Civil(now).AddDate(0, 0, 1)
		lease := &Lease{ID: talent.NewID(), OfferID: o.ID, UserID: o.UserID, UnitID: o.UnitID, StartsOn: start,
			EndsOn: policy.AddMonths(start, LeaseTermMonths).AddDate(0, 0, -1), Months: LeaseTermMonths, Status: LeaseActive, CreatedAt: now}
		shares := RentShares
		if pkg, ok := findPackage(pkgs, st.Round.PolicyVersion); ok {
			shares = rentShares(pkg, rec.TalentTier != "")
		}
		for i, pct := range shares {
			lease.RentSchedule = append(lease.RentSchedule, RentYear{Year: i + 1, Percent: pct, MonthlyRent: st.Unit.MarketRent * int64(pct) / 100})
		}
		change := Change{Lease: lease}
		change.unit(o.UnitID, UnitLet)
		for _, a := range st.Applications {
			if a.ID == o.ApplicationID {
				a.Active, a.UnitID, a.Status, a.UpdatedAt = false, o.UnitID, AppAllocated, now
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
	return s.Offers.UpdateOffer(ctx, id, func(o *Offer, st OfferState) (Change, error) {
		now := s.now()
		if err := s.decidable(o, actor, now); err != nil {
			return Change{}, err
		}
		o.Status, o.DecidedAt = OfferDeclined, &now
		change := s.cascade(o, st, now)
		change.release(o.ApplicationID, st, now)
		return change, nil
	})
}

// decidable checks that actor may answer the offer now.
func (s *Rounds) decidable(o *Offer, actor talent.User, now time.Time) error {
	if o.UserID != actor.ID {
		return talent.NotFound("offer")
	}
	if o.Status != OfferPending || !now.Before(o.ExpiresAt) {
		return talent.Errorf(talent.KindConflict, "offer_not_pending", "the offer is %s", o.Status)
	}
	return nil
}

// cascade passes a returned unit to the best-ranked waitlisted applicant
// who wants it and has had no offer in the round yet; with nobody left the
// unit is available again.
func (s *Rounds) cascade(o *Offer, st OfferState, now time.Time) Change {
	var change Change
	if st.Round.Record == nil {
		change.unit(o.UnitID, UnitAvailable)
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
		change.unit(o.UnitID, UnitAvailable)
		return change
	}
	for _, a := range st.Applications {
		if a.ID == next {
			change.offer(s.newOffer(st.Round.ID, a, o.UnitID, "waitlist", "", SystemActor, now))
		}
	}
	return change
}

// ExpireOffers lapses pending offers past their deadline, passing their
// units on, and reminds applicants a day before (periodic job).
func (s *Rounds) ExpireOffers(ctx context.Context) error {
	now := s.now()
	list, err := s.Offers.PendingOffers(ctx, now.Add(24*time.Hour))
	if err != nil {
		return err
	}
	for _, o := range list {
		_, err := s.Offers.UpdateOffer(ctx, o.ID, func(o *Offer, st OfferState) (Change, error) {
			switch {
			case o.Status != OfferPending:
				return Change{}, nil
			case !now.Before(o.ExpiresAt):
				o.Status, o.DecidedAt = OfferExpired, &now
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
		if err != nil {
			return err
		}
	}
	return nil
}

// Assign offers a unit to an eligible application by hand (housing), also
// one whose earlier offer was declined or lapsed. The reason is mandatory and
// kept with the offer; a unit already offered or let, or an application
// with a live offer, is a conflict, enforced by the database.
func (s *Rounds) Assign(ctx context.Context, actor talent.User, unitID, applicationID, reason string) (Offer, error) {
	if err := requireHousing(actor); err != nil {
		return Offer{}, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return Offer{}, talent.Invalid(talent.FieldError{Field: "reason", Code: "required"})
	}
	a, err := s.Store.Application(ctx, applicationID)
	if err != nil {
		return Offer{}, err
	}
	if a.Status == AppIneligible || a.Status == AppWithdrawn {
		return Offer{}, talent.Errorf(talent.KindConflict, "application_not_eligible", "the application is %s", a.Status)
	}
	o := s.newOffer(a.RoundID, a, unitID, "manual", reason, actor.ID, s.now())
	var change Change
	change.offer(o)
	return o, s.Offers.CreateOffers(ctx, change)
}

// findPackage returns the apartment package of a version.
func findPackage(pkgs []policy.Package, version int) (policy.Package, bool) {
	for _, p := range pkgs {
		if p.ID == policy.Apartment && p.Version == version {
			return p, true
		}
	}
	return policy.Package{}, false
}
