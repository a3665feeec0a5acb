package api

import (
	"context"

	"github.com/anju-city/anju/api/gen"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/housing"
	"github.com/gofiber/fiber/v2"
)

// The housing officer's lists: a round's applications with their offers
// and the waitlist, and the leases.

func (h *roundHandlers) ListRoundApplications(c *fiber.Ctx, id gen.ID, params gen.ListRoundApplicationsParams) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (gen.RoundApplicationPage, error) {
		list, next, err := h.rounds.RoundApplications(ctx, u, id.String(), housing.ApplicationStatus(value(params.Status)), page(params.Cursor, params.Limit))
		return gen.RoundApplicationPage{Items: each(list, toRoundApplication), NextCursor: optional(next)}, err
	}, same)
}

func toRoundApplication(x housing.ListedApplication) gen.RoundApplication {
	out := gen.RoundApplication{Application: toApplication(x.Application), Applicant: x.Application.Applicant, Name: x.Name,
		LeaseId: uuidPtr(x.LeaseID), UnitNumber: optional(x.UnitNumber), WaitlistPlace: optional(x.WaitlistPlace)}
	if x.Offer != nil {
		o := toOfferView(offerView{offer: *x.Offer})
		out.Offer = &o
	}
	return out
}

func (h *housingHandlers) ListLeases(c *fiber.Ctx, params gen.ListLeasesParams) error {
	var f housing.LeaseFilter
	f.Status = housing.LeaseStatus(value(params.Status))
	if params.PropertyId != nil {
		f.PropertyID = params.PropertyId.String()
	}
	if params.EndsBefore != nil {
		f.EndsBefore = params.EndsBefore.Time
	}
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (gen.LeasePage, error) {
		list, next, err := h.leases.List(ctx, u, f, value(params.Q), page(params.Cursor, params.Limit))
		return gen.LeasePage{Items: each(list, func(x housing.ListedLease) gen.LeaseItem {
			return gen.LeaseItem{Lease: toLease(x.Lease), TenantId: uuidOf(x.Lease.UserID), TenantName: x.TenantName,
				UnitNumber: x.UnitNumber, PropertyId: uuidOf(x.PropertyID), PropertyName: x.PropertyName}
		}), NextCursor: optional(next)}, err
	}, same)
}
