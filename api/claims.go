package api

import (
	"time"

	"github.com/anju-city/anju/api/gen"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/allowance"
	"github.com/anju-city/anju/internal/talent/policy"
	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
	openapi_types "github.com/oapi-codegen/runtime/types"
)

func (h *handlers) ListPolicies(c *fiber.Ctx, _ gen.ListPoliciesParams) error {
	pkgs, err := h.d.Allowance.OpenPackages(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(gen.PolicyList{Items: each(pkgs, toPolicy)})
}

func (h *handlers) PublishPolicy(c *fiber.Ctx, _ gen.PublishPolicyParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	var body gen.PolicyInput
	if err := decode(c, &body); err != nil {
		return err
	}
	p, err := h.d.Allowance.PublishPolicy(c.UserContext(), u, body.Source)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(toPolicy(p))
}

func (h *handlers) PrecheckEligibility(c *fiber.Ctx, _ gen.PrecheckEligibilityParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	results, err := h.d.Allowance.Precheck(c.UserContext(), u)
	if err != nil {
		return err
	}
	out := gen.PrecheckResults{Results: make([]gen.Decision, len(results))}
	for i, r := range results {
		out.Results[i] = toDecision(r.Decision)
	}
	return c.JSON(out)
}

func (h *handlers) ListClaims(c *fiber.Ctx, params gen.ListClaimsParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	list, next, err := h.d.Allowance.Claims(c.UserContext(), u, page(params.Cursor, params.Limit))
	if err != nil {
		return err
	}
	return c.JSON(toClaimPage(list, next))
}

func (h *handlers) CreateClaim(c *fiber.Ctx, _ gen.CreateClaimParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	var body gen.ClaimInput
	if err := decode(c, &body); err != nil {
		return err
	}
	claim, err := h.d.Allowance.CreateClaim(c.UserContext(), u, policy.ID(body.Package), fromDeclarations(body.Declarations))
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(toClaim(claim))
}

func (h *handlers) GetClaim(c *fiber.Ctx, id gen.ID, _ gen.GetClaimParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	v, err := h.d.Allowance.Claim(c.UserContext(), u, id.String())
	if err != nil {
		return err
	}
	return c.JSON(toClaimDetail(v))
}

func (h *handlers) AttachClaimDocuments(c *fiber.Ctx, id gen.ID, _ gen.AttachClaimDocumentsParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	var body gen.AttachDocumentsInput
	if err := decode(c, &body); err != nil {
		return err
	}
	ids := make([]string, len(body.DocumentIds))
	for i, d := range body.DocumentIds {
		ids[i] = d.String()
	}
	v, err := h.d.Allowance.AttachDocuments(c.UserContext(), u, id.String(), ids)
	if err != nil {
		return err
	}
	return c.JSON(toClaimDetail(v))
}

func (h *handlers) SubmitClaim(c *fiber.Ctx, id gen.ID, _ gen.SubmitClaimParams) error {
	return h.claimAction(c, fiber.StatusAccepted, func(u talent.User) (allowance.Claim, error) {
		return h.d.Allowance.Submit(c.UserContext(), u, id.String())
	})
}

func (h *handlers) WithdrawClaim(c *fiber.Ctx, id gen.ID, _ gen.WithdrawClaimParams) error {
	return h.claimAction(c, fiber.StatusOK, func(u talent.User) (allowance.Claim, error) {
		return h.d.Allowance.Withdraw(c.UserContext(), u, id.String())
	})
}

func (h *handlers) AppealClaim(c *fiber.Ctx, id gen.ID, _ gen.AppealClaimParams) error {
	var body gen.AppealInput
	if err := decode(c, &body); err != nil {
		return err
	}
	return h.claimAction(c, fiber.StatusAccepted, func(u talent.User) (allowance.Claim, error) {
		return h.d.Allowance.Appeal(c.UserContext(), u, id.String(), body.Reason)
	})
}

func (h *handlers) ReviewQueue(c *fiber.Ctx, params gen.ReviewQueueParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	var status allowance.ClaimStatus
	if params.Status != nil {
		status = allowance.ClaimStatus(*params.Status)
	}
	list, next, err := h.d.Allowance.Queue(c.UserContext(), u, status, page(params.Cursor, params.Limit))
	if err != nil {
		return err
	}
	return c.JSON(toClaimPage(list, next))
}

func (h *handlers) ApproveClaim(c *fiber.Ctx, id gen.ID, _ gen.ApproveClaimParams) error {
	var body gen.ApprovalInput
	if err := decode(c, &body); err != nil {
		return err
	}
	note := ""
	if body.Note != nil {
		note = *body.Note
	}
	return h.claimAction(c, fiber.StatusOK, func(u talent.User) (allowance.Claim, error) {
		return h.d.Allowance.Approve(c.UserContext(), u, id.String(), note)
	})
}

func (h *handlers) RejectClaim(c *fiber.Ctx, id gen.ID, _ gen.RejectClaimParams) error {
	var body gen.ClaimRejectionInput
	if err := decode(c, &body); err != nil {
		return err
	}
	return h.claimAction(c, fiber.StatusOK, func(u talent.User) (allowance.Claim, error) {
		return h.d.Allowance.Reject(c.UserContext(), u, id.String(), string(body.Code), body.Reason)
	})
}

// claimAction runs one claim transition for the signed-in user.
func (h *handlers) claimAction(c *fiber.Ctx, status int, act func(talent.User) (allowance.Claim, error)) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	claim, err := act(u)
	if err != nil {
		return err
	}
	return c.Status(status).JSON(toClaim(claim))
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
		CreatedAt: c.CreatedAt.UTC(), UpdatedAt: c.UpdatedAt.UTC(),
	}
	if c.Decision != nil {
		dec := toDecision(*c.Decision)
		out.Decision = &dec
	}
	return out
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
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
		Decision: c.Decision, Documents: make([]gen.Document, len(v.Documents)), Audit: make([]gen.AuditEntry, len(v.Audit)),
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
