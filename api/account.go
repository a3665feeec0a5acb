package api

import (
	"context"

	"github.com/anju-city/anju/api/gen"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/account"
	"github.com/gofiber/fiber/v2"
)

// accountHandlers are the account module's operations: the signed-in user,
// devices, inbox, documents, employers and employment, and the admin's.
type accountHandlers struct {
	account *account.Service
}

func (h *accountHandlers) GetMe(c *fiber.Ctx) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (gen.Me, error) {
		p, err := h.account.Profile(ctx, u)
		return toMe(u, p), err
	}, same)
}

func (h *accountHandlers) PutMe(c *fiber.Ctx) error {
	return respondBody(c, fiber.StatusOK, func(ctx context.Context, u talent.User, body gen.ProfileInput) (gen.Me, error) {
		p, err := h.account.UpdateProfile(ctx, u, fromProfileInput(body))
		u.Locale = p.Locale
		return toMe(u, p), err
	}, same)
}

func (h *accountHandlers) PutDevice(c *fiber.Ctx, token string) error {
	var body gen.DeviceInput
	if err := decode(c, &body); err != nil {
		return err
	}
	return done(c, func(ctx context.Context, u talent.User) error {
		return h.account.RegisterDevice(ctx, u, talent.Device{Token: token, Platform: string(body.Platform), AppVersion: value(body.AppVersion)})
	})
}

func (h *accountHandlers) DeleteDevice(c *fiber.Ctx, token string) error {
	return done(c, func(ctx context.Context, u talent.User) error { return h.account.RemoveDevice(ctx, u, token) })
}

func (h *accountHandlers) ListNotifications(c *fiber.Ctx, params gen.ListNotificationsParams) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (gen.NotificationPage, error) {
		list, next, err := h.account.Notifications(ctx, u, page(params.Cursor, params.Limit))
		return gen.NotificationPage{Items: each(list, toNotification), NextCursor: optional(next)}, err
	}, same)
}

func (h *accountHandlers) ReadNotification(c *fiber.Ctx, id gen.ID) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (talent.Notification, error) {
		return h.account.MarkNotificationRead(ctx, u, id.String())
	}, toNotification)
}

func (h *accountHandlers) ListDocuments(c *fiber.Ctx, params gen.ListDocumentsParams) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (gen.DocumentPage, error) {
		docs, next, err := h.account.Documents(ctx, u, page(params.Cursor, params.Limit))
		return gen.DocumentPage{Items: each(docs, func(d talent.Document) gen.Document { return toDocument(d, "") }), NextCursor: optional(next)}, err
	}, same)
}

func (h *accountHandlers) CreateDocument(c *fiber.Ctx) error {
	return respondBody(c, fiber.StatusCreated, func(ctx context.Context, u talent.User, body gen.DocumentInput) (gen.DocumentUpload, error) {
		d, form, err := h.account.CreateDocument(ctx, u, talent.DocumentInput{
			Kind: talent.DocumentKind(body.Kind), ContentType: string(body.ContentType), Size: body.Size, SHA256: body.Sha256,
		})
		if err != nil {
			return gen.DocumentUpload{}, err
		}
		return gen.DocumentUpload{
			Document: toDocument(d, ""),
			Upload:   gen.UploadPolicy{Url: form.URL, Fields: form.Fields, ExpiresAt: form.ExpiresAt.UTC()},
		}, nil
	}, same)
}

func (h *accountHandlers) GetDocument(c *fiber.Ctx, id gen.ID) error {
	// A download link is personal: no cache may keep it.
	c.Set(fiber.HeaderCacheControl, "no-store")
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (gen.Document, error) {
		d, url, err := h.account.Document(ctx, u, id.String())
		if err != nil {
			return gen.Document{}, err
		}
		return toDocument(d, url), nil
	}, same)
}

func (h *accountHandlers) CompleteDocument(c *fiber.Ctx, id gen.ID) error {
	return respond(c, fiber.StatusAccepted, func(ctx context.Context, u talent.User) (talent.Document, error) {
		return h.account.CompleteDocument(ctx, u, id.String())
	}, func(d talent.Document) gen.Document { return toDocument(d, "") })
}

func (h *accountHandlers) GetUser(c *fiber.Ctx, id gen.ID) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (talent.User, error) {
		return h.account.UserByID(ctx, u, id.String())
	}, toUser)
}

func (h *accountHandlers) SetTalentTier(c *fiber.Ctx, id gen.ID) error {
	return respondBody(c, fiber.StatusAccepted, func(ctx context.Context, u talent.User, body gen.TalentTierInput) (account.TierCertification, error) {
		return h.account.ProposeTalentTier(ctx, u, id.String(), string(body.Tier), body.Evidence)
	}, toTier)
}

func (h *accountHandlers) ListTierCertifications(c *fiber.Ctx, params gen.ListTierCertificationsParams) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (gen.TierCertificationPage, error) {
		list, next, err := h.account.TierCertifications(ctx, u, account.TierStatus(value(params.Status)), page(params.Cursor, params.Limit))
		return gen.TierCertificationPage{Items: each(list, toTier), NextCursor: optional(next)}, err
	}, same)
}

func (h *accountHandlers) ApproveTierCertification(c *fiber.Ctx, id gen.ID) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (account.TierCertification, error) {
		return h.account.DecideTalentTier(ctx, u, id.String(), true, "")
	}, toTier)
}

func (h *accountHandlers) RejectTierCertification(c *fiber.Ctx, id gen.ID) error {
	return respondBody(c, fiber.StatusOK, func(ctx context.Context, u talent.User, body gen.ReasonInput) (account.TierCertification, error) {
		return h.account.DecideTalentTier(ctx, u, id.String(), false, body.Reason)
	}, toTier)
}

func toTier(x account.TierCertification) gen.TierCertification {
	out := gen.TierCertification{Id: uuidOf(x.ID), UserId: uuidOf(x.UserID), Tier: x.Tier, Evidence: x.Evidence,
		Status: gen.TierCertificationStatus(x.Status), ProposedBy: uuidOf(x.ProposedBy), ProposedAt: x.ProposedAt.UTC(),
		DecidedAt: utc(x.DecidedAt), Reason: optional(x.Reason)}
	if x.DecidedBy != "" {
		id := uuidOf(x.DecidedBy)
		out.DecidedBy = &id
	}
	return out
}

func (h *accountHandlers) CorrectIdentity(c *fiber.Ctx, id gen.ID) error {
	return respondBody(c, fiber.StatusOK, func(ctx context.Context, u talent.User, body gen.IdentityCorrection) (talent.Profile, error) {
		return h.account.CorrectIdentity(ctx, u, id.String(), body.NationalId, body.Reason)
	}, toProfile)
}

func (h *accountHandlers) GrantRole(c *fiber.Ctx, id gen.ID, role gen.Role) error {
	return respondBody(c, fiber.StatusOK, func(ctx context.Context, u talent.User, body gen.RoleGrantInput) (talent.User, error) {
		g := talent.RoleGrant{Role: talent.Role(role)}
		if body.EmployerId != nil {
			g.EmployerID = body.EmployerId.String()
		}
		return h.account.GrantRole(ctx, u, id.String(), g)
	}, toUser)
}

func (h *accountHandlers) RevokeRole(c *fiber.Ctx, id gen.ID, role gen.Role) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (talent.User, error) {
		return h.account.RevokeRole(ctx, u, id.String(), talent.Role(role))
	}, toUser)
}

func (h *accountHandlers) ListEmployers(c *fiber.Ctx, params gen.ListEmployersParams) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, _ talent.User) (gen.EmployerPage, error) {
		list, next, err := h.account.Employers(ctx, value(params.Q), page(params.Cursor, params.Limit))
		return gen.EmployerPage{Items: each(list, toEmployer), NextCursor: optional(next)}, err
	}, same)
}

func (h *accountHandlers) CreateEmployer(c *fiber.Ctx) error {
	return respondBody(c, fiber.StatusCreated, func(ctx context.Context, u talent.User, body gen.EmployerInput) (talent.Employer, error) {
		return h.account.CreateEmployer(ctx, u, body.Name, body.CreditCode)
	}, toEmployer)
}

func (h *accountHandlers) GetMyEmployment(c *fiber.Ctx) error {
	return respond(c, fiber.StatusOK, h.account.CurrentEmployment, toEmployment)
}

func (h *accountHandlers) ListEmploymentRequests(c *fiber.Ctx, params gen.ListEmploymentRequestsParams) error {
	status := talent.EmploymentPending
	if params.Status != nil {
		status = talent.EmploymentStatus(*params.Status)
	}
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (gen.EmploymentRequestPage, error) {
		list, next, err := h.account.EmploymentRequests(ctx, u, status, value(params.Q),
			account.EmploymentSort(value(params.Sort)), page(params.Cursor, params.Limit))
		return gen.EmploymentRequestPage{Items: each(list, toEmploymentRequest), NextCursor: optional(next)}, err
	}, same)
}

func (h *accountHandlers) ConfirmEmployment(c *fiber.Ctx, id gen.ID) error {
	return respondBody(c, fiber.StatusOK, func(ctx context.Context, u talent.User, body gen.ConfirmationInput) (talent.Employment, error) {
		conf := talent.Confirmation{ContractStart: body.ContractStart.Time, ContractEnd: body.ContractEnd.Time, SocialInsuranceStart: body.SocialInsuranceStart.Time}
		return h.account.DecideEmployment(ctx, u, id.String(), &conf, "")
	}, toEmployment)
}

func (h *accountHandlers) RejectEmployment(c *fiber.Ctx, id gen.ID) error {
	return respondBody(c, fiber.StatusOK, func(ctx context.Context, u talent.User, body gen.RejectionInput) (talent.Employment, error) {
		return h.account.DecideEmployment(ctx, u, id.String(), nil, body.Reason)
	}, toEmployment)
}

func (h *accountHandlers) EndEmployment(c *fiber.Ctx, id gen.ID) error {
	return respondBody(c, fiber.StatusOK, func(ctx context.Context, u talent.User, body gen.EndEmploymentInput) (talent.Employment, error) {
		return h.account.EndEmployment(ctx, u, id.String(), body.EndedOn.Time)
	}, toEmployment)
}

func (h *accountHandlers) DecideEmployments(c *fiber.Ctx) error {
	var body gen.EmploymentDecisions
	if err := decode(c, &body); err != nil {
		return err
	}
	items := make([]talent.EmploymentDecision, len(body.Items))
	for i, it := range body.Items {
		items[i] = talent.EmploymentDecision{EmploymentID: it.Id.String(), Reason: value(it.Reason)}
		if it.Decision == gen.Confirm {
			items[i].Confirm = &talent.Confirmation{
				ContractStart: value(it.ContractStart).Time, ContractEnd: value(it.ContractEnd).Time,
				SocialInsuranceStart: value(it.SocialInsuranceStart).Time,
			}
			items[i].Reason = ""
		}
	}
	loc := localeOf(c)
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (gen.EmploymentDecisionResults, error) {
		results, err := h.account.DecideEmployments(ctx, u, items)
		if err != nil {
			return gen.EmploymentDecisionResults{}, err
		}
		out := gen.EmploymentDecisionResults{Results: make([]gen.EmploymentDecisionResult, len(results))}
		for i, r := range results {
			out.Results[i] = gen.EmploymentDecisionResult{Id: body.Items[i].Id, Ok: r.Err == nil}
			if r.Err != nil {
				te := classify(r.Err)
				if te.Kind == talent.KindInternal || te.Kind == talent.KindUnavailable {
					// Not a verdict on the item: fail the batch so the client retries it.
					return gen.EmploymentDecisionResults{}, r.Err
				}
				p := toProblem(te, loc)
				out.Results[i].Error = &p
				continue
			}
			e := toEmployment(*r.Employment)
			out.Results[i].Employment = &e
		}
		return out, nil
	}, same)
}

func (h *accountHandlers) ListAccessLog(c *fiber.Ctx, params gen.ListAccessLogParams) error {
	subject := ""
	if params.SubjectId != nil {
		subject = params.SubjectId.String()
	}
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (gen.AccessPage, error) {
		list, next, err := h.account.AccessEntries(ctx, u, subject, page(params.Cursor, params.Limit))
		return gen.AccessPage{Items: each(list, toAccess), NextCursor: optional(next)}, err
	}, same)
}

func toAccess(a talent.Access) gen.AccessEntry {
	return gen.AccessEntry{Id: uuidOf(a.ID), At: a.At.UTC(), ActorId: uuidOf(a.ActorID), SubjectId: uuidPtr(a.SubjectID),
		What: gen.AccessEntryWhat(a.What), ObjectId: a.ObjectID, RequestId: optional(a.RequestID)}
}
