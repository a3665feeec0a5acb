package api

import (
	"context"

	"github.com/anju-city/anju/api/gen"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/draw"
	"github.com/anju-city/anju/internal/talent/housing"
	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
)

// roundHandlers are the allocation operations: rounds, applications, the
// draw, offers and corrections.
type roundHandlers struct {
	rounds *housing.Rounds
}

func (h *roundHandlers) ListRounds(c *fiber.Ctx, params gen.ListRoundsParams) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, _ talent.User) (gen.RoundPage, error) {
		list, next, err := h.rounds.List(ctx, page(params.Cursor, params.Limit))
		return gen.RoundPage{Items: each(list, toRound), NextCursor: optional(next)}, err
	}, same)
}

func (h *roundHandlers) OpenRound(c *fiber.Ctx) error {
	return respondBody(c, fiber.StatusCreated, func(ctx context.Context, u talent.User, body gen.RoundInput) (housing.Round, error) {
		ids := each(body.UnitIds, func(id gen.ID) string { return id.String() })
		return h.rounds.OpenRound(ctx, u, body.Name, body.OpensAt, body.ClosesAt, ids)
	}, toRound)
}

func (h *roundHandlers) ApplyToRound(c *fiber.Ctx, id gen.ID) error {
	return respondBody(c, fiber.StatusCreated, func(ctx context.Context, u talent.User, body gen.ApplicationInput) (housing.Application, error) {
		in := housing.ApplicationInput{HouseholdSize: body.HouseholdSize, OwnsHome: body.OwnsHomeInCity, PublicRentalHousing: body.PublicRentalHousing}
		for _, p := range body.Preferences {
			var pref draw.Preference
			if p.PropertyId != nil {
				pref.PropertyID = p.PropertyId.String()
			}
			pref.Layout = string(value(p.Layout))
			in.Preferences = append(in.Preferences, pref)
		}
		return h.rounds.Apply(ctx, u, id.String(), in)
	}, toApplication)
}

func (h *roundHandlers) GetApplication(c *fiber.Ctx, id gen.ID) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (housing.Application, error) {
		return h.rounds.Application(ctx, u, id.String())
	}, toApplication)
}

func (h *roundHandlers) CloseRound(c *fiber.Ctx, id gen.ID) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (housing.Round, error) {
		return h.rounds.CloseRound(ctx, u, id.String())
	}, toRound)
}

func (h *roundHandlers) RunDraw(c *fiber.Ctx, id gen.ID) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (housing.Round, error) {
		return h.rounds.Draw(ctx, u, id.String())
	}, toRound)
}

func (h *roundHandlers) GetDrawRecord(c *fiber.Ctx, id gen.ID) error {
	return drawRecord(c, h.rounds, id)
}

func toRound(r housing.Round) gen.Round {
	return gen.Round{Id: uuid.MustParse(r.ID), Name: r.Name, OpensAt: r.OpensAt.UTC(), ClosesAt: r.ClosesAt.UTC(),
		Status: gen.RoundStatus(r.Status), PolicyVersion: r.PolicyVersion, Commitment: r.Commitment,
		PoolHash: optional(r.PoolHash), DrawnAt: utc(r.DrawnAt)}
}

func toApplication(a housing.Application) gen.HousingApplication {
	out := gen.HousingApplication{Id: uuid.MustParse(a.ID), RoundId: uuid.MustParse(a.RoundID),
		Status: gen.HousingApplicationStatus(a.Status), Score: a.Score, HouseholdSize: a.HouseholdSize,
		Decision: toDecision(a.Decision), Preferences: make([]gen.HousingPreference, len(a.Preferences)), Rank: optional(a.Rank)}
	for i, p := range a.Preferences {
		if p.PropertyID != "" {
			id := uuid.MustParse(p.PropertyID)
			out.Preferences[i].PropertyId = &id
		}
		if p.Layout != "" {
			l := gen.HousingPreferenceLayout(p.Layout)
			out.Preferences[i].Layout = &l
		}
	}
	if a.UnitID != "" {
		id := uuid.MustParse(a.UnitID)
		out.UnitId = &id
	}
	return out
}

// offerView is an offer with the lease it became, if any.
type offerView struct {
	offer housing.Offer
	lease *housing.Lease
}

func (h *roundHandlers) GetOffer(c *fiber.Ctx, id gen.ID) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (offerView, error) {
		o, l, err := h.rounds.Offer(ctx, u, id.String())
		return offerView{o, l}, err
	}, toOfferView)
}

func (h *roundHandlers) AcceptOffer(c *fiber.Ctx, id gen.ID) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (offerView, error) {
		if _, err := h.rounds.Accept(ctx, u, id.String()); err != nil {
			return offerView{}, err
		}
		o, l, err := h.rounds.Offer(ctx, u, id.String())
		return offerView{o, l}, err
	}, toOfferView)
}

func (h *roundHandlers) DeclineOffer(c *fiber.Ctx, id gen.ID) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (offerView, error) {
		o, err := h.rounds.Decline(ctx, u, id.String())
		return offerView{offer: o}, err
	}, toOfferView)
}

func (h *roundHandlers) AssignUnit(c *fiber.Ctx, id gen.ID) error {
	return respondBody(c, fiber.StatusCreated, func(ctx context.Context, u talent.User, body gen.AssignInput) (housing.Correction, error) {
		return h.rounds.Assign(ctx, u, id.String(), body.ApplicationId.String(), body.Reason)
	}, toCorrection)
}

func (h *roundHandlers) RoundNotice(c *fiber.Ctx, id gen.ID, params gen.RoundNoticeParams) error {
	return roundNotice(c, h.rounds, id, value(params.Format) == gen.RoundNoticeParamsFormatXlsx)
}

func (h *roundHandlers) GetMyHousing(c *fiber.Ctx) error {
	return respond(c, fiber.StatusOK, h.rounds.Mine, func(m housing.Mine) gen.MyHousing {
		return gen.MyHousing{
			Applications: each(m.Applications, func(x housing.MyApplication) gen.MyApplication {
				return gen.MyApplication{Application: toApplication(x.Application), RoundName: x.RoundName, NextStep: *toNextStep(x.Next)}
			}),
			Offers: each(m.Offers, func(x housing.MyOffer) gen.MyOffer {
				return gen.MyOffer{Offer: toOfferView(offerView{offer: x.Offer}), NextStep: *toNextStep(x.Next)}
			}),
			Leases: each(m.Leases, func(x housing.MyLease) gen.MyLease {
				return gen.MyLease{Lease: toLease(x.Lease), NextStep: *toNextStep(x.Next)}
			}),
		}
	})
}

func toOfferView(v offerView) gen.Offer {
	o := v.offer
	out := gen.Offer{Id: uuid.MustParse(o.ID), RoundId: uuid.MustParse(o.RoundID), ApplicationId: uuid.MustParse(o.ApplicationID),
		UnitId: uuid.MustParse(o.UnitID), Status: gen.OfferStatus(o.Status), Source: gen.OfferSource(o.Source),
		Reason: optional(o.Reason), ExpiresAt: o.ExpiresAt.UTC()}
	if v.lease != nil {
		lease := toLease(*v.lease)
		out.Lease = &lease
	}
	return out
}

func (h *roundHandlers) ProposeCorrection(c *fiber.Ctx, id gen.ID) error {
	return respondBody(c, fiber.StatusCreated, func(ctx context.Context, u talent.User, body gen.CorrectionInput) (housing.Correction, error) {
		return h.rounds.ProposeCorrection(ctx, u, id.String(), body.ApplicationId.String(), body.UnitId.String(), body.Reason)
	}, toCorrection)
}

// ListCorrections lists corrections and hand assignments by status.
func (h *roundHandlers) ListCorrections(c *fiber.Ctx, params gen.ListCorrectionsParams) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (gen.CorrectionPage, error) {
		status := housing.CorrectionProposed
		if params.Status != nil {
			status = string(*params.Status)
		}
		list, next, err := h.rounds.Corrections(ctx, u, status, page(params.Cursor, params.Limit))
		return gen.CorrectionPage{Items: each(list, toCorrection), NextCursor: optional(next)}, err
	}, same)
}

func (h *roundHandlers) ApproveCorrection(c *fiber.Ctx, id gen.ID) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (housing.Correction, error) {
		return h.rounds.ApproveCorrection(ctx, u, id.String())
	}, toCorrection)
}

func toCorrection(x housing.Correction) gen.Correction {
	return gen.Correction{Id: uuidOf(x.ID), Kind: gen.CorrectionKind(x.Kind), RoundId: uuidOf(x.RoundID), ApplicationId: uuidOf(x.ApplicationID), UnitId: uuidOf(x.UnitID),
		Reason: x.Reason, Status: gen.CorrectionStatus(x.Status), ProposedBy: uuidOf(x.ProposedBy), ProposedAt: x.ProposedAt.UTC(),
		ApprovedBy: uuidPtr(x.ApprovedBy), ApprovedAt: utc(x.ApprovedAt), OfferId: uuidPtr(x.OfferID)}
}
