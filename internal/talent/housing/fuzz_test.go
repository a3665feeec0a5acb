package housing

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
)

// Any import sheet with its header is refused for a missing column or read
// into one row per line; a row with no problem is a unit that passes the
// same checks as one entered by hand, and every problem names its row.
func FuzzReadUnitRows(f *testing.F) {
	f.Add([]byte("property,number,layout,area,floor,rent\n海曙人才公寓,101,studio,45.50,1,1800\n"))
	f.Add([]byte("楼盘,房号,户型,面积,楼层,市场租金\nA,1,2BR,120,30,3500.5\nA,1,2br,-1,x,1.234\n"))
	f.Add([]byte("property,number\nx,y\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := csv.NewReader(bytes.NewReader(data))
		r.FieldsPerRecord, r.LazyQuotes = -1, true
		rows, err := r.ReadAll()
		if err != nil || len(rows) < 2 {
			return
		}
		parsed, err := readUnitRows(rows)
		if err != nil {
			return
		}
		if len(parsed) != len(rows)-1 {
			t.Fatalf("%d lines, %d rows read", len(rows)-1, len(parsed))
		}
		for _, u := range parsed {
			for _, p := range u.problems {
				if !strings.HasPrefix(p.Field, u.prefix) {
					t.Fatalf("problem %q of row %q", p.Field, u.prefix)
				}
			}
			if len(u.problems) == 0 {
				if errs := u.in.check(u.prefix); len(errs) > 0 {
					t.Fatalf("a clean row fails the unit checks: %+v", errs)
				}
				if u.in.AreaDM2 < 0 || u.in.MarketRent < 0 {
					t.Fatalf("negative figures accepted: %+v", u.in)
				}
			}
		}
	})
}
