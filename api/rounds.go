package api

import (
	"strconv"

	"github.com/anju-city/anju/api/gen"
	"github.com/anju-city/anju/internal/talent/draw"
	"github.com/anju-city/anju/internal/talent/housing"
	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
)

func (h *handlers) ListRounds(c *fiber.Ctx, params gen.ListRoundsParams) error {
	list, next, err := h.d.Rounds.List(c.UserContext(), page(params.Cursor, params.Limit))
	if err != nil {
		return err
	}
	return c.JSON(gen.RoundPage{Items: each(list, toRound), NextCursor: optional(next)})
}

func (h *handlers) OpenRound(c *fiber.Ctx, _ gen.OpenRoundParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	var body gen.RoundInput
	if err := decode(c, &body); err != nil {
		return err
	}
	ids := make([]string, len(body.UnitIds))
	for i, id := range body.UnitIds {
		ids[i] = id.String()
	}
	r, err := h.d.Rounds.OpenRound(c.UserContext(), u, body.Name, body.OpensAt, body.ClosesAt, ids)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(toRound(r))
}

func (h *handlers) ApplyToRound(c *fiber.Ctx, id gen.ID, _ gen.ApplyToRoundParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	var body gen.ApplicationInput
	if err := decode(c, &body); err != nil {
		return err
	}
	in := housing.ApplicationInput{HouseholdSize: body.HouseholdSize, OwnsHome: body.OwnsHomeInCity, PublicRentalHousing: body.PublicRentalHousing}
	for _, p := range body.Preferences {
		var pref draw.Preference
		if p.PropertyId != nil {
			pref.PropertyID = p.PropertyId.String()
		}
		if p.Layout != nil {
			pref.Layout = string(*p.Layout)
		}
		in.Preferences = append(in.Preferences, pref)
	}
	a, err := h.d.Rounds.Apply(c.UserContext(), u, id.String(), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(toApplication(a))
}

func (h *handlers) GetApplication(c *fiber.Ctx, id gen.ID, _ gen.GetApplicationParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	a, err := h.d.Rounds.Application(c.UserContext(), u, id.String())
	if err != nil {
		return err
	}
	return c.JSON(toApplication(a))
}

func (h *handlers) CloseRound(c *fiber.Ctx, id gen.ID, _ gen.CloseRoundParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	r, err := h.d.Rounds.CloseRound(c.UserContext(), u, id.String())
	if err != nil {
		return err
	}
	return c.JSON(toRound(r))
}

func (h *handlers) RunDraw(c *fiber.Ctx, id gen.ID, _ gen.RunDrawParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	r, err := h.d.Rounds.Draw(c.UserContext(), u, id.String())
	if err != nil {
		return err
	}
	return c.JSON(toRound(r))
}

// GetDrawRecord serves the record in its canonical encoding, byte for byte
// what `anju verify-draw` checks.
func (h *handlers) GetDrawRecord(c *fiber.Ctx, id gen.ID, _ gen.GetDrawRecordParams) error {
	rec, err := h.d.Rounds.Record(c.UserContext(), id.String())
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

func (h *handlers) GetOffer(c *fiber.Ctx, id gen.ID, _ gen.GetOfferParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	o, l, err := h.d.Rounds.Offer(c.UserContext(), u, id.String())
	if err != nil {
		return err
	}
	return c.JSON(toOffer(o, l))
}

func (h *handlers) AcceptOffer(c *fiber.Ctx, id gen.ID, _ gen.AcceptOfferParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	if _, err := h.d.Rounds.Accept(c.UserContext(), u, id.String()); err != nil {
		return err
	}
	o, l, err := h.d.Rounds.Offer(c.UserContext(), u, id.String())
	if err != nil {
		return err
	}
	return c.JSON(toOffer(o, l))
}

func (h *handlers) DeclineOffer(c *fiber.Ctx, id gen.ID, _ gen.DeclineOfferParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	o, err := h.d.Rounds.Decline(c.UserContext(), u, id.String())
	if err != nil {
		return err
	}
	return c.JSON(toOffer(o, nil))
}

func (h *handlers) AssignUnit(c *fiber.Ctx, id gen.ID, _ gen.AssignUnitParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	var body gen.AssignInput
	if err := decode(c, &body); err != nil {
		return err
	}
	o, err := h.d.Rounds.Assign(c.UserContext(), u, id.String(), body.ApplicationId.String(), body.Reason)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(toOffer(o, nil))
}

// RoundNotice publishes a drawn round's result with names and ID numbers
// masked, as JSON or as a spreadsheet to post.
func (h *handlers) RoundNotice(c *fiber.Ctx, id gen.ID, params gen.RoundNoticeParams) error {
	r, lines, err := h.d.Rounds.Notice(c.UserContext(), id.String())
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

func toOffer(o housing.Offer, l *housing.Lease) gen.Offer {
	out := gen.Offer{Id: uuid.MustParse(o.ID), RoundId: uuid.MustParse(o.RoundID), ApplicationId: uuid.MustParse(o.ApplicationID),
		UnitId: uuid.MustParse(o.UnitID), Status: gen.OfferStatus(o.Status), Source: gen.OfferSource(o.Source),
		Reason: optional(o.Reason), ExpiresAt: o.ExpiresAt.UTC()}
	if l != nil {
		lease := toLease(*l)
		out.Lease = &lease
	}
	return out
}

func (h *handlers) ProposeCorrection(c *fiber.Ctx, id gen.ID, _ gen.ProposeCorrectionParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	var body gen.CorrectionInput
	if err := decode(c, &body); err != nil {
		return err
	}
	x, err := h.d.Rounds.ProposeCorrection(c.UserContext(), u, id.String(), body.ApplicationId.String(), body.UnitId.String(), body.Reason)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(toCorrection(x))
}

func (h *handlers) ApproveCorrection(c *fiber.Ctx, id gen.ID, _ gen.ApproveCorrectionParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	x, err := h.d.Rounds.ApproveCorrection(c.UserContext(), u, id.String())
	if err != nil {
		return err
	}
	return c.JSON(toCorrection(x))
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
