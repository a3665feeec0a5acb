package policy

import (
	"embed"
	"fmt"
	"io/fs"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/anju-city/anju/internal/talent"
)

// defaults holds the packages Anju ships with (figures from public reports of Zhejiang cities' schemes);
// a city publishes its own versions through the API.
//
//go:embed packages/*.yaml
var defaults embed.FS

// DefaultPackages returns the embedded default packages (relocation, rent,
// living; version 1, effective 2026-01-01), ordered by id. Each call parses
// afresh, so callers may keep and change what they get.
func DefaultPackages() ([]Package, error) {
	names, err := fs.Glob(defaults, "packages/*.yaml")
	if err != nil {
		return nil, err
	}
	var pkgs []Package
	for _, name := range names {
		data, err := defaults.ReadFile(name)
		if err != nil {
			return nil, err
		}
		p, err := Parse(data)
		if err != nil {
			return nil, fmt.Errorf("default policy %s: %w", name, err)
		}
		pkgs = append(pkgs, p)
	}
	sortPackages(pkgs)
	return pkgs, nil
}

// DefaultSource returns the embedded YAML of a package's default version:
// what an admin starts from to publish the next one.
func DefaultSource(id ID) ([]byte, error) {
	if !id.Valid() {
		return nil, fmt.Errorf("no default policy package %q", id)
	}
	return defaults.ReadFile("packages/" + string(id) + ".yaml")
}

// Parse reads a package from YAML (JSON, being YAML, works too) and validates
// it. A document that is not YAML is KindMalformed "policy_malformed"; a
// package that breaks the format or a rule is KindInvalid with a FieldError
// for each problem.
//
// The format, in short:
//
//	id: rent                      # relocation | rent | living | apartment
//	version: 1
//	effectiveFrom: 2026-01-01
//	effectiveTo: 2026-12-31       # optional, inclusive
//	title:   {zh-CN: 租房补贴, en: Rent subsidy}
//	summary: {zh-CN: …, en: …}
//	parameters:
//	  max_age: {value: 35, clause: "… 第三条第（三）项"}
//	rules:
//	  - {id: age, kind: age_max, clause: "… 第三条第（三）项", params: {years: $max_age, byLevel: {doctorate: 40}}}
//	benefit:
//	  kind: monthly               # or instalments, with instalments: [{afterMonths: 6, percent: 50}, …]
//	  clause: "… 第五条"
//	  amounts: {bachelor: 60000, master: 80000, doctorate: 200000}   # fen
//	  maxMonths: 36
//	  capByActualRent: true
//	documents: {clause: "… 第七条", required: [id_card, diploma, rental_contract]}
//	exclusiveWith: [apartment_lease, public_rental_housing]
//	scoring: …                    # apartment only, see ScoreParams
func Parse(data []byte) (Package, error) {
	var doc any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return Package{}, talent.Errorf(talent.KindMalformed, CodePolicyMalformed, "policy package is not valid YAML: %v", err)
	}
	r := &reader{}
	p := r.pkg(doc)
	if err := r.err(); err != nil {
		return Package{}, err
	}
	if err := p.Validate(); err != nil {
		return Package{}, err
	}
	return p, nil
}

// pkg converts a decoded document to a Package; Validate checks the meaning.
func (r *reader) pkg(doc any) Package {
	m := r.object(doc, "", "id", "version", "effectiveFrom", "effectiveTo", "title", "summary",
		"parameters", "rules", "benefit", "documents", "exclusiveWith", "scoring")
	if m == nil {
		return Package{}
	}
	p := Package{
		ID:            ID(r.str(m, "id", "")),
		Version:       int(r.integer(m, "version", "")),
		EffectiveFrom: r.date(m, "effectiveFrom", ""),
		EffectiveTo:   r.date(m, "effectiveTo", ""),
		Title:         r.text(m, "title", ""),
		Summary:       r.text(m, "summary", ""),
		ExclusiveWith: r.strs(m, "exclusiveWith", ""),
	}
	if v, ok := m["parameters"]; ok && v != nil {
		params := r.object(v, "parameters")
		for _, name := range sortedKeys(params) {
			path := join("parameters", name)
			q := r.object(params[name], path, "value", "clause")
			if q == nil {
				continue
			}
			p.Parameters = append(p.Parameters, Parameter{Name: name, Value: q["value"], Clause: r.str(q, "clause", path)})
		}
	}
	for i, v := range r.list(m, "rules", "") {
		path := fmt.Sprintf("rules[%d]", i)
		q := r.object(v, path, "id", "kind", "clause", "params")
		if q == nil {
			continue
		}
		rule := Rule{ID: r.str(q, "id", path), Kind: RuleKind(r.str(q, "kind", path)), Clause: r.str(q, "clause", path)}
		if v, ok := q["params"]; ok && v != nil {
			rule.Params = r.object(v, join(path, "params"))
		}
		p.Rules = append(p.Rules, rule)
	}
	if v, ok := m["benefit"]; ok && v != nil {
		p.Benefit = r.benefit(v)
	}
	if v, ok := m["documents"]; ok && v != nil {
		q := r.object(v, "documents", "clause", "required")
		if q != nil {
			p.Documents.Clause = r.str(q, "clause", "documents")
			for _, k := range r.strs(q, "required", "documents") {
				p.Documents.Required = append(p.Documents.Required, talent.DocumentKind(k))
			}
		}
	}
	if v, ok := m["scoring"]; ok && v != nil {
		p.Scoring = r.scoring(v)
	}
	return p
}

func (r *reader) benefit(v any) Benefit {
	const path = "benefit"
	m := r.object(v, path, "kind", "clause", "amounts", "instalments", "maxMonths", "capByActualRent")
	if m == nil {
		return Benefit{}
	}
	b := Benefit{
		Kind:            BenefitKind(r.str(m, "kind", path)),
		Clause:          r.str(m, "clause", path),
		MaxMonths:       int(r.integer(m, "maxMonths", path)),
		CapByActualRent: r.boolean(m, "capByActualRent", path),
	}
	if v, ok := m["amounts"]; ok && v != nil {
		amounts := r.object(v, join(path, "amounts"))
		b.Amounts = make(map[talent.EducationLevel]int64, len(amounts))
		for _, level := range sortedKeys(amounts) {
			b.Amounts[talent.EducationLevel(level)] = r.integer(amounts, level, join(path, "amounts"))
		}
	}
	for i, v := range r.list(m, "instalments", path) {
		ipath := fmt.Sprintf("%s.instalments[%d]", path, i)
		q := r.object(v, ipath, "afterMonths", "percent")
		if q == nil {
			continue
		}
		b.Instalments = append(b.Instalments, Instalment{
			AfterMonths: int(r.integer(q, "afterMonths", ipath)),
			Percent:     int(r.integer(q, "percent", ipath)),
		})
	}
	return b
}

func (r *reader) scoring(v any) *ScoreParams {
	const path = "scoring"
	m := r.object(v, path, "clause", "degree", "talentTier", "socialInsurance", "household")
	if m == nil {
		return nil
	}
	s := &ScoreParams{Clause: r.str(m, "clause", path)}
	points := func(key string) map[string]int {
		v, ok := m[key]
		if !ok || v == nil {
			return nil
		}
		q := r.object(v, join(path, key))
		out := make(map[string]int, len(q))
		for _, k := range sortedKeys(q) {
			out[k] = int(r.integer(q, k, join(path, key)))
		}
		return out
	}
	for level, n := range points("degree") {
		if s.Degree == nil {
			s.Degree = map[talent.EducationLevel]int{}
		}
		s.Degree[talent.EducationLevel(level)] = n
	}
	s.TalentTier = points("talentTier")
	if v, ok := m["socialInsurance"]; ok && v != nil {
		q := r.object(v, join(path, "socialInsurance"), "perMonth", "maxMonths")
		if q != nil {
			s.PerSocialInsuranceMonth = int(r.integer(q, "perMonth", join(path, "socialInsurance")))
			s.MaxSocialInsuranceMonths = int(r.integer(q, "maxMonths", join(path, "socialInsurance")))
		}
	}
	if v, ok := m["household"]; ok && v != nil {
		q := r.object(v, join(path, "household"), "perMember", "maxMembers")
		if q != nil {
			s.PerHouseholdMember = int(r.integer(q, "perMember", join(path, "household")))
			s.MaxHouseholdMembers = int(r.integer(q, "maxMembers", join(path, "household")))
		}
	}
	return s
}

// date reads an optional civil date.
func (r *reader) date(m map[string]any, key, path string) time.Time {
	v, ok := m[key]
	if !ok || v == nil {
		return time.Time{}
	}
	t, err := parseDate(v)
	if err != nil {
		r.fail(join(path, key), talent.CodeNotDate, "must be a date written 2006-01-02")
	}
	return t
}
