package api

import (
	"context"
	"time"

	"github.com/anju-city/anju/api/gen"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/allowance"
	"github.com/gofiber/fiber/v2"
)

func (h *allowanceHandlers) CreateClawback(c *fiber.Ctx, id gen.ID) error {
	return respondBody(c, fiber.StatusCreated, func(ctx context.Context, u talent.User, body gen.ClawbackInput) (allowance.Clawback, error) {
		var left *time.Time
		if body.LeftOn != nil {
			left = &body.LeftOn.Time
		}
		return h.allowance.RaiseClawback(ctx, u, id.String(), body.Reason, left)
	}, toClawback)
}

func (h *allowanceHandlers) ConfirmClawback(c *fiber.Ctx, id gen.ID) error {
	return respondBody(c, fiber.StatusOK, func(ctx context.Context, u talent.User, body gen.ClawbackDecision) (allowance.Clawback, error) {
		return h.allowance.ConfirmClawback(ctx, u, id.String(), body.Reason)
	}, toClawback)
}

func (h *allowanceHandlers) CancelClawback(c *fiber.Ctx, id gen.ID) error {
	return respondBody(c, fiber.StatusOK, func(ctx context.Context, u talent.User, body gen.ClawbackDecision) (allowance.Clawback, error) {
		return h.allowance.CancelClawback(ctx, u, id.String(), body.Reason)
	}, toClawback)
}

func (h *allowanceHandlers) ListClawbacks(c *fiber.Ctx, params gen.ListClawbacksParams) error {
	f := allowance.ClawbackFilter{Status: allowance.ClawbackStatus(value(params.Status))}
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (gen.ClawbackPage, error) {
		list, next, err := h.allowance.Clawbacks(ctx, u, f, page(params.Cursor, params.Limit))
		return gen.ClawbackPage{Items: each(list, toClawback), NextCursor: optional(next)}, err
	}, same)
}

func (h *allowanceHandlers) MarkClawbackRepaid(c *fiber.Ctx, id gen.ID) error {
	return respondBody(c, fiber.StatusOK, func(ctx context.Context, u talent.User, body gen.ClawbackRepayment) (allowance.Clawback, error) {
		return h.allowance.RepayClawback(ctx, u, id.String(), value(body.Reference))
	}, toClawback)
}

func toClawback(k allowance.Clawback) gen.Clawback {
	return gen.Clawback{Id: uuidOf(k.ID), ClaimId: uuidOf(k.ClaimID), UserId: uuidOf(k.UserID), Package: string(k.Package),
		Status: gen.ClawbackStatus(k.Status), Reason: optional(k.Reason), Paid: k.Paid, Amount: k.Amount, ServedMonths: k.ServedMonths,
		ClawbackMonths: k.ClawbackMonths, FirstPaidOn: date(k.FirstPaidOn), LeftOn: date(k.LeftOn), ProposedBy: optional(k.ProposedBy),
		CreatedAt: k.CreatedAt.UTC(), DecidedBy: uuidPtr(k.DecidedBy), DecidedAt: utc(k.DecidedAt), CancelReason: optional(k.CancelReason),
		RepaidAt: utc(k.RepaidAt), RepaymentReference: optional(k.RepaymentRef)}
}
