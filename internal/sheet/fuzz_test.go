package sheet

import (
	"testing"

	"github.com/xuri/excelize/v2"
)

// Any uploaded file, read as CSV or as XLSX, is refused as unreadable or
// gives at most the header, the cap and one more row, none of them wider
// than the column cap.
func FuzzReadSheet(f *testing.F) {
	book := excelize.NewFile()
	_ = book.SetSheetRow("Sheet1", "A1", &[]any{"property", "number", "layout"})
	_ = book.SetSheetRow("Sheet1", "A2", &[]any{"海曙", 101, "=1+1"})
	buf, err := book.WriteToBuffer()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes(), false)
	f.Add([]byte("\ufeffa,b,c\n1,2,3\n\"x\"\"y\",,\n"), true)
	f.Add([]byte("PK\x03\x04"), false)
	f.Fuzz(func(t *testing.T, data []byte, isCSV bool) {
		const limit = 5
		rows, err := Read(data, isCSV, limit)
		if err != nil {
			return
		}
		if len(rows) > limit+2 {
			t.Fatalf("%d rows past a cap of %d", len(rows), limit)
		}
		for _, r := range rows {
			if len(r) > MaxColumns {
				t.Fatalf("a row of %d columns", len(r))
			}
		}
	})
}
