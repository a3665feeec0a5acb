package allowance

import (
	"context"
	"time"

	"github.com/anju-city/anju/internal/talent"
)

// FileObjection records an objection to an approval on public notice: the
// claim is not paid until it is decided. The reviewers who may decide it
// and the applicant are told.
func (s *Service) FileObjection(ctx context.Context, actor talent.User, entry talent.Entry, reasons string) (talent.Objection, error) {
	o, err := talent.NewObjection(entry.ID, actor.ID, reasons, s.now())
	if err != nil {
		return talent.Objection{}, err
	}
	reviewers, err := s.reviewers(ctx)
	if err != nil {
		return talent.Objection{}, err
	}
	_, err = s.ClaimStore.UpdateClaim(ctx, entry.ID, func(c *Claim) (ClaimChange, error) {
		if c.Status != ClaimApproved {
			return ClaimChange{}, talent.Errorf(talent.KindConflict, talent.CodeNoticeClosed, "the approval is no longer on notice")
		}
		now := s.now()
		c.ObjectionsOpen++
		c.UpdatedAt = now
		change := ClaimChange{Objections: []talent.Objection{o}, EntryEvent: talent.EntryObject,
			Audit: []ClaimAudit{{ClaimID: c.ID, At: now, ActorID: actor.ID, Event: EventObjection, From: c.Status, To: c.Status, Reason: o.ID}}}
		for _, r := range reviewers {
			if r != c.DecidedBy && r != actor.ID {
				change.Tasks = append(change.Tasks, talent.NotifyRequest{UserID: r, EventID: "objection.filed:" + o.ID,
					Template: "objection.filed", Texts: map[string]talent.Text{"package": talent.Text(c.Package.Name())},
					Link: "anju://review/objections/" + o.ID})
			}
		}
		change.Tasks = append(change.Tasks, talent.NotifyRequest{UserID: c.UserID, EventID: "objection.filed:" + o.ID,
			Template: "claim.objected", Texts: map[string]talent.Text{"package": talent.Text(c.Package.Name())},
			Link: "anju://claims/" + c.ID})
		return change, nil
	})
	return o, err
}

// ResolveObjection decides an objection to an approval (a reviewer other
// than the one who approved). Upheld, the claim goes back to review with
// the reason and leaves the notice, and the applicant is told; dismissed,
// the notice continues. The objector learns the outcome either way.
func (s *Service) ResolveObjection(ctx context.Context, actor talent.User, o talent.Objection, others []talent.Objection, uphold bool, resolution string) (talent.Objection, error) {
	if err := actor.Require(talent.ReviewRoles...); err != nil {
		return talent.Objection{}, err
	}
	_, err := s.ClaimStore.UpdateClaim(ctx, o.EntryID, func(c *Claim) (ClaimChange, error) {
		if actor.ID == c.UserID {
			return ClaimChange{}, talent.OwnBenefit("nobody decides an objection to their own claim")
		}
		if actor.ID == c.DecidedBy {
			return ClaimChange{}, talent.Errorf(talent.KindForbidden, talent.CodeOwnDecision, "an objection is decided by another reviewer than the approver")
		}
		now := s.now()
		if err := o.Resolve(actor.ID, uphold, resolution, now); err != nil {
			return ClaimChange{}, err
		}
		var change ClaimChange
		if uphold {
			var err error
			if change, err = s.transition(c, EventReopen, actor, o.Resolution, now, StageReview, false); err != nil {
				return ClaimChange{}, err
			}
			c.NoticeUntil, c.ObjectionsOpen, c.AssigneeID = nil, 0, actor.ID
			change.EntryEvent = talent.EntryUphold
			for _, x := range others {
				if err := x.Resolve(actor.ID, true, resolution, now); err != nil {
					return ClaimChange{}, err
				}
				change.Objections = append(change.Objections, x)
				change.Tasks = append(change.Tasks, talent.ObjectionResolved(x))
			}
			change.Tasks = append(change.Tasks, talent.NotifyRequest{UserID: c.UserID, EventID: "claim.reopened:" + o.ID,
				Template: "claim.reopened", Params: map[string]string{"reason": o.Resolution},
				Texts: map[string]talent.Text{"package": talent.Text(c.Package.Name())}, Link: "anju://claims/" + c.ID})
		} else {
			c.ObjectionsOpen = max(0, c.ObjectionsOpen-1)
			if c.ObjectionsOpen == 0 {
				change.EntryEvent = talent.EntryDismiss
			}
			change.Audit = []ClaimAudit{{ClaimID: c.ID, At: now, ActorID: actor.ID, Event: EventObjectionDismissed,
				From: c.Status, To: c.Status, Reason: o.Resolution}}
		}
		c.UpdatedAt = now
		change.Objections = append(change.Objections, o)
		change.Tasks = append(change.Tasks, talent.ObjectionResolved(o))
		return change, nil
	})
	return o, err
}

// reviewers are everyone who may decide an objection.
func (s *Service) reviewers(ctx context.Context) ([]string, error) {
	var out []string
	for _, r := range []talent.Role{talent.RoleReviewer, talent.RoleLeadReviewer} {
		ids, err := s.Staff.UsersWithRole(ctx, r)
		if err != nil {
			return nil, err
		}
		out = append(out, ids...)
	}
	return out, nil
}

// MonthStats is one package's delivery in one month, as the public sees it.
type MonthStats struct {
	Month time.Time // the first day of the month, in Shanghai
	DeliveryStats
}

// PublicDelivery reports how claims submitted in [from, to) were decided
// and paid, per package and month: counts and times only, nothing that
// identifies anyone. Anyone may read it.
func (s *Service) PublicDelivery(ctx context.Context, from, to time.Time) ([]MonthStats, error) {
	if !to.After(from) || to.Sub(from) > 5*366*24*time.Hour {
		return nil, talent.Field("to", talent.CodeRange)
	}
	return s.ClaimStore.MonthlyDelivery(ctx, from, to)
}
