package employers

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/anju-city/anju/internal/pii"
)

// Any filing sheet with its header is refused for a missing column or read
// into one hire per line: every problem names its row, and a hire whose row
// has no national ID problem carries the number's blind index.
func FuzzReadHires(f *testing.F) {
	ring, err := pii.NewKeyring([]pii.Key{{ID: "k1", Secret: bytes.Repeat([]byte{1}, 32)}}, bytes.Repeat([]byte{2}, 32))
	if err != nil {
		f.Fatal(err)
	}
	s := &Service{Vault: ring}
	now := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	f.Add([]byte("name,nationalId,phone,contractStart,contractEnd,socialInsuranceStart\n张三,330282199806150423,13800138000,2026-06-01,2029-05-31,2026/6/1\n"))
	f.Add([]byte("姓名,身份证号,合同开始,合同结束,社保开始\n李四,11010519491231002x,2026.7.1,2025-01-01,bad\n,,,,\n"))
	f.Add([]byte("name\nx\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := csv.NewReader(bytes.NewReader(data))
		r.FieldsPerRecord, r.LazyQuotes = -1, true
		rows, err := r.ReadAll()
		if err != nil || len(rows) < 2 {
			return
		}
		parsed, seen, fields, err := s.readHires(rows, "employer-1", now)
		if err != nil {
			return
		}
		if len(parsed) != len(rows)-1 {
			t.Fatalf("%d lines, %d hires", len(rows)-1, len(parsed))
		}
		idProblem := map[string]bool{}
		for _, fe := range fields {
			if !strings.HasPrefix(fe.Field, "rows[") {
				t.Fatalf("a problem names no row: %q", fe.Field)
			}
			if strings.HasSuffix(fe.Field, ".nationalId") {
				idProblem[strings.TrimSuffix(fe.Field, "nationalId")] = true
			}
		}
		for _, h := range parsed {
			if h.hire.EmployerID != "employer-1" {
				t.Fatalf("hire of another employer: %+v", h.hire)
			}
			if !idProblem[h.prefix] && (len(h.number) != 18 || !seen[h.hire.NationalIDIndex] || h.hire.NationalIDIndex != ring.Index(h.number)) {
				t.Fatalf("row %s without an ID problem has no indexed number", h.prefix)
			}
		}
	})
}
