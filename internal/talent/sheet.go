package talent

import "strings"

// SheetColumns finds a spreadsheet's columns by their header, in any order:
// columns maps each column's name to the headers (English or Chinese, read
// case-insensitively) that name it. It returns each found column's index
// and, in the order of required, the required columns the header lacks.
func SheetColumns(header []string, columns map[string][]string, required []string) (map[string]int, []string) {
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		for name, aliases := range columns {
			for _, a := range aliases {
				if h == strings.ToLower(a) {
					col[name] = i
				}
			}
		}
	}
	var missing []string
	for _, name := range required {
		if _, ok := col[name]; !ok {
			missing = append(missing, name)
		}
	}
	return col, missing
}

// Cell is a row's trimmed cell i, or "" past the row's end.
func Cell(row []string, i int) string {
	if i < len(row) {
		return strings.TrimSpace(row[i])
	}
	return ""
}

// MissingColumns reports the header's missing columns as field problems
// ("header.name"), for a whole-file refusal.
func MissingColumns(missing []string) error {
	fields := make([]FieldError, len(missing))
	for i, m := range missing {
		fields[i] = FieldError{Field: "header." + m, Code: CodeRequired}
	}
	return Invalid(fields...)
}

// RejectRows refuses a whole file for the rows' problems, each named by row
// and column ("rows[3].layout", the header being row 1): nothing of it is
// taken.
func RejectRows(fields []FieldError) error {
	return &Error{Kind: KindInvalid, Code: CodeImportRejected, Message: "some rows are invalid; nothing was taken", Fields: fields}
}
