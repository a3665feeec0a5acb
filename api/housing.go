package api

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"

	"github.com/anju-city/anju/api/gen"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/housing"
	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
	"github.com/xuri/excelize/v2"
)

func (h *handlers) ListProperties(c *fiber.Ctx, params gen.ListPropertiesParams) error {
	list, next, err := h.d.Housing.Properties(c.UserContext(), page(params.Cursor, params.Limit))
	if err != nil {
		return err
	}
	return c.JSON(gen.PropertyPage{Items: each(list, toProperty), NextCursor: optional(next)})
}

func (h *handlers) CreateProperty(c *fiber.Ctx, _ gen.CreatePropertyParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	var body gen.PropertyInput
	if err := decode(c, &body); err != nil {
		return err
	}
	p, err := h.d.Housing.CreateProperty(c.UserContext(), u, housing.PropertyInput{Name: body.Name, District: body.District, Address: body.Address})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(toProperty(p))
}

func (h *handlers) UpdateProperty(c *fiber.Ctx, id gen.ID, _ gen.UpdatePropertyParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	var body gen.PropertyInput
	if err := decode(c, &body); err != nil {
		return err
	}
	p, err := h.d.Housing.UpdateProperty(c.UserContext(), u, id.String(), housing.PropertyInput{Name: body.Name, District: body.District, Address: body.Address})
	if err != nil {
		return err
	}
	return c.JSON(toProperty(p))
}

func (h *handlers) CreateUnit(c *fiber.Ctx, id gen.ID, _ gen.CreateUnitParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	in, err := unitInput(c)
	if err != nil {
		return err
	}
	unit, err := h.d.Housing.CreateUnit(c.UserContext(), u, id.String(), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(toUnit(unit))
}

func (h *handlers) UpdateUnit(c *fiber.Ctx, id gen.ID, _ gen.UpdateUnitParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	in, err := unitInput(c)
	if err != nil {
		return err
	}
	unit, err := h.d.Housing.UpdateUnit(c.UserContext(), u, id.String(), in)
	if err != nil {
		return err
	}
	return c.JSON(toUnit(unit))
}

func (h *handlers) ListUnits(c *fiber.Ctx, params gen.ListUnitsParams) error {
	var f housing.UnitFilter
	if params.PropertyId != nil {
		f.PropertyID = params.PropertyId.String()
	}
	if params.Status != nil {
		f.Status = housing.UnitStatus(*params.Status)
	}
	list, next, err := h.d.Housing.Units(c.UserContext(), f, page(params.Cursor, params.Limit))
	if err != nil {
		return err
	}
	return c.JSON(gen.UnitPage{Items: each(list, toUnit), NextCursor: optional(next)})
}

// ImportUnits reads the spreadsheet into rows; the housing service checks
// them and imports all or nothing.
func (h *handlers) ImportUnits(c *fiber.Ctx, params gen.ImportUnitsParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	var rows [][]string
	if params.Format == gen.ImportUnitsParamsFormatCsv {
		r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(c.Body(), []byte("\ufeff"))))
		r.FieldsPerRecord = -1
		rows, err = r.ReadAll()
	} else {
		var f *excelize.File
		if f, err = excelize.OpenReader(bytes.NewReader(c.Body())); err == nil {
			rows, err = f.GetRows(f.GetSheetName(0))
			_ = f.Close()
		}
	}
	if err != nil {
		return talent.Invalid(talent.FieldError{Field: "body", Code: "spreadsheet_unreadable"})
	}
	n, err := h.d.Housing.ImportUnits(c.UserContext(), u, rows)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(gen.ImportResult{Imported: n})
}

func unitInput(c *fiber.Ctx) (housing.UnitInput, error) {
	var body gen.UnitInput
	if err := decode(c, &body); err != nil {
		return housing.UnitInput{}, err
	}
	in := housing.UnitInput{Number: body.Number, Layout: housing.Layout(body.Layout), Floor: body.Floor, MarketRent: body.MarketRent}
	whole, frac, _ := strings.Cut(body.Area, ".")
	frac += strings.Repeat("0", 2-len(frac))
	w, _ := strconv.Atoi(whole)
	f, _ := strconv.Atoi(frac)
	in.AreaDM2 = w*100 + f // the contract's pattern guarantees the digits
	if body.Status != nil {
		in.Status = housing.UnitStatus(*body.Status)
	}
	return in, nil
}

func toProperty(p housing.Property) gen.Property {
	return gen.Property{Id: uuid.MustParse(p.ID), Name: p.Name, District: p.District, Address: p.Address, CreatedAt: p.CreatedAt.UTC()}
}

func toUnit(u housing.Unit) gen.Unit {
	return gen.Unit{Id: uuid.MustParse(u.ID), PropertyId: uuid.MustParse(u.PropertyID), Number: u.Number,
		Layout: gen.UnitLayout(u.Layout), Area: fmt.Sprintf("%d.%02d", u.AreaDM2/100, u.AreaDM2%100), Floor: u.Floor,
		MarketRent: u.MarketRent, Status: gen.UnitStatus(u.Status)}
}
