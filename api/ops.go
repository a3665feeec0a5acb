package api

import (
	"log/slog"
	"slices"

	"github.com/anju-city/anju/api/gen"
	"github.com/anju-city/anju/internal/health"
	"github.com/gofiber/fiber/v2"
)

// ops are the health endpoints.
type ops struct {
	checks   health.Checks
	required []string
	logger   *slog.Logger
	client   ClientConfig
}

// GetPublicConfig tells a browser how to sign in before it has a token.
func (h *ops) GetPublicConfig(c *fiber.Ctx) error {
	var out gen.PublicConfig
	out.Firebase.ApiKey = h.client.FirebaseAPIKey
	out.Firebase.AuthDomain = h.client.FirebaseAuthDomain
	out.Firebase.ProjectId = h.client.FirebaseProjectID
	if h.client.AuthEmulatorURL != "" {
		out.AuthEmulatorUrl = &h.client.AuthEmulatorURL
	}
	if len(h.client.StaffSignInProviders) > 0 {
		out.StaffSignInProviders = &h.client.StaffSignInProviders
	}
	return c.JSON(out)
}

func (h *ops) GetHealthz(c *fiber.Ctx) error {
	return c.JSON(gen.Health{Status: gen.Ok})
}

// GetReadyz checks every dependency at once, each within two seconds, and
// reports each; only a required one (PostgreSQL, which every request
// needs) makes the pod unready. The others degrade the routes that use
// them, which answer 503 with their own code.
func (h *ops) GetReadyz(c *fiber.Ctx) error {
	up := h.checks.Run(c.UserContext(), h.logger)
	checks := make(map[string]string, len(up))
	ready := true
	for name, ok := range up {
		checks[name] = "ok"
		if !ok {
			checks[name] = "unavailable"
			ready = ready && !slices.Contains(h.required, name)
		}
	}
	res := gen.Health{Status: gen.Ok, Checks: &checks}
	if !ready {
		res.Status = gen.Unavailable
		c.Status(fiber.StatusServiceUnavailable)
	}
	return c.JSON(res)
}
