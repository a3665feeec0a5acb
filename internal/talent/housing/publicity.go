package housing

import (
	"context"

	"github.com/anju-city/anju/internal/talent"
)

// noticeDays is how many working days a round's allocations stay on public
// notice (公示) for objections.
const noticeDays = 5

// FileObjection records an objection to an allocation on notice; housing
// staff are told. The allocation itself stands until an upheld objection
// leads staff to correct it (two officers, as every correction).
func (s *Rounds) FileObjection(ctx context.Context, actor talent.User, entry talent.Entry, reasons string) (talent.Objection, error) {
	o, err := talent.NewObjection(entry.ID, actor.ID, reasons, s.now())
	if err != nil {
		return talent.Objection{}, err
	}
	staff, err := s.Staff.UsersWithRole(ctx, talent.RoleHousing)
	if err != nil {
		return talent.Objection{}, err
	}
	_, err = s.RoundStore.UpdateRound(ctx, entry.RoundID, func(r *Round, _ []Application) (Change, error) {
		if r.Status != RoundDrawn {
			return Change{}, talent.Errorf(talent.KindConflict, talent.CodeNoticeClosed, "the round's notice is closed")
		}
		c := Change{Objections: []talent.Objection{o}}
		c.entry(entry.ID, talent.EntryObject)
		for _, uid := range staff {
			if uid != actor.ID {
				c.Tasks = append(c.Tasks, talent.NotifyRequest{UserID: uid, EventID: "objection.filed:" + o.ID,
					Template: "objection.filed", Texts: map[string]talent.Text{"package": {ZH: r.Name, EN: r.Name}},
					Link: "anju://housing/objections/" + o.ID})
			}
		}
		return c, nil
	})
	return o, err
}

// ResolveObjection decides an objection to an allocation (housing). Upheld,
// the entry leaves the notice and the applicant is told that the office
// will correct the allocation; the objector learns the outcome either way.
func (s *Rounds) ResolveObjection(ctx context.Context, actor talent.User, o talent.Objection, others []talent.Objection, uphold bool, resolution string) (talent.Objection, error) {
	if err := requireHousing(actor); err != nil {
		return talent.Objection{}, err
	}
	a, err := s.RoundStore.Application(ctx, o.EntryID)
	if err != nil {
		return talent.Objection{}, err
	}
	if a.UserID == actor.ID {
		return talent.Objection{}, talent.OwnBenefit("an officer does not decide an objection to their own allocation")
	}
	_, err = s.RoundStore.UpdateRound(ctx, a.RoundID, func(r *Round, _ []Application) (Change, error) {
		now := s.now()
		if err := o.Resolve(actor.ID, uphold, resolution, now); err != nil {
			return Change{}, err
		}
		c := Change{Objections: []talent.Objection{o}}
		c.Tasks = append(c.Tasks, talent.ObjectionResolved(o))
		if uphold {
			c.entry(o.EntryID, talent.EntryUphold)
			for _, x := range others {
				if err := x.Resolve(actor.ID, true, resolution, now); err != nil {
					return Change{}, err
				}
				c.Objections = append(c.Objections, x)
				c.Tasks = append(c.Tasks, talent.ObjectionResolved(x))
			}
			c.notify(a.UserID, "allocation.objection_upheld:"+o.ID, "allocation.objection_upheld",
				"anju://housing/applications/"+a.ID, map[string]string{"round": r.Name})
		} else {
			c.entry(o.EntryID, talent.EntryDismiss)
		}
		return c, nil
	})
	return o, err
}
