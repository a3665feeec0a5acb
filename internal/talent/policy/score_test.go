package policy

import (
	"os"
	"reflect"
	"testing"

	"github.com/anju-city/anju/internal/talent"
)

func apartmentScoring(t *testing.T) ScoreParams {
	t.Helper()
	data, err := os.ReadFile("packages/apartment.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return *p.Scoring
}

func TestScore(t *testing.T) {
	t.Parallel()
	params := apartmentScoring(t)
	tests := []struct {
		name  string
		facts func(*Facts)
		want  int
		lines map[string]int
	}{
		{"master, tier B, 15 months, household of 3",
			func(f *Facts) {
				f.TalentTier, f.HouseholdSize = "B", 3
				f.SocialInsurance = SocialInsurance{Known: true, Months: 15}
			},
			20 + 40 + 12 + 4, map[string]int{"degree": 20, "talent_tier": 40, "social_insurance": 12, "household": 4}},
		{"bachelor, no tier, 5 months, alone",
			func(f *Facts) {
				f.Education = []Education{edu(talent.LevelBachelor, true, d(2025, 6, 30), "宁波大学")}
				f.HouseholdSize = 1
				f.SocialInsurance = SocialInsurance{Known: true, Months: 5}
			},
			10 + 0 + 5 + 0, nil},
		{"doctorate and master: the highest degree counts, household capped",
			func(f *Facts) {
				f.Education = append(f.Education, edu(talent.LevelDoctorate, true, d(2026, 6, 30), "浙江大学"))
				f.HouseholdSize = 6
				f.SocialInsurance = SocialInsurance{Known: true, Months: 12}
			},
			30 + 0 + 12 + 6, nil},
		{"unknown facts score nothing",
			func(f *Facts) { *f = Facts{TalentTier: "Z"} },
			0, map[string]int{"degree": 0, "talent_tier": 0, "social_insurance": 0, "household": 0}},
	}
	for _, tt := range tests {
		f := graduate()
		tt.facts(&f)
		got, lines := Score(params, f)
		if got != tt.want {
			t.Errorf("%s: %d points, want %d: %+v", tt.name, got, tt.want, lines)
		}
		for item, points := range tt.lines {
			for _, l := range lines {
				if l.Item == item && l.Points != points {
					t.Errorf("%s: %s = %d, want %d", tt.name, item, l.Points, points)
				}
			}
		}
		for _, l := range lines {
			if l.Clause == "" || l.Message.ZH == "" || l.Message.EN == "" {
				t.Errorf("%s: incomplete line %+v", tt.name, l)
			}
		}
		again, againLines := Score(params, f)
		if again != got || !reflect.DeepEqual(lines, againLines) {
			t.Errorf("%s: Score is not deterministic", tt.name)
		}
	}
}

func TestValidateScoring(t *testing.T) {
	t.Parallel()
	p := testPackage(Rule{ID: "degree", Kind: KindDegreeMin, Clause: "x", Params: map[string]any{"level": "bachelor"}})
	p.Scoring = &ScoreParams{
		Degree:                  map[talent.EducationLevel]int{"phd": 30},
		PerSocialInsuranceMonth: 1,
	}
	codes := fieldCodes(t, p.Validate())
	for field, code := range map[string]string{
		"scoring.clause":                    "required",
		"scoring.degree.phd":                "unknown_level",
		"scoring.socialInsurance.maxMonths": "required",
	} {
		if codes[field] != code {
			t.Errorf("%s: %q, want %q (all %v)", field, codes[field], code, codes)
		}
	}
}
