package api

import (
	"github.com/anju-city/anju/api/gen"
	"github.com/anju-city/anju/internal/talent"
	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
)

func (h *handlers) ListEmployers(c *fiber.Ctx, params gen.ListEmployersParams) error {
	q := ""
	if params.Q != nil {
		q = *params.Q
	}
	list, next, err := h.d.Service.Employers(c.UserContext(), q, page(params.Cursor, params.Limit))
	if err != nil {
		return err
	}
	return c.JSON(gen.EmployerPage{Items: each(list, toEmployer), NextCursor: optional(next)})
}

func (h *handlers) CreateEmployer(c *fiber.Ctx, _ gen.CreateEmployerParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	var body gen.EmployerInput
	if err := decode(c, &body); err != nil {
		return err
	}
	e, err := h.d.Service.CreateEmployer(c.UserContext(), u, body.Name, body.CreditCode)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(toEmployer(e))
}

func (h *handlers) GetMyEmployment(c *fiber.Ctx, _ gen.GetMyEmploymentParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	e, err := h.d.Service.CurrentEmployment(c.UserContext(), u)
	if err != nil {
		return err
	}
	return c.JSON(toEmployment(e))
}

func (h *handlers) ListEmploymentRequests(c *fiber.Ctx, params gen.ListEmploymentRequestsParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	status := talent.EmploymentPending
	if params.Status != nil {
		status = talent.EmploymentStatus(*params.Status)
	}
	list, next, err := h.d.Service.EmploymentRequests(c.UserContext(), u, status, page(params.Cursor, params.Limit))
	if err != nil {
		return err
	}
	out := gen.EmploymentRequestPage{Items: make([]gen.EmploymentRequest, len(list)), NextCursor: optional(next)}
	for i, r := range list {
		e := toEmployment(r.Employment)
		out.Items[i] = gen.EmploymentRequest{
			Id: e.Id, EmployerId: e.EmployerId, Status: e.Status, DeclaredSince: e.DeclaredSince,
			ContractStart: e.ContractStart, ContractEnd: e.ContractEnd, SocialInsuranceStart: e.SocialInsuranceStart,
			RejectReason: e.RejectReason, DecidedAt: e.DecidedAt, CreatedAt: e.CreatedAt,
			GraduateName: r.GraduateName, NationalId: optional(r.NationalIDMasked),
		}
	}
	return c.JSON(out)
}

func (h *handlers) ConfirmEmployment(c *fiber.Ctx, id gen.ID, _ gen.ConfirmEmploymentParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	var body gen.ConfirmationInput
	if err := decode(c, &body); err != nil {
		return err
	}
	conf := talent.Confirmation{ContractStart: body.ContractStart.Time, ContractEnd: body.ContractEnd.Time, SocialInsuranceStart: body.SocialInsuranceStart.Time}
	e, err := h.d.Service.DecideEmployment(c.UserContext(), u, id.String(), &conf, "")
	if err != nil {
		return err
	}
	return c.JSON(toEmployment(e))
}

func (h *handlers) RejectEmployment(c *fiber.Ctx, id gen.ID, _ gen.RejectEmploymentParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	var body gen.RejectionInput
	if err := decode(c, &body); err != nil {
		return err
	}
	e, err := h.d.Service.DecideEmployment(c.UserContext(), u, id.String(), nil, body.Reason)
	if err != nil {
		return err
	}
	return c.JSON(toEmployment(e))
}

func (h *handlers) DecideEmployments(c *fiber.Ctx, _ gen.DecideEmploymentsParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	var body gen.EmploymentDecisions
	if err := decode(c, &body); err != nil {
		return err
	}
	items := make([]talent.EmploymentDecision, len(body.Items))
	for i, it := range body.Items {
		items[i] = talent.EmploymentDecision{EmploymentID: it.Id.String()}
		switch it.Decision {
		case gen.Confirm:
			conf := talent.Confirmation{}
			if it.ContractStart != nil {
				conf.ContractStart = it.ContractStart.Time
			}
			if it.ContractEnd != nil {
				conf.ContractEnd = it.ContractEnd.Time
			}
			if it.SocialInsuranceStart != nil {
				conf.SocialInsuranceStart = it.SocialInsuranceStart.Time
			}
			items[i].Confirm = &conf
		default:
			if it.Reason != nil {
				items[i].Reason = *it.Reason
			}
		}
	}
	loc := localeOf(c)
	results, err := h.d.Service.DecideEmployments(c.UserContext(), u, items)
	if err != nil {
		return err
	}
	out := gen.EmploymentDecisionResults{Results: make([]gen.EmploymentDecisionResult, len(results))}
	for i, r := range results {
		out.Results[i] = gen.EmploymentDecisionResult{Id: body.Items[i].Id, Ok: r.Err == nil}
		if r.Err != nil {
			te := classify(r.Err)
			if te.Kind == talent.KindInternal || te.Kind == talent.KindUnavailable {
				// Not a verdict on the item: fail the batch so the client retries it.
				return r.Err
			}
			p := toProblem(te, loc)
			out.Results[i].Error = &p
			continue
		}
		e := toEmployment(*r.Employment)
		out.Results[i].Employment = &e
	}
	return c.JSON(out)
}

func toEmployer(e talent.Employer) gen.Employer {
	return gen.Employer{Id: uuid.MustParse(e.ID), Name: e.Name, CreditCode: e.CreditCode, CreatedAt: e.CreatedAt.UTC()}
}

func toEmployment(e talent.Employment) gen.Employment {
	out := gen.Employment{
		Id: uuid.MustParse(e.ID), EmployerId: uuid.MustParse(e.EmployerID), Status: gen.EmploymentStatus(e.Status),
		RejectReason: optional(e.RejectReason), CreatedAt: e.CreatedAt.UTC(),
	}
	out.DeclaredSince = datePtr(e.DeclaredSince)
	out.ContractStart = datePtr(e.ContractStart)
	out.ContractEnd = datePtr(e.ContractEnd)
	out.SocialInsuranceStart = datePtr(e.SocialInsuranceStart)
	if e.DecidedAt != nil {
		t := e.DecidedAt.UTC()
		out.DecidedAt = &t
	}
	return out
}
