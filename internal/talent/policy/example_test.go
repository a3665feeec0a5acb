package policy_test

import (
	"fmt"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/policy"
)

// A graduate with a master's degree from Zhejiang University claims the
// relocation allowance on 15 February 2027, five months into her local
// social insurance: she is told she can claim from 1 March 2027, and why.
func ExampleEvaluate() {
	pkgs, err := policy.DefaultPackages()
	if err != nil {
		panic(err)
	}
	submitted := time.Date(2027, 2, 15, 2, 30, 0, 0, time.UTC) // 10:30 in Shanghai
	pkg, _ := policy.InForce(pkgs, policy.Relocation, submitted)

	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	dec := policy.Evaluate(pkg, policy.Facts{
		ClaimDate: submitted,
		BirthDate: day(1999, 3, 2),
		Education: []policy.Education{{Education: talent.Education{
			Level: talent.LevelMaster, Institution: "浙江大学", FullTime: true, GraduationDate: day(2026, 6, 30),
		}}},
		HukouInCity:      policy.No,
		UniversityInCity: policy.No,
		Employment:       policy.Employment{Confirmed: policy.Yes, ContractMonths: 36},
		SocialInsurance:  policy.SocialInsurance{Known: true, Months: 5, Since: day(2026, 9, 1)},
		OwnsHome:         policy.No,
		EarlierClaim:     policy.No,
	})

	fmt.Printf("%s v%d: %s\n", dec.PackageID, dec.Version, dec.Outcome)
	fmt.Println(dec.Summary.In(talent.LocaleEN))
	for _, s := range dec.Trace {
		fmt.Printf("- %s: %s — %s\n  (%s)\n", s.RuleID, s.Outcome, s.Message.In(talent.LocaleEN), s.Clause)
	}
	fmt.Println(dec.Entitlement.Message.In(talent.LocaleEN))
	// Output:
	// relocation v1: ineligible
	// Not eligible yet; eligible from 2027-03-01
	// - degree: pass — full-time master's degree, meeting the requirement of a full-time bachelor's degree or higher
	//   (慈溪市人才新政〔2026〕1号 第三条第（一）项)
	// - graduation: pass — graduated 2026-06-30, within 24 months of graduation (until 2028-06-30)
	//   (慈溪市人才新政〔2026〕1号 第三条第（二）项)
	// - age: pass — aged 27 on the claim date; at most 35 (met until 2035-03-01)
	//   (慈溪市人才新政〔2026〕1号 第三条第（三）项)
	// - out_of_town: pass — household registration (hukou) outside the city at graduation
	//   (慈溪市人才新政〔2026〕1号 第三条第（四）项)
	// - employment: pass — employment confirmed by the employer; 36-month labour contract (at least 12 required)
	//   (慈溪市人才新政〔2026〕1号 第三条第（五）项)
	// - social_insurance: fail — 5 consecutive months of social insurance; 6 required; met from 2027-03-01 if contributions continue
	//   (慈溪市人才新政〔2026〕1号 第三条第（六）项)
	// - no_home: pass — owns no home in the city
	//   (慈溪市人才新政〔2026〕1号 第三条第（七）项)
	// - first_claim: pass — first claim of the relocation allowance
	//   (慈溪市人才新政〔2026〕1号 第八条第一款)
	// ¥30,000 in total: 50% (¥15,000) after 6 consecutive months of social insurance, 50% (¥15,000) after 12 consecutive months of social insurance
}
