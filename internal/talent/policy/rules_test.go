package policy

import (
	"strings"
	"testing"
	"time"

	"github.com/anju-city/anju/internal/talent"
)

// edu is a degree for tests.
func edu(level talent.EducationLevel, fullTime bool, graduated time.Time, institution string) Education {
	return Education{Education: talent.Education{Level: level, FullTime: fullTime, GraduationDate: graduated, Institution: institution}}
}

// graduate returns facts on which every default rule passes: a full-time
// master from a listed university, 28, a year into a 36-month contract.
func graduate() Facts {
	return Facts{
		ClaimDate:        d(2026, 9, 15),
		BirthDate:        d(1998, 5, 20),
		Education:        []Education{edu(talent.LevelMaster, true, d(2025, 6, 30), "浙江大学")},
		HukouInCity:      No,
		UniversityInCity: No,
		Employment:       Employment{Confirmed: Yes, ContractMonths: 36},
		SocialInsurance:  SocialInsurance{Known: true, Months: 12, Since: d(2025, 9, 1)},
		OwnsHome:         No,
		EarlierClaim:     No,
		Holds:            map[string]Truth{BenefitApartmentLease: No, BenefitPublicRentalHousing: No},
		MonthlyRent:      250000,
	}
}

// testPackage is a valid package with the given rules and no benefit.
func testPackage(rules ...Rule) Package {
	return Package{
		ID: Apartment, Version: 1, EffectiveFrom: d(2026, 1, 1),
		Title:   Text{"测试补贴", "test allowance"},
		Summary: Text{"测试", "test"},
		Rules:   rules,
	}
}

// ruleCase is one boundary of one rule kind.
type ruleCase struct {
	name     string
	params   map[string]any
	facts    func(*Facts)
	want     RuleResult
	wantFrom time.Time // PassesFrom; zero means none
	wantLast time.Time // LastDay; checked when not zero
	wantMsg  string    // a substring of the English message, when set
}

func runRuleCases(t *testing.T, kind RuleKind, cases []ruleCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pkg := testPackage(Rule{ID: "r", Kind: kind, Clause: "测试条款 第一条", Params: tt.params})
			if kind == KindExclusive {
				pkg.ExclusiveWith = []string{BenefitApartmentLease, BenefitPublicRentalHousing}
			}
			if err := pkg.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			f := graduate()
			if tt.facts != nil {
				tt.facts(&f)
			}
			s := Evaluate(pkg, f).Trace[0]
			if s.Outcome != tt.want {
				t.Errorf("outcome = %s, want %s (%s)", s.Outcome, tt.want, s.Message.EN)
			}
			if !s.PassesFrom.Equal(tt.wantFrom) {
				t.Errorf("PassesFrom = %s, want %s", fmtDate(s.PassesFrom), fmtDate(tt.wantFrom))
			}
			if !tt.wantLast.IsZero() && !s.LastDay.Equal(tt.wantLast) {
				t.Errorf("LastDay = %s, want %s", fmtDate(s.LastDay), fmtDate(tt.wantLast))
			}
			if tt.wantMsg != "" && !strings.Contains(s.Message.EN, tt.wantMsg) {
				t.Errorf("message %q does not contain %q", s.Message.EN, tt.wantMsg)
			}
			if s.Message.ZH == "" || s.Message.EN == "" || s.Clause != "测试条款 第一条" || s.RuleID != "r" || s.Kind != kind {
				t.Errorf("step incomplete: %+v", s)
			}
		})
	}
}

func TestAgeMax(t *testing.T) {
	t.Parallel()
	at := func(birth, claim time.Time) func(*Facts) {
		return func(f *Facts) { f.BirthDate, f.ClaimDate = birth, claim }
	}
	max35 := map[string]any{"years": 35, "byLevel": map[string]any{"doctorate": 40}}
	doctor := func(birth, claim time.Time) func(*Facts) {
		return func(f *Facts) {
			f.BirthDate, f.ClaimDate = birth, claim
			f.Education = []Education{edu(talent.LevelDoctorate, true, d(2026, 6, 30), "中国科学技术大学")}
		}
	}
	runRuleCases(t, KindAgeMax, []ruleCase{
		{name: "turns 35 on the claim date", params: max35, facts: at(d(1991, 9, 15), d(2026, 9, 15)), want: RulePass, wantLast: d(2027, 9, 14)},
		{name: "35 on the day before the 36th birthday", params: max35, facts: at(d(1990, 9, 16), d(2026, 9, 15)), want: RulePass, wantLast: d(2026, 9, 15)},
		{name: "36th birthday", params: max35, facts: at(d(1990, 9, 15), d(2026, 9, 15)), want: RuleFail, wantLast: d(2026, 9, 14)},
		{name: "day after the 36th birthday", params: max35, facts: at(d(1990, 9, 14), d(2026, 9, 15)), want: RuleFail},
		{name: "doctorate at 40", params: max35, facts: doctor(d(1986, 9, 15), d(2026, 9, 15)), want: RulePass, wantLast: d(2027, 9, 14), wantMsg: "at most 40 for a doctorate"},
		{name: "doctorate at 41", params: max35, facts: doctor(d(1985, 9, 15), d(2026, 9, 15)), want: RuleFail},
		{name: "master at 38 gets no doctorate limit", params: max35, facts: at(d(1988, 1, 1), d(2026, 9, 15)), want: RuleFail, wantMsg: "at most 35"},
		{name: "born 29 Feb: still 34 on 28 Feb of a common year", params: map[string]any{"years": 34}, facts: at(d(2000, 2, 29), d(2035, 2, 28)), want: RulePass, wantLast: d(2035, 2, 28)},
		{name: "born 29 Feb: 35 on 1 Mar of a common year", params: map[string]any{"years": 34}, facts: at(d(2000, 2, 29), d(2035, 3, 1)), want: RuleFail},
		{name: "born 29 Feb: 35 until 28 Feb of the leap year", params: max35, facts: at(d(2000, 2, 29), d(2036, 2, 28)), want: RulePass, wantLast: d(2036, 2, 28)},
		{name: "born 29 Feb: 36 on 29 Feb of the leap year", params: max35, facts: at(d(2000, 2, 29), d(2036, 2, 29)), want: RuleFail},
		{name: "birth date unknown", params: max35, facts: at(time.Time{}, d(2026, 9, 15)), want: RuleUnknown},
	})
}

func TestGraduatedWithin(t *testing.T) {
	t.Parallel()
	graduated := func(g, claim time.Time) func(*Facts) {
		return func(f *Facts) {
			f.ClaimDate = claim
			f.Education = []Education{edu(talent.LevelBachelor, true, g, "宁波大学")}
		}
	}
	within24 := map[string]any{"months": 24}
	runRuleCases(t, KindGraduatedWithin, []ruleCase{
		{name: "24 months to the day", params: within24, facts: graduated(d(2024, 6, 30), d(2026, 6, 30)), want: RulePass, wantLast: d(2026, 6, 30)},
		{name: "the day after 24 months", params: within24, facts: graduated(d(2024, 6, 30), d(2026, 7, 1)), want: RuleFail, wantLast: d(2026, 6, 30)},
		{name: "graduation day itself", params: within24, facts: graduated(d(2026, 6, 30), d(2026, 6, 30)), want: RulePass},
		{name: "month end clamps: 31 Aug + 6 months is 28 Feb", params: map[string]any{"months": 6}, facts: graduated(d(2024, 8, 31), d(2025, 2, 28)), want: RulePass, wantLast: d(2025, 2, 28)},
		{name: "month end clamps: 1 Mar is too late", params: map[string]any{"months": 6}, facts: graduated(d(2024, 8, 31), d(2025, 3, 1)), want: RuleFail},
		{name: "leap day + 12 months is 28 Feb", params: map[string]any{"months": 12}, facts: graduated(d(2024, 2, 29), d(2025, 2, 28)), want: RulePass, wantLast: d(2025, 2, 28)},
		{name: "18-month window", params: map[string]any{"months": 18}, facts: graduated(d(2025, 1, 15), d(2026, 7, 16)), want: RuleFail, wantLast: d(2026, 7, 15)},
		{name: "cut-off: graduated on the cut-off date", params: map[string]any{"onOrAfter": "2019-06-03"}, facts: graduated(d(2019, 6, 3), d(2026, 9, 15)), want: RulePass},
		{name: "cut-off: graduated the day before", params: map[string]any{"onOrAfter": "2019-06-03"}, facts: graduated(d(2019, 6, 2), d(2026, 9, 15)), want: RuleFail, wantMsg: "before the cut-off date 2019-06-03"},
		{name: "cut-off and window: window passes, cut-off fails", params: map[string]any{"months": 24, "onOrAfter": d(2025, 7, 1)}, facts: graduated(d(2025, 6, 30), d(2026, 9, 15)), want: RuleFail},
		{name: "cut-off and window: both pass", params: map[string]any{"months": 24, "onOrAfter": d(2025, 6, 1)}, facts: graduated(d(2025, 6, 30), d(2026, 9, 15)), want: RulePass},
		{name: "not graduated yet: passes from the graduation date", params: within24, facts: graduated(d(2026, 12, 31), d(2026, 9, 15)), want: RuleFail, wantFrom: d(2026, 12, 31), wantLast: d(2028, 12, 31)},
		{name: "no degree declared", params: within24, facts: func(f *Facts) { f.Education = nil }, want: RuleUnknown},
		{name: "claim instant read in Shanghai: 16:00 UTC is the next day", params: within24,
			facts: graduated(d(2024, 6, 30), time.Date(2026, 6, 30, 16, 0, 0, 0, time.UTC)), want: RuleFail},
	})
}

func TestDegreeMin(t *testing.T) {
	t.Parallel()
	with := func(eds ...Education) func(*Facts) {
		return func(f *Facts) { f.Education = eds }
	}
	foreign := func(certified bool) Education {
		e := edu(talent.LevelMaster, true, d(2025, 12, 1), "University of Edinburgh")
		e.Foreign, e.Certified = true, certified
		return e
	}
	bachelor := map[string]any{"level": "bachelor"}
	runRuleCases(t, KindDegreeMin, []ruleCase{
		{name: "full-time bachelor", params: bachelor, facts: with(edu(talent.LevelBachelor, true, d(2025, 6, 30), "宁波大学")), want: RulePass},
		{name: "associate degree", params: bachelor, facts: with(edu(talent.LevelAssociate, true, d(2025, 6, 30), "宁波职业技术学院")), want: RuleFail, wantMsg: "associate degree"},
		{name: "part-time master only", params: bachelor, facts: with(edu(talent.LevelMaster, false, d(2025, 6, 30), "宁波大学")), want: RuleFail, wantMsg: "not full-time"},
		{name: "part-time master, full-time bachelor", params: bachelor,
			facts: with(edu(talent.LevelMaster, false, d(2025, 6, 30), "宁波大学"), edu(talent.LevelBachelor, true, d(2022, 6, 30), "宁波大学")), want: RulePass},
		{name: "part-time allowed by the package", params: map[string]any{"level": "bachelor", "fullTime": false},
			facts: with(edu(talent.LevelMaster, false, d(2025, 6, 30), "宁波大学")), want: RulePass},
		{name: "foreign degree not certified", params: bachelor, facts: with(foreign(false)), want: RuleFail, wantMsg: "not certified"},
		{name: "foreign degree certified", params: bachelor, facts: with(foreign(true)), want: RulePass},
		{name: "foreign certification not required", params: map[string]any{"level": "bachelor", "foreignCertified": false}, facts: with(foreign(false)), want: RulePass},
		{name: "master required, bachelor held", params: map[string]any{"level": "master"}, facts: with(edu(talent.LevelBachelor, true, d(2025, 6, 30), "宁波大学")), want: RuleFail},
		{name: "no degree declared", params: bachelor, facts: with(), want: RuleUnknown},
	})
}

func TestOutOfTown(t *testing.T) {
	t.Parallel()
	where := func(hukou, uni Truth) func(*Facts) {
		return func(f *Facts) { f.HukouInCity, f.UniversityInCity = hukou, uni }
	}
	basis := func(b string) map[string]any { return map[string]any{"basis": b} }
	runRuleCases(t, KindOutOfTown, []ruleCase{
		{name: "hukou outside", params: basis("hukou"), facts: where(No, Yes), want: RulePass},
		{name: "hukou inside", params: basis("hukou"), facts: where(Yes, No), want: RuleFail},
		{name: "hukou unknown", params: basis("hukou"), facts: where(Unknown, No), want: RuleUnknown},
		{name: "university outside", params: basis("university"), facts: where(Yes, No), want: RulePass},
		{name: "university inside", params: basis("university"), facts: where(No, Yes), want: RuleFail},
		{name: "either: hukou outside", params: basis("either"), facts: where(No, Yes), want: RulePass},
		{name: "either: university outside", params: basis("either"), facts: where(Yes, No), want: RulePass},
		{name: "either: both inside", params: basis("either"), facts: where(Yes, Yes), want: RuleFail},
		{name: "either: one inside, one unknown", params: basis("either"), facts: where(Yes, Unknown), want: RuleUnknown},
		{name: "both: both outside", params: basis("both"), facts: where(No, No), want: RulePass},
		{name: "both: university inside", params: basis("both"), facts: where(No, Yes), want: RuleFail},
		{name: "both: one unknown", params: basis("both"), facts: where(No, Unknown), want: RuleUnknown},
	})
}

func TestEmployedLocally(t *testing.T) {
	t.Parallel()
	job := func(e Employment) func(*Facts) { return func(f *Facts) { f.Employment = e } }
	min12 := map[string]any{"minContractMonths": 12}
	runRuleCases(t, KindEmployedLocally, []ruleCase{
		{name: "confirmed, 12 months", params: min12, facts: job(Employment{Confirmed: Yes, ContractMonths: 12}), want: RulePass},
		{name: "confirmed, 11 months", params: min12, facts: job(Employment{Confirmed: Yes, ContractMonths: 11}), want: RuleFail},
		{name: "confirmed, open-ended", params: min12, facts: job(Employment{Confirmed: Yes, OpenEnded: true}), want: RulePass},
		{name: "confirmed, term not known", params: min12, facts: job(Employment{Confirmed: Yes}), want: RuleUnknown},
		{name: "awaiting HR confirmation is not a failure", params: min12, facts: job(Employment{ContractMonths: 36}), want: RuleUnknown, wantMsg: "waiting for the employer"},
		{name: "employer denies", params: min12, facts: job(Employment{Confirmed: No, ContractMonths: 36}), want: RuleFail},
	})
}

func TestSocialInsurance(t *testing.T) {
	t.Parallel()
	months := func(n int, since time.Time) func(*Facts) {
		return func(f *Facts) {
			f.ClaimDate = d(2027, 2, 15)
			f.SocialInsurance = SocialInsurance{Known: true, Months: n, Since: since}
		}
	}
	six := map[string]any{"months": 6}
	twelve := map[string]any{"months": 12}
	runRuleCases(t, KindSocialInsurance, []ruleCase{
		{name: "6 of 6", params: six, facts: months(6, d(2026, 8, 1)), want: RulePass},
		{name: "5 of 6: passes from 1 March", params: six, facts: months(5, d(2026, 9, 1)), want: RuleFail, wantFrom: d(2027, 3, 1), wantMsg: "met from 2027-03-01"},
		{name: "5 of 6 without the start month", params: six, facts: months(5, time.Time{}), want: RuleFail, wantFrom: d(2027, 3, 1)},
		{name: "5 of 6, record lagging the start month", params: six, facts: months(3, d(2026, 9, 1)), want: RuleFail, wantFrom: d(2027, 5, 1)},
		{name: "12 of 12", params: twelve, facts: months(12, d(2026, 2, 1)), want: RulePass},
		{name: "11 of 12", params: twelve, facts: months(11, d(2026, 3, 1)), want: RuleFail, wantFrom: d(2027, 3, 1)},
		{name: "run started this month", params: six, facts: months(0, d(2027, 2, 1)), want: RuleFail, wantFrom: d(2027, 8, 1)},
		{name: "not paying: time alone will not help", params: six, facts: months(0, time.Time{}), want: RuleFail},
		{name: "record not checked", params: six, facts: func(f *Facts) { f.SocialInsurance = SocialInsurance{Months: 6} }, want: RuleUnknown},
	})
}

func TestNoHomeFirstClaimExclusive(t *testing.T) {
	t.Parallel()
	runRuleCases(t, KindNoHomeOwned, []ruleCase{
		{name: "owns none", facts: func(f *Facts) { f.OwnsHome = No }, want: RulePass},
		{name: "owns one", facts: func(f *Facts) { f.OwnsHome = Yes }, want: RuleFail},
		{name: "not declared", facts: func(f *Facts) { f.OwnsHome = Unknown }, want: RuleUnknown},
	})
	runRuleCases(t, KindFirstClaim, []ruleCase{
		{name: "first", facts: func(f *Facts) { f.EarlierClaim = No }, want: RulePass},
		{name: "claimed before", facts: func(f *Facts) { f.EarlierClaim, f.EarlierClaimIDs = Yes, []string{"c-1"} }, want: RuleFail, wantMsg: "already claimed"},
		{name: "not checked", facts: func(f *Facts) { f.EarlierClaim = Unknown }, want: RuleUnknown},
	})
	runRuleCases(t, KindExclusive, []ruleCase{
		{name: "holds neither", want: RulePass},
		{name: "holds an apartment lease", facts: func(f *Facts) { f.Holds[BenefitApartmentLease] = Yes }, want: RuleFail, wantMsg: "talent-apartment lease"},
		{name: "holds public rental housing", facts: func(f *Facts) { f.Holds[BenefitPublicRentalHousing] = Yes }, want: RuleFail},
		{name: "public rental housing not checked", facts: func(f *Facts) { delete(f.Holds, BenefitPublicRentalHousing) }, want: RuleUnknown},
		{name: "nothing checked", facts: func(f *Facts) { f.Holds = nil }, want: RuleUnknown},
	})
}

func TestTopSchoolOrDoctorate(t *testing.T) {
	t.Parallel()
	list := map[string]any{"list": "测试名单", "schools": []any{"浙江大学", "中国科学技术大学（合肥）"}}
	with := func(e Education) func(*Facts) { return func(f *Facts) { f.Education = []Education{e} } }
	runRuleCases(t, KindTopSchoolOrDoctorate, []ruleCase{
		{name: "listed school", params: list, facts: with(edu(talent.LevelBachelor, true, d(2025, 6, 30), "浙江大学")), want: RulePass},
		{name: "listed school, other brackets and spaces", params: list, facts: with(edu(talent.LevelMaster, true, d(2025, 6, 30), " 中国科学技术大学(合肥)")), want: RulePass},
		{name: "doctorate from anywhere", params: list, facts: with(edu(talent.LevelDoctorate, true, d(2025, 6, 30), "宁波大学")), want: RulePass},
		{name: "unlisted school", params: list, facts: with(edu(talent.LevelMaster, true, d(2025, 6, 30), "宁波大学")), want: RuleFail, wantMsg: "not on the list 测试名单"},
		{name: "no degree", params: list, facts: func(f *Facts) { f.Education = nil }, want: RuleUnknown},
	})
}
