// Package api is Anju's HTTP API on Fiber: the routes generated from
// openapi/anju.yaml, the middleware every request passes (request id, logs,
// metrics, sign-in, rate limits, contract validation, idempotency) and the
// one error mapping to RFC 9457 problem+json. Handlers are thin: sign-in,
// decode, one call into the application, convert.
package api

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/anju-city/anju/api/gen"
	"github.com/anju-city/anju/internal/app"
	"github.com/anju-city/anju/internal/console"
	"github.com/anju-city/anju/internal/health"
	"github.com/anju-city/anju/internal/talent"
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/etag"
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
	// ObjectionsPerHour caps the objections one account files to the
	// public notice.
	ObjectionsPerHour int
	// TrustedProxies are the addresses or CIDRs of the ingress in front of
	// the API; only from them is X-Forwarded-For believed, so per-IP limits
	// count phones rather than the ingress.
	TrustedProxies []string
}

// Options are what the HTTP layer needs besides the application.
type Options struct {
	Verifier    talent.Verifier
	Idempotency IdempotencyStore
	Limiter     Limiter
	Limits      Limits
	// Checks are the dependency checks by name, all reported by /readyz;
	// Required names those that make the pod unready when they fail.
	Checks   health.Checks
	Required []string
	Logger   *slog.Logger
	Registry *prometheus.Registry
	// Client is what browsers and apps are told about signing in
	// (GET /v1/public/config), and where the console may connect.
	Client ClientConfig
}

// ClientConfig is the public sign-in configuration: the Firebase web app's
// settings and, in development, the Auth emulator's URL.
type ClientConfig struct {
	FirebaseAPIKey     string
	FirebaseAuthDomain string
	FirebaseProjectID  string
	// AuthEmulatorURL is e.g. http://127.0.0.1:59099; empty in production.
	AuthEmulatorURL string
	// DocumentOrigin is the object store's origin as browsers reach it
	// (presigned preview URLs point there), e.g. http://127.0.0.1:59000.
	DocumentOrigin string
	// StaffSignInProviders are the Firebase sign-in providers trusted for
	// staff without a second factor (ANJU_STAFF_SIGN_IN_PROVIDERS): the
	// console offers phone sign-in when "phone" is one of them.
	StaffSignInProviders []string
}

// connectOrigins are the origins besides our own the console's browser
// talks to: the Auth emulator, or Firebase Auth's token endpoints.
func (c ClientConfig) connectOrigins() []string {
	if c.AuthEmulatorURL != "" {
		return []string{c.AuthEmulatorURL}
	}
	return []string{"https://identitytoolkit.googleapis.com", "https://securetoken.googleapis.com"}
}

// recaptcha reports whether the console's pages must let Google's
// reCAPTCHA run: phone sign-in against the real Firebase Auth proves a
// browser with it (RecaptchaVerifier loads its script and frame from
// Google). Against the Auth emulator the SDK's app verification is off
// for testing and loads nothing, and without phone sign-in nothing needs
// it, so the policy stays closed to Google in both cases.
func (c ClientConfig) recaptcha() bool {
	return c.AuthEmulatorURL == "" && slices.Contains(c.StaffSignInProviders, "phone")
}

// Locals keys. Values stored in Fiber locals live only as long as the request.
const (
	localsUser   = "anju.user"
	localsLocale = "anju.locale"
)

// server implements the generated interface with one handler type per
// module, so that no type carries every operation.
type server struct {
	*ops
	*accountHandlers
	*allowanceHandlers
	*housingHandlers
	*roundHandlers
	*publicityHandlers
	*employerHandlers
}

var _ gen.ServerInterface = server{}

// New builds the Fiber app over the application.
func New(a *app.App, o Options) (*fiber.App, error) {
	validator, err := newValidator()
	if err != nil {
		return nil, err
	}
	proxies, err := parseProxies(o.Limits.TrustedProxies)
	if err != nil {
		return nil, err
	}
	f := fiber.New(fiber.Config{
		AppName:      "anju",
		ErrorHandler: errorHandler(o.Logger),
		// Up to jsonBodyLimit is buffered before a handler runs; a larger
		// body stays a stream that guardBody reads (for an upload, once the
		// caller may send it) or settleBody drains, so that its answer is a
		// 413 problem with a request id, never a reset connection.
		BodyLimit:             jsonBodyLimit,
		StreamRequestBody:     true,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           120 * time.Second,
		DisableStartupMessage: true,
		// The client's address comes from X-Forwarded-For only when the
		// request arrives from a trusted proxy, and only a valid address
		// is taken from it; the per-IP limit goes further (see
		// trustedProxies.client) and reads the header from the right.
		EnableTrustedProxyCheck: len(o.Limits.TrustedProxies) > 0,
		TrustedProxies:          o.Limits.TrustedProxies,
		ProxyHeader:             proxyHeader(o.Limits.TrustedProxies),
		EnableIPValidation:      true,
	})
	m := newHTTPMetrics(o.Registry)
	f.Use(recoverer(o.Logger), observe(o.Logger, m))

	f.Get("/openapi.yaml", serveSpec)
	console.Register(f, console.Options{ConnectOrigins: o.Client.connectOrigins(), DocumentOrigin: o.Client.DocumentOrigin,
		Recaptcha: o.Client.recaptcha()})
	f.Get("/metrics", metricsHandler(o.Registry))

	f.Group("/v1",
		limitByIP(o.Limiter, o.Limits.PerIP, o.Logger, proxies),
		authenticate(o.Verifier, a.Account),
		limitByUser(o.Limiter, o.Limits.PerUser, o.Logger),
		guardBody,
		validator.middleware,
		idempotent(o.Idempotency),
	)
	f.Group(strings.TrimSuffix(publicPrefix, "/"), etag.New(), publicCache)
	gen.RegisterHandlers(f, server{
		ops:               &ops{checks: o.Checks, required: o.Required, logger: o.Logger, client: o.Client},
		accountHandlers:   &accountHandlers{account: a.Account},
		allowanceHandlers: &allowanceHandlers{allowance: a.Allowance, catalog: a.Catalog},
		housingHandlers:   &housingHandlers{housing: a.Housing, leases: a.Leases},
		roundHandlers:     &roundHandlers{rounds: a.Rounds},
		employerHandlers:  &employerHandlers{employers: a.Employers},
		publicityHandlers: &publicityHandlers{publicity: a.Publicity, allowance: a.Allowance, rounds: a.Rounds,
			limiter: o.Limiter, objections: o.Limits.ObjectionsPerHour, logger: o.Logger},
	})
	f.Use(func(*fiber.Ctx) error { return fiber.ErrNotFound })
	return f, nil
}

func proxyHeader(trusted []string) string {
	if len(trusted) == 0 {
		return ""
	}
	return fiber.HeaderXForwardedFor
}
