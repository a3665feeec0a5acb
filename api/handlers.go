package api

import (
	"bytes"
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/anju-city/anju/api/gen"
	"github.com/anju-city/anju/internal/talent"
	"github.com/gofiber/fiber/v2"
)

// handlers implements the generated server interface. Each handler converts
// the request, calls one Service method and converts the answer; rules live
// in the Service.
type handlers struct {
	d Deps
}

var _ gen.ServerInterface = (*handlers)(nil)

// decode reads a JSON body strictly. The contract check has already refused
// unknown fields; this keeps handlers safe if a schema is loosened by mistake.
func decode(c *fiber.Ctx, v any) error {
	dec := json.NewDecoder(bytes.NewReader(c.Body()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return &talent.Error{Kind: talent.KindMalformed, Code: "body_malformed", Message: "invalid JSON body",
			Fields: []talent.FieldError{{Field: "body", Code: "body_malformed"}}}
	}
	return nil
}

func page(cursor *gen.Cursor, limit *gen.Limit) talent.Page {
	var p talent.Page
	if cursor != nil {
		p.Cursor = *cursor
	}
	if limit != nil {
		p.Limit = *limit
	}
	return p
}

func (h *handlers) GetHealthz(c *fiber.Ctx) error {
	return c.JSON(gen.Health{Status: gen.Ok})
}

// GetReadyz checks every dependency at once, each within two seconds.
func (h *handlers) GetReadyz(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	var mu sync.Mutex
	var wg sync.WaitGroup
	checks := map[string]string{}
	healthy := true
	for name, check := range h.d.Checks {
		wg.Go(func() {
			state := "ok"
			if err := check(ctx); err != nil {
				state = "unavailable"
				h.d.Logger.WarnContext(ctx, "readiness check failed", "dependency", name, "err", err)
			}
			mu.Lock()
			defer mu.Unlock()
			checks[name] = state
			healthy = healthy && state == "ok"
		})
	}
	wg.Wait()
	res := gen.Health{Status: gen.Ok, Checks: &checks}
	if !healthy {
		res.Status = gen.Unavailable
		c.Status(fiber.StatusServiceUnavailable)
	}
	return c.JSON(res)
}

func (h *handlers) GetMe(c *fiber.Ctx, _ gen.GetMeParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	p, err := h.d.Service.Profile(c.UserContext(), u)
	if err != nil {
		return err
	}
	return c.JSON(toMe(u, p))
}

func (h *handlers) PutMe(c *fiber.Ctx, _ gen.PutMeParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	var body gen.ProfileInput
	if err := decode(c, &body); err != nil {
		return err
	}
	p, err := h.d.Service.UpdateProfile(c.UserContext(), u, fromProfileInput(body))
	if err != nil {
		return err
	}
	u.Locale = p.Locale
	return c.JSON(toMe(u, p))
}

func (h *handlers) PutDevice(c *fiber.Ctx, token string, _ gen.PutDeviceParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	var body gen.DeviceInput
	if err := decode(c, &body); err != nil {
		return err
	}
	d := talent.Device{Token: token, Platform: string(body.Platform)}
	if body.AppVersion != nil {
		d.AppVersion = *body.AppVersion
	}
	if err := h.d.Service.RegisterDevice(c.UserContext(), u, d); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *handlers) DeleteDevice(c *fiber.Ctx, token string, _ gen.DeleteDeviceParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	if err := h.d.Service.RemoveDevice(c.UserContext(), u, token); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *handlers) ListNotifications(c *fiber.Ctx, params gen.ListNotificationsParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	list, next, err := h.d.Service.Notifications(c.UserContext(), u, page(params.Cursor, params.Limit))
	if err != nil {
		return err
	}
	return c.JSON(gen.NotificationPage{Items: each(list, toNotification), NextCursor: optional(next)})
}

func (h *handlers) ReadNotification(c *fiber.Ctx, id gen.ID, _ gen.ReadNotificationParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	n, err := h.d.Service.MarkNotificationRead(c.UserContext(), u, id.String())
	if err != nil {
		return err
	}
	return c.JSON(toNotification(n))
}

func (h *handlers) ListDocuments(c *fiber.Ctx, params gen.ListDocumentsParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	docs, next, err := h.d.Service.Documents(c.UserContext(), u, page(params.Cursor, params.Limit))
	if err != nil {
		return err
	}
	out := gen.DocumentPage{Items: make([]gen.Document, len(docs)), NextCursor: optional(next)}
	for i, d := range docs {
		out.Items[i] = toDocument(d, "")
	}
	return c.JSON(out)
}

func (h *handlers) CreateDocument(c *fiber.Ctx, _ gen.CreateDocumentParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	var body gen.DocumentInput
	if err := decode(c, &body); err != nil {
		return err
	}
	d, form, err := h.d.Service.CreateDocument(c.UserContext(), u, talent.DocumentInput{
		Kind: talent.DocumentKind(body.Kind), ContentType: string(body.ContentType), Size: body.Size, SHA256: body.Sha256,
	})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(gen.DocumentUpload{
		Document: toDocument(d, ""),
		Upload:   gen.UploadPolicy{Url: form.URL, Fields: form.Fields, ExpiresAt: form.ExpiresAt.UTC()},
	})
}

func (h *handlers) GetDocument(c *fiber.Ctx, id gen.ID, _ gen.GetDocumentParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	d, url, err := h.d.Service.Document(c.UserContext(), u, id.String())
	if err != nil {
		return err
	}
	// A download link is personal: no cache may keep it.
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(toDocument(d, url))
}

func (h *handlers) CompleteDocument(c *fiber.Ctx, id gen.ID, _ gen.CompleteDocumentParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	d, err := h.d.Service.CompleteDocument(c.UserContext(), u, id.String())
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusAccepted).JSON(toDocument(d, ""))
}

func (h *handlers) GetUser(c *fiber.Ctx, id gen.ID, _ gen.GetUserParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	target, err := h.d.Service.UserByID(c.UserContext(), u, id.String())
	if err != nil {
		return err
	}
	return c.JSON(toUser(target))
}

func (h *handlers) SetTalentTier(c *fiber.Ctx, id gen.ID, _ gen.SetTalentTierParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	var body gen.TalentTierInput
	if err := decode(c, &body); err != nil {
		return err
	}
	p, err := h.d.Service.SetTalentTier(c.UserContext(), u, id.String(), string(body.Tier))
	if err != nil {
		return err
	}
	return c.JSON(toProfile(p))
}

func (h *handlers) GrantRole(c *fiber.Ctx, id gen.ID, role gen.Role, _ gen.GrantRoleParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	var body gen.RoleGrantInput
	if err := decode(c, &body); err != nil {
		return err
	}
	g := talent.RoleGrant{Role: talent.Role(role)}
	if body.EmployerId != nil {
		g.EmployerID = body.EmployerId.String()
	}
	target, err := h.d.Service.GrantRole(c.UserContext(), u, id.String(), g)
	if err != nil {
		return err
	}
	return c.JSON(toUser(target))
}

func (h *handlers) RevokeRole(c *fiber.Ctx, id gen.ID, role gen.Role, _ gen.RevokeRoleParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	target, err := h.d.Service.RevokeRole(c.UserContext(), u, id.String(), talent.Role(role))
	if err != nil {
		return err
	}
	return c.JSON(toUser(target))
}
