package allowance

import (
	"context"
	"strings"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/policy"
)

// PersonFacts are the facts a graduate's profile (already read, as
// person), employment and live claims tell on a date; the housing rounds
// evaluate the apartment package with them.
func (s *Service) PersonFacts(ctx context.Context, person talent.Person, on time.Time) (policy.Facts, error) {
	f, _, _, err := s.personFacts(ctx, person, on)
	return f, err
}

// profileFacts are the facts a profile and the current employment tell.
// waiting reports an employment that HR has not answered yet; employerID is
// the employer of the current employment.
func (s *Service) profileFacts(ctx context.Context, userID string, on time.Time) (f policy.Facts, waiting bool, employerID string, err error) {
	person, err := s.People.Person(ctx, userID)
	if err != nil {
		return policy.Facts{ClaimDate: on, Holds: map[string]policy.Truth{}}, false, "", err
	}
	return s.personFacts(ctx, person, on)
}

// personFacts is profileFacts for a person already read.
func (s *Service) personFacts(ctx context.Context, person talent.Person, on time.Time) (f policy.Facts, waiting bool, employerID string, err error) {
	f = policy.Facts{ClaimDate: on, Holds: map[string]policy.Truth{}}
	userID := person.UserID
	if person.BirthDate != nil {
		f.BirthDate = *person.BirthDate
	}
	f.TalentTier = person.TalentTier
	for _, e := range person.Education {
		f.Education = append(f.Education, policy.Education{Education: e})
	}
	if place := strings.TrimSpace(person.HukouPlace); place != "" && s.City != "" {
		f.HukouInCity = policy.Known(strings.Contains(place, s.City))
	}
	emp, err := s.Employments.CurrentEmployment(ctx, userID)
	switch {
	case talent.ErrorKind(err) == talent.KindNotFound:
		f.Employment.Confirmed = policy.No
	case err != nil:
		return f, false, "", err
	case emp.Status == talent.EmploymentConfirmed:
		f.Employment.Confirmed = policy.Yes
		f.Employment.ContractMonths = wholeMonths(*emp.ContractStart, emp.ContractEnd.AddDate(0, 0, 1))
		f.SocialInsurance = policy.SocialInsurance{
			Known: true, Since: *emp.SocialInsuranceStart,
			Months: max(0, wholeMonths(*emp.SocialInsuranceStart, firstOfMonth(policy.Civil(on)))),
		}
	case emp.Status == talent.EmploymentPending:
		waiting = true
	default:
		f.Employment.Confirmed = policy.No
	}
	if err == nil {
		employerID = emp.EmployerID
	}
	lease, err := s.Leases.HoldsLease(ctx, userID)
	if err != nil {
		return f, false, "", err
	}
	f.Holds[policy.BenefitApartmentLease] = policy.Known(lease)
	// A live claim of a package is a benefit held, for packages exclusive with it.
	if person.PersonIndex != "" {
		for _, id := range policy.Allowances() {
			live, err := s.ClaimStore.EarlierClaims(ctx, person.PersonIndex, id, "")
			if err != nil {
				return f, false, "", err
			}
			f.Holds[string(id)] = policy.Known(len(live) > 0)
		}
	}
	return f, waiting, employerID, nil
}

// gather collects every fact the eligibility worker needs for a claim, and
// the employer it is evaluated with.
func (s *Service) gather(ctx context.Context, c Claim) (policy.Facts, bool, string, error) {
	f, waiting, employerID, err := s.profileFacts(ctx, c.UserID, *c.SubmittedAt)
	if err != nil {
		return f, false, "", err
	}
	d := c.Declarations
	f.OwnsHome = policy.Known(d.OwnsHomeInCity)
	f.Holds[policy.BenefitPublicRentalHousing] = policy.Known(d.PublicRentalHousing)
	f.MonthlyRent = d.MonthlyRent
	earlier, err := s.ClaimStore.EarlierClaims(ctx, c.PersonIndex, c.Package, c.ID)
	if err != nil {
		return f, false, "", err
	}
	f.EarlierClaim, f.EarlierClaimIDs = policy.Known(len(earlier) > 0), earlier
	docs, err := s.ClaimStore.ClaimDocuments(ctx, c.ID)
	if err != nil {
		return f, false, "", err
	}
	f.CheckDocuments = true
	for _, doc := range docs {
		if doc.Status == talent.DocAccepted {
			f.Documents = append(f.Documents, doc.Kind)
		}
	}
	return f, waiting, employerID, nil
}

// PrecheckResult is what one package says about the caller today.
type PrecheckResult struct {
	Package  policy.Package
	Decision policy.Decision
}

// Precheck answers, from the profile alone, what the caller can claim now,
// what later and from when, and why not otherwise, rule by rule.
// Declarations the app has not asked for yet stay unknown.
func (s *Service) Precheck(ctx context.Context, actor talent.User) ([]PrecheckResult, error) {
	open, err := s.Catalog.Open(ctx)
	if err != nil {
		return nil, err
	}
	f, _, _, err := s.profileFacts(ctx, actor.ID, s.now())
	if err != nil {
		return nil, err
	}
	out := make([]PrecheckResult, len(open))
	for i, p := range open {
		out[i] = PrecheckResult{Package: p, Decision: policy.Evaluate(p, f)}
	}
	return out, nil
}

// wholeMonths counts the whole months from a to b.
func wholeMonths(a, b time.Time) int {
	n := (b.Year()-a.Year())*12 + int(b.Month()-a.Month())
	if b.Day() < a.Day() {
		n--
	}
	return n
}

func firstOfMonth(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}
