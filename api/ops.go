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
