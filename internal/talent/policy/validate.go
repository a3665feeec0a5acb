package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/anju-city/anju/internal/talent"
)

// Validate checks everything about a package that can be checked without
// facts: its id and version, the effective window, both languages of title
// and summary, that every parameter, rule, the benefit and the document list
// cite a clause, that every rule is a known kind with good params, that
// "$name" references resolve, and that the benefit is coherent. It returns a
// *talent.Error of KindInvalid listing every problem as a FieldError
// (field "rules[2].params.months", code "out_of_range"); its Message names
// the rules concerned.
func (p Package) Validate() error {
	r := &reader{}
	if !p.ID.Valid() {
		r.fail("id", CodeUnknownID, "must be one of %v, not %q", IDs(), p.ID)
	}
	if p.Version < 1 {
		r.fail("version", talent.CodeOutOfRange, "must be 1 or more")
	}
	switch {
	case p.EffectiveFrom.IsZero():
		r.fail("effectiveFrom", talent.CodeRequired, "effectiveFrom is required")
	case !p.EffectiveTo.IsZero() && Civil(p.EffectiveTo).Before(Civil(p.EffectiveFrom)):
		r.fail("effectiveTo", CodeBeforeStart, "must not be before effectiveFrom")
	}
	r.bothLanguages(p.Title, "title")
	r.bothLanguages(p.Summary, "summary")

	var names []string
	for _, q := range p.Parameters {
		path := join("parameters", q.Name)
		switch {
		case !validName(q.Name):
			r.fail(path, CodeBadName, "parameter names are lower_case_with_underscores")
		case slices.Contains(names, q.Name):
			r.fail(path, talent.CodeDuplicate, "parameter %q is defined twice", q.Name)
		}
		names = append(names, q.Name)
		if q.Value == nil {
			r.fail(join(path, "value"), talent.CodeRequired, "value is required")
		}
		if q.Clause == "" {
			r.fail(join(path, "clause"), talent.CodeRequired, "every parameter cites its clause")
		}
	}

	if len(p.Rules) == 0 {
		r.fail("rules", talent.CodeRequired, "a package has at least one rule")
	}
	var ids []string
	var minLevel talent.EducationLevel
	hasExclusive := false
	for i, rule := range p.Rules {
		path := fmt.Sprintf("rules[%d]", i)
		switch {
		case !validName(rule.ID):
			r.fail(path+".id", CodeBadName, "rule ids are lower_case_with_underscores, not %q", rule.ID)
		case slices.Contains(ids, rule.ID):
			r.fail(path+".id", talent.CodeDuplicate, "rule id %q is used twice", rule.ID)
		}
		ids = append(ids, rule.ID)
		if rule.Clause == "" {
			r.fail(path+".clause", talent.CodeRequired, "rule %q: every rule cites its clause", rule.ID)
		}
		c := compileRule(&p, i, rule, r)
		if d, ok := c.(degreeMin); ok && minLevel == "" {
			minLevel = d.level
		}
		hasExclusive = hasExclusive || rule.Kind == KindExclusive
	}

	r.checkBenefit(p, minLevel)

	if len(p.Documents.Required) > 0 && p.Documents.Clause == "" {
		r.fail("documents.clause", talent.CodeRequired, "the document list cites its clause")
	}
	for i, k := range p.Documents.Required {
		path := fmt.Sprintf("documents.required[%d]", i)
		switch {
		case !k.Valid():
			r.fail(path, CodeUnknownDocumentKind, "%q is not a document kind", k)
		case slices.Index(p.Documents.Required, k) < i:
			r.fail(path, talent.CodeDuplicate, "%q is listed twice", k)
		}
	}

	for i, name := range p.ExclusiveWith {
		path := fmt.Sprintf("exclusiveWith[%d]", i)
		switch {
		case !validExclusive(name):
			r.fail(path, CodeUnknownBenefit, "%q is not apartment_lease, public_rental_housing or a package id", name)
		case name == string(p.ID):
			r.fail(path, CodeSelf, "a package cannot exclude itself; first_claim covers repeat claims")
		case slices.Index(p.ExclusiveWith, name) < i:
			r.fail(path, talent.CodeDuplicate, "%q is listed twice", name)
		}
	}
	if len(p.ExclusiveWith) > 0 && !hasExclusive {
		r.fail("exclusiveWith", CodeRuleMissing, "exclusiveWith needs a rule of kind exclusive, which cites the clause")
	}

	if p.Scoring != nil {
		r.scoreParams(*p.Scoring)
	}
	return r.err()
}

func (r *reader) bothLanguages(t Text, path string) {
	if strings.TrimSpace(t.ZH) == "" {
		r.fail(path+".zh-CN", talent.CodeRequired, "Chinese text is required")
	}
	if strings.TrimSpace(t.EN) == "" {
		r.fail(path+".en", talent.CodeRequired, "English text is required")
	}
}

// checkBenefit checks the benefit; minLevel is the degree_min level, whose
// level and above need an amount.
func (r *reader) checkBenefit(p Package, minLevel talent.EducationLevel) {
	b := p.Benefit
	if b.Kind == "" {
		if p.ID.paysMoney() {
			r.fail("benefit", talent.CodeRequired, "a %s package defines its benefit", p.ID)
		}
		return
	}
	if b.Clause == "" {
		r.fail("benefit.clause", talent.CodeRequired, "the benefit cites its clause")
	}
	for _, l := range sortedKeys(b.Amounts) {
		path := "benefit.amounts." + string(l)
		if !l.Valid() {
			r.fail(path, CodeUnknownLevel, "%q is not an education level %v", l, levels)
		}
		if b.Amounts[l] <= 0 {
			r.fail(path, talent.CodeOutOfRange, "amounts are positive numbers of fen")
		}
	}
	if len(b.Amounts) == 0 {
		r.fail("benefit.amounts", talent.CodeRequired, "amounts by degree level are required")
	} else if minLevel != "" {
		for _, l := range levels[slices.Index(levels, minLevel):] {
			if _, ok := b.Amounts[l]; !ok {
				r.fail("benefit.amounts."+string(l), talent.CodeRequired, "the degree rule admits a %s, so it needs an amount", l)
			}
		}
	}
	switch b.Kind {
	case BenefitInstalments:
		if len(b.Instalments) == 0 {
			r.fail("benefit.instalments", talent.CodeRequired, "an instalments benefit lists its instalments")
		}
		total, prev := 0, -1
		for i, in := range b.Instalments {
			path := fmt.Sprintf("benefit.instalments[%d]", i)
			if in.AfterMonths < 0 || in.AfterMonths > maxCount || in.AfterMonths <= prev {
				r.fail(path+".afterMonths", talent.CodeOutOfRange, "afterMonths are whole numbers of months, each more than the one before")
			}
			if in.Percent < 1 || in.Percent > 100 {
				r.fail(path+".percent", talent.CodeOutOfRange, "percent is between 1 and 100")
			}
			total, prev = total+in.Percent, in.AfterMonths
		}
		if len(b.Instalments) > 0 && total != 100 {
			r.fail("benefit.instalments", CodePercentTotal, "percents add up to %d, not 100", total)
		}
		if b.MaxMonths != 0 {
			r.fail("benefit.maxMonths", CodeNotAllowed, "maxMonths is for monthly benefits")
		}
		if b.CapByActualRent {
			r.fail("benefit.capByActualRent", CodeNotAllowed, "capByActualRent is for monthly benefits")
		}
	case BenefitMonthly:
		if b.MaxMonths < 1 || b.MaxMonths > maxCount {
			r.fail("benefit.maxMonths", talent.CodeOutOfRange, "maxMonths is between 1 and %d", maxCount)
		}
		if len(b.Instalments) > 0 {
			r.fail("benefit.instalments", CodeNotAllowed, "instalments are for instalments benefits")
		}
	default:
		r.fail("benefit.kind", CodeUnknownKind, "must be instalments or monthly, not %q", b.Kind)
	}
}
