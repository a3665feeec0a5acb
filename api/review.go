package api

import (
	"context"

	"github.com/anju-city/anju/api/gen"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/allowance"
	"github.com/gofiber/fiber/v2"
)

func (h *allowanceHandlers) GetReviewClaim(c *fiber.Ctx, id gen.ID) error {
	// The applicant's personal data and document links: no cache may keep them.
	c.Set(fiber.HeaderCacheControl, "no-store")
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (allowance.ReviewView, error) {
		return h.allowance.ReviewClaim(ctx, u, id.String())
	}, toReviewClaim)
}

func (h *allowanceHandlers) AssignClaim(c *fiber.Ctx, id gen.ID) error {
	return respondBody(c, fiber.StatusOK, func(ctx context.Context, u talent.User, body gen.ClaimAssignInput) (allowance.Claim, error) {
		assignee := ""
		if body.AssigneeId != nil {
			assignee = body.AssigneeId.String()
		}
		return h.allowance.Assign(ctx, u, id.String(), assignee, value(body.TakeOver))
	}, toClaim)
}

func (h *allowanceHandlers) ReturnClaim(c *fiber.Ctx, id gen.ID) error {
	return respondBody(c, fiber.StatusOK, func(ctx context.Context, u talent.User, body gen.ReturnInput) (allowance.Claim, error) {
		return h.allowance.Return(ctx, u, id.String(), each(body.Items, fromReturnItem))
	}, toClaim)
}

func (h *allowanceHandlers) UpdateClaim(c *fiber.Ctx, id gen.ID) error {
	return respondBody(c, fiber.StatusOK, func(ctx context.Context, u talent.User, body gen.ClaimUpdateInput) (allowance.Claim, error) {
		return h.allowance.UpdateDeclarations(ctx, u, id.String(), fromDeclarations(body.Declarations))
	}, toClaim)
}

func (h *allowanceHandlers) DetachClaimDocument(c *fiber.Ctx, id gen.ID, documentID gen.ID) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (allowance.ClaimView, error) {
		return h.allowance.DetachDocument(ctx, u, id.String(), documentID.String())
	}, toClaimDetail)
}

func fromReturnItem(it gen.ReturnItem) allowance.ReturnItem {
	out := allowance.ReturnItem{Target: it.Target, Code: string(value(it.Code))}
	if it.Text != nil {
		out.Text = talent.Text{ZH: it.Text.Zh, EN: it.Text.En}
	}
	return out
}

func toReturnItem(it allowance.ReturnItem) gen.ReturnItem {
	out := gen.ReturnItem{Target: it.Target}
	if it.Code != "" {
		code := gen.ReturnItemCode(it.Code)
		out.Code = &code
	}
	if it.Text != (talent.Text{}) {
		out.Text = &gen.LocalizedText{Zh: it.Text.ZH, En: it.Text.EN}
	}
	return out
}

func toReviewClaim(v allowance.ReviewView) gen.ReviewClaim {
	d := toClaimDetail(v.ClaimView)
	for i := range d.Documents {
		if url, ok := v.PreviewURLs[d.Documents[i].Id.String()]; ok {
			d.Documents[i].DownloadUrl = &url
		}
	}
	return gen.ReviewClaim{
		Id: d.Id, Package: d.Package, PolicyVersion: d.PolicyVersion, Status: d.Status, Appealed: d.Appealed,
		Declarations: d.Declarations, Stage: d.Stage, DueAt: d.DueAt, EscalatedAt: d.EscalatedAt, RejectCode: d.RejectCode,
		RejectReason: d.RejectReason, SubmittedAt: d.SubmittedAt, DecidedAt: d.DecidedAt, CreatedAt: d.CreatedAt,
		UpdatedAt: d.UpdatedAt, Decision: d.Decision, NextStep: d.NextStep, AssigneeId: d.AssigneeId, Returns: d.Returns,
		ReturnItems: d.ReturnItems, NoticeUntil: d.NoticeUntil, Documents: d.Documents, Audit: d.Audit, Payments: d.Payments,
		Applicant: toApplicant(v.Applicant),
	}
}

func toApplicant(a allowance.Applicant) gen.Applicant {
	out := gen.Applicant{UserId: uuidOf(a.UserID), Name: a.Name, NationalId: optional(a.NationalIDMasked), Age: optional(a.Age),
		Education: each(a.Education, toEducation), HukouPlace: optional(a.HukouPlace), TalentTier: optional(a.TalentTier),
		EarlierClaims: each(a.EarlierClaims, func(e allowance.EarlierClaim) gen.EarlierClaim {
			return gen.EarlierClaim{Id: uuidOf(e.ID), Package: string(e.Package), Status: gen.ClaimStatus(e.Status), SubmittedAt: utc(e.SubmittedAt)}
		}),
		Leases: each(a.Leases, func(l allowance.ApplicantLease) gen.ApplicantLease {
			return gen.ApplicantLease{Id: uuidOf(l.ID), UnitId: uuidOf(l.UnitID), Status: l.Status, StartsOn: date(l.StartsOn), EndsOn: date(l.EndsOn)}
		}),
	}
	if e := a.Employment; e != nil {
		out.Employer = &gen.ApplicantEmployer{Name: a.EmployerName, Status: gen.EmploymentStatus(e.Status),
			ContractStart: datePtr(e.ContractStart), ContractEnd: datePtr(e.ContractEnd), SocialInsuranceStart: datePtr(e.SocialInsuranceStart)}
	}
	if a.SocialInsuranceSource != "" {
		out.SocialInsurance = &gen.ApplicantSocialInsurance{Months: a.SocialInsuranceMonths, Source: a.SocialInsuranceSource}
	}
	return out
}

func toNextStep(s talent.Step) *gen.NextStep {
	return &gen.NextStep{Name: s.Name, Actor: s.Actor, DueAt: utc(s.DueAt)}
}
