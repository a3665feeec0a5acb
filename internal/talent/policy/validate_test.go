package policy

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/anju-city/anju/internal/talent"
)

// fieldCodes returns the FieldErrors of a KindInvalid error as field → code.
func fieldCodes(t *testing.T, err error) map[string]string {
	t.Helper()
	var e *talent.Error
	if !errors.As(err, &e) || e.Kind != talent.KindInvalid {
		t.Fatalf("want a KindInvalid *talent.Error, got %v", err)
	}
	m := map[string]string{}
	for _, f := range e.Fields {
		m[f.Field] = f.Code.String()
	}
	return m
}

// relocation returns the default relocation package with copies of the
// parts a test may change.
func relocation(t *testing.T) Package {
	t.Helper()
	p := defaultPackage(t, Relocation)
	p.Rules = slices.Clone(p.Rules)
	p.Parameters = slices.Clone(p.Parameters)
	p.Benefit.Instalments = slices.Clone(p.Benefit.Instalments)
	return p
}

// ruleIndex is the index of the rule with id.
func ruleIndex(t *testing.T, p Package, id string) int {
	t.Helper()
	i := slices.IndexFunc(p.Rules, func(r Rule) bool { return r.ID == id })
	if i < 0 {
		t.Fatalf("no rule %q", id)
	}
	return i
}

func TestValidateRejects(t *testing.T) {
	t.Parallel()
	setParams := func(id string, params map[string]any) func(*testing.T, *Package) {
		return func(t *testing.T, p *Package) { p.Rules[ruleIndex(t, *p, id)].Params = params }
	}
	tests := []struct {
		name    string
		change  func(*testing.T, *Package)
		field   string
		code    string
		message string // substring of the error message
	}{
		{"unknown rule kind", func(t *testing.T, p *Package) { p.Rules[ruleIndex(t, *p, "out_of_town")].Kind = "lives_nearby" },
			"rules[3].kind", "unknown_kind", `rule "out_of_town": unknown kind "lives_nearby"`},
		{"rule without clause", func(t *testing.T, p *Package) { p.Rules[0].Clause = "" },
			"rules[0].clause", "required", `rule "degree"`},
		{"parameter without clause", func(t *testing.T, p *Package) {
			i := slices.IndexFunc(p.Parameters, func(q Parameter) bool { return q.Name == "max_age" })
			p.Parameters[i].Clause = ""
		}, "parameters.max_age.clause", "required", ""},
		{"months zero", setParams("social_insurance", map[string]any{"months": 0}),
			"rules[5].params.months", "out_of_range", `rule "social_insurance" (social_insurance)`},
		{"months not a number", setParams("social_insurance", map[string]any{"months": "six"}),
			"rules[5].params.months", "not_integer", ""},
		{"months a fraction", setParams("social_insurance", map[string]any{"months": 5.5}),
			"rules[5].params.months", "not_integer", ""},
		{"misspelt param", setParams("social_insurance", map[string]any{"monhts": 6}),
			"rules[5].params.monhts", "unknown_param", ""},
		{"misspelt param leaves the required one missing", setParams("social_insurance", map[string]any{"monhts": 6}),
			"rules[5].params.months", "required", ""},
		{"reference to a missing parameter", setParams("graduation", map[string]any{"months": "$graduation_window"}),
			"rules[1].params.months", "parameter_unknown", "$graduation_window"},
		{"graduated_within without months or cut-off", setParams("graduation", nil),
			"rules[1].params.months", "required", ""},
		{"bad cut-off date", setParams("graduation", map[string]any{"onOrAfter": "2019-06-31"}),
			"rules[1].params.onOrAfter", "not_date", ""},
		{"byLevel with an unknown level", setParams("age", map[string]any{"years": 35, "byLevel": map[string]any{"phd": 40}}),
			"rules[2].params.byLevel.phd", "unknown_level", ""},
		{"age limit too small", setParams("age", map[string]any{"years": 3}),
			"rules[2].params.years", "out_of_range", ""},
		{"unknown basis", setParams("out_of_town", map[string]any{"basis": "nowhere"}),
			"rules[3].params.basis", "not_allowed", ""},
		{"unknown degree level", setParams("degree", map[string]any{"level": "phd"}),
			"rules[0].params.level", "unknown_level", ""},
		{"fullTime not a bool", setParams("degree", map[string]any{"level": "bachelor", "fullTime": "yes"}),
			"rules[0].params.fullTime", "not_boolean", ""},
		{"empty school list", func(t *testing.T, p *Package) {
			p.Rules = append(p.Rules, Rule{ID: "top", Kind: KindTopSchoolOrDoctorate, Clause: "x", Params: map[string]any{"schools": []any{}}})
		}, "rules[8].params.schools", "empty", ""},
		{"exclusive rule without exclusiveWith", func(t *testing.T, p *Package) {
			p.Rules = append(p.Rules, Rule{ID: "other_housing", Kind: KindExclusive, Clause: "x"})
		}, "exclusiveWith", "required", `rule "other_housing"`},
		{"exclusiveWith without an exclusive rule", func(t *testing.T, p *Package) { p.ExclusiveWith = []string{BenefitApartmentLease} },
			"exclusiveWith", "rule_missing", ""},
		{"exclusiveWith an unknown benefit", func(t *testing.T, p *Package) {
			p.ExclusiveWith = []string{"villa"}
			p.Rules = append(p.Rules, Rule{ID: "other_housing", Kind: KindExclusive, Clause: "x"})
		}, "exclusiveWith[0]", "unknown_benefit", ""},
		{"duplicate rule id", func(t *testing.T, p *Package) { p.Rules[1].ID = "degree" }, "rules[1].id", "duplicate", ""},
		{"bad rule id", func(t *testing.T, p *Package) { p.Rules[1].ID = "Graduation Window" }, "rules[1].id", "bad_name", ""},
		{"no rules", func(t *testing.T, p *Package) { p.Rules = nil }, "rules", "required", ""},
		{"unknown package id", func(t *testing.T, p *Package) { p.ID = "bonus" }, "id", "unknown_id", ""},
		{"version zero", func(t *testing.T, p *Package) { p.Version = 0 }, "version", "out_of_range", ""},
		{"effectiveTo before effectiveFrom", func(t *testing.T, p *Package) { p.EffectiveTo = d(2025, 12, 31) }, "effectiveTo", "before_start", ""},
		{"English title missing", func(t *testing.T, p *Package) { p.Title.EN = " " }, "title.en", "required", ""},
		{"no benefit", func(t *testing.T, p *Package) { p.Benefit = Benefit{} }, "benefit", "required", ""},
		{"benefit without clause", func(t *testing.T, p *Package) { p.Benefit.Clause = "" }, "benefit.clause", "required", ""},
		{"no amount for a level the degree rule admits", func(t *testing.T, p *Package) {
			p.Benefit.Amounts = map[talent.EducationLevel]int64{talent.LevelBachelor: 1, talent.LevelDoctorate: 3}
		}, "benefit.amounts.master", "required", ""},
		{"negative amount", func(t *testing.T, p *Package) {
			p.Benefit.Amounts = map[talent.EducationLevel]int64{talent.LevelBachelor: -1, talent.LevelMaster: 2, talent.LevelDoctorate: 3}
		}, "benefit.amounts.bachelor", "out_of_range", ""},
		{"percents not adding up", func(t *testing.T, p *Package) { p.Benefit.Instalments[1].Percent = 40 },
			"benefit.instalments", "percent_total", "90"},
		{"instalments out of order", func(t *testing.T, p *Package) { p.Benefit.Instalments[1].AfterMonths = 6 },
			"benefit.instalments[1].afterMonths", "out_of_range", ""},
		{"rent cap on instalments", func(t *testing.T, p *Package) { p.Benefit.CapByActualRent = true },
			"benefit.capByActualRent", "not_allowed", ""},
		{"monthly without maxMonths", func(t *testing.T, p *Package) { p.Benefit.Kind, p.Benefit.Instalments = BenefitMonthly, nil },
			"benefit.maxMonths", "out_of_range", ""},
		{"unknown benefit kind", func(t *testing.T, p *Package) { p.Benefit.Kind = "lump" }, "benefit.kind", "unknown_kind", ""},
		{"unknown document kind", func(t *testing.T, p *Package) {
			p.Documents.Required = append(slices.Clone(p.Documents.Required), "passport")
		}, "documents.required[7]", "unknown_document_kind", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := relocation(t)
			tt.change(t, &p)
			err := p.Validate()
			codes := fieldCodes(t, err)
			if codes[tt.field] != tt.code {
				t.Errorf("field %s: code %q, want %q (all: %v)", tt.field, codes[tt.field], tt.code, codes)
			}
			if !strings.Contains(err.Error(), tt.message) {
				t.Errorf("message %q does not contain %q", err.Error(), tt.message)
			}
		})
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	t.Parallel()
	p := relocation(t)
	p.Version = 0
	p.Rules[0].Clause = ""
	p.Rules[5].Params = map[string]any{"months": -1}
	codes := fieldCodes(t, p.Validate())
	if len(codes) != 3 {
		t.Errorf("got %v, want three problems", codes)
	}
}

func TestParseRejects(t *testing.T) {
	t.Parallel()
	valid := `
id: relocation
version: 2
effectiveFrom: 2027-01-01
title: {zh-CN: 安家补贴, en: relocation allowance}
summary: {zh-CN: 摘要, en: summary}
rules:
  - {id: degree, kind: degree_min, clause: 第三条, params: {level: bachelor}}
benefit:
  kind: instalments
  clause: 第四条
  amounts: {bachelor: 1000000, master: 3000000, doctorate: 5000000}
  instalments: [{afterMonths: 6, percent: 50}, {afterMonths: 12, percent: 50}]
`
	if _, err := Parse([]byte(valid)); err != nil {
		t.Fatalf("the base document does not parse: %v", err)
	}
	tests := []struct {
		name, from, to, field, code string
	}{
		{"misspelt top-level field", "effectiveFrom:", "efectiveFrom:", "efectiveFrom", "unknown_field"},
		{"fractional version", "version: 2", "version: 2.5", "version", "not_integer"},
		{"bad date", "effectiveFrom: 2027-01-01", "effectiveFrom: 2027-13-01", "effectiveFrom", "not_date"},
		{"fractional amount", "master: 3000000", "master: 30000.5", "benefit.amounts.master", "not_integer"},
		{"misspelt rule field", "params: {level", "param: {level", "rules[0].param", "unknown_field"},
		{"title not a mapping", "title: {zh-CN: 安家补贴, en: relocation allowance}", "title: 安家补贴", "title", "not_object"},
		{"unknown kind", "kind: degree_min", "kind: degree_minimum", "rules[0].kind", "unknown_kind"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			doc := strings.Replace(valid, tt.from, tt.to, 1)
			_, err := Parse([]byte(doc))
			if code := fieldCodes(t, err)[tt.field]; code != tt.code {
				t.Errorf("field %s: code %q, want %q (%v)", tt.field, code, tt.code, err)
			}
		})
	}

	_, err := Parse([]byte("id: [relocation\n"))
	if talent.ErrorKind(err) != talent.KindMalformed || talent.ErrorCode(err) != "policy_malformed" {
		t.Errorf("broken YAML: got %v, want KindMalformed policy_malformed", err)
	}
}

func TestParseJSON(t *testing.T) {
	t.Parallel()
	doc := `{"id": "rent", "version": 3, "effectiveFrom": "2027-01-01", "effectiveTo": "2027-12-31",
	 "title": {"zh-CN": "租房补贴", "en": "rent subsidy"}, "summary": {"zh-CN": "摘要", "en": "summary"},
	 "parameters": {"months": {"value": 18, "clause": "第三条"}},
	 "rules": [{"id": "graduation", "kind": "graduated_within", "clause": "第三条", "params": {"months": "$months", "onOrAfter": "2025-06-01"}}],
	 "benefit": {"kind": "monthly", "clause": "第五条", "amounts": {"bachelor": 60000}, "maxMonths": 24, "capByActualRent": true}}`
	p, err := Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if p.ID != Rent || p.Version != 3 || !p.EffectiveTo.Equal(d(2027, 12, 31)) || p.Benefit.MaxMonths != 24 || !p.Benefit.CapByActualRent {
		t.Errorf("parsed %+v", p)
	}
	if n, ok := p.IntParam("months"); !ok || n != 18 {
		t.Errorf("IntParam(months) = %d, %v", n, ok)
	}
	f := graduate()
	f.Education = []Education{edu(talent.LevelBachelor, true, d(2025, 6, 30), "宁波大学")}
	f.ClaimDate = d(2026, 12, 30) // 18 months after graduation
	if s := Evaluate(p, f).Trace[0]; s.Outcome != RulePass || !s.LastDay.Equal(d(2026, 12, 30)) {
		t.Errorf("18-month window: %s until %s", s.Outcome, fmtDate(s.LastDay))
	}
}

func TestKinds(t *testing.T) {
	t.Parallel()
	want := []RuleKind{KindAgeMax, KindDegreeMin, KindEmployedLocally, KindExclusive, KindFirstClaim,
		KindGraduatedWithin, KindNoHomeOwned, KindOutOfTown, KindSocialInsurance, KindTopSchoolOrDoctorate}
	slices.Sort(want)
	if got := Kinds(); !slices.Equal(got, want) {
		t.Errorf("Kinds() = %v, want %v", got, want)
	}
}
