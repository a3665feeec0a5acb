package policy

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/anju-city/anju/internal/talent"
)

// Outcome is what a Decision says about a claim.
type Outcome string

// Outcomes.
const (
	// Eligible: every rule passes.
	Eligible Outcome = "eligible"
	// Ineligible: at least one rule fails (see Decision.EligibleFrom for
	// failures time will fix).
	Ineligible Outcome = "ineligible"
	// NeedsReview: no rule fails, but some could not be decided from the
	// facts known; a reviewer (or the missing confirmation) decides.
	NeedsReview Outcome = "needs_review"
)

// RuleResult is how one rule came out.
type RuleResult string

// Rule results.
const (
	RulePass    RuleResult = "pass"
	RuleFail    RuleResult = "fail"
	RuleUnknown RuleResult = "unknown" // a fact it needs is not known yet
)

// DocumentsStep is the RuleID and Kind of the trace step that checks the
// package's required documents (when Facts.CheckDocuments is set).
const DocumentsStep = "documents"

// Decision is the result of Evaluate: the outcome, the package version it
// was decided under, and the trace that explains it.
type Decision struct {
	Outcome   Outcome
	PackageID ID
	Version   int
	ClaimDate time.Time // civil date the rules were judged on
	// Trace has one step per rule, in the package's order, then the
	// documents step when documents were checked.
	Trace []Step
	// EligibleFrom is set when the claim is ineligible only because of rules
	// that time alone will fix, and no time limit (age, graduation window)
	// runs out first: the earliest civil date from which those rules pass.
	// Rules still Unknown must pass as well. It is worked out under this
	// version; a claim submitted then is decided under the version in force
	// then. Zero otherwise.
	EligibleFrom time.Time
	// Entitlement is what the claim is worth under the package, by the level
	// of the degree the claim rests on; it is owed only once the claim is
	// approved.
	Entitlement Entitlement
	// Summary says the outcome in a sentence.
	Summary Text
}

// Step is one rule's line in the trace.
type Step struct {
	RuleID string
	Kind   RuleKind
	Clause string
	// Inputs are the facts and settings the rule looked at, as strings.
	Inputs  []Input
	Outcome RuleResult
	Message Text
	// PassesFrom is set on a failing rule that time alone will fix (months
	// of social insurance still to come, a graduation still ahead): the
	// civil date from which it passes if nothing else changes.
	PassesFrom time.Time
	// LastDay is set on a rule with a time limit (age, graduation window):
	// the last civil date on which it passes.
	LastDay time.Time
}

// Input is one named input of a step.
type Input struct {
	Name  string
	Value string
}

// Entitlement is the money a claim is worth. Amounts are int64 fen.
type Entitlement struct {
	Kind   BenefitKind // empty when the package pays no money
	Clause string
	Level  talent.EducationLevel // the degree level the amount is for
	// Total is the whole amount: for monthly benefits, Monthly × Months.
	Total int64
	// Instalments (kind instalments) split Total; they add up to it exactly.
	Instalments []InstalmentDue
	// Monthly (kind monthly) is paid each month, for at most Months months.
	Monthly int64
	Months  int
	// RentCapped: Monthly was lowered to the actual rent.
	RentCapped bool
	// RentUnknown: the package caps by the actual rent but the rent is not
	// known yet, so Monthly is the uncapped amount.
	RentUnknown bool
	Message     Text
}

// InstalmentDue is one instalment of an entitlement.
type InstalmentDue struct {
	AfterMonths int // consecutive months of local social insurance that release it
	Percent     int
	Amount      int64
	// Met: the graduate already has AfterMonths months on the claim date.
	Met bool
	// From is the civil date the gate is met if contributions continue; zero
	// when the social-insurance record is not known or there is no run.
	From time.Time
}

// env is what rules read during one evaluation.
type env struct {
	pkg    *Package
	f      Facts     // dates as civil dates
	claim  time.Time // civil claim date
	degree *Education
}

// Evaluate decides a claim under pkg from facts f. It is pure: the same
// package and facts always give the same decision. The caller chooses the
// package with InForce on the claim's submission date. A rule the package
// cannot run (a package that does not Validate) shows as RuleUnknown, so a
// broken package sends claims to review instead of deciding them.
func Evaluate(pkg Package, f Facts) Decision {
	e := &env{pkg: &pkg, f: civilFacts(f)}
	e.claim = e.f.ClaimDate

	checks := make([]checker, len(pkg.Rules))
	problems := make([]string, len(pkg.Rules))
	var qualifies func(Education) bool
	for i, rule := range pkg.Rules {
		r := &reader{}
		checks[i] = compileRule(&pkg, i, rule, r)
		if len(r.notes) > 0 {
			checks[i], problems[i] = nil, strings.Join(r.notes, "; ")
		}
		if d, ok := checks[i].(degreeMin); ok && qualifies == nil {
			qualifies = d.qualifies
		}
	}
	e.degree = claimDegree(e.f.Education, qualifies)

	d := Decision{PackageID: pkg.ID, Version: pkg.Version, ClaimDate: e.claim}
	for i, rule := range pkg.Rules {
		var s Step
		if checks[i] == nil {
			s = Step{Outcome: RuleUnknown, Message: Text{
				ZH: "规则配置无效，转人工审核",
				EN: "the rule is misconfigured (" + problems[i] + "); referred to review",
			}}
		} else {
			s = checks[i].check(e)
		}
		s.RuleID, s.Kind, s.Clause = rule.ID, rule.Kind, rule.Clause
		d.Trace = append(d.Trace, s)
	}
	if f.CheckDocuments {
		d.Trace = append(d.Trace, checkDocuments(e))
	}
	d.Outcome, d.EligibleFrom, d.Summary = decide(d.Trace)
	d.Entitlement = entitle(e)
	return d
}

// civilFacts reads every date of f as its civil date in Asia/Shanghai.
func civilFacts(f Facts) Facts {
	f.ClaimDate = Civil(f.ClaimDate)
	f.BirthDate = Civil(f.BirthDate)
	f.SocialInsurance.Since = Civil(f.SocialInsurance.Since)
	edu := make([]Education, len(f.Education))
	for i, ed := range f.Education {
		ed.GraduationDate = Civil(ed.GraduationDate)
		edu[i] = ed
	}
	f.Education = edu
	return f
}

// claimDegree is the degree the claim rests on: the highest-level degree
// that qualifies under the package's degree_min rule (the latest one on a
// tie), or, when none qualifies, the highest-level degree declared, so that
// the other rules still explain themselves. Nil when none is declared.
func claimDegree(edu []Education, qualifies func(Education) bool) *Education {
	better := func(a, b Education) bool { // a better than b
		if ra, rb := levelRank(a.Level), levelRank(b.Level); ra != rb {
			return ra > rb
		}
		return a.GraduationDate.After(b.GraduationDate)
	}
	var best, bestAny *Education
	for i := range edu {
		ed := &edu[i]
		if bestAny == nil || better(*ed, *bestAny) {
			bestAny = ed
		}
		if (qualifies == nil || qualifies(*ed)) && (best == nil || better(*ed, *best)) {
			best = ed
		}
	}
	if best != nil {
		return best
	}
	return bestAny
}

// decide turns the trace into an outcome, and says it in a sentence built
// from the steps' own messages, so that the headline a graduate reads is
// the reason, not a rule id.
func decide(trace []Step) (Outcome, time.Time, Text) {
	var hard, pending []Text
	fixable := false
	var from, closes time.Time
	var closer RuleKind
	for _, s := range trace {
		switch {
		case s.Outcome == RuleFail && s.PassesFrom.IsZero():
			hard = append(hard, s.Message)
		case s.Outcome == RuleFail:
			fixable = true
			from = later(from, s.PassesFrom)
		case s.Outcome == RuleUnknown:
			pending = append(pending, s.Message)
		}
		if !s.LastDay.IsZero() && (closes.IsZero() || s.LastDay.Before(closes)) {
			closes, closer = s.LastDay, s.Kind
		}
	}
	switch {
	case len(hard) > 0:
		return Ineligible, time.Time{}, Text{ZH: "不符合条件：" + joinZH(hard), EN: "Not eligible: " + joinEN(hard)}
	case fixable && !closes.IsZero() && from.After(closes):
		limit := limitName(closer)
		return Ineligible, time.Time{}, Text{
			ZH: fmt.Sprintf("不符合条件：其余条件最早于 %s 满足，但%s仅符合至 %s", fmtDate(from), limit.ZH, fmtDate(closes)),
			EN: fmt.Sprintf("Not eligible: the other conditions are met only from %s, but %s is met only until %s",
				fmtDate(from), limit.EN, fmtDate(closes)),
		}
	case fixable:
		t := Text{
			ZH: fmt.Sprintf("暂不符合条件，预计 %s 起可申请", fmtDate(from)),
			EN: fmt.Sprintf("Not eligible yet; eligible from %s", fmtDate(from)),
		}
		if len(pending) > 0 {
			t.ZH += "（另需核实：" + joinZH(pending) + "）"
			t.EN += " (still to be confirmed: " + joinEN(pending) + ")"
		}
		return Ineligible, from, t
	case len(pending) > 0:
		return NeedsReview, time.Time{}, Text{ZH: "待核实：" + joinZH(pending), EN: "To be confirmed: " + joinEN(pending)}
	}
	return Eligible, time.Time{}, Text{ZH: "符合全部条件", EN: "All conditions are met"}
}

func joinZH(ts []Text) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = t.ZH
	}
	return strings.Join(parts, "；")
}

func joinEN(ts []Text) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = t.EN
	}
	return strings.Join(parts, "; ")
}

// limitName names a rule with a time limit, for the summary.
func limitName(k RuleKind) Text {
	switch k {
	case KindAgeMax:
		return Text{"年龄条件", "the age limit"}
	case KindGraduatedWithin:
		return Text{"毕业时间条件", "the graduation window"}
	}
	return Text{string(k), string(k)}
}

// entitle works out the money under the package's benefit.
func entitle(e *env) Entitlement {
	b := e.pkg.Benefit
	if b.Kind == "" {
		return Entitlement{}
	}
	ent := Entitlement{Kind: b.Kind, Clause: b.Clause}
	if e.degree == nil {
		ent.Message = Text{ZH: "学历未知，无法计算补贴金额", EN: "no degree known; the amount cannot be worked out"}
		return ent
	}
	ent.Level = e.degree.Level
	amount, ok := b.Amounts[ent.Level]
	if !ok {
		ent.Message = Text{
			ZH: fmt.Sprintf("%s学历无对应补贴标准", levelName(ent.Level).ZH),
			EN: fmt.Sprintf("the package pays nothing for a %s", levelName(ent.Level).EN),
		}
		return ent
	}
	switch b.Kind {
	case BenefitInstalments:
		ent.Total = amount
		var zh, en []string
		var paid int64
		for i, in := range b.Instalments {
			due := InstalmentDue{AfterMonths: in.AfterMonths, Percent: in.Percent, Amount: amount * int64(in.Percent) / 100}
			if i == len(b.Instalments)-1 {
				due.Amount = amount - paid // the last instalment takes any rounding remainder
			}
			paid += due.Amount
			if si := e.f.SocialInsurance; si.Known {
				due.Met = si.Months >= in.AfterMonths
				if from, ok := si.metFrom(in.AfterMonths, e.claim); ok {
					due.From = from
				}
			}
			ent.Instalments = append(ent.Instalments, due)
			zh = append(zh, fmt.Sprintf("连续缴纳社保满 %d 个月发放 %d%%（%s 元）", in.AfterMonths, in.Percent, yuan(due.Amount)))
			en = append(en, fmt.Sprintf("%d%% (¥%s) after %d consecutive months of social insurance", in.Percent, yuan(due.Amount), in.AfterMonths))
		}
		ent.Message = Text{
			ZH: fmt.Sprintf("共 %s 元：%s", yuan(amount), strings.Join(zh, "，")),
			EN: fmt.Sprintf("¥%s in total: %s", yuan(amount), strings.Join(en, ", ")),
		}
	case BenefitMonthly:
		ent.Monthly, ent.Months = amount, b.MaxMonths
		note := Text{}
		if b.CapByActualRent {
			switch rent := e.f.MonthlyRent; {
			case rent <= 0:
				ent.RentUnknown = true
				note = Text{ZH: "，且不超过实际租金（租金待核实）", EN: ", never more than the actual rent (rent not yet known)"}
			case rent < amount:
				ent.Monthly, ent.RentCapped = rent, true
				note = Text{
					ZH: fmt.Sprintf("（标准 %s 元，按实际租金 %s 元封顶）", yuan(amount), yuan(rent)),
					EN: fmt.Sprintf(" (standard ¥%s, capped at the actual rent of ¥%s)", yuan(amount), yuan(rent)),
				}
			default:
				note = Text{ZH: "（不超过实际租金）", EN: " (never more than the actual rent)"}
			}
		}
		ent.Total = ent.Monthly * int64(ent.Months)
		ent.Message = Text{
			ZH: fmt.Sprintf("每月 %s 元，最多 %d 个月%s，合计最多 %s 元", yuan(ent.Monthly), ent.Months, note.ZH, yuan(ent.Total)),
			EN: fmt.Sprintf("¥%s a month for at most %d months%s, at most ¥%s in total", yuan(ent.Monthly), ent.Months, note.EN, yuan(ent.Total)),
		}
	}
	return ent
}

// checkDocuments is the documents step: a missing document is something the
// graduate can upload, so it is RuleUnknown (review), not a failure.
func checkDocuments(e *env) Step {
	s := Step{RuleID: DocumentsStep, Kind: DocumentsStep, Clause: e.pkg.Documents.Clause}
	var missing []talent.DocumentKind
	for _, k := range e.pkg.Documents.Required {
		has := slices.Contains(e.f.Documents, k)
		s.Inputs = append(s.Inputs, Input{"document." + string(k), map[bool]string{true: "accepted", false: "missing"}[has]})
		if !has {
			missing = append(missing, k)
		}
	}
	if len(missing) == 0 {
		s.Outcome = RulePass
		s.Message = Text{ZH: "所需材料已齐全并通过核验", EN: "all required documents are accepted"}
		return s
	}
	var zh, en []string
	for _, k := range missing {
		t := documentName(k)
		zh, en = append(zh, t.ZH), append(en, t.EN)
	}
	s.Outcome = RuleUnknown
	s.Message = Text{
		ZH: "尚缺材料：" + strings.Join(zh, "、"),
		EN: "documents still missing: " + strings.Join(en, ", "),
	}
	return s
}

// documentName is a document kind in words, as every Anju text names it.
func documentName(k talent.DocumentKind) Text {
	return Text{ZH: talent.Label(string(k), talent.LocaleZH), EN: talent.Label(string(k), talent.LocaleEN)}
}
