package api

import (
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
	out := gen.RoundPage{Items: make([]gen.Round, len(list)), NextCursor: optional(next)}
	for i, r := range list {
		out.Items[i] = toRound(r)
	}
	return c.JSON(out)
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
