// Package sheet reads the spreadsheets Anju is sent (CSV or XLSX: unit
// imports, HR filings, bank return files) within limits a hostile file
// cannot get round, and writes the ones it hands out (CSV or XLSX exports)
// with every cell a spreadsheet program would evaluate neutralised.
package sheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/anju-city/anju/internal/talent"
	"github.com/xuri/excelize/v2"
)

// Limits on what one uploaded workbook may unpack to. An XLSX is a zip: a
// few hundred kilobytes can inflate to gigabytes (excelize's defaults allow
// 16 GiB), so the whole archive and each XML part are capped well above what
// a sheet of the largest import (5,000 rows) needs.
const (
	sheetUnzipLimit   = 64 << 20
	sheetXMLPartLimit = 16 << 20
	UploadLimit       = 4 << 20 // the body itself, XLSX or CSV
	MaxColumns        = 64      // no import has more than a dozen columns
)

// Read reads an uploaded spreadsheet's first sheet, CSV (a UTF-8 BOM
// allowed) or XLSX, into rows of text. Rows are streamed and reading stops
// once the header, maxRows rows and one more are in: the service then
// refuses the file as too long without the rest ever being parsed.
func Read(body []byte, isCSV bool, maxRows int) ([][]string, error) {
	limit := maxRows + 2
	var rows [][]string
	var err error
	if isCSV {
		rows, err = readCSV(body, limit)
	} else {
		rows, err = readXLSX(body, limit)
	}
	if err != nil {
		return nil, talent.Field("body", talent.CodeSpreadsheetUnreadable)
	}
	return rows, nil
}

func readCSV(body []byte, limit int) ([][]string, error) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\ufeff"))))
	r.FieldsPerRecord = -1
	var rows [][]string
	for len(rows) < limit {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(rec) > MaxColumns {
			return nil, errors.New("too many columns")
		}
		rows = append(rows, rec)
	}
	return rows, nil
}

func readXLSX(body []byte, limit int) (rows [][]string, err error) {
	f, err := excelize.OpenReader(bytes.NewReader(body), excelize.Options{
		UnzipSizeLimit: sheetUnzipLimit, UnzipXMLSizeLimit: sheetXMLPartLimit,
	})
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	it, err := f.Rows(f.GetSheetName(0))
	if err != nil {
		return nil, err
	}
	defer func() { _ = it.Close() }()
	last := 0 // rows up to the last one with a value; trailing empty rows are dropped, as GetRows does
	for len(rows) < limit && it.Next() {
		cols, err := it.Columns()
		if err != nil {
			return nil, err
		}
		if len(cols) > MaxColumns {
			return nil, errors.New("too many columns")
		}
		rows = append(rows, cols)
		if len(cols) > 0 {
			last = len(rows)
		}
	}
	if err := it.Error(); err != nil {
		return nil, err
	}
	return rows[:last], nil
}

// SafeCell neutralises a cell a spreadsheet program would run as a formula
// (=, +, -, @, tab or CR first) by putting a single quote in front: names,
// employers and reasons come from graduates and must be shown, never
// evaluated. Plain numbers ("-12.50") are left as they are. Every export
// (CSV or XLSX) writes its cells through it.
func SafeCell(v string) string {
	if v == "" || !strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return v
	}
	if _, err := strconv.ParseFloat(v, 64); err == nil && !strings.ContainsAny(v, "\t\r") {
		return v
	}
	return "'" + v
}

// CSV writes rows as CSV with a BOM, so that spreadsheet programs read
// the UTF-8 names right.
func CSV(rows [][]string) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	for _, row := range rows {
		safe := make([]string, len(row))
		for i, v := range row {
			safe[i] = SafeCell(v)
		}
		if err := w.Write(safe); err != nil {
			return nil, err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// XLSX writes rows into one sheet, every cell as text: account and
// ID numbers stay text, since a number cell would round them.
func XLSX(rows [][]string) ([]byte, error) {
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	sheet := f.GetSheetName(0)
	for r, row := range rows {
		for col, v := range row {
			cell, _ := excelize.CoordinatesToCellName(col+1, r+1)
			if err := f.SetCellStr(sheet, cell, SafeCell(v)); err != nil {
				return nil, err
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
