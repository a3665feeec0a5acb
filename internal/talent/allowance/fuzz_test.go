package allowance

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"
)

// csvRows reads fuzz input as a bank would send it: CSV, ragged rows
// allowed; nil when it is not CSV at all.
func csvRows(data []byte) [][]string {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord, r.LazyQuotes = -1, true
	rows, err := r.ReadAll()
	if err != nil {
		return nil
	}
	return rows
}

// Any return file is refused as a whole (header, size) or read row by row:
// one answer per line, and a line is marked bad exactly when a problem
// names it.
func FuzzParseReturns(f *testing.F) {
	f.Add([]byte("reference,result,reason,serial\nabc,paid,,S1\ndef,failed,账户已销户,S2\n"))
	f.Add([]byte("\ufeff参考号,结果,原因\nabc,成功,\nabc,失败,\n"))
	f.Add([]byte("reference\nabc\n"))
	f.Add([]byte("reference,result\n,\n\"x\"\"y\",PAID\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows := csvRows(data)
		if rows == nil {
			return
		}
		answers, fields, bad := parseReturns(rows)
		if answers == nil {
			if len(fields) == 0 {
				t.Fatal("refused without a reason")
			}
			return
		}
		if len(answers) != len(rows)-1 || len(bad) != len(answers) {
			t.Fatalf("%d lines, %d answers, %d marks", len(rows)-1, len(answers), len(bad))
		}
		named := map[int]bool{}
		for _, fe := range fields {
			n, ok := rowOf(fe.Field)
			if !ok {
				t.Fatalf("a line's problem names no line: %q", fe.Field)
			}
			named[n-2] = true
		}
		for i, b := range bad {
			if b != named[i] {
				t.Fatalf("line %d marked %v, problems name it %v", i+2, b, named[i])
			}
		}
	})
}

// rowOf reads N from "rows[N].column".
func rowOf(field string) (int, bool) {
	rest, ok := strings.CutPrefix(field, "rows[")
	if !ok {
		return 0, false
	}
	num, _, ok := strings.Cut(rest, "].")
	n, err := strconv.Atoi(num)
	return n, ok && err == nil
}
