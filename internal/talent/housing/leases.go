package housing

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/policy"
)

// Lease terms (POLICY.md): 12 months, renewable up to 36 in all, renewal
// open 2 months before the end; a graduate whose employment in the city
// ended and was not replaced within 60 days must move out, with 30 days'
// notice.
const (
	LeaseTermMonths     = 12
	MaxLeaseMonths      = 36
	RenewalWindowMonths = 2
	EmploymentGraceDays = 60
	MoveOutNoticeDays   = 30
)

// LeaseStatus is where a lease stands.
type LeaseStatus string

// Lease statuses.
const (
	LeaseActive    LeaseStatus = "active"
	LeaseMovingOut LeaseStatus = "moving_out" // notice given; check-out ends it
	LeaseEnded     LeaseStatus = "ended"
)

// LeaseEvent is something that happens to a lease.
type LeaseEvent string

// Lease events. Check-in records the keys handed over and changes no status.
const (
	LeaseRenew    LeaseEvent = "renew"     // the tenant extends it by a term
	LeaseMoveOut  LeaseEvent = "move_out"  // notice to leave is given
	LeaseCheckOut LeaseEvent = "check_out" // the keys are back; the unit is free
)

// LeaseTransitions is the lease state machine; a lease begins active.
var LeaseTransitions = talent.Transitions[LeaseStatus, LeaseEvent]{
	LeaseRenew:    {From: []LeaseStatus{LeaseActive}, To: LeaseActive},
	LeaseMoveOut:  {From: []LeaseStatus{LeaseActive}, To: LeaseMovingOut},
	LeaseCheckOut: {From: []LeaseStatus{LeaseActive, LeaseMovingOut}, To: LeaseEnded},
}

// MoveOutReasons are why a tenant must leave.
var MoveOutReasons = []string{"employment_ended", "home_bought", "sublet", "arrears", "term_ended", "other"}

// LeaseStore keeps leases. Errors: KindNotFound (CodeLeaseNotFound).
type LeaseStore interface {
	Lease(ctx context.Context, id string) (Lease, error)
	// UpdateLease locks a lease and runs fn, saving it with fn's change.
	UpdateLease(ctx context.Context, id string, fn func(*Lease) (Change, error)) (Lease, error)
	// LeasesToReview lists one page (talent.SweepPage) of the active
	// leases in (EndsOn, ID) order after the lease after (nil: from the start).
	LeasesToReview(ctx context.Context, after *Lease) ([]Lease, error)
}

// Employments reads a graduate's current employment; KindNotFound when none was declared.
type Employments interface {
	CurrentEmployment(ctx context.Context, userID string) (talent.Employment, error)
}

// Leases are the tenancy use cases.
type Leases struct {
	LeaseStore  LeaseStore
	Lists       LeaseListStore
	Employments Employments
	Vault       talent.Vault // the blind index of a national ID searched for
	Clock       talent.Clock
}

func (s *Leases) now() time.Time { return s.Clock.Now().UTC() }

// Lease returns a lease to its tenant or housing staff.
func (s *Leases) Lease(ctx context.Context, actor talent.User, id string) (Lease, error) {
	l, err := s.LeaseStore.Lease(ctx, id)
	if err != nil {
		return Lease{}, err
	}
	if l.UserID != actor.ID && requireHousing(actor) != nil {
		return Lease{}, talent.NotFound(CodeLeaseNotFound)
	}
	return l, nil
}

// renewalOpens is the first day a lease may be renewed.
func renewalOpens(l Lease) time.Time { return policy.AddMonths(l.EndsOn, -RenewalWindowMonths) }

// Renew extends an active lease by a term, within the renewal window and up
// to MaxLeaseMonths in all (tenant).
func (s *Leases) Renew(ctx context.Context, actor talent.User, id string) (Lease, error) {
	return s.LeaseStore.UpdateLease(ctx, id, func(l *Lease) (Change, error) {
		if l.UserID != actor.ID {
			return Change{}, talent.NotFound(CodeLeaseNotFound)
		}
		today := policy.Civil(s.now())
		switch {
		case !LeaseTransitions.Allows(l.Status, LeaseRenew):
			return Change{}, talent.Errorf(talent.KindConflict, CodeLeaseNotActive, "the lease is %s", l.Status)
		case today.Before(renewalOpens(*l)):
			return Change{}, talent.Errorf(talent.KindConflict, CodeRenewalNotOpen, "renewal opens on %s", renewalOpens(*l).Format("2006-01-02"))
		case l.Months+LeaseTermMonths > MaxLeaseMonths:
			return Change{}, talent.Errorf(talent.KindConflict, CodeLeaseAtMaximum, "a lease lasts at most %d months", MaxLeaseMonths)
		}
		l.EndsOn = policy.AddMonths(l.EndsOn.AddDate(0, 0, 1), LeaseTermMonths).AddDate(0, 0, -1)
		l.Months += LeaseTermMonths
		l.RenewalNotifiedAt = nil
		var c Change
		c.leaseAudit(s.now(), actor.ID, l, "renew", "ends_on="+l.EndsOn.Format(time.DateOnly)+" months="+strconv.Itoa(l.Months))
		year := l.Months / LeaseTermMonths
		rent := l.RentSchedule[min(year, len(l.RentSchedule))-1]
		c.notify(l.UserID, "lease.renewed:"+l.ID+":"+strconv.Itoa(l.Months), "lease.renewed", "anju://housing/leases/"+l.ID,
			map[string]string{"end": l.EndsOn.Format("2006-01-02"), "rent": talent.Yuan(rent.MonthlyRent)})
		return c, nil
	})
}

// MoveOut gives a tenant notice to leave, with a reason (housing, or the
// daily review for employment that ended).
func (s *Leases) MoveOut(ctx context.Context, actor talent.User, id, reason, note string) (Lease, error) {
	if err := requireHousing(actor); err != nil {
		return Lease{}, err
	}
	if !slices.Contains(MoveOutReasons, reason) {
		return Lease{}, talent.Field("reason", CodeMoveOutReason)
	}
	return s.LeaseStore.UpdateLease(ctx, id, func(l *Lease) (Change, error) {
		if l.UserID == actor.ID {
			return Change{}, talent.OwnBenefit("an officer does not act on their own lease")
		}
		return s.moveOut(l, actor.ID, reason, note)
	})
}

// moveOut gives notice with a reason code and an officer's note; the
// audit keeps the code only, since a note may name people.
func (s *Leases) moveOut(l *Lease, actorID, reason, note string) (Change, error) {
	if err := LeaseTransitions.Apply(&l.Status, LeaseMoveOut, CodeLeaseNotActive); err != nil {
		return Change{}, err
	}
	by := policy.Civil(s.now()).AddDate(0, 0, MoveOutNoticeDays)
	l.MoveOutReason, l.MoveOutBy = strings.TrimSpace(reason+" "+note), &by
	var c Change
	c.leaseAudit(s.now(), actorID, l, "move_out", "reason="+reason+" by="+by.Format(time.DateOnly))
	c.notify(l.UserID, "lease.move_out:"+l.ID, "lease.move_out", "anju://housing/leases/"+l.ID,
		map[string]string{"by": by.Format("2006-01-02")})
	return c, nil
}

// CheckIn records that the tenant got the keys (housing).
func (s *Leases) CheckIn(ctx context.Context, actor talent.User, id string) (Lease, error) {
	if err := requireHousing(actor); err != nil {
		return Lease{}, err
	}
	return s.LeaseStore.UpdateLease(ctx, id, func(l *Lease) (Change, error) {
		if l.UserID == actor.ID {
			return Change{}, talent.OwnBenefit("an officer does not act on their own lease")
		}
		if l.CheckedInAt != nil {
			return Change{}, nil // checked in already
		}
		now := s.now()
		l.CheckedInAt = &now
		var c Change
		c.leaseAudit(now, actor.ID, l, "check_in", "")
		c.notify(l.UserID, "lease.checked_in:"+l.ID, "lease.checked_in", "anju://housing/leases/"+l.ID,
			map[string]string{"end": l.EndsOn.Format(time.DateOnly)})
		return c, nil
	})
}

// CheckOut ends a lease when the tenant hands the keys back (housing): the
// unit is free again.
func (s *Leases) CheckOut(ctx context.Context, actor talent.User, id string) (Lease, error) {
	if err := requireHousing(actor); err != nil {
		return Lease{}, err
	}
	return s.LeaseStore.UpdateLease(ctx, id, func(l *Lease) (Change, error) {
		if l.UserID == actor.ID {
			return Change{}, talent.OwnBenefit("an officer does not act on their own lease")
		}
		if !LeaseTransitions.Allows(l.Status, LeaseCheckOut) {
			return Change{}, nil // checked out already
		}
		now := s.now()
		l.Status, _ = LeaseTransitions.Next(l.Status, LeaseCheckOut)
		l.CheckedOutAt = &now
		c := Change{EndOffer: l.OfferID}
		c.unit(l.UnitID, UnitRelease)
		c.leaseAudit(now, actor.ID, l, "check_out", "")
		c.notify(l.UserID, "lease.ended:"+l.ID, "lease.ended", "anju://housing/leases/"+l.ID, nil)
		return c, nil
	})
}

// Review is the daily lease check: it tells tenants when their renewal
// window opens and gives notice to those whose employment in the city ended
// more than EmploymentGraceDays ago without a new one, or whose lease ran
// out at its maximum term.
func (s *Leases) Review(ctx context.Context) error {
	today := policy.Civil(s.now())
	return talent.Sweep(ctx, "leases:review", s.LeaseStore.LeasesToReview, func(l Lease) string { return l.ID }, func(ctx context.Context, l Lease) error {
		reason := ""
		emp, err := s.Employments.CurrentEmployment(ctx, l.UserID)
		switch {
		case err != nil && talent.ErrorKind(err) != talent.KindNotFound:
			return err
		case err == nil && emp.Status == talent.EmploymentEnded && emp.EndedOn != nil &&
			!today.Before(emp.EndedOn.AddDate(0, 0, EmploymentGraceDays)):
			reason = "employment_ended"
		case today.After(l.EndsOn):
			reason = "term_ended"
		}
		_, err = s.LeaseStore.UpdateLease(ctx, l.ID, func(l *Lease) (Change, error) {
			if l.Status != LeaseActive {
				return Change{}, nil
			}
			if reason != "" {
				return s.moveOut(l, talent.SystemID, reason, "")
			}
			if l.RenewalNotifiedAt == nil && l.Months < MaxLeaseMonths && !today.Before(renewalOpens(*l)) {
				now := s.now()
				l.RenewalNotifiedAt = &now
				var c Change
				c.notify(l.UserID, "lease.renewal_open:"+l.ID+":"+strconv.Itoa(l.Months), "lease.renewal_open", "anju://housing/leases/"+l.ID,
					map[string]string{"end": l.EndsOn.Format("2006-01-02")})
				return c, nil
			}
			return Change{}, nil
		})
		return err
	})
}

// leaseAudit records what was done to a lease, by whom (a user's id, or
// talent.SystemID for the daily review).
func (c *Change) leaseAudit(at time.Time, actorID string, l *Lease, event, detail string) {
	c.Audit = append(c.Audit, talent.Audit{At: at, ActorID: actorID, Entity: "lease", EntityID: l.ID, Event: event, Detail: detail})
}
