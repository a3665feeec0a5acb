package policy

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/anju-city/anju/internal/talent"
)

// defaultPackage returns the embedded default package id.
func defaultPackage(t *testing.T, id ID) Package {
	t.Helper()
	pkgs, err := DefaultPackages()
	if err != nil {
		t.Fatalf("DefaultPackages: %v", err)
	}
	p, ok := InForce(pkgs, id, d(2026, 9, 15))
	if !ok {
		t.Fatalf("no %s package in force", id)
	}
	return p
}

// results maps rule id to outcome, for compact assertions.
func results(dec Decision) map[string]RuleResult {
	m := map[string]RuleResult{}
	for _, s := range dec.Trace {
		m[s.RuleID] = s.Outcome
	}
	return m
}

func TestEvaluateDecisions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		pkg       ID
		facts     func(*Facts)
		want      Outcome
		wantFrom  time.Time
		wantRules map[string]RuleResult // checked rules only
		summary   string                // substring of the English summary
	}{
		{name: "relocation: eligible", pkg: Relocation, want: Eligible, summary: "All conditions are met"},
		{name: "rent: eligible", pkg: Rent, want: Eligible},
		{name: "living: eligible (listed school)", pkg: Living, want: Eligible},
		{
			name: "5 months of social insurance from September: eligible from 1 March", pkg: Relocation,
			facts: func(f *Facts) {
				f.ClaimDate = d(2027, 2, 15)
				f.SocialInsurance = SocialInsurance{Known: true, Months: 5, Since: d(2026, 9, 1)}
			},
			want: Ineligible, wantFrom: d(2027, 3, 1),
			wantRules: map[string]RuleResult{"social_insurance": RuleFail, "employment": RulePass},
			summary:   "eligible from 2027-03-01",
		},
		{
			name: "not graduated and too few months: the later date wins", pkg: Relocation,
			facts: func(f *Facts) {
				f.ClaimDate = d(2026, 5, 10)
				f.Education = []Education{edu(talent.LevelMaster, true, d(2026, 6, 30), "浙江大学")}
				f.SocialInsurance = SocialInsurance{Known: true, Months: 2, Since: d(2026, 3, 1)}
			},
			want: Ineligible, wantFrom: d(2026, 9, 1),
			wantRules: map[string]RuleResult{"graduation": RuleFail, "social_insurance": RuleFail},
		},
		{
			name: "graduation window closes before six months are reached", pkg: Relocation,
			facts: func(f *Facts) {
				f.ClaimDate = d(2027, 2, 15)
				f.Education = []Education{edu(talent.LevelMaster, true, d(2025, 2, 20), "浙江大学")}
				f.SocialInsurance = SocialInsurance{Known: true, Months: 5, Since: d(2026, 9, 1)}
			},
			want:      Ineligible,
			wantRules: map[string]RuleResult{"graduation": RulePass, "social_insurance": RuleFail},
			summary:   "the graduation window is met only until 2027-02-20",
		},
		{
			name: "turning 36 before six months are reached", pkg: Relocation,
			facts: func(f *Facts) {
				f.ClaimDate = d(2027, 2, 15)
				f.BirthDate = d(1991, 2, 20) // 36 on 2027-02-20
				f.SocialInsurance = SocialInsurance{Known: true, Months: 5, Since: d(2026, 9, 1)}
			},
			want:    Ineligible,
			summary: "the age limit is met only until 2027-02-19",
		},
		{
			name: "a hard failure: no date", pkg: Relocation,
			facts: func(f *Facts) {
				f.OwnsHome = Yes
				f.SocialInsurance = SocialInsurance{Known: true, Months: 5, Since: d(2026, 4, 1)}
			},
			want:      Ineligible,
			wantRules: map[string]RuleResult{"no_home": RuleFail, "social_insurance": RuleFail},
			summary:   "Not eligible: owns a home in the city",
		},
		{
			name: "employment awaiting HR confirmation: needs review", pkg: Relocation,
			facts: func(f *Facts) { f.Employment = Employment{ContractMonths: 36} },
			want:  NeedsReview, wantRules: map[string]RuleResult{"employment": RuleUnknown},
			summary: "To be confirmed: waiting for the employer's HR office to confirm employment",
		},
		{
			name: "awaiting HR confirmation is not fixed by time, but months are", pkg: Relocation,
			facts: func(f *Facts) {
				f.ClaimDate = d(2027, 2, 15)
				f.Employment = Employment{ContractMonths: 36}
				f.SocialInsurance = SocialInsurance{Known: true, Months: 5, Since: d(2026, 9, 1)}
			},
			want: Ineligible, wantFrom: d(2027, 3, 1),
			wantRules: map[string]RuleResult{"employment": RuleUnknown, "social_insurance": RuleFail},
			summary:   "eligible from 2027-03-01 (still to be confirmed: waiting for the employer's HR office",
		},
		{
			name: "employer denies: no date", pkg: Relocation,
			facts: func(f *Facts) {
				f.ClaimDate = d(2027, 2, 15)
				f.Employment = Employment{Confirmed: No}
				f.SocialInsurance = SocialInsurance{Known: true, Months: 5, Since: d(2026, 9, 1)}
			},
			want: Ineligible,
		},
		{
			name: "second claim of the same package", pkg: Relocation,
			facts: func(f *Facts) { f.EarlierClaim, f.EarlierClaimIDs = Yes, []string{"0192-claim"} },
			want:  Ineligible, wantRules: map[string]RuleResult{"first_claim": RuleFail},
		},
		{
			name: "rent while holding a talent-apartment lease", pkg: Rent,
			facts: func(f *Facts) { f.Holds[BenefitApartmentLease] = Yes },
			want:  Ineligible, wantRules: map[string]RuleResult{"no_other_housing": RuleFail},
		},
		{
			name: "relocation is not exclusive with a lease", pkg: Relocation,
			facts: func(f *Facts) { f.Holds[BenefitApartmentLease] = Yes },
			want:  Eligible,
		},
		{
			name: "living: unlisted school", pkg: Living,
			facts: func(f *Facts) {
				f.Education = []Education{edu(talent.LevelMaster, true, d(2025, 6, 30), "宁波大学")}
			},
			want: Ineligible, wantRules: map[string]RuleResult{"top_school": RuleFail},
		},
		{
			name: "living: doctorate aged 39", pkg: Living,
			facts: func(f *Facts) {
				f.BirthDate = d(1987, 1, 1)
				f.Education = []Education{edu(talent.LevelDoctorate, true, d(2025, 6, 30), "宁波大学")}
			},
			want: Eligible,
		},
		{
			name: "documents checked and missing: needs review", pkg: Rent,
			facts: func(f *Facts) {
				f.CheckDocuments = true
				f.Documents = []talent.DocumentKind{talent.DocIDCard, talent.DocDiploma}
			},
			want: NeedsReview, wantRules: map[string]RuleResult{DocumentsStep: RuleUnknown},
		},
		{
			name: "documents checked and complete", pkg: Rent,
			facts: func(f *Facts) {
				f.CheckDocuments = true
				f.Documents = []talent.DocumentKind{talent.DocIDCard, talent.DocDiploma, talent.DocDegreeCertificate, talent.DocCHSIRecord,
					talent.DocLabourContract, talent.DocSocialInsuranceRecord, talent.DocRentalContract, talent.DocBankCard}
			},
			want: Eligible, wantRules: map[string]RuleResult{DocumentsStep: RulePass},
		},
		{
			name: "nothing gathered yet: review, never eligible", pkg: Rent,
			facts: func(f *Facts) { *f = Facts{ClaimDate: d(2026, 9, 15)} },
			want:  NeedsReview,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := graduate()
			if tt.facts != nil {
				tt.facts(&f)
			}
			p := defaultPackage(t, tt.pkg)
			dec := Evaluate(p, f)
			if dec.Outcome != tt.want {
				t.Errorf("outcome = %s, want %s; %s", dec.Outcome, tt.want, dec.Summary.EN)
				for _, s := range dec.Trace {
					t.Logf("  %s %s: %s", s.RuleID, s.Outcome, s.Message.EN)
				}
			}
			if !dec.EligibleFrom.Equal(tt.wantFrom) {
				t.Errorf("EligibleFrom = %s, want %s", fmtDate(dec.EligibleFrom), fmtDate(tt.wantFrom))
			}
			got := results(dec)
			for id, want := range tt.wantRules {
				if got[id] != want {
					t.Errorf("rule %s = %s, want %s", id, got[id], want)
				}
			}
			if tt.summary != "" && !strings.Contains(dec.Summary.EN, tt.summary) {
				t.Errorf("summary %q does not contain %q", dec.Summary.EN, tt.summary)
			}
			if dec.PackageID != p.ID || dec.Version != p.Version {
				t.Errorf("decision names %s v%d, want %s v%d", dec.PackageID, dec.Version, p.ID, p.Version)
			}
			wantSteps := len(p.Rules)
			if f.CheckDocuments {
				wantSteps++
			}
			if len(dec.Trace) != wantSteps {
				t.Errorf("trace has %d steps, want %d", len(dec.Trace), wantSteps)
			}
			for _, s := range dec.Trace {
				if s.Clause == "" || s.Message.ZH == "" || s.Message.EN == "" || len(s.Inputs) == 0 {
					t.Errorf("step %s is incomplete: %+v", s.RuleID, s)
				}
			}
		})
	}
}

func TestEntitlementAmountsByLevel(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pkg     ID
		level   talent.EducationLevel
		total   int64
		monthly int64
	}{
		{Relocation, talent.LevelBachelor, 1000000, 0},
		{Relocation, talent.LevelMaster, 3000000, 0},
		{Relocation, talent.LevelDoctorate, 5000000, 0},
		{Rent, talent.LevelBachelor, 60000 * 36, 60000},
		{Rent, talent.LevelMaster, 80000 * 36, 80000},
		{Rent, talent.LevelDoctorate, 200000 * 36, 200000},
		{Living, talent.LevelBachelor, 100000 * 36, 100000},
		{Living, talent.LevelDoctorate, 100000 * 36, 100000},
	}
	for _, tt := range tests {
		f := graduate()
		f.Education = []Education{edu(tt.level, true, d(2025, 6, 30), "浙江大学")}
		f.MonthlyRent = 300000
		dec := Evaluate(defaultPackage(t, tt.pkg), f)
		e := dec.Entitlement
		if dec.Outcome != Eligible || e.Level != tt.level || e.Total != tt.total || e.Monthly != tt.monthly {
			t.Errorf("%s %s: %s, level %s, total %d, monthly %d; want eligible, total %d, monthly %d",
				tt.pkg, tt.level, dec.Outcome, e.Level, e.Total, e.Monthly, tt.total, tt.monthly)
		}
	}
}

func TestEntitlementClaimDegree(t *testing.T) {
	t.Parallel()
	// A part-time master does not count; the full-time bachelor does.
	f := graduate()
	f.Education = []Education{
		edu(talent.LevelMaster, false, d(2026, 1, 10), "浙江大学"),
		edu(talent.LevelBachelor, true, d(2025, 6, 30), "宁波大学"),
	}
	dec := Evaluate(defaultPackage(t, Relocation), f)
	if dec.Outcome != Eligible || dec.Entitlement.Level != talent.LevelBachelor || dec.Entitlement.Total != 1000000 {
		t.Errorf("got %s, %s, %d; want eligible bachelor 1000000", dec.Outcome, dec.Entitlement.Level, dec.Entitlement.Total)
	}
}

func TestInstalments(t *testing.T) {
	t.Parallel()
	f := graduate()
	f.ClaimDate = d(2027, 3, 10)
	f.SocialInsurance = SocialInsurance{Known: true, Months: 6, Since: d(2026, 9, 1)}
	dec := Evaluate(defaultPackage(t, Relocation), f)
	want := []InstalmentDue{
		{AfterMonths: 6, Percent: 50, Amount: 1500000, Met: true, From: d(2027, 3, 10)},
		{AfterMonths: 12, Percent: 50, Amount: 1500000, From: d(2027, 9, 1)},
	}
	if dec.Outcome != Eligible || !reflect.DeepEqual(dec.Entitlement.Instalments, want) {
		t.Errorf("got %s %+v, want eligible %+v", dec.Outcome, dec.Entitlement.Instalments, want)
	}

	// Odd amounts: the last instalment takes the remainder, so they add up.
	p := defaultPackage(t, Relocation)
	p.Benefit.Amounts = map[talent.EducationLevel]int64{talent.LevelBachelor: 1, talent.LevelMaster: 1000001, talent.LevelDoctorate: 3}
	p.Benefit.Instalments = []Instalment{{6, 33}, {9, 33}, {12, 34}}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	var sum int64
	for _, in := range Evaluate(p, f).Entitlement.Instalments {
		sum += in.Amount
	}
	if sum != 1000001 {
		t.Errorf("instalments add up to %d, want 1000001", sum)
	}
}

func TestRentCappedByActualRent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		level       talent.EducationLevel
		rent        int64
		monthly     int64
		capped      bool
		rentUnknown bool
	}{
		{"rent above the standard", talent.LevelBachelor, 150000, 60000, false, false},
		{"rent equal to the standard", talent.LevelBachelor, 60000, 60000, false, false},
		{"rent below the standard", talent.LevelBachelor, 45000, 45000, true, false},
		{"doctorate, rent below", talent.LevelDoctorate, 180000, 180000, true, false},
		{"rent not known yet", talent.LevelMaster, 0, 80000, false, true},
	}
	for _, tt := range tests {
		f := graduate()
		f.Education = []Education{edu(tt.level, true, d(2025, 6, 30), "宁波大学")}
		f.MonthlyRent = tt.rent
		e := Evaluate(defaultPackage(t, Rent), f).Entitlement
		if e.Monthly != tt.monthly || e.RentCapped != tt.capped || e.RentUnknown != tt.rentUnknown ||
			e.Months != 36 || e.Total != tt.monthly*36 {
			t.Errorf("%s: got %+v", tt.name, e)
		}
	}
	// The living allowance is not capped by rent.
	f := graduate()
	f.MonthlyRent = 50000
	if e := Evaluate(defaultPackage(t, Living), f).Entitlement; e.Monthly != 100000 || e.RentCapped {
		t.Errorf("living: got %+v", e)
	}
}

func TestEvaluateIsDeterministic(t *testing.T) {
	t.Parallel()
	p := defaultPackage(t, Rent)
	f := graduate()
	f.ClaimDate = d(2027, 2, 15)
	f.SocialInsurance = SocialInsurance{Known: true, Months: 5, Since: d(2026, 9, 1)}
	first := Evaluate(p, f)
	for range 20 {
		if again := Evaluate(p, f); !reflect.DeepEqual(first, again) {
			t.Fatalf("Evaluate differs between runs:\n%+v\n%+v", first, again)
		}
	}
}

func TestEvaluateMisconfiguredRuleGoesToReview(t *testing.T) {
	t.Parallel()
	p := defaultPackage(t, Relocation)
	p.Rules = slices.Clone(p.Rules)
	p.Rules[2] = Rule{ID: "age", Kind: KindAgeMax, Clause: "x", Params: map[string]any{"years": "$missing"}}
	dec := Evaluate(p, graduate())
	if dec.Outcome != NeedsReview || results(dec)["age"] != RuleUnknown {
		t.Errorf("got %s, age %s; want needs_review, age unknown", dec.Outcome, results(dec)["age"])
	}
}

func TestEvaluateDoesNotChangeFacts(t *testing.T) {
	t.Parallel()
	f := graduate()
	f.ClaimDate = time.Date(2026, 9, 15, 3, 4, 5, 0, time.UTC)
	f.Education[0].GraduationDate = time.Date(2025, 6, 30, 9, 0, 0, 0, time.UTC)
	before := f.Education[0].GraduationDate
	Evaluate(defaultPackage(t, Relocation), f)
	if !f.Education[0].GraduationDate.Equal(before) {
		t.Error("Evaluate changed the caller's facts")
	}
}
