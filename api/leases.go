package api

import (
	"github.com/anju-city/anju/api/gen"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/housing"
	"github.com/gofiber/fiber/v2"
)

func (h *handlers) EndEmployment(c *fiber.Ctx, id gen.ID, _ gen.EndEmploymentParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	var body gen.EndEmploymentInput
	if err := decode(c, &body); err != nil {
		return err
	}
	e, err := h.d.Service.EndEmployment(c.UserContext(), u, id.String(), body.EndedOn.Time)
	if err != nil {
		return err
	}
	return c.JSON(toEmployment(e))
}

func (h *handlers) GetLease(c *fiber.Ctx, id gen.ID, _ gen.GetLeaseParams) error {
	return h.lease(c, func(u talent.User) (housing.Lease, error) { return h.d.Leases.Lease(c.UserContext(), u, id.String()) })
}

func (h *handlers) RenewLease(c *fiber.Ctx, id gen.ID, _ gen.RenewLeaseParams) error {
	return h.lease(c, func(u talent.User) (housing.Lease, error) { return h.d.Leases.Renew(c.UserContext(), u, id.String()) })
}

func (h *handlers) MoveOut(c *fiber.Ctx, id gen.ID, _ gen.MoveOutParams) error {
	var body gen.MoveOutInput
	if err := decode(c, &body); err != nil {
		return err
	}
	note := ""
	if body.Note != nil {
		note = *body.Note
	}
	return h.lease(c, func(u talent.User) (housing.Lease, error) {
		return h.d.Leases.MoveOut(c.UserContext(), u, id.String(), string(body.Reason), note)
	})
}

func (h *handlers) CheckIn(c *fiber.Ctx, id gen.ID, _ gen.CheckInParams) error {
	return h.lease(c, func(u talent.User) (housing.Lease, error) { return h.d.Leases.CheckIn(c.UserContext(), u, id.String()) })
}

func (h *handlers) CheckOut(c *fiber.Ctx, id gen.ID, _ gen.CheckOutParams) error {
	return h.lease(c, func(u talent.User) (housing.Lease, error) {
		return h.d.Leases.CheckOut(c.UserContext(), u, id.String())
	})
}

// lease runs one lease use case for the signed-in user.
func (h *handlers) lease(c *fiber.Ctx, act func(talent.User) (housing.Lease, error)) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	l, err := act(u)
	if err != nil {
		return err
	}
	return c.JSON(toLease(l))
}

func toLease(l housing.Lease) gen.Lease {
	out := gen.Lease{Id: uuidOf(l.ID), UnitId: uuidOf(l.UnitID), StartsOn: date(l.StartsOn), EndsOn: date(l.EndsOn),
		Months: l.Months, Status: gen.LeaseStatus(l.Status), RentSchedule: make([]gen.RentYear, len(l.RentSchedule)),
		MoveOutReason: optional(l.MoveOutReason), MoveOutBy: datePtr(l.MoveOutBy), CheckedInAt: utc(l.CheckedInAt),
		CheckedOutAt: utc(l.CheckedOutAt)}
	for i, y := range l.RentSchedule {
		out.RentSchedule[i] = gen.RentYear{Year: y.Year, Percent: y.Percent, MonthlyRent: y.MonthlyRent}
	}
	return out
}
