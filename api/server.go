// Package api is Anju's HTTP API on Fiber: the routes generated from
// openapi/anju.yaml, the middleware every request passes (request id, logs,
// metrics, sign-in, rate limits, contract validation, idempotency) and the
// one error mapping to RFC 9457 problem+json.
package api

import (
	"context"
	"log/slog"
	"time"

	"github.com/anju-city/anju/api/gen"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/allowance"
	"github.com/anju-city/anju/internal/talent/housing"
	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"
)

// Limiter counts requests per key across replicas.
type Limiter interface {
	Allow(ctx context.Context, key string, limit int, window time.Duration) (ok bool, retryAfter time.Duration, err error)
}

// Limits are requests per minute; zero disables a limit.
type Limits struct {
	PerIP   int
	PerUser int
	// TrustedProxies are the addresses or CIDRs of the ingress in front of
	// the API; only from them is X-Forwarded-For believed, so per-IP limits
	// count phones rather than the ingress.
	TrustedProxies []string
}

// Deps are what the API needs; cmd/anju builds them.
type Deps struct {
	Service     *talent.Service
	Allowance   *allowance.Service
	Housing     *housing.Service
	Rounds      *housing.Rounds
	Leases      *housing.Leases
	Verifier    talent.Verifier
	Idempotency IdempotencyStore
	Limiter     Limiter
	Limits      Limits
	// Checks are the readiness checks by dependency name.
	Checks   map[string]func(context.Context) error
	Logger   *slog.Logger
	Registry *prometheus.Registry
}

// Locals keys. Values stored in Fiber locals live only as long as the request.
const (
	localsUser   = "anju.user"
	localsLocale = "anju.locale"
)

// New builds the Fiber app.
func New(d Deps) (*fiber.App, error) {
	validator, err := newValidator()
	if err != nil {
		return nil, err
	}
	app := fiber.New(fiber.Config{
		AppName:               "anju",
		ErrorHandler:          errorHandler(d.Logger),
		BodyLimit:             256 << 10, // JSON only; files go straight to MinIO
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           120 * time.Second,
		DisableStartupMessage: true,
		// The client's address comes from X-Forwarded-For only when the
		// request arrives from a trusted proxy.
		EnableTrustedProxyCheck: len(d.Limits.TrustedProxies) > 0,
		TrustedProxies:          d.Limits.TrustedProxies,
		ProxyHeader:             proxyHeader(d.Limits.TrustedProxies),
	})
	m := newHTTPMetrics(d.Registry)
	app.Use(recoverer(d.Logger), observe(d.Logger, m))

	app.Get("/openapi.yaml", serveSpec)
	app.Get("/docs", serveDocs)
	app.Get("/metrics", metricsHandler(d.Registry))

	v1 := app.Group("/v1",
		limitByIP(d.Limiter, d.Limits.PerIP, d.Logger),
		authenticate(d.Verifier, d.Service),
		limitByUser(d.Limiter, d.Limits.PerUser, d.Logger),
		validator.middleware,
		idempotent(d.Idempotency, d.Logger),
	)
	_ = v1
	gen.RegisterHandlers(app, &handlers{d: d})
	app.Use(func(*fiber.Ctx) error { return fiber.ErrNotFound })
	return app, nil
}

func proxyHeader(trusted []string) string {
	if len(trusted) == 0 {
		return ""
	}
	return fiber.HeaderXForwardedFor
}
