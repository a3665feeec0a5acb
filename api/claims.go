package api

import (
	"context"
	"time"

	"github.com/anju-city/anju/api/gen"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/allowance"
	"github.com/anju-city/anju/internal/talent/catalog"
	"github.com/anju-city/anju/internal/talent/policy"
	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
	openapi_types "github.com/oapi-codegen/runtime/types"
)

// allowanceHandlers are the claims workflow's operations: policies,
// claims, review, and finance.
type allowanceHandlers struct {
	allowance *allowance.Service
	catalog   *catalog.Catalog
}

func (h *allowanceHandlers) ListPolicies(c *fiber.Ctx) error {
	pkgs, err := h.catalog.Open(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(gen.PolicyList{Items: each(pkgs, toPolicy)})
}

func (h *allowanceHandlers) PublishPolicy(c *fiber.Ctx) error {
	return respondBody(c, fiber.StatusCreated, func(ctx context.Context, u talent.User, body gen.PolicyInput) (policy.Package, error) {
		return h.catalog.Publish(ctx, u, body.Source)
	}, toPolicy)
}

func (h *allowanceHandlers) PrecheckEligibility(c *fiber.Ctx) error {
	return respond(c, fiber.StatusOK, h.allowance.Precheck, func(results []allowance.PrecheckResult) gen.PrecheckResults {
		return gen.PrecheckResults{Results: each(results, func(r allowance.PrecheckResult) gen.Decision { return toDecision(r.Decision) })}
	})
}

func (h *allowanceHandlers) ListClaims(c *fiber.Ctx, params gen.ListClaimsParams) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (gen.ClaimPage, error) {
		list, next, err := h.allowance.Claims(ctx, u, page(params.Cursor, params.Limit))
		return toClaimPage(list, next), err
	}, same)
}

func (h *allowanceHandlers) CreateClaim(c *fiber.Ctx) error {
	return respondBody(c, fiber.StatusCreated, func(ctx context.Context, u talent.User, body gen.ClaimInput) (allowance.Claim, error) {
		return h.allowance.CreateClaim(ctx, u, policy.ID(body.Package), fromDeclarations(body.Declarations))
	}, toClaim)
}

func (h *allowanceHandlers) GetClaim(c *fiber.Ctx, id gen.ID) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (allowance.ClaimView, error) {
		return h.allowance.Claim(ctx, u, id.String())
	}, toClaimDetail)
}

func (h *allowanceHandlers) AttachClaimDocuments(c *fiber.Ctx, id gen.ID) error {
	return respondBody(c, fiber.StatusOK, func(ctx context.Context, u talent.User, body gen.AttachDocumentsInput) (allowance.ClaimView, error) {
		return h.allowance.AttachDocuments(ctx, u, id.String(), each(body.DocumentIds, func(d gen.ID) string { return d.String() }))
	}, toClaimDetail)
}

func (h *allowanceHandlers) SubmitClaim(c *fiber.Ctx, id gen.ID) error {
	return respond(c, fiber.StatusAccepted, func(ctx context.Context, u talent.User) (allowance.Claim, error) {
		return h.allowance.Submit(ctx, u, id.String())
	}, toClaim)
}

func (h *allowanceHandlers) WithdrawClaim(c *fiber.Ctx, id gen.ID) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (allowance.Claim, error) {
		return h.allowance.Withdraw(ctx, u, id.String())
	}, toClaim)
}

func (h *allowanceHandlers) AppealClaim(c *fiber.Ctx, id gen.ID) error {
	return respondBody(c, fiber.StatusAccepted, func(ctx context.Context, u talent.User, body gen.AppealInput) (allowance.Claim, error) {
		return h.allowance.Appeal(ctx, u, id.String(), body.Reason)
	}, toClaim)
}

func (h *allowanceHandlers) ReviewQueue(c *fiber.Ctx, params gen.ReviewQueueParams) error {
	f := allowance.QueueFilter{
		Status: allowance.ClaimStatus(value(params.Status)), Package: policy.ID(value(params.Package)),
		Overdue: value(params.Overdue), SubmittedFrom: value(params.SubmittedFrom), SubmittedTo: value(params.SubmittedTo),
		Assignee: value(params.Assignee), Sort: allowance.QueueSort(value(params.Sort)),
	}
	if params.Employer != nil {
		f.EmployerID = params.Employer.String()
	}
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (gen.ClaimPage, error) {
		list, next, err := h.allowance.Queue(ctx, u, f, value(params.Q), page(params.Cursor, params.Limit))
		return gen.ClaimPage{Items: each(list, func(x allowance.QueueItem) gen.Claim {
			out := toClaim(x.Claim)
			out.ApplicantName = &x.ApplicantName
			return out
		}), NextCursor: optional(next)}, err
	}, same)
}

func (h *allowanceHandlers) ApproveClaim(c *fiber.Ctx, id gen.ID) error {
	return respondBody(c, fiber.StatusOK, func(ctx context.Context, u talent.User, body gen.ApprovalInput) (allowance.Claim, error) {
		return h.allowance.Approve(ctx, u, id.String(), value(body.Note))
	}, toClaim)
}

func (h *allowanceHandlers) RejectClaim(c *fiber.Ctx, id gen.ID) error {
	return respondBody(c, fiber.StatusOK, func(ctx context.Context, u talent.User, body gen.ClaimRejectionInput) (allowance.Claim, error) {
		return h.allowance.Reject(ctx, u, id.String(), string(body.Code), body.Reason)
	}, toClaim)
}

func localized(t policy.Text) gen.LocalizedText { return gen.LocalizedText{Zh: t.ZH, En: t.EN} }

func civilDate(t time.Time) *openapi_types.Date {
	if t.IsZero() {
		return nil
	}
	d := date(t)
	return &d
}

func toPolicy(p policy.Package) gen.Policy {
	out := gen.Policy{
		Id: string(p.ID), Version: p.Version, Title: localized(p.Title), Summary: localized(p.Summary),
		EffectiveFrom: date(p.EffectiveFrom), EffectiveTo: civilDate(p.EffectiveTo),
		RequiredDocuments: make([]gen.DocumentKind, len(p.Documents.Required)),
		Benefit:           gen.Benefit{Kind: gen.BenefitKindNone},
	}
	for i, k := range p.Documents.Required {
		out.RequiredDocuments[i] = gen.DocumentKind(k)
	}
	if b := p.Benefit; b.Kind != "" {
		out.Benefit.Kind = gen.BenefitKind(b.Kind)
		amounts := map[string]int64{}
		for level, fen := range b.Amounts {
			amounts[string(level)] = fen
		}
		out.Benefit.Amounts = &amounts
		if len(b.Instalments) > 0 {
			inst := make([]gen.BenefitInstalment, len(b.Instalments))
			for i, x := range b.Instalments {
				inst[i] = gen.BenefitInstalment{AfterMonths: x.AfterMonths, Percent: x.Percent}
			}
			out.Benefit.Instalments = &inst
		}
		if b.MaxMonths > 0 {
			out.Benefit.MaxMonths = &b.MaxMonths
			out.Benefit.CapByActualRent = &b.CapByActualRent
		}
	}
	return out
}

func toDecision(d policy.Decision) gen.Decision {
	out := gen.Decision{
		Outcome: gen.DecisionOutcome(d.Outcome), Package: string(d.PackageID), Version: d.Version,
		ClaimDate: date(d.ClaimDate), EligibleFrom: civilDate(d.EligibleFrom), Summary: localized(d.Summary),
		Trace: make([]gen.TraceStep, len(d.Trace)),
	}
	for i, s := range d.Trace {
		inputs := make([]gen.TraceInput, len(s.Inputs))
		for j, in := range s.Inputs {
			inputs[j] = gen.TraceInput{Name: in.Name, Value: in.Value}
		}
		out.Trace[i] = gen.TraceStep{
			RuleId: s.RuleID, Kind: string(s.Kind), Clause: s.Clause, Inputs: inputs,
			Outcome: gen.TraceStepOutcome(s.Outcome), Message: localized(s.Message),
			PassesFrom: civilDate(s.PassesFrom), LastDay: civilDate(s.LastDay),
		}
	}
	if e := d.Entitlement; e.Kind != "" {
		msg := localized(e.Message)
		ent := gen.Entitlement{Kind: optional(string(e.Kind)), Clause: optional(e.Clause), Level: optional(string(e.Level)),
			Total: &e.Total, Message: &msg, RentCapped: &e.RentCapped}
		if e.Monthly > 0 {
			ent.Monthly, ent.Months = &e.Monthly, &e.Months
		}
		if len(e.Instalments) > 0 {
			inst := make([]gen.InstalmentDue, len(e.Instalments))
			for i, x := range e.Instalments {
				inst[i] = gen.InstalmentDue{AfterMonths: x.AfterMonths, Percent: x.Percent, Amount: x.Amount, Met: x.Met, From: civilDate(x.From)}
			}
			ent.Instalments = &inst
		}
		out.Entitlement = &ent
	}
	return out
}

func fromDeclarations(d gen.Declarations) allowance.Declarations {
	var out allowance.Declarations
	if d.OwnsHomeInCity != nil {
		out.OwnsHomeInCity = *d.OwnsHomeInCity
	}
	if d.PublicRentalHousing != nil {
		out.PublicRentalHousing = *d.PublicRentalHousing
	}
	if d.MonthlyRent != nil {
		out.MonthlyRent = *d.MonthlyRent
	}
	if d.TopSchool != nil {
		out.TopSchool = *d.TopSchool
	}
	return out
}

func toClaim(c allowance.Claim) gen.Claim {
	d := c.Declarations
	out := gen.Claim{
		Id: uuid.MustParse(c.ID), Package: string(c.Package), PolicyVersion: c.PolicyVersion,
		Status: gen.ClaimStatus(c.Status), Appealed: c.Appealed,
		Declarations: gen.Declarations{OwnsHomeInCity: &d.OwnsHomeInCity, PublicRentalHousing: &d.PublicRentalHousing,
			MonthlyRent: optional(d.MonthlyRent), TopSchool: &d.TopSchool},
		Stage: optional(string(c.Stage)), DueAt: utc(c.DueAt), EscalatedAt: utc(c.EscalatedAt), RejectCode: optional(c.RejectCode),
		RejectReason: optional(c.RejectReason), SubmittedAt: utc(c.SubmittedAt), DecidedAt: utc(c.DecidedAt),
		CreatedAt: c.CreatedAt.UTC(), UpdatedAt: c.UpdatedAt.UTC(), NextStep: toNextStep(c.NextStep()),
		Returns: optional(c.Returns), NoticeUntil: utc(c.NoticeUntil),
	}
	if c.AssigneeID != "" {
		id := uuidOf(c.AssigneeID)
		out.AssigneeId = &id
	}
	if len(c.ReturnItems) > 0 {
		items := each(c.ReturnItems, toReturnItem)
		out.ReturnItems = &items
	}
	if c.Decision != nil {
		dec := toDecision(*c.Decision)
		out.Decision = &dec
	}
	return out
}

func toClaimPage(list []allowance.Claim, next string) gen.ClaimPage {
	return gen.ClaimPage{Items: each(list, toClaim), NextCursor: optional(next)}
}

func toClaimDetail(v allowance.ClaimView) gen.ClaimDetail {
	c := toClaim(v.Claim)
	out := gen.ClaimDetail{
		Id: c.Id, Package: c.Package, PolicyVersion: c.PolicyVersion, Status: c.Status, Appealed: c.Appealed,
		Declarations: c.Declarations, Stage: c.Stage, DueAt: c.DueAt, EscalatedAt: c.EscalatedAt, RejectCode: c.RejectCode, RejectReason: c.RejectReason,
		SubmittedAt: c.SubmittedAt, DecidedAt: c.DecidedAt, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt,
		Decision: c.Decision, NextStep: c.NextStep, AssigneeId: c.AssigneeId, Returns: c.Returns, ReturnItems: c.ReturnItems,
		NoticeUntil: c.NoticeUntil, Documents: make([]gen.Document, len(v.Documents)), Audit: make([]gen.AuditEntry, len(v.Audit)),
		Payments: each(v.Payments, toPayment),
	}
	for i, d := range v.Documents {
		out.Documents[i] = toDocument(d, "")
	}
	for i, a := range v.Audit {
		out.Audit[i] = gen.AuditEntry{At: a.At.UTC(), ActorId: a.ActorID, Event: string(a.Event), From: string(a.From), To: string(a.To), Reason: optional(a.Reason)}
	}
	return out
}
