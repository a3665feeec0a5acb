package housing

import (
	"context"
	"strings"
	"time"

	"github.com/anju-city/anju/internal/talent"
)

// Correction changes a published draw's outcome for one application: the
// unit it should have (a correction of the draw), or a unit offered by hand
// to an application the draw left without one (an assignment). One housing
// officer proposes it; it takes effect only when a second one approves, and
// its row stays as the audit. Neither may be the applicant.
type Correction struct {
	ID            string
	Kind          string // correction | assignment
	RoundID       string
	ApplicationID string
	UnitID        string
	Reason        string
	Status        string // proposed | applied
	ProposedBy    string
	ProposedAt    time.Time
	ApprovedBy    string
	ApprovedAt    *time.Time
	OfferID       string
}

// CorrectionStore keeps corrections. Errors: KindNotFound (CodeCorrectionNotFound).
type CorrectionStore interface {
	CreateCorrection(ctx context.Context, c Correction) error
	// ApplyCorrection locks the correction and runs fn; the correction and
	// fn's change are saved together.
	ApplyCorrection(ctx context.Context, id string, fn func(*Correction, Application) (Change, error)) (Correction, error)
	// Corrections lists those in a status, newest first.
	Corrections(ctx context.Context, status string, page talent.Page) ([]Correction, string, error)
}

// Correction statuses.
const (
	CorrectionProposed = "proposed"
	CorrectionApplied  = "applied"
)

// Corrections lists proposals waiting for a second officer (or those
// applied), for housing staff only: they name applications and units.
func (s *Rounds) Corrections(ctx context.Context, actor talent.User, status string, page talent.Page) ([]Correction, string, error) {
	if err := requireHousing(actor); err != nil {
		return nil, "", err
	}
	// The contract admits only the two statuses; anything else is the default.
	if status != CorrectionApplied {
		status = CorrectionProposed
	}
	return s.CorrectionStore.Corrections(ctx, status, page)
}

// Correction kinds.
const (
	KindCorrection = "correction"
	KindAssignment = "assignment"
)

// ProposeCorrection records a proposed correction of a drawn round (housing).
func (s *Rounds) ProposeCorrection(ctx context.Context, actor talent.User, roundID, applicationID, unitID, reason string) (Correction, error) {
	return s.propose(ctx, actor, KindCorrection, roundID, applicationID, unitID, reason)
}

// Assign proposes offering a unit by hand to an eligible application, also
// one whose earlier offer was declined or lapsed (housing). The reason is
// mandatory; the offer is made when a second officer approves.
func (s *Rounds) Assign(ctx context.Context, actor talent.User, unitID, applicationID, reason string) (Correction, error) {
	if err := requireHousing(actor); err != nil {
		return Correction{}, err
	}
	a, err := s.RoundStore.Application(ctx, applicationID)
	if err != nil {
		return Correction{}, err
	}
	if a.Status == AppIneligible || a.Status == AppWithdrawn {
		return Correction{}, talent.Errorf(talent.KindConflict, CodeApplicationNotEligible, "the application is %s", a.Status)
	}
	return s.propose(ctx, actor, KindAssignment, a.RoundID, applicationID, unitID, reason)
}

// propose records a correction or an assignment for a second officer.
func (s *Rounds) propose(ctx context.Context, actor talent.User, kind, roundID, applicationID, unitID, reason string) (Correction, error) {
	if err := requireHousing(actor); err != nil {
		return Correction{}, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return Correction{}, talent.Field("reason", talent.CodeRequired)
	}
	r, err := s.RoundStore.Round(ctx, roundID)
	if err != nil {
		return Correction{}, err
	}
	if r.Status != RoundDrawn {
		return Correction{}, talent.Errorf(talent.KindConflict, CodeRoundNotDrawn, "only a published draw is corrected")
	}
	a, err := s.RoundStore.Application(ctx, applicationID)
	if err != nil || a.RoundID != roundID {
		return Correction{}, talent.NotFound(CodeApplicationNotFound)
	}
	if a.UserID == actor.ID {
		return Correction{}, talent.OwnBenefit("an officer does not propose a unit for their own application")
	}
	c := Correction{ID: talent.NewID(), Kind: kind, RoundID: roundID, ApplicationID: applicationID, UnitID: unitID, Reason: reason,
		Status: "proposed", ProposedBy: actor.ID, ProposedAt: s.now()}
	return c, s.CorrectionStore.CreateCorrection(ctx, c)
}

// ApproveCorrection applies a proposed correction (a second housing
// officer): the application gets an offer of the unit, which must be free.
func (s *Rounds) ApproveCorrection(ctx context.Context, actor talent.User, id string) (Correction, error) {
	if err := requireHousing(actor); err != nil {
		return Correction{}, err
	}
	return s.CorrectionStore.ApplyCorrection(ctx, id, func(c *Correction, a Application) (Change, error) {
		switch {
		case c.Status != "proposed":
			return Change{}, talent.Errorf(talent.KindConflict, CodeCorrectionApplied, "the correction was applied already")
		case c.ProposedBy == actor.ID:
			return Change{}, talent.Errorf(talent.KindForbidden, talent.CodeSecondApprover, "a correction needs a second officer's approval")
		case a.UserID == actor.ID:
			return Change{}, talent.OwnBenefit("an officer does not approve a unit for their own application")
		}
		now := s.now()
		source := "correction"
		if c.Kind == KindAssignment {
			source = "manual"
		}
		o := s.newOffer(c.RoundID, a, c.UnitID, source, c.Reason, actor.ID, now)
		c.Status, c.ApprovedBy, c.ApprovedAt, c.OfferID = "applied", actor.ID, &now, o.ID
		var change Change
		change.offer(o, UnitOffer)
		return change, nil
	})
}
