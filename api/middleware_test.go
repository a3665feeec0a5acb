package api

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anju-city/anju/internal/health"
	"github.com/anju-city/anju/internal/ratelimit"
	"github.com/anju-city/anju/internal/testenv"
)

// Sign-in comes before everything under /v1: no token, a forged one and an
// unknown route all answer problems, with a request id and the header a
// client needs.
func TestSignInAndRoutes(t *testing.T) {
	t.Parallel()
	f := setup(t)
	r := f.do(t, "GET", "/v1/me", "", nil)
	if p := r.problem(t); r.status != 401 || p.Code != "token_missing" || r.header.Get("WWW-Authenticate") != `Bearer realm="anju"` {
		t.Fatalf("no token: %d %+v", r.status, p)
	}
	r = f.do(t, "GET", "/v1/me", "forged", nil)
	if p := r.problem(t); r.status != 401 || p.Code != "token_invalid" {
		t.Fatalf("forged token: %d %+v", r.status, p)
	}
	r = f.do(t, "GET", "/v1/me", "uid-first", nil, "Accept-Language", "en")
	if r.status != 200 || !strings.Contains(string(r.body), `"roles":[{"grantedAt"`) || r.header.Get("X-Request-Id") == "" {
		t.Fatalf("first sign-in: %d %s", r.status, r.body)
	}
	r = f.do(t, "GET", "/v1/no-such-thing", "uid-first", nil)
	if p := r.problem(t); r.status != 404 || p.Code != "route_not_found" {
		t.Fatalf("unknown route: %d %+v", r.status, p)
	}
	if r := f.do(t, "GET", "/healthz", "", nil); r.status != 200 {
		t.Fatalf("healthz needs no sign-in: %d", r.status)
	}
}

// Readiness reports each dependency but fails only when a required one
// (PostgreSQL) does: Redis or MinIO down degrades the routes that need
// them, it does not take the pod out of service.
func TestReadiness(t *testing.T) {
	t.Parallel()
	down := errors.New("connection refused")
	for _, c := range []struct {
		postgres, redis error
		status          int
	}{
		{nil, down, 200},
		{down, nil, 503},
		{nil, nil, 200},
	} {
		f := setup(t, func(o *Options) {
			o.Checks = health.Checks{
				"postgres": func(context.Context) error { return c.postgres },
				"redis":    func(context.Context) error { return c.redis },
			}
			o.Required = []string{"postgres"}
		})
		state := func(err error) string {
			if err != nil {
				return "unavailable"
			}
			return "ok"
		}
		r := f.do(t, "GET", "/readyz", "", nil)
		if r.status != c.status || !strings.Contains(string(r.body), `"redis":"`+state(c.redis)+`"`) ||
			!strings.Contains(string(r.body), `"postgres":"`+state(c.postgres)+`"`) {
			t.Errorf("readyz with postgres %v, redis %v: %d %s; want %d", c.postgres, c.redis, r.status, r.body, c.status)
		}
	}
}

// Per-user limits count one account across requests, in Redis.
func TestRateLimitPerUser(t *testing.T) {
	t.Parallel()
	rdb := testenv.NewRedis(t).Client()
	f := setup(t, func(o *Options) {
		o.Limiter = ratelimit.New(rdb)
		o.Limits = Limits{PerUser: 2}
	})
	for i := range 2 {
		if r := f.do(t, "GET", "/v1/me", "uid-busy", nil); r.status != 200 {
			t.Fatalf("request %d: %d %s", i, r.status, r.body)
		}
	}
	r := f.do(t, "GET", "/v1/me", "uid-busy", nil)
	if p := r.problem(t); r.status != 429 || p.Code != "rate_limited" || r.header.Get("Retry-After") == "" {
		t.Fatalf("third request: %d %+v %v", r.status, p, r.header)
	}
	if r := f.do(t, "GET", "/v1/me", "uid-other", nil); r.status != 200 {
		t.Fatalf("another user is limited too: %d", r.status)
	}
}

// The contract refuses what does not match it before any handler runs:
// malformed JSON, unknown fields, wrong types, bad parameters and the
// shared Idempotency-Key header.
func TestContractValidation(t *testing.T) {
	t.Parallel()
	f := setup(t)
	admin := f.admin(t, "uid-admin")
	employer := map[string]any{"name": "慈溪智造", "creditCode": "91330282MA2H3B8K4N"}
	tests := []struct {
		name      string
		body      any
		headers   []string
		status    int
		code      string
		field     string
		fieldCode string
	}{
		{"malformed JSON", `{"name":`, []string{"Idempotency-Key", "key-000001"}, 400, "body_malformed", "body", "body_malformed"},
		{"unknown field", map[string]any{"name": "x", "creditCode": "91330282MA2H3B8K4N", "extra": 1}, []string{"Idempotency-Key", "key-000002"}, 400, "request_invalid", "extra", "unknown_field"},
		{"wrong type", map[string]any{"name": 7, "creditCode": "91330282MA2H3B8K4N"}, []string{"Idempotency-Key", "key-000003"}, 400, "request_invalid", "name", "type_mismatch"},
		{"missing Idempotency-Key", employer, nil, 400, "request_invalid", "Idempotency-Key", "required"},
		{"short Idempotency-Key", employer, []string{"Idempotency-Key", "short"}, 400, "request_invalid", "Idempotency-Key", "length"},
	}
	for _, tt := range tests {
		r := f.do(t, "POST", "/v1/admin/employers", admin, tt.body, tt.headers...)
		p := r.problem(t)
		if r.status != tt.status || p.Code != tt.code || p.field(tt.field) != tt.fieldCode {
			t.Errorf("%s: %d %+v", tt.name, r.status, p)
		}
	}
	r := f.do(t, "GET", "/v1/documents?limit=1000", admin, nil)
	if p := r.problem(t); r.status != 400 || p.field("limit") != "range" {
		t.Errorf("limit out of range: %d %+v", r.status, p)
	}
	r = f.do(t, "GET", "/v1/documents/not-a-uuid", admin, nil)
	if p := r.problem(t); r.status != 400 || p.field("id") == "" {
		t.Errorf("bad path id: %d %+v", r.status, p)
	}
	// A POST that only accepts a key works without one.
	if r := f.do(t, "POST", "/v1/me/notifications/01a22d10-ec1e-7590-8bbd-71464969f8aa/read", admin, nil); r.status != 404 {
		t.Errorf("an optional key: %d %s", r.status, r.body)
	}
}

// Idempotency-Key: a retry gets the first response, a concurrent duplicate
// waits for it, and reusing the key for another request is refused.
func TestIdempotency(t *testing.T) {
	t.Parallel()
	f := setup(t)
	admin := f.admin(t, "uid-admin")
	body := map[string]any{"name": "慈溪智造", "creditCode": "91330282MA2H3B8K4N"}
	var wg sync.WaitGroup
	results := make([]result, 4)
	for i := range results {
		wg.Go(func() {
			results[i] = f.do(t, "POST", "/v1/admin/employers", admin, body, "Idempotency-Key", "same-key-1")
		})
	}
	wg.Wait()
	replayed := 0
	for _, r := range results {
		if r.status != 201 || string(r.body) != string(results[0].body) {
			t.Fatalf("duplicates must all get the first response: %d %s / %s", r.status, r.body, results[0].body)
		}
		if r.header.Get("Idempotent-Replayed") == "true" {
			replayed++
		}
	}
	var n int
	if err := f.db.Pool().QueryRow(context.Background(), `SELECT count(*) FROM employers`).Scan(&n); err != nil || n != 1 || replayed != 3 {
		t.Fatalf("%d employers, %d replays: %v", n, replayed, err)
	}
	other := map[string]any{"name": "别的公司", "creditCode": "91350100M000100Y43"}
	r := f.do(t, "POST", "/v1/admin/employers", admin, other, "Idempotency-Key", "same-key-1")
	if p := r.problem(t); r.status != 422 || p.Code != "idempotency_key_reused" {
		t.Fatalf("a key reused for another body: %d %+v", r.status, p)
	}
	// Keys are per user: another admin's same key is a new request.
	second := f.admin(t, "uid-admin-2")
	r = f.do(t, "POST", "/v1/admin/employers", second, other, "Idempotency-Key", "same-key-1")
	if r.status != 201 {
		t.Fatalf("another user's key: %d %s", r.status, r.body)
	}
	// A refusal is stored too: its retry is refused the same way, without running again.
	first := f.do(t, "POST", "/v1/admin/employers", second, other, "Idempotency-Key", "dup-key-22")
	again := f.do(t, "POST", "/v1/admin/employers", second, other, "Idempotency-Key", "dup-key-22")
	if first.status != 409 || again.status != 409 || again.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("a stored refusal: %d, then %d %v", first.status, again.status, again.header)
	}
	_ = time.Second
}
