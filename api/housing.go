package api

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/anju-city/anju/api/gen"
	"github.com/anju-city/anju/internal/sheet"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/housing"
	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
)

// housingHandlers are the inventory's and the leases' operations.
type housingHandlers struct {
	housing *housing.Service
	leases  *housing.Leases
}

func (h *housingHandlers) ListProperties(c *fiber.Ctx, params gen.ListPropertiesParams) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, _ talent.User) (gen.PropertyPage, error) {
		list, next, err := h.housing.Properties(ctx, page(params.Cursor, params.Limit))
		return gen.PropertyPage{Items: each(list, toProperty), NextCursor: optional(next)}, err
	}, same)
}

func (h *housingHandlers) CreateProperty(c *fiber.Ctx) error {
	return respondBody(c, fiber.StatusCreated, func(ctx context.Context, u talent.User, body gen.PropertyInput) (housing.Property, error) {
		return h.housing.CreateProperty(ctx, u, housing.PropertyInput{Name: body.Name, District: body.District, Address: body.Address})
	}, toProperty)
}

func (h *housingHandlers) UpdateProperty(c *fiber.Ctx, id gen.ID) error {
	return respondBody(c, fiber.StatusOK, func(ctx context.Context, u talent.User, body gen.PropertyInput) (housing.Property, error) {
		return h.housing.UpdateProperty(ctx, u, id.String(), housing.PropertyInput{Name: body.Name, District: body.District, Address: body.Address})
	}, toProperty)
}

func (h *housingHandlers) CreateUnit(c *fiber.Ctx, id gen.ID) error {
	return respondBody(c, fiber.StatusCreated, func(ctx context.Context, u talent.User, body gen.UnitInput) (housing.Unit, error) {
		return h.housing.CreateUnit(ctx, u, id.String(), unitInput(body))
	}, toUnit)
}

func (h *housingHandlers) UpdateUnit(c *fiber.Ctx, id gen.ID) error {
	return respondBody(c, fiber.StatusOK, func(ctx context.Context, u talent.User, body gen.UnitInput) (housing.Unit, error) {
		return h.housing.UpdateUnit(ctx, u, id.String(), unitInput(body))
	}, toUnit)
}

func (h *housingHandlers) ListUnits(c *fiber.Ctx, params gen.ListUnitsParams) error {
	var f housing.UnitFilter
	if params.PropertyId != nil {
		f.PropertyID = params.PropertyId.String()
	}
	f.Status = housing.UnitStatus(value(params.Status))
	return respond(c, fiber.StatusOK, func(ctx context.Context, _ talent.User) (gen.UnitPage, error) {
		list, next, err := h.housing.Units(ctx, f, page(params.Cursor, params.Limit))
		return gen.UnitPage{Items: each(list, toUnit), NextCursor: optional(next)}, err
	}, same)
}

// ImportUnits reads the spreadsheet into rows; the housing service checks
// them and imports all or nothing.
func (h *housingHandlers) ImportUnits(c *fiber.Ctx, params gen.ImportUnitsParams) error {
	rows, err := sheet.Read(c.Body(), params.Format == gen.ImportUnitsParamsFormatCsv, housing.MaxImportRows)
	if err != nil {
		return err
	}
	return respond(c, fiber.StatusCreated, func(ctx context.Context, u talent.User) (int, error) {
		return h.housing.ImportUnits(ctx, u, rows)
	}, func(n int) gen.ImportResult { return gen.ImportResult{Imported: n} })
}

func unitInput(body gen.UnitInput) housing.UnitInput {
	in := housing.UnitInput{Number: body.Number, Layout: housing.Layout(body.Layout), Floor: body.Floor, MarketRent: body.MarketRent}
	whole, frac, _ := strings.Cut(body.Area, ".")
	frac += strings.Repeat("0", 2-len(frac))
	w, _ := strconv.Atoi(whole)
	f, _ := strconv.Atoi(frac)
	in.AreaDM2 = w*100 + f // the contract's pattern guarantees the digits
	in.Status = housing.UnitStatus(value(body.Status))
	return in
}

func toProperty(p housing.Property) gen.Property {
	return gen.Property{Id: uuid.MustParse(p.ID), Name: p.Name, District: p.District, Address: p.Address, CreatedAt: p.CreatedAt.UTC()}
}

func toUnit(u housing.Unit) gen.Unit {
	return gen.Unit{Id: uuid.MustParse(u.ID), PropertyId: uuid.MustParse(u.PropertyID), Number: u.Number,
		Layout: gen.UnitLayout(u.Layout), Area: fmt.Sprintf("%d.%02d", u.AreaDM2/100, u.AreaDM2%100), Floor: u.Floor,
		MarketRent: u.MarketRent, Status: gen.UnitStatus(u.Status)}
}

func (h *housingHandlers) GetLease(c *fiber.Ctx, id gen.ID) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (housing.Lease, error) {
		return h.leases.Lease(ctx, u, id.String())
	}, toLease)
}

func (h *housingHandlers) RenewLease(c *fiber.Ctx, id gen.ID) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (housing.Lease, error) {
		return h.leases.Renew(ctx, u, id.String())
	}, toLease)
}

func (h *housingHandlers) MoveOut(c *fiber.Ctx, id gen.ID) error {
	return respondBody(c, fiber.StatusOK, func(ctx context.Context, u talent.User, body gen.MoveOutInput) (housing.Lease, error) {
		return h.leases.MoveOut(ctx, u, id.String(), string(body.Reason), value(body.Note))
	}, toLease)
}

func (h *housingHandlers) CheckIn(c *fiber.Ctx, id gen.ID) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (housing.Lease, error) {
		return h.leases.CheckIn(ctx, u, id.String())
	}, toLease)
}

func (h *housingHandlers) CheckOut(c *fiber.Ctx, id gen.ID) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (housing.Lease, error) {
		return h.leases.CheckOut(ctx, u, id.String())
	}, toLease)
}

func toLease(l housing.Lease) gen.Lease {
	out := gen.Lease{Id: uuidOf(l.ID), UnitId: uuidOf(l.UnitID), StartsOn: date(l.StartsOn), EndsOn: date(l.EndsOn),
		Months: l.Months, Status: gen.LeaseStatus(l.Status), RentSchedule: make([]gen.RentYear, len(l.RentSchedule)),
		MoveOutReason: optional(l.MoveOutReason), MoveOutBy: datePtr(l.MoveOutBy), CheckedInAt: utc(l.CheckedInAt),
		CheckedOutAt: utc(l.CheckedOutAt)}
	for i, y := range l.RentSchedule {
		out.RentSchedule[i] = gen.RentYear{Year: y.Year, Percent: y.Percent, MonthlyRent: y.MonthlyRent}
	}
	return out
}
