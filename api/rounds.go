package api

import (
	"context"
	"strconv"

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

// GetDrawRecord serves the record in its canonical encoding, byte for byte
// what `anju verify-draw` checks.
func (h *roundHandlers) GetDrawRecord(c *fiber.Ctx, id gen.ID) error {
	rec, err := h.rounds.Record(c.UserContext(), id.String())
	if err != nil {
		return err
	}
	b, err := draw.MarshalRecord(rec)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	return c.Send(b)
}

func toRound(r housing.Round) gen.Round {
	return gen.Round{Id: uuid.MustParse(r.ID), Name: r.Name, OpensAt: r.OpensAt.UTC(), ClosesAt: r.ClosesAt.UTC(),
		Status: gen.RoundStatus(r.Status), PolicyVersion: r.PolicyVersion, Commitment: r.Commitment,
		PoolHash: optional(r.PoolHash), DrawnAt: utc(r.DrawnAt)}
}

func toApplication(a housing.Application) gen.HousingApplication {
	out := gen.HousingApplication{Id: uuid.MustParse(a.ID), RoundId: uuid.MustParse(a.RoundID),
		Status: gen.HousingApplicationStatus(a.Status), Score: a.Score, HouseholdSize: a.HouseholdSize,
		Decision: toDecision(a.Decision), Preferences: make([]gen.HousingPreference, len(a.Preferences))}
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
	return respondBody(c, fiber.StatusCreated, func(ctx context.Context, u talent.User, body gen.AssignInput) (offerView, error) {
		o, err := h.rounds.Assign(ctx, u, id.String(), body.ApplicationId.String(), body.Reason)
		return offerView{offer: o}, err
	}, toOfferView)
}

// RoundNotice publishes a drawn round's result with names and ID numbers
// masked, as JSON or as a spreadsheet to post.
func (h *roundHandlers) RoundNotice(c *fiber.Ctx, id gen.ID, params gen.RoundNoticeParams) error {
	r, lines, err := h.rounds.Notice(c.UserContext(), id.String())
	if err != nil {
		return err
	}
	out := gen.RoundNotice{RoundId: r.ID, Name: r.Name, Commitment: r.Commitment, PoolHash: r.PoolHash,
		Seed: r.Record.Seed, Lines: make([]gen.NoticeLine, len(lines))}
	for i, l := range lines {
		out.Lines[i] = gen.NoticeLine{Rank: l.Rank, Applicant: l.Applicant, Score: l.Score, UnitId: optional(l.UnitID)}
	}
	if params.Format == nil || *params.Format == gen.RoundNoticeParamsFormatJson {
		return c.JSON(out)
	}
	rows := [][]string{{"名次", "申请人", "积分", "分配房源"}}
	for _, l := range lines {
		unit := "候补"
		if l.UnitID != "" {
			unit = l.UnitID
		}
		rows = append(rows, []string{strconv.Itoa(l.Rank), l.Applicant, strconv.Itoa(l.Score), unit})
	}
	rows = append(rows, nil, []string{"种子承诺", r.Commitment}, []string{"申请池哈希", r.PoolHash}, []string{"种子", r.Record.Seed})
	book, err := spreadsheet(rows)
	if err != nil {
		return err
	}
	return sendXLSX(c, "anju-notice-"+r.ID[:8], book)
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

func (h *roundHandlers) ApproveCorrection(c *fiber.Ctx, id gen.ID) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (housing.Correction, error) {
		return h.rounds.ApproveCorrection(ctx, u, id.String())
	}, toCorrection)
}

func toCorrection(x housing.Correction) gen.Correction {
	out := gen.Correction{Id: uuidOf(x.ID), RoundId: uuidOf(x.RoundID), ApplicationId: uuidOf(x.ApplicationID), UnitId: uuidOf(x.UnitID),
		Reason: x.Reason, Status: gen.CorrectionStatus(x.Status), ProposedBy: uuidOf(x.ProposedBy), ProposedAt: x.ProposedAt.UTC(),
		ApprovedAt: utc(x.ApprovedAt)}
	if x.ApprovedBy != "" {
		id := uuidOf(x.ApprovedBy)
		out.ApprovedBy = &id
	}
	if x.OfferID != "" {
		id := uuidOf(x.OfferID)
		out.OfferId = &id
	}
	return out
}
