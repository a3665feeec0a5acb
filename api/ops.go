package api

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/anju-city/anju/api/gen"
	"github.com/gofiber/fiber/v2"
)

// ops are the health endpoints.
type ops struct {
	checks map[string]func(context.Context) error
	logger *slog.Logger
	client ClientConfig
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
	return c.JSON(out)
}

func (h *ops) GetHealthz(c *fiber.Ctx) error {
	return c.JSON(gen.Health{Status: gen.Ok})
}

// GetReadyz checks every dependency at once, each within two seconds.
func (h *ops) GetReadyz(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	var mu sync.Mutex
	var wg sync.WaitGroup
	checks := map[string]string{}
	healthy := true
	for name, check := range h.checks {
		wg.Go(func() {
			state := "ok"
			if err := check(ctx); err != nil {
				state = "unavailable"
				h.logger.WarnContext(ctx, "readiness check failed", "dependency", name, "err", err)
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
