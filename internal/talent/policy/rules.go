package policy

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/anju-city/anju/internal/talent"
)

// RuleKind names a condition implemented in Go. A package's rules choose
// kinds and set their params; a new kind is a code change.
type RuleKind string

// Rule kinds and their params. A "$name" param value refers to a package
// parameter. The degree-based rules look at the degree the claim rests on:
// the highest-level degree that meets the package's degree_min rule.
const (
	// KindDegreeMin: a degree of at least level. Params: level (associate |
	// bachelor | master | doctorate, required); fullTime (default true): the
	// degree must be full-time; foreignCertified (default true): a foreign
	// degree needs the Ministry of Education's certification.
	KindDegreeMin RuleKind = "degree_min"
	// KindGraduatedWithin: graduated at most months before the claim date
	// (month arithmetic clamped to the month's end; passes up to and
	// including graduation + months), and on or after onOrAfter. Params:
	// months, onOrAfter (a date); at least one. A graduation still ahead
	// fails until that date.
	KindGraduatedWithin RuleKind = "graduated_within"
	// KindAgeMax: at most years old (周岁) on the claim date. Params: years
	// (required); byLevel (optional): a different limit for the degree
	// level the claim rests on, such as {doctorate: 40}.
	KindAgeMax RuleKind = "age_max"
	// KindOutOfTown: an out-of-town graduate. Params: basis: hukou (the
	// household registration was outside the city at graduation),
	// university (graduated from a university outside the city), either,
	// or both.
	KindOutOfTown RuleKind = "out_of_town"
	// KindEmployedLocally: employed in the city under a labour contract of
	// at least minContractMonths months (required), confirmed by the
	// employer's HR office. Awaiting confirmation is unknown, not a failure.
	KindEmployedLocally RuleKind = "employed_locally"
	// KindSocialInsurance: at least months (required) consecutive months of
	// local social insurance on the claim date; back-paid months do not
	// count. Time fixes a shortfall while contributions continue.
	KindSocialInsurance RuleKind = "social_insurance"
	// KindNoHomeOwned: owns no home in the city. No params.
	KindNoHomeOwned RuleKind = "no_home_owned"
	// KindFirstClaim: no earlier claim of this package by the same person.
	// No params.
	KindFirstClaim RuleKind = "first_claim"
	// KindExclusive: holds none of the package's ExclusiveWith benefits. No
	// params; the package's exclusiveWith must not be empty.
	KindExclusive RuleKind = "exclusive"
	// KindTopSchoolOrDoctorate: a doctorate, or a degree from a school on
	// the package's list. Params: schools (required list of institution
	// names), list (the list's name and edition, shown in messages).
	KindTopSchoolOrDoctorate RuleKind = "top_school_or_doctorate"
)

// checker is a compiled rule.
type checker interface {
	check(e *env) Step
}

// compilers build each kind's checker from its params.
var compilers = map[RuleKind]func(p *params) checker{
	KindDegreeMin: func(p *params) checker {
		return degreeMin{level: p.level("level"), fullTime: p.flag("fullTime", true), certified: p.flag("foreignCertified", true)}
	},
	KindGraduatedWithin: func(p *params) checker {
		c := graduatedWithin{onOrAfter: p.day("onOrAfter")}
		c.months, _ = p.count("months", false, 1)
		if p.raw["months"] == nil && c.onOrAfter.IsZero() {
			p.fail("months", talent.CodeRequired, "months or onOrAfter is required")
		}
		return c
	},
	KindAgeMax: func(p *params) checker {
		c := ageMax{byLevel: p.levelCounts("byLevel", 16)}
		c.years, _ = p.count("years", true, 16)
		return c
	},
	KindOutOfTown: func(p *params) checker {
		return outOfTown{basis: p.choice("basis", "hukou", "university", "either", "both")}
	},
	KindEmployedLocally: func(p *params) checker {
		c := employedLocally{}
		c.months, _ = p.count("minContractMonths", true, 1)
		return c
	},
	KindSocialInsurance: func(p *params) checker {
		c := socialInsurance{}
		c.months, _ = p.count("months", true, 1)
		return c
	},
	KindNoHomeOwned: func(*params) checker { return noHomeOwned{} },
	KindFirstClaim:  func(*params) checker { return firstClaim{} },
	KindExclusive: func(p *params) checker {
		if len(p.pkg.ExclusiveWith) == 0 {
			p.r.fail("exclusiveWith", talent.CodeRequired, "rule %s: the package lists no benefits in exclusiveWith", p.rule)
		}
		return exclusive{}
	},
	KindTopSchoolOrDoctorate: func(p *params) checker {
		c := topSchool{list: p.text("list")}
		for _, s := range p.names("schools") {
			c.schools = append(c.schools, normalizeSchool(s))
		}
		return c
	},
}

// Kinds lists the rule kinds Anju implements.
func Kinds() []RuleKind {
	kinds := make([]RuleKind, 0, len(compilers))
	for k := range compilers {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	return kinds
}

// compileRule builds the checker for rules[i], reporting problems to r.
func compileRule(pkg *Package, i int, rule Rule, r *reader) checker {
	path := fmt.Sprintf("rules[%d]", i)
	build, ok := compilers[rule.Kind]
	if !ok {
		r.fail(path+".kind", CodeUnknownKind, "rule %q: unknown kind %q (known kinds: %v)", rule.ID, rule.Kind, Kinds())
		return nil
	}
	p := &params{r: r, path: path + ".params", rule: fmt.Sprintf("%q (%s)", rule.ID, rule.Kind), raw: rule.Params, pkg: pkg}
	c := build(p)
	p.finish()
	return c
}

// result helpers keep each rule's branches short.
func pass(in []Input, zh, en string) Step {
	return Step{Outcome: RulePass, Inputs: in, Message: Text{zh, en}}
}

func fail(in []Input, zh, en string) Step {
	return Step{Outcome: RuleFail, Inputs: in, Message: Text{zh, en}}
}

func unknown(in []Input, zh, en string) Step {
	return Step{Outcome: RuleUnknown, Inputs: in, Message: Text{zh, en}}
}

// degreeInput describes a degree for the trace.
func degreeInput(ed Education) string {
	parts := []string{string(ed.Level)}
	if ed.FullTime {
		parts = append(parts, "full-time")
	} else {
		parts = append(parts, "part-time")
	}
	if ed.Foreign {
		parts = append(parts, map[bool]string{true: "foreign, certified", false: "foreign, not certified"}[ed.Certified])
	}
	parts = append(parts, "graduated "+fmtDate(ed.GraduationDate))
	if ed.Institution != "" {
		parts = append(parts, ed.Institution)
	}
	return strings.Join(parts, ", ")
}

// degreeWords describes a degree in a message: 全日制硕士研究生 / full-time master's degree.
func degreeWords(ed Education) Text {
	t := levelName(ed.Level)
	if ed.Foreign {
		t = Text{"境外" + t.ZH, "foreign " + t.EN}
	}
	if ed.FullTime {
		t = Text{"全日制" + t.ZH, "full-time " + t.EN}
	}
	return t
}

type degreeMin struct {
	level               talent.EducationLevel
	fullTime, certified bool
}

func (c degreeMin) qualifies(ed Education) bool {
	return levelRank(ed.Level) >= levelRank(c.level) &&
		(!c.fullTime || ed.FullTime) &&
		(!c.certified || !ed.Foreign || ed.Certified)
}

func (c degreeMin) check(e *env) Step {
	in := []Input{{"minimumLevel", string(c.level)}, {"fullTimeRequired", strconv.FormatBool(c.fullTime)}}
	for i, ed := range e.f.Education {
		in = append(in, Input{fmt.Sprintf("education[%d]", i), degreeInput(ed)})
	}
	req := levelName(c.level)
	if c.fullTime {
		req = Text{"全日制" + req.ZH, "a full-time " + req.EN}
	} else {
		req.EN = "a " + req.EN
	}
	if e.degree == nil {
		return unknown(in, "尚未填写学历信息", "no degree declared yet")
	}
	ed := *e.degree
	w := degreeWords(ed)
	switch {
	case c.qualifies(ed):
		return pass(in, fmt.Sprintf("具有%s学历，符合%s及以上要求", w.ZH, req.ZH),
			fmt.Sprintf("%s, meeting the requirement of %s or higher", w.EN, req.EN))
	case levelRank(ed.Level) < levelRank(c.level):
		return fail(in, fmt.Sprintf("最高学历为%s，需%s及以上", levelName(ed.Level).ZH, req.ZH),
			fmt.Sprintf("the highest degree is a %s; %s or higher is required", levelName(ed.Level).EN, req.EN))
	case c.fullTime && !ed.FullTime:
		return fail(in, fmt.Sprintf("%s学历为非全日制，需%s及以上", levelName(ed.Level).ZH, req.ZH),
			fmt.Sprintf("the %s is not full-time; %s or higher is required", levelName(ed.Level).EN, req.EN))
	default:
		return fail(in, fmt.Sprintf("%s学历未经教育部留学服务中心认证", w.ZH),
			fmt.Sprintf("the %s is not certified by the Ministry of Education's service centre", w.EN))
	}
}

type graduatedWithin struct {
	months    int       // 0: no window
	onOrAfter time.Time // zero: no cut-off
}

func (c graduatedWithin) check(e *env) Step {
	var in []Input
	if c.months > 0 {
		in = append(in, Input{"withinMonths", strconv.Itoa(c.months)})
	}
	if !c.onOrAfter.IsZero() {
		in = append(in, Input{"graduatedOnOrAfter", fmtDate(c.onOrAfter)})
	}
	in = append(in, Input{"claimDate", fmtDate(e.claim)})
	if e.degree == nil || e.degree.GraduationDate.IsZero() || e.claim.IsZero() {
		return unknown(in, "毕业时间未知", "graduation date not known")
	}
	g := e.degree.GraduationDate
	in = append(in, Input{"graduationDate", fmtDate(g)})
	var last time.Time
	if c.months > 0 {
		last = AddMonths(g, c.months)
		in = append(in, Input{"lastDay", fmtDate(last)})
	}
	var s Step
	switch {
	case !c.onOrAfter.IsZero() && g.Before(c.onOrAfter):
		return fail(in, fmt.Sprintf("毕业时间 %s 早于 %s", fmtDate(g), fmtDate(c.onOrAfter)),
			fmt.Sprintf("graduated %s, before the cut-off date %s", fmtDate(g), fmtDate(c.onOrAfter)))
	case g.After(e.claim):
		s = fail(in, fmt.Sprintf("尚未毕业（毕业时间 %s），毕业后方可申请", fmtDate(g)),
			fmt.Sprintf("not graduated yet (graduation %s); a claim can be made after graduation", fmtDate(g)))
		s.PassesFrom = g
	case c.months > 0 && e.claim.After(last):
		s = fail(in, fmt.Sprintf("毕业于 %s，已超过毕业后 %d 个月（至 %s）", fmtDate(g), c.months, fmtDate(last)),
			fmt.Sprintf("graduated %s; the %d months after graduation ended on %s", fmtDate(g), c.months, fmtDate(last)))
	case c.months > 0:
		s = pass(in, fmt.Sprintf("毕业于 %s，在毕业后 %d 个月内（至 %s）", fmtDate(g), c.months, fmtDate(last)),
			fmt.Sprintf("graduated %s, within %d months of graduation (until %s)", fmtDate(g), c.months, fmtDate(last)))
	default:
		s = pass(in, fmt.Sprintf("毕业于 %s，不早于 %s", fmtDate(g), fmtDate(c.onOrAfter)),
			fmt.Sprintf("graduated %s, on or after %s", fmtDate(g), fmtDate(c.onOrAfter)))
	}
	s.LastDay = last
	return s
}

type ageMax struct {
	years   int
	byLevel map[talent.EducationLevel]int
}

func (c ageMax) check(e *env) Step {
	limit, forLevel := c.years, talent.EducationLevel("")
	if e.degree != nil {
		if n, ok := c.byLevel[e.degree.Level]; ok {
			limit, forLevel = n, e.degree.Level
		}
	}
	in := []Input{{"maxAge", strconv.Itoa(limit)}}
	if forLevel != "" {
		in = append(in, Input{"maxAgeFor", string(forLevel)})
	}
	in = append(in, Input{"claimDate", fmtDate(e.claim)})
	if e.f.BirthDate.IsZero() || e.claim.IsZero() {
		return unknown(in, "出生日期未知", "date of birth not known")
	}
	b := e.f.BirthDate
	age := Age(b, e.claim)
	last := Birthday(b, b.Year()+limit+1).AddDate(0, 0, -1)
	in = append(in, Input{"birthDate", fmtDate(b)}, Input{"age", strconv.Itoa(age)}, Input{"lastDay", fmtDate(last)})
	limitZH, limitEN := fmt.Sprintf("%d 周岁", limit), strconv.Itoa(limit)
	if forLevel != "" {
		limitZH = fmt.Sprintf("%d 周岁（%s）", limit, levelName(forLevel).ZH)
		limitEN = fmt.Sprintf("%d for a %s", limit, levelName(forLevel).EN)
	}
	var s Step
	if age <= limit {
		s = pass(in, fmt.Sprintf("申请日 %d 周岁，不超过 %s，符合至 %s", age, limitZH, fmtDate(last)),
			fmt.Sprintf("aged %d on the claim date; at most %s (met until %s)", age, limitEN, fmtDate(last)))
	} else {
		s = fail(in, fmt.Sprintf("申请日 %d 周岁，超过 %s（截至 %s）", age, limitZH, fmtDate(last)),
			fmt.Sprintf("aged %d on the claim date; at most %s (met until %s)", age, limitEN, fmtDate(last)))
	}
	s.LastDay = last
	return s
}

type outOfTown struct{ basis string }

func (c outOfTown) check(e *env) Step {
	h, u := e.f.HukouInCity, e.f.UniversityInCity
	in := []Input{{"basis", c.basis}}
	if c.basis != "university" {
		in = append(in, Input{"hukouInCityAtGraduation", h.String()})
	}
	if c.basis != "hukou" {
		in = append(in, Input{"universityInCity", u.String()})
	}
	hukouOut := Text{"毕业时户籍在外地", "household registration (hukou) outside the city at graduation"}
	hukouIn := Text{"毕业时户籍在本市", "household registration (hukou) in the city at graduation"}
	uniOut := Text{"毕业院校在外地", "university outside the city"}
	uniIn := Text{"毕业院校在本市", "university in the city"}
	switch c.basis {
	case "hukou":
		return judge(in, h, hukouOut, hukouIn, Text{"毕业时户籍所在地尚未核实", "hukou at graduation not yet verified"})
	case "university":
		return judge(in, u, uniOut, uniIn, Text{"毕业院校所在地尚未核实", "location of the university not yet verified"})
	case "either":
		switch {
		case h == No:
			return pass(in, hukouOut.ZH, hukouOut.EN)
		case u == No:
			return pass(in, uniOut.ZH, uniOut.EN)
		case h == Yes && u == Yes:
			return fail(in, hukouIn.ZH+"，且"+uniIn.ZH, hukouIn.EN+", and "+uniIn.EN+"; one of them must be outside the city")
		}
		return unknown(in, "户籍或毕业院校所在地尚未核实", "hukou at graduation or university location not yet verified")
	default: // both
		switch {
		case h == Yes:
			return fail(in, hukouIn.ZH, hukouIn.EN+"; both must be outside the city")
		case u == Yes:
			return fail(in, uniIn.ZH, uniIn.EN+"; both must be outside the city")
		case h == No && u == No:
			return pass(in, hukouOut.ZH+"，且"+uniOut.ZH, hukouOut.EN+", and "+uniOut.EN)
		}
		return unknown(in, "户籍或毕业院校所在地尚未核实", "hukou at graduation or university location not yet verified")
	}
}

// judge is the common shape of a rule that passes when a fact is No.
func judge(in []Input, t Truth, passText, failText, unknownText Text) Step {
	switch t {
	case No:
		return pass(in, passText.ZH, passText.EN)
	case Yes:
		return fail(in, failText.ZH, failText.EN)
	}
	return unknown(in, unknownText.ZH, unknownText.EN)
}

type employedLocally struct{ months int }

func (c employedLocally) check(e *env) Step {
	em := e.f.Employment
	in := []Input{{"minContractMonths", strconv.Itoa(c.months)}, {"employerConfirmed", em.Confirmed.String()}}
	switch {
	case em.OpenEnded:
		in = append(in, Input{"contract", "open-ended"})
	case em.ContractMonths > 0:
		in = append(in, Input{"contractMonths", strconv.Itoa(em.ContractMonths)})
	default:
		in = append(in, Input{"contractMonths", "unknown"})
	}
	switch {
	case em.Confirmed == Unknown:
		return unknown(in, "等待用人单位人事部门确认劳动关系", "waiting for the employer's HR office to confirm employment")
	case em.Confirmed == No:
		return fail(in, "用人单位未确认劳动关系", "the employer did not confirm the employment")
	case em.OpenEnded:
		return pass(in, "用人单位已确认劳动关系，签订无固定期限劳动合同",
			"employment confirmed by the employer; open-ended labour contract")
	case em.ContractMonths <= 0:
		return unknown(in, "劳动合同期限尚未核实", "the term of the labour contract is not known yet")
	case em.ContractMonths >= c.months:
		return pass(in, fmt.Sprintf("用人单位已确认劳动关系，劳动合同期限 %d 个月（需至少 %d 个月）", em.ContractMonths, c.months),
			fmt.Sprintf("employment confirmed by the employer; %d-month labour contract (at least %d required)", em.ContractMonths, c.months))
	}
	return fail(in, fmt.Sprintf("劳动合同期限 %d 个月，需至少 %d 个月", em.ContractMonths, c.months),
		fmt.Sprintf("%d-month labour contract; at least %d months required", em.ContractMonths, c.months))
}

type socialInsurance struct{ months int }

func (c socialInsurance) check(e *env) Step {
	si := e.f.SocialInsurance
	in := []Input{{"requiredMonths", strconv.Itoa(c.months)}}
	if !si.Known || e.claim.IsZero() {
		in = append(in, Input{"consecutiveMonths", "unknown"})
		return unknown(in, "社保缴纳记录尚未核实", "social-insurance record not yet verified")
	}
	in = append(in, Input{"consecutiveMonths", strconv.Itoa(si.Months)})
	if !si.Since.IsZero() {
		in = append(in, Input{"since", fmtMonth(si.Since)})
	}
	if si.Months >= c.months {
		return pass(in, fmt.Sprintf("已在本市连续缴纳社保 %d 个月（需满 %d 个月）", si.Months, c.months),
			fmt.Sprintf("%d consecutive months of local social insurance (%d required)", si.Months, c.months))
	}
	from, ok := si.metFrom(c.months, e.claim)
	if !ok {
		return fail(in, fmt.Sprintf("目前未在本市缴纳社保，需连续缴纳满 %d 个月", c.months),
			fmt.Sprintf("no local social insurance being paid; %d consecutive months required", c.months))
	}
	in = append(in, Input{"metFrom", fmtDate(from)})
	s := fail(in, fmt.Sprintf("已连续缴纳社保 %d 个月，需满 %d 个月；持续缴纳预计 %s 起满足", si.Months, c.months, fmtDate(from)),
		fmt.Sprintf("%d consecutive months of social insurance; %d required; met from %s if contributions continue", si.Months, c.months, fmtDate(from)))
	s.PassesFrom = from
	return s
}

type noHomeOwned struct{}

func (noHomeOwned) check(e *env) Step {
	return judge([]Input{{"ownsHomeInCity", e.f.OwnsHome.String()}}, e.f.OwnsHome,
		Text{"在本市无自有住房", "owns no home in the city"},
		Text{"在本市已有自有住房", "owns a home in the city"},
		Text{"住房情况尚未核实", "home ownership not yet verified"})
}

type firstClaim struct{}

func (firstClaim) check(e *env) Step {
	in := []Input{{"earlierClaim", e.f.EarlierClaim.String()}}
	if len(e.f.EarlierClaimIDs) > 0 {
		in = append(in, Input{"earlierClaims", strings.Join(e.f.EarlierClaimIDs, ", ")})
	}
	title := e.pkg.Title
	return judge(in, e.f.EarlierClaim,
		Text{"首次申领" + title.ZH, "first claim of the " + title.EN},
		Text{"已申领过" + title.ZH + "，不可重复申领", "the " + title.EN + " was already claimed by the same person"},
		Text{"历史申领记录尚未核查", "earlier claims not yet checked"})
}

type exclusive struct{}

func (exclusive) check(e *env) Step {
	var in []Input
	var held, open []string
	var heldZH []string
	for _, name := range e.pkg.ExclusiveWith {
		t := e.f.Holds[name]
		in = append(in, Input{"holds." + name, t.String()})
		switch t {
		case Yes:
			w := benefitName(name)
			held, heldZH = append(held, w.EN), append(heldZH, w.ZH)
		case Unknown:
			open = append(open, name)
		}
	}
	switch {
	case len(held) > 0:
		return fail(in, "已享受"+strings.Join(heldZH, "、")+"，不可同时享受"+e.pkg.Title.ZH,
			"holds "+strings.Join(held, " and ")+", which excludes the "+e.pkg.Title.EN)
	case len(open) > 0:
		return unknown(in, "其他住房保障情况尚未核实", "other housing benefits not yet checked")
	}
	return pass(in, "未享受其他住房保障", "holds no other housing benefit")
}

// benefitName is an ExclusiveWith name in words.
func benefitName(name string) Text {
	switch name {
	case BenefitApartmentLease:
		return Text{"人才公寓租赁", "a talent-apartment lease"}
	case BenefitPublicRentalHousing:
		return Text{"公共租赁住房", "public rental housing"}
	}
	n := ID(name).Name()
	if ID(name) == Apartment {
		return Text{ZH: n.ZH, EN: "a " + n.EN}
	}
	return Text{ZH: n.ZH, EN: "the " + n.EN}
}

type topSchool struct {
	list    string
	schools []string // normalised
}

func (c topSchool) check(e *env) Step {
	in := []Input{{"list", c.list}}
	if e.degree == nil {
		return unknown(in, "尚未填写学历信息", "no degree declared yet")
	}
	ed := *e.degree
	in = append(in, Input{"level", string(ed.Level)}, Input{"institution", ed.Institution})
	listZH, listEN := "名单", "the list"
	if c.list != "" {
		listZH, listEN = "《"+c.list+"》", "the list "+c.list
	}
	switch {
	case ed.Level == talent.LevelDoctorate:
		return pass(in, "具有博士研究生学历", "holds a doctorate")
	case slices.Contains(c.schools, normalizeSchool(ed.Institution)):
		return pass(in, fmt.Sprintf("毕业院校%s在%s内", ed.Institution, listZH),
			fmt.Sprintf("graduated from %s, which is on %s", ed.Institution, listEN))
	}
	return fail(in, fmt.Sprintf("非博士研究生，且毕业院校%s不在%s内", ed.Institution, listZH),
		fmt.Sprintf("not a doctorate, and %s is not on %s", ed.Institution, listEN))
}

// normalizeSchool makes institution names comparable: no spaces, ASCII brackets.
func normalizeSchool(s string) string {
	s = strings.NewReplacer("（", "(", "）", ")", " ", "", "\u3000", "").Replace(s)
	return strings.ToLower(s)
}
