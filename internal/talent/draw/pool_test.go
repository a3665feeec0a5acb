package draw

import (
	"strings"
	"testing"

	"github.com/anju-city/anju/internal/talent"
)

func TestPreferenceMatches(t *testing.T) {
	u := Unit{ID: "u", PropertyID: "p1", Layout: "2br"}
	tests := []struct {
		p    Preference
		want bool
	}{
		{Preference{}, true},
		{Preference{PropertyID: "p1"}, true},
		{Preference{Layout: "2br"}, true},
		{Preference{PropertyID: "p1", Layout: "2br"}, true},
		{Preference{PropertyID: "p2"}, false},
		{Preference{Layout: "1br"}, false},
		{Preference{PropertyID: "p1", Layout: "1br"}, false},
		{Preference{PropertyID: "p2", Layout: "2br"}, false},
	}
	for _, tt := range tests {
		if got := tt.p.Matches(u); got != tt.want {
			t.Errorf("%+v.Matches(%+v) = %v, want %v", tt.p, u, got, tt.want)
		}
	}
}

func TestValidate(t *testing.T) {
	if err := Validate(smallPool()); err != nil {
		t.Fatalf("valid pool: %v", err)
	}
	tests := []struct {
		name   string
		mutate func(p *Pool)
		field  string
		code   string
	}{
		{"no round", func(p *Pool) { p.RoundID = "" }, "roundId", "required"},
		{"unit without id", func(p *Pool) { p.Units[0].ID = "" }, "units[0].id", "required"},
		{"unit without property", func(p *Pool) { p.Units[1].PropertyID = "" }, "units[1].propertyId", "required"},
		{"unit without layout", func(p *Pool) { p.Units[1].Layout = "" }, "units[1].layout", "required"},
		{"duplicate unit", func(p *Pool) { p.Units[1].ID = p.Units[0].ID }, "units[1].id", "duplicate"},
		{"application without id", func(p *Pool) { p.Applications[0].ID = "" }, "applications[0].id", "required"},
		{"duplicate application", func(p *Pool) { p.Applications[1].ID = p.Applications[0].ID }, "applications[1].id", "duplicate"},
		{"clear id number", func(p *Pool) { p.Applications[0].Applicant = "王五 330282199901011234" }, "applications[0].applicant", "not_masked"},
		{"clear phone", func(p *Pool) { p.Applications[1].Applicant = "13812345678" }, "applications[1].applicant", "not_masked"},
		{"negative score", func(p *Pool) { p.Applications[0].Score = -1 }, "applications[0].score", "out_of_range"},
		{"score too high", func(p *Pool) { p.Applications[0].Score = MaxScore + 1 }, "applications[0].score", "out_of_range"},
		{"no household", func(p *Pool) { p.Applications[0].HouseholdSize = 0 }, "applications[0].householdSize", "out_of_range"},
		{"household too large", func(p *Pool) { p.Applications[0].HouseholdSize = MaxHouseholdSize + 1 }, "applications[0].householdSize", "out_of_range"},
		{"no preferences", func(p *Pool) { p.Applications[1].Preferences = nil }, "applications[1].preferences", "count"},
		{"six preferences", func(p *Pool) { p.Applications[1].Preferences = make([]Preference, 6) }, "applications[1].preferences", "count"},
		{"bad utf-8", func(p *Pool) { p.Applications[0].Preferences[1].Layout = "\xff" }, "applications[0].preferences[1].layout", "invalid_utf8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := smallPool()
			tt.mutate(&p)
			err := Validate(p)
			if talent.ErrorKind(err) != talent.KindInvalid {
				t.Fatalf("Validate = %v, want an invalid error", err)
			}
			e := err.(*talent.Error)
			for _, f := range e.Fields {
				if f.Field == tt.field && f.Code.String() == tt.code {
					return
				}
			}
			t.Errorf("Validate = %v, want field %s code %s", err, tt.field, tt.code)
		})
	}
}

func TestValidateMasked(t *testing.T) {
	for _, ok := range []string{"", "李*", "3302**********123X", "138****5678", "张*（2026001）"} {
		p := smallPool()
		p.Applications[0].Applicant = ok
		if err := Validate(p); err != nil {
			t.Errorf("applicant %q: %v", ok, err)
		}
	}
}

func TestValidateCapsErrors(t *testing.T) {
	p := Pool{RoundID: "r"}
	for range 100 {
		p.Units = append(p.Units, Unit{})
	}
	err := Validate(p).(*talent.Error)
	if len(err.Fields) != maxFieldErrors {
		t.Errorf("%d field errors, want %d", len(err.Fields), maxFieldErrors)
	}
	if strings.Contains(err.Error(), "units[99]") {
		t.Error("errors past the cap are reported")
	}
}
