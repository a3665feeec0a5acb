package housing

import (
	"context"
	"strconv"
	"strings"

	"github.com/anju-city/anju/internal/talent"
)

// importColumns are the spreadsheet's columns, recognised by an English or
// Chinese header in the first row, in any order.
var importColumns = map[string][]string{
	"property":   {"property", "楼盘", "项目"},
	"number":     {"number", "房号"},
	"layout":     {"layout", "户型"},
	"area":       {"area", "面积"},
	"floor":      {"floor", "楼层"},
	"marketRent": {"rent", "marketrent", "市场租金"},
}

// MaxImportRows bounds one import.
const MaxImportRows = 5000

// ImportUnits adds the units listed in rows (the first row is the header)
// to the properties they name. Every row is checked and every problem is
// reported by row and column ("rows[3].layout", counting the header as row
// 1); when any row is bad nothing is imported.
// MayImportUnits says whether actor may import units at all. The API asks
// it before reading the uploaded file, so that nobody else makes Anju
// parse a workbook.
func MayImportUnits(actor talent.User) error { return requireHousing(actor) }

func (s *Service) ImportUnits(ctx context.Context, actor talent.User, rows [][]string) (int, error) {
	if err := MayImportUnits(actor); err != nil {
		return 0, err
	}
	if len(rows) < 2 {
		return 0, talent.Invalid(talent.FieldError{Field: "rows", Code: talent.CodeImportEmpty})
	}
	if len(rows) > MaxImportRows+1 {
		return 0, talent.Invalid(talent.FieldError{Field: "rows", Code: talent.CodeTooManyItems})
	}
	parsed, err := readUnitRows(rows)
	if err != nil {
		return 0, err
	}
	names := make([]string, len(parsed))
	for i, r := range parsed {
		names[i] = r.property
	}
	props, err := s.Inventory.PropertiesByName(ctx, names)
	if err != nil {
		return 0, err
	}
	var fields []talent.FieldError
	var units []Unit
	seen := map[string]bool{}
	for _, r := range parsed {
		fields = append(fields, r.problems...)
		p, ok := props[r.property]
		if !ok {
			fields = append(fields, talent.FieldError{Field: r.prefix + "property", Code: CodePropertyUnknown})
			continue
		}
		key := p.ID + "/" + r.in.Number
		if seen[key] {
			fields = append(fields, talent.FieldError{Field: r.prefix + "number", Code: talent.CodeDuplicateInFile})
			continue
		}
		seen[key] = true
		units = append(units, s.unit(p.ID, r.in))
	}
	if len(fields) > 0 {
		return 0, talent.RejectRows(fields)
	}
	if err := s.Inventory.CreateUnits(ctx, units); err != nil {
		return 0, err
	}
	return len(units), nil
}

// unitRow is one row of an import as read, before its property is looked up.
type unitRow struct {
	prefix   string // rows[N]. as problems name the row
	property string
	in       UnitInput
	problems []talent.FieldError // what is wrong with the row by itself
}

// readUnitRows reads the rows of an import sheet (header first) into units
// with the problems of each row, by row and column; it needs no store, so
// what a file can do to it is fuzzed (FuzzReadUnitRows). A missing column
// is an error of the whole file.
func readUnitRows(rows [][]string) ([]unitRow, error) {
	col, missing := talent.SheetColumns(rows[0], importColumns, []string{"property", "number", "layout", "area", "floor", "marketRent"})
	if len(missing) > 0 {
		return nil, talent.MissingColumns(missing)
	}
	out := make([]unitRow, 0, len(rows)-1)
	for i, r := range rows[1:] {
		var fields []talent.FieldError
		prefix := "rows[" + strconv.Itoa(i+2) + "]."
		in := UnitInput{Number: talent.Cell(r, col["number"]), Layout: Layout(strings.ToLower(talent.Cell(r, col["layout"])))}
		var bad bool
		if in.AreaDM2, bad = hundredths(talent.Cell(r, col["area"])); bad {
			fields = append(fields, talent.FieldError{Field: prefix + "area", Code: talent.CodeNumberFormat})
		}
		rent, badRent := hundredths(talent.Cell(r, col["marketRent"]))
		if badRent {
			fields = append(fields, talent.FieldError{Field: prefix + "marketRent", Code: talent.CodeNumberFormat})
		}
		in.MarketRent = int64(rent)
		floor, err := strconv.Atoi(talent.Cell(r, col["floor"]))
		if err != nil {
			fields = append(fields, talent.FieldError{Field: prefix + "floor", Code: talent.CodeNumberFormat})
		}
		in.Floor = floor
		fields = append(fields, in.check(prefix)...)
		out = append(out, unitRow{prefix: prefix, property: talent.Cell(r, col["property"]), in: in, problems: fields})
	}
	return out, nil
}

// hundredths parses a decimal with at most two places ("45.5" → 4550)
// without going through a float.
func hundredths(s string) (int, bool) {
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(frac) > 2 {
		return 0, true
	}
	frac += strings.Repeat("0", 2-len(frac))
	w, err1 := strconv.Atoi(whole)
	f, err2 := strconv.Atoi(frac)
	if err1 != nil || err2 != nil || w < 0 || f < 0 {
		return 0, true
	}
	return w*100 + f, false
}
