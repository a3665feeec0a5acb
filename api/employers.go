package api

import (
	"context"

	"github.com/anju-city/anju/api/gen"
	"github.com/anju-city/anju/internal/sheet"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/employers"
	"github.com/gofiber/fiber/v2"
)

// employerHandlers are the employer's office: registration, invitations,
// nominations and filings.
type employerHandlers struct {
	employers *employers.Service
}

func (h *employerHandlers) RegisterEmployer(c *fiber.Ctx) error {
	return respondBody(c, fiber.StatusCreated, func(ctx context.Context, u talent.User, body gen.EmployerRegistrationInput) (employers.RegistrationView, error) {
		return h.employers.Register(ctx, u, employers.RegistrationInput{CreditCode: body.CreditCode, Name: body.Name, Address: body.Address,
			ContactName: body.ContactName, ContactPhone: body.ContactPhone})
	}, toRegistration)
}

func (h *employerHandlers) ListEmployerRegistrations(c *fiber.Ctx, params gen.ListEmployerRegistrationsParams) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (gen.EmployerRegistrationPage, error) {
		list, next, err := h.employers.Registrations(ctx, u, employers.RegistrationStatus(value(params.Status)), page(params.Cursor, params.Limit))
		return gen.EmployerRegistrationPage{Items: each(list, toRegistration), NextCursor: optional(next)}, err
	}, same)
}

func (h *employerHandlers) ApproveEmployerRegistration(c *fiber.Ctx, id gen.ID) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (employers.RegistrationView, error) {
		return h.employers.DecideRegistration(ctx, u, id.String(), true, "")
	}, toRegistration)
}

func (h *employerHandlers) RejectEmployerRegistration(c *fiber.Ctx, id gen.ID) error {
	return respondBody(c, fiber.StatusOK, func(ctx context.Context, u talent.User, body gen.ReasonInput) (employers.RegistrationView, error) {
		return h.employers.DecideRegistration(ctx, u, id.String(), false, body.Reason)
	}, toRegistration)
}

func toRegistration(r employers.RegistrationView) gen.EmployerRegistration {
	out := gen.EmployerRegistration{Id: uuidOf(r.ID), CreditCode: r.CreditCode, Name: r.Name, Address: r.Address, ContactName: r.ContactName,
		ContactPhone: r.ContactPhone, Status: gen.EmployerRegistrationStatus(r.Status), Reason: optional(r.Reason),
		DecidedAt: utc(r.DecidedAt), CreatedAt: r.CreatedAt.UTC()}
	if r.EmployerID != "" {
		id := uuidOf(r.EmployerID)
		out.EmployerId = &id
	}
	return out
}

func (h *employerHandlers) NominateEmployer(c *fiber.Ctx) error {
	return respondBody(c, fiber.StatusCreated, func(ctx context.Context, u talent.User, body gen.NominationInput) (employers.NominationView, error) {
		in := employers.NominationInput{CreditCode: body.CreditCode, Name: body.Name, ContactName: body.ContactName,
			ContactPhone: value(body.ContactPhone), ContactEmail: value(body.ContactEmail)}
		if body.Since != nil {
			in.Since = body.Since.Time
		}
		return h.employers.Nominate(ctx, u, in)
	}, func(n employers.NominationView) gen.Nomination { return toNomination(n, false) })
}

func (h *employerHandlers) ListEmployerNominations(c *fiber.Ctx, params gen.ListEmployerNominationsParams) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (gen.NominationPage, error) {
		list, next, err := h.employers.Nominations(ctx, u, page(params.Cursor, params.Limit))
		return gen.NominationPage{Items: each(list, func(n employers.NominationView) gen.Nomination { return toNomination(n, true) }),
			NextCursor: optional(next)}, err
	}, same)
}

// toNomination shows the graduate and the code to admins only.
func toNomination(n employers.NominationView, admin bool) gen.Nomination {
	out := gen.Nomination{Id: uuidOf(n.ID), Employer: toEmployer(n.Employer), ContactName: n.ContactName, Contact: n.Contact,
		CreatedAt: n.CreatedAt.UTC()}
	if admin {
		id := uuidOf(n.UserID)
		out.UserId, out.Code = &id, optional(n.Code)
	}
	return out
}

func (h *employerHandlers) InviteToEmployer(c *fiber.Ctx, id gen.ID) error {
	return respondBody(c, fiber.StatusCreated, func(ctx context.Context, u talent.User, body gen.InvitationInput) (employers.InvitationView, error) {
		return h.employers.Invite(ctx, u, id.String(), talent.Role(body.Role), value(body.Phone), value(body.Email))
	}, toInvitation)
}

func (h *employerHandlers) ListInvitations(c *fiber.Ctx, id gen.ID, params gen.ListInvitationsParams) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (gen.InvitationPage, error) {
		list, next, err := h.employers.Invitations(ctx, u, id.String(), page(params.Cursor, params.Limit))
		return gen.InvitationPage{Items: each(list, toInvitation), NextCursor: optional(next)}, err
	}, same)
}

func (h *employerHandlers) RevokeInvitation(c *fiber.Ctx, id gen.ID, invitationID gen.ID) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (employers.InvitationView, error) {
		return h.employers.Revoke(ctx, u, id.String(), invitationID.String())
	}, toInvitation)
}

func (h *employerHandlers) AcceptInvitation(c *fiber.Ctx, code string) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (employers.InvitationView, error) {
		return h.employers.Accept(ctx, u, code)
	}, toInvitation)
}

func toInvitation(v employers.InvitationView) gen.Invitation {
	out := gen.Invitation{Id: uuidOf(v.ID), EmployerId: uuidOf(v.EmployerID), Role: gen.InvitationRole(v.Role), Contact: v.Contact,
		Code: optional(v.Code), Status: gen.InvitationStatus(v.Status), ExpiresAt: v.ExpiresAt.UTC(), DecidedAt: utc(v.DecidedAt),
		CreatedAt: v.CreatedAt.UTC()}
	if v.AcceptedBy != "" {
		id := uuidOf(v.AcceptedBy)
		out.AcceptedBy = &id
	}
	return out
}

func (h *employerHandlers) ListEmployerStaff(c *fiber.Ctx, id gen.ID) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) ([]employers.StaffMember, error) {
		return h.employers.StaffOf(ctx, u, id.String())
	}, func(list []employers.StaffMember) gen.EmployerStaff {
		return gen.EmployerStaff{Items: each(list, func(m employers.StaffMember) gen.StaffMember {
			return gen.StaffMember{UserId: uuidOf(m.UserID), Role: gen.StaffMemberRole(m.Role)}
		})}
	})
}

func (h *employerHandlers) RemoveEmployerHR(c *fiber.Ctx, id gen.ID, userID gen.ID) error {
	return done(c, func(ctx context.Context, u talent.User) error {
		return h.employers.RemoveHR(ctx, u, id.String(), userID.String())
	})
}

func (h *employerHandlers) GetEmployerAudit(c *fiber.Ctx, id gen.ID) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) ([]talent.Audit, error) {
		return h.employers.AuditOf(ctx, u, id.String())
	}, func(list []talent.Audit) gen.EmployerAudit {
		return gen.EmployerAudit{Items: each(list, func(a talent.Audit) gen.EmployerEvent {
			return gen.EmployerEvent{At: a.At.UTC(), ActorId: a.ActorID, Event: a.Event, Detail: optional(a.Detail)}
		})}
	})
}

// FileHires reads the sheet into rows; the employers service checks them
// and files all or nothing.
func (h *employerHandlers) FileHires(c *fiber.Ctx, params gen.FileHiresParams) error {
	rows, err := sheet.Read(c.Body(), params.Format == gen.FileHiresParamsFormatCsv, employers.MaxFilingRows)
	if err != nil {
		return err
	}
	return respond(c, fiber.StatusCreated, func(ctx context.Context, u talent.User) (employers.FilingView, error) {
		return h.employers.File(ctx, u, rows)
	}, toFiling)
}

func (h *employerHandlers) ListFilings(c *fiber.Ctx, params gen.ListFilingsParams) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (gen.FilingPage, error) {
		list, next, err := h.employers.Filings(ctx, u, page(params.Cursor, params.Limit))
		return gen.FilingPage{Items: each(list, func(f employers.Filing) gen.Filing { return toFiling(employers.FilingView{Filing: f}) }),
			NextCursor: optional(next)}, err
	}, same)
}

func (h *employerHandlers) GetFiling(c *fiber.Ctx, id gen.ID) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (employers.FilingView, error) {
		return h.employers.Filing(ctx, u, id.String())
	}, toFiling)
}

func toFiling(v employers.FilingView) gen.Filing {
	out := gen.Filing{Id: uuidOf(v.ID), FiledBy: uuidOf(v.FiledBy), Hires: v.Hires, Matched: v.Matched, CreatedAt: v.CreatedAt.UTC()}
	if v.Items != nil {
		items := each(v.Items, func(h employers.HireView) gen.FiledHire {
			return gen.FiledHire{Name: h.Name, NationalId: h.NationalID, Matched: h.Matched}
		})
		out.Items = &items
	}
	return out
}
