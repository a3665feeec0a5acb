package sheet

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Rows are streamed and reading stops after the header, the cap and one
// more row, for XLSX and CSV alike; trailing empty rows are dropped.
func TestReadSheetStopsAtTheCap(t *testing.T) {
	t.Parallel()
	book := excelize.NewFile()
	sw, err := book.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	var text bytes.Buffer
	cw := csv.NewWriter(&text)
	for i := 1; i <= 3000; i++ {
		row := []any{fmt.Sprintf("r%d", i), i}
		if err := sw.SetRow(fmt.Sprintf("A%d", i), row); err != nil {
			t.Fatal(err)
		}
		_ = cw.Write([]string{fmt.Sprintf("r%d", i), fmt.Sprint(i)})
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	cw.Flush()
	var xlsx bytes.Buffer
	if err := book.Write(&xlsx); err != nil {
		t.Fatal(err)
	}
	for name, in := range map[string]struct {
		body  []byte
		isCSV bool
	}{"xlsx": {xlsx.Bytes(), false}, "csv": {text.Bytes(), true}} {
		rows, err := Read(in.body, in.isCSV, 100)
		if err != nil || len(rows) != 102 || rows[101][0] != "r102" {
			t.Errorf("%s: %d rows, %v", name, len(rows), err)
		}
		rows, err = Read(in.body, in.isCSV, 5000)
		if err != nil || len(rows) != 3000 {
			t.Errorf("%s whole: %d rows, %v", name, len(rows), err)
		}
	}
	wide := strings.Repeat("x,", 100) + "x\n"
	if _, err := Read([]byte(wide), true, 10); err == nil {
		t.Error("a row of 101 columns was read")
	}
}

// Every cell a spreadsheet program would evaluate is neutralised, in CSV
// and in XLSX; plain numbers and ordinary text are written as they are.
func TestExportsNeutraliseFormulas(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"=HYPERLINK(\"http://x\",\"点我\")": "'=HYPERLINK(\"http://x\",\"点我\")",
		"+1+cmd|' /C calc'!A0":            "'+1+cmd|' /C calc'!A0",
		"-2+3":                            "'-2+3",
		"@SUM(A1)":                        "'@SUM(A1)",
		"\t=1":                            "'\t=1",
		"\r=1":                            "'\r=1",
		"-12.50":                          "-12.50",
		"+86":                             "+86",
		"张三":                              "张三",
		"6222021234567890123":             "6222021234567890123",
		"":                                "",
	}
	for in, want := range cases {
		if got := SafeCell(in); got != want {
			t.Errorf("SafeCell(%q) = %q, want %q", in, got, want)
		}
	}
	rows := [][]string{{"name", "amount"}, {"=1+1", "-5"}, {"@x", "12.00"}}
	file, err := CSV(rows)
	if err != nil {
		t.Fatal(err)
	}
	got, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(file, []byte("\ufeff")))).ReadAll()
	if err != nil || got[1][0] != "'=1+1" || got[1][1] != "-5" || got[2][0] != "'@x" {
		t.Errorf("csv: %q %v", got, err)
	}
	book, err := XLSX(rows)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Read(book, false, 10)
	if err != nil || back[1][0] != "'=1+1" || back[2][0] != "'@x" {
		t.Errorf("xlsx: %q %v", back, err)
	}
}
