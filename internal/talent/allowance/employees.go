package allowance

import (
	"context"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/policy"
)

// EmployeeClaimFilter narrows the claims an employer's office lists.
// Zero values of Status and Package do not filter.
type EmployeeClaimFilter struct {
	// EmployerIDs are the employers whose people are listed: those the
	// caller acts for; never empty.
	EmployerIDs []string
	Status      ClaimStatus
	Package     policy.ID
}

// EmployeeClaimRecord is what the store reads for one listed claim: the
// claim, whose graduate it is (the name and the sealed national ID
// number), their employment with the employer and the claim's next unpaid
// payment. The service turns it into an EmployeeClaim, which is all the
// employer may see of it.
type EmployeeClaimRecord struct {
	Claim            Claim
	GraduateName     string
	NationalIDSealed string
	Employment       talent.EmploymentStatus
	// NextPayment is the claim's first payment by sequence that is not
	// paid, suspended or clawed back; nil when there is none.
	NextPayment *Payment
}

// EmployeeClaim is a claim as the graduate's employer sees it: who, which
// package, where it stands and what it waits for, and when the next money
// is due. Amounts, bank details, decision reasons and traces, documents
// and the reviewer are the graduate's and the office's business: they are
// not here, so no converter can show them by mistake.
type EmployeeClaim struct {
	ClaimID          string
	GraduateName     string
	NationalIDMasked string // "" when the graduate gave none
	Package          policy.ID
	Status           ClaimStatus
	Employment       talent.EmploymentStatus // pending or confirmed
	SubmittedAt      time.Time
	DecidedAt        *time.Time
	Next             talent.Step
	// NextPaymentStatus and NextPaymentDue describe the next payment not
	// yet made; NextPaymentStatus is "" when none is left.
	NextPaymentStatus PaymentStatus
	NextPaymentDue    time.Time
}

// EmployeeClaims lists, newest submission first, the submitted claims of
// the graduates whose live employment (pending or confirmed) is with an
// employer the caller acts for as HR or as its admin. A graduate whose
// employment ended, was rejected or moved elsewhere is not the employer's
// to follow any more; a draft is the graduate's own until it is submitted.
// Nobody else may list them: not the city's admins, who do no office
// work, nor the review office, which has its own queue.
func (s *Service) EmployeeClaims(ctx context.Context, actor talent.User, f EmployeeClaimFilter, page talent.Page) ([]EmployeeClaim, string, error) {
	if err := actor.Require(talent.RoleHR, talent.RoleEmployerAdmin); err != nil {
		return nil, "", err
	}
	f.EmployerIDs = actor.EmployersActedFor()
	if len(f.EmployerIDs) == 0 {
		return nil, "", talent.Forbidden("acts for no employer")
	}
	recs, next, err := s.ClaimStore.EmployeeClaims(ctx, f, page)
	if err != nil {
		return nil, "", err
	}
	out := make([]EmployeeClaim, len(recs))
	for i, r := range recs {
		c := r.Claim
		e := EmployeeClaim{ClaimID: c.ID, GraduateName: r.GraduateName, Package: c.Package, Status: c.Status, Employment: r.Employment,
			DecidedAt: c.DecidedAt, Next: c.NextStep()}
		if c.SubmittedAt != nil {
			e.SubmittedAt = *c.SubmittedAt
		}
		if r.NationalIDSealed != "" {
			number, err := s.Vault.Open(talent.SealedProfileNationalID, c.UserID, r.NationalIDSealed)
			if err != nil {
				return nil, "", err
			}
			e.NationalIDMasked = talent.MaskNationalID(number)
		}
		if p := r.NextPayment; p != nil {
			e.NextPaymentStatus, e.NextPaymentDue = p.Status, p.DueOn
		}
		out[i] = e
	}
	return out, next, nil
}
