package api

import (
	"github.com/anju-city/anju/openapi"
	"github.com/gofiber/fiber/v2"
)

// serveSpec answers /openapi.yaml; the readable reference at /docs renders
// it in the browser (internal/console).
func serveSpec(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, "application/yaml; charset=utf-8")
	return c.Send(openapi.Spec)
}
