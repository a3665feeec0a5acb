package api

import (
	"context"

	"github.com/anju-city/anju/api/gen"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/allowance"
	"github.com/anju-city/anju/internal/talent/policy"
	"github.com/gofiber/fiber/v2"
)

// ListEmployeeClaims is the employer's view of its people's claims (HR
// and the employer's admin).
func (h *allowanceHandlers) ListEmployeeClaims(c *fiber.Ctx, params gen.ListEmployeeClaimsParams) error {
	f := allowance.EmployeeClaimFilter{Status: allowance.ClaimStatus(value(params.Status)), Package: policy.ID(value(params.Package))}
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (gen.EmployeeClaimPage, error) {
		list, next, err := h.allowance.EmployeeClaims(ctx, u, f, page(params.Cursor, params.Limit))
		return gen.EmployeeClaimPage{Items: each(list, toEmployeeClaim), NextCursor: optional(next)}, err
	}, same)
}

func toEmployeeClaim(e allowance.EmployeeClaim) gen.EmployeeClaim {
	out := gen.EmployeeClaim{Id: uuidOf(e.ClaimID), GraduateName: e.GraduateName, NationalId: optional(e.NationalIDMasked),
		Package: gen.PolicyPackageID(e.Package), Status: gen.ClaimStatus(e.Status), EmploymentStatus: gen.EmployeeClaimEmploymentStatus(e.Employment),
		SubmittedAt: e.SubmittedAt.UTC(), DecidedAt: utc(e.DecidedAt), NextStep: *toNextStep(e.Next)}
	if e.NextPaymentStatus != "" {
		out.NextPayment = &gen.NextPayment{Status: gen.PaymentStatus(e.NextPaymentStatus), DueOn: date(e.NextPaymentDue)}
	}
	return out
}
