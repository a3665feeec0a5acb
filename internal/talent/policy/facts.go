package policy

import (
	"time"

	"github.com/anju-city/anju/internal/talent"
)

// Truth is a yes-or-no fact that may not be known yet. The zero value is
// Unknown, so a fact nobody gathered never passes a rule by accident.
type Truth int8

// Truth values.
const (
	Unknown Truth = iota // not gathered or not confirmed yet
	Yes
	No
)

// Known turns a gathered bool into a Truth.
func Known(b bool) Truth {
	if b {
		return Yes
	}
	return No
}

// String is "yes", "no" or "unknown", as trace inputs show it.
func (t Truth) String() string {
	switch t {
	case Yes:
		return "yes"
	case No:
		return "no"
	}
	return "unknown"
}

// Facts are what Evaluate knows about a graduate and their claim. The claim
// worker gathers them (profile, accepted documents, the employer's
// confirmation, social-insurance and home-ownership records, earlier claims
// through the national-ID blind index); the precheck fills what the profile
// tells and leaves the rest Unknown. Every date is read as its civil date in
// Asia/Shanghai.
type Facts struct {
	// ClaimDate is the date the claim is (or would be) submitted; the rules
	// are judged as of this date.
	ClaimDate time.Time
	// BirthDate is the date of birth (from the national ID); zero when unknown.
	BirthDate time.Time
	// Education lists the graduate's degrees.
	Education []Education
	// HukouInCity: the household registration (户籍) was in the city at graduation.
	HukouInCity Truth
	// UniversityInCity: the degree was earned at a university in the city.
	UniversityInCity Truth
	// Employment is the local labour contract and the employer's confirmation.
	Employment Employment
	// SocialInsurance is the current run of local social-insurance months.
	SocialInsurance SocialInsurance
	// OwnsHome: the graduate (or spouse) owns a home in the city, as declared
	// and checked against the housing register.
	OwnsHome Truth
	// EarlierClaim: the same person (by national-ID blind index) already has
	// a claim of this package that was not withdrawn or rejected.
	// EarlierClaimIDs name those claims for the trace.
	EarlierClaim    Truth
	EarlierClaimIDs []string
	// Holds tells, for each benefit name a package may be exclusive with
	// (BenefitApartmentLease, BenefitPublicRentalHousing, a package id),
	// whether the graduate holds it now. A missing name is Unknown.
	Holds map[string]Truth
	// MonthlyRent is the actual monthly rent in fen from the rental contract;
	// 0 when unknown.
	MonthlyRent int64
	// CheckDocuments asks Evaluate to check the package's required documents
	// against Documents, the kinds accepted so far. The precheck leaves it
	// false: documents are uploaded with the claim.
	CheckDocuments bool
	Documents      []talent.DocumentKind
	// TalentTier is the recognised talent tier (人才分类, such as "A" … "E"),
	// empty when none; used by Score.
	TalentTier string
	// HouseholdSize is the number of people in the household including the
	// applicant; 0 when unknown. Used by Score.
	HouseholdSize int
}

// Education is one degree, as declared in the profile and proved by the
// diploma, degree certificate and CHSI record.
type Education struct {
	talent.Education
	// Foreign: earned abroad (or in Hong Kong, Macao or Taiwan).
	Foreign bool
	// Certified: a foreign degree is certified by the Ministry of
	// Education's Chinese Service Center for Scholarly Exchange (留服认证).
	Certified bool
}

// Employment is the graduate's local employment.
type Employment struct {
	// Confirmed is the employer's HR office answer: Unknown while waiting,
	// Yes when confirmed, No when the employer denies it.
	Confirmed Truth
	// ContractMonths is the term of the labour contract in months; 0 when
	// not known yet.
	ContractMonths int
	// OpenEnded: a contract without a fixed term (无固定期限), which meets
	// any minimum term.
	OpenEnded bool
}

// SocialInsurance is the graduate's current run of consecutive months of
// social insurance paid in the city. Back-paid months (补缴) do not count and
// a gap starts a new run.
type SocialInsurance struct {
	// Known: the record has been checked.
	Known bool
	// Months is the number of consecutive months paid as of the claim date;
	// 0 when not currently paying.
	Months int
	// Since is (any day of) the first month of the current run; zero when
	// there is none or it is not known. With it, Evaluate tells from which
	// date a threshold will be met if contributions continue.
	Since time.Time
}

// metFrom returns the first day on which the run reaches n months if
// contributions continue, and false when it cannot (no run at all: time
// alone will not help). claim is the civil claim date.
//
// A run of 6 months starting in September 2026 is complete on 2027-03-01:
// the first day of the month n months after the run began. The months still
// missing (n − Months) cannot be paid faster than one a month either, so the
// later of the two dates is used; the two agree when the record is up to date.
func (s SocialInsurance) metFrom(n int, claim time.Time) (time.Time, bool) {
	if s.Months >= n {
		return claim, true
	}
	if s.Months <= 0 && s.Since.IsZero() {
		return time.Time{}, false
	}
	from := AddMonths(firstOfMonth(claim), n-s.Months)
	if !s.Since.IsZero() {
		from = later(from, AddMonths(firstOfMonth(Civil(s.Since)), n))
	}
	return from, true
}
