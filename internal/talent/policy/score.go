package policy

import (
	"fmt"
	"strconv"

	"github.com/anju-city/anju/internal/talent"
)

// ScoreParams are the points that rank applicants for talent apartments
// (the apartment package's scoring section):
//
//	scoring:
//	  clause: "… 第八条"
//	  degree: {bachelor: 10, master: 20, doctorate: 30}
//	  talentTier: {A: 50, B: 40, C: 30, D: 20, E: 10}
//	  socialInsurance: {perMonth: 1, maxMonths: 12}
//	  household: {perMember: 2, maxMembers: 3}
type ScoreParams struct {
	Clause string
	// Degree gives points by the level of the highest degree.
	Degree map[talent.EducationLevel]int
	// TalentTier gives points by recognised talent tier (人才分类).
	TalentTier map[string]int
	// PerSocialInsuranceMonth points for each consecutive month of local
	// social insurance, counting at most MaxSocialInsuranceMonths months.
	PerSocialInsuranceMonth  int
	MaxSocialInsuranceMonths int
	// PerHouseholdMember points for each household member besides the
	// applicant, counting at most MaxHouseholdMembers members.
	PerHouseholdMember  int
	MaxHouseholdMembers int
}

// ScoreLine is one item of a score: what it looked at and the points given.
type ScoreLine struct {
	Item    string // degree, talent_tier, social_insurance, household
	Input   string
	Points  int
	Clause  string
	Message Text
}

// Score ranks an applicant: the points for the highest degree, the talent
// tier, the months of local social insurance (capped) and the household
// size, with a line for each. It is deterministic, and a fact that is not
// known scores nothing, so an applicant never gains from missing data.
func Score(p ScoreParams, f Facts) (int, []ScoreLine) {
	f = civilFacts(f)
	var lines []ScoreLine
	add := func(item, input string, points int, zh, en string) {
		lines = append(lines, ScoreLine{Item: item, Input: input, Points: points, Clause: p.Clause, Message: Text{zh, en}})
	}

	if ed := claimDegree(f.Education, nil); ed == nil {
		add("degree", "unknown", 0, "学历未知，不计分", "no degree known: 0 points")
	} else {
		n := p.Degree[ed.Level]
		w := levelName(ed.Level)
		add("degree", string(ed.Level), n, fmt.Sprintf("%s学历 %d 分", w.ZH, n), fmt.Sprintf("%s: %d points", w.EN, n))
	}

	if f.TalentTier == "" {
		add("talent_tier", "none", 0, "无人才分类认定，不计分", "no recognised talent tier: 0 points")
	} else {
		n := p.TalentTier[f.TalentTier]
		add("talent_tier", f.TalentTier, n, fmt.Sprintf("%s 类人才 %d 分", f.TalentTier, n),
			fmt.Sprintf("talent tier %s: %d points", f.TalentTier, n))
	}

	if si := f.SocialInsurance; !si.Known {
		add("social_insurance", "unknown", 0, "社保缴纳记录未核实，不计分", "social-insurance record not verified: 0 points")
	} else {
		months := min(max(si.Months, 0), p.MaxSocialInsuranceMonths)
		n := months * p.PerSocialInsuranceMonth
		add("social_insurance", strconv.Itoa(si.Months), n,
			fmt.Sprintf("连续缴纳社保 %d 个月，计 %d 个月 %d 分", si.Months, months, n),
			fmt.Sprintf("%d consecutive months of social insurance, %d counted: %d points", si.Months, months, n))
	}

	if f.HouseholdSize <= 0 {
		add("household", "unknown", 0, "家庭人数未知，不计分", "household size not known: 0 points")
	} else {
		members := min(f.HouseholdSize-1, p.MaxHouseholdMembers)
		n := members * p.PerHouseholdMember
		add("household", strconv.Itoa(f.HouseholdSize), n,
			fmt.Sprintf("家庭 %d 人，计共同申请人 %d 人 %d 分", f.HouseholdSize, members, n),
			fmt.Sprintf("household of %d, %d other members counted: %d points", f.HouseholdSize, members, n))
	}

	total := 0
	for _, l := range lines {
		total += l.Points
	}
	return total, lines
}

// scoreParams checks a scoring section.
func (r *reader) scoreParams(p ScoreParams) {
	if p.Clause == "" {
		r.fail("scoring.clause", talent.CodeRequired, "scoring cites its clause")
	}
	for _, l := range sortedKeys(p.Degree) {
		if !l.Valid() {
			r.fail("scoring.degree."+string(l), CodeUnknownLevel, "%q is not an education level %v", l, levels)
		}
		if p.Degree[l] < 0 {
			r.fail("scoring.degree."+string(l), talent.CodeOutOfRange, "points are not negative")
		}
	}
	for _, t := range sortedKeys(p.TalentTier) {
		if t == "" || p.TalentTier[t] < 0 {
			r.fail("scoring.talentTier."+t, talent.CodeOutOfRange, "tiers are named and their points are not negative")
		}
	}
	nonNegative := func(field string, n int) {
		if n < 0 || n > maxCount {
			r.fail(field, talent.CodeOutOfRange, "must be between 0 and %d", maxCount)
		}
	}
	nonNegative("scoring.socialInsurance.perMonth", p.PerSocialInsuranceMonth)
	nonNegative("scoring.socialInsurance.maxMonths", p.MaxSocialInsuranceMonths)
	nonNegative("scoring.household.perMember", p.PerHouseholdMember)
	nonNegative("scoring.household.maxMembers", p.MaxHouseholdMembers)
	if p.PerSocialInsuranceMonth > 0 && p.MaxSocialInsuranceMonths == 0 {
		r.fail("scoring.socialInsurance.maxMonths", talent.CodeRequired, "points per month need a maximum number of months")
	}
	if p.PerHouseholdMember > 0 && p.MaxHouseholdMembers == 0 {
		r.fail("scoring.household.maxMembers", talent.CodeRequired, "points per member need a maximum number of members")
	}
}
