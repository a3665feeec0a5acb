package talent

import (
	"testing"
	"time"
)

func TestParseNationalID(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		code string // "" means valid
		mask string
	}{
		{"11010519491231002X", "", "1101**********002X"},
		{"11010519491231002x", "", "1101**********002X"},
		{"330203199001011236", "", "3302**********1236"},
		{"330203199001011234", "national_id_checksum", ""},
		{"11010519491231002", "national_id_length", ""},
		{"1101051949123100A2", "national_id_format", ""},
		{"110105194902300020", "national_id_birth_date", ""}, // 30 February
		{"110105203001010028", "national_id_birth_date", ""}, // born in the future
		{"010105194912310026", "national_id_region", ""},
		{"330203200002290017", "", "3302**********0017"}, // leap day
	}
	for _, tt := range tests {
		id, err := ParseNationalID(tt.in, now)
		if tt.code == "" {
			if err != nil {
				t.Errorf("%s: unexpected %v", tt.in, err)
				continue
			}
			if id.Masked() != tt.mask || id.String() != tt.mask {
				t.Errorf("%s: masked %q, want %q", tt.in, id.Masked(), tt.mask)
			}
			continue
		}
		if err == nil || len(err.Fields) != 1 || err.Fields[0].Code.String() != tt.code || err.Fields[0].Field != "nationalId" {
			t.Errorf("%s: got %v, want field nationalId code %s", tt.in, err, tt.code)
		}
	}
}

func TestNationalIDBirthDate(t *testing.T) {
	t.Parallel()
	id, err := ParseNationalID("330203200002290017", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if got := id.BirthDate().Format("2006-01-02"); got != "2000-02-29" {
		t.Fatalf("birth date %s", got)
	}
}

func TestMaskPhone(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"13812345678": "138****5678", "+8613812345678": "+86138****5678", "123": "***"} {
		if got := MaskPhone(in); got != want {
			t.Errorf("MaskPhone(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMaskPerson(t *testing.T) {
	t.Parallel()
	if got := MaskPerson("李明", "3302**********0423"); got != "李*（0423）" {
		t.Fatalf("MaskPerson = %q", got)
	}
	if got := MaskPerson("", ""); got != "*（）" {
		t.Fatalf("MaskPerson of nothing = %q", got)
	}
}
