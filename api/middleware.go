package api

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/netip"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/anju-city/anju/internal/logging"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/account"
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// recoverer turns a panic into a 500 problem instead of a dropped connection.
func recoverer(logger *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) (err error) {
		defer func() {
			if r := recover(); r != nil {
				logger.ErrorContext(c.UserContext(), "panic", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				err = fmt.Errorf("panic: %v", r)
			}
		}()
		return c.Next()
	}
}

type httpMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newHTTPMetrics(reg prometheus.Registerer) *httpMetrics {
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "anju_http_requests_total", Help: "HTTP requests by route and status.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "anju_http_request_duration_seconds", Help: "HTTP request latency by route.",
			// From half a millisecond: a signed-in read served from the
			// caches takes well under one.
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"method", "route"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

// newRequestID returns 16 random bytes in hex. Random, not sequential, so
// that ids from several replicas never collide and reveal nothing.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// observe gives each request an id (echoed in X-Request-Id and put in the
// context for every log line), logs it and records metrics. It runs the
// error handler itself so that the status it logs is the one sent.
func observe(logger *slog.Logger, m *httpMetrics) fiber.Handler {
	return func(c *fiber.Ctx) error {
		start := time.Now()
		id := newRequestID()
		c.Set(fiber.HeaderXRequestID, id)
		c.SetUserContext(logging.WithRequestID(c.UserContext(), id))
		if err := c.Next(); err != nil {
			if herr := c.App().ErrorHandler(c, err); herr != nil {
				return herr
			}
		}
		settleBody(c)
		status := c.Response().StatusCode()
		route := routePath(c)
		elapsed := time.Since(start)
		method := stableMethod(c.Method())
		m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
		m.duration.WithLabelValues(method, route).Observe(elapsed.Seconds())
		if route != "/metrics" && route != "/healthz" && route != "/readyz" {
			// The record is written before this returns, so the IP (in a
			// buffer Fiber reuses) needs no copy; LogAttrs spares boxing.
			logger.LogAttrs(c.UserContext(), slog.LevelInfo, "request", slog.String("method", method),
				slog.String("route", route), slog.Int("status", status),
				slog.Int64("duration_ms", elapsed.Milliseconds()), slog.String("ip", c.IP()))
		}
		return nil
	}
}

// routePath is the matched route pattern (never the raw path, which can hold
// ids and device tokens).
func routePath(c *fiber.Ctx) string {
	// A route's path is fixed when the route is registered: it is not in
	// a buffer Fiber reuses, and may be kept as a metric label.
	if r := c.Route(); r != nil && r.Path != "" && r.Path != "/" {
		return r.Path
	}
	return "unmatched"
}

// stableMethod is the request's method as a string that outlives the
// request (Fiber's points into a buffer it reuses; metric labels keep it).
func stableMethod(m string) string {
	switch m {
	case fiber.MethodGet:
		return fiber.MethodGet
	case fiber.MethodPost:
		return fiber.MethodPost
	case fiber.MethodPut:
		return fiber.MethodPut
	case fiber.MethodDelete:
		return fiber.MethodDelete
	case fiber.MethodPatch:
		return fiber.MethodPatch
	case fiber.MethodHead:
		return fiber.MethodHead
	case fiber.MethodOptions:
		return fiber.MethodOptions
	}
	return strings.Clone(m)
}

func metricsHandler(reg *prometheus.Registry) fiber.Handler {
	return adaptor.HTTPHandler(promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
}

// authenticate verifies the bearer token and loads the user; first sign-in
// creates the user as a graduate.
func authenticate(v talent.Verifier, s *account.Service) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if isPublic(c) {
			return c.Next()
		}
		header := c.Get(fiber.HeaderAuthorization)
		token, ok := strings.CutPrefix(header, "Bearer ")
		if !ok || strings.TrimSpace(token) == "" {
			return talent.Errorf(talent.KindUnauthenticated, talent.CodeTokenMissing, "no bearer token")
		}
		id, err := v.Verify(c.UserContext(), strings.TrimSpace(token))
		if err != nil {
			return err
		}
		u, err := s.SignIn(c.UserContext(), id)
		if err != nil && (u.ID == "" || !newcomerRoute(c)) {
			return err
		}
		u.AuthTime = id.AuthTime
		c.Locals(localsUser, u)
		return c.Next()
	}
}

// newcomerRoute: what someone signed in a way trusted for staff may do
// before they hold a staff role: see their account (its id is what an
// admin grants a role to) and accept an employer's invitation.
func newcomerRoute(c *fiber.Ctx) bool {
	p := c.Path()
	return c.Method() == fiber.MethodGet && p == "/v1/me" ||
		c.Method() == fiber.MethodPost && strings.HasPrefix(p, "/v1/invitations/") && strings.HasSuffix(p, "/accept")
}

// publicPrefix holds the operations anyone may call without signing in;
// the contract marks each of them `security: []`.
const publicPrefix = "/v1/public/"

func isPublic(c *fiber.Ctx) bool { return strings.HasPrefix(c.Path(), publicPrefix) }

// publicCache lets browsers and the city's CDN keep public answers for a
// minute, revalidated by ETag: the notice is read far more than it changes.
func publicCache(c *fiber.Ctx) error {
	if err := c.Next(); err != nil {
		return err
	}
	if c.Response().StatusCode() == fiber.StatusOK {
		c.Set(fiber.HeaderCacheControl, "public, max-age=60")
	}
	return nil
}

// currentUser returns the signed-in user that authenticate stored.
func currentUser(c *fiber.Ctx) (talent.User, error) {
	u, ok := c.Locals(localsUser).(talent.User)
	if !ok {
		return talent.User{}, talent.Errorf(talent.KindUnauthenticated, talent.CodeTokenMissing, "not signed in")
	}
	return u, nil
}

// limitByIP protects sign-in and everything behind it from one address.
func limitByIP(l Limiter, perMinute int, logger *slog.Logger, proxies trustedProxies) fiber.Handler {
	return limit(l, perMinute, logger, func(c *fiber.Ctx) string { return "ip:" + proxies.client(c) })
}

// trustedProxies are the ingress addresses whose X-Forwarded-For is believed.
type trustedProxies []netip.Prefix

// parseProxies reads addresses and CIDRs (checked by the configuration).
func parseProxies(list []string) (trustedProxies, error) {
	var out trustedProxies
	for _, p := range list {
		if pre, err := netip.ParsePrefix(p); err == nil {
			out = append(out, pre.Masked())
			continue
		}
		a, err := netip.ParseAddr(p)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q: %w", p, err)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

func (t trustedProxies) trusts(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range t {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// client is the address a request is counted against: the connection's
// peer, unless the peer is a trusted proxy; then X-Forwarded-For is read
// from the right, past the trusted proxies, to the first address they did
// not add themselves. Anything a client writes into the header sits left
// of that and is never believed, nor is a value that is not an address.
func (t trustedProxies) client(c *fiber.Ctx) string {
	peer, ok := netip.AddrFromSlice(c.Context().RemoteIP())
	if !ok {
		return c.Context().RemoteIP().String()
	}
	peer = peer.Unmap()
	if !t.trusts(peer) {
		return peer.String()
	}
	hops := strings.Split(strings.Join(c.GetReqHeaders()[fiber.HeaderXForwardedFor], ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			return peer.String() // a malformed hop: count the proxy, not a made-up name
		}
		if !t.trusts(a) {
			return a.Unmap().String()
		}
	}
	return peer.String()
}

// limitByUser caps one account, whatever address it comes from.
func limitByUser(l Limiter, perMinute int, logger *slog.Logger) fiber.Handler {
	byUser := limit(l, perMinute, logger, func(c *fiber.Ctx) string {
		u, _ := currentUser(c)
		return "user:" + u.ID
	})
	return func(c *fiber.Ctx) error {
		if isPublic(c) {
			return c.Next() // nobody signed in; the per-address limit applies
		}
		return byUser(c)
	}
}

// limit caps requests per minute by key.
func limit(l Limiter, perMinute int, logger *slog.Logger, key func(*fiber.Ctx) string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if err := allow(c, l, logger, key(c), perMinute, time.Minute); err != nil {
			return err
		}
		return c.Next()
	}
}

// allow counts one request against n per window for key and refuses it
// with Retry-After when the count is spent. It fails open when Redis is
// down: refusing every request because a counter is unavailable would turn
// a Redis outage into a full outage.
func allow(c *fiber.Ctx, l Limiter, logger *slog.Logger, key string, n int, window time.Duration) error {
	if l == nil || n <= 0 {
		return nil
	}
	ok, wait, err := l.Allow(c.UserContext(), key, n, window)
	if err != nil {
		logger.WarnContext(c.UserContext(), "rate limiter unavailable; allowing request", "err", err)
		return nil
	}
	if !ok {
		retryAfter(c, int((wait+time.Second-1)/time.Second))
		return talent.Errorf(talent.KindRateLimited, CodeRateLimited, "rate limit exceeded")
	}
	return nil
}
