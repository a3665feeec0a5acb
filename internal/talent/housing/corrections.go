package housing

import (
	"context"
	"strings"
	"time"

	"github.com/anju-city/anju/internal/talent"
)

// Correction changes a published draw's outcome for one application: the
// unit it should have. One housing officer proposes it; it takes effect
// only when a second one approves, and its row stays as the audit.
type Correction struct {
	ID            string
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
}

// ProposeCorrection records a proposed correction of a drawn round (housing).
func (s *Rounds) ProposeCorrection(ctx context.Context, actor talent.User, roundID, applicationID, unitID, reason string) (Correction, error) {
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
	c := Correction{ID: talent.NewID(), RoundID: roundID, ApplicationID: applicationID, UnitID: unitID, Reason: reason,
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
			return Change{}, talent.Errorf(talent.KindForbidden, CodeSecondApproverRequired, "a correction needs a second officer's approval")
		}
		now := s.now()
		o := s.newOffer(c.RoundID, a, c.UnitID, "correction", c.Reason, actor.ID, now)
		c.Status, c.ApprovedBy, c.ApprovedAt, c.OfferID = "applied", actor.ID, &now, o.ID
		var change Change
		change.offer(o, UnitOffer)
		return change, nil
	})
}
