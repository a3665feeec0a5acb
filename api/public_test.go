package api

import (
	"strings"
	"testing"

	"github.com/anju-city/anju/internal/ratelimit"
	"github.com/anju-city/anju/internal/testenv"
	"github.com/anju-city/anju/openapi"
	"github.com/getkin/kin-openapi/openapi3"
)

// Sign-in is skipped by path, so the contract and the path must agree: an
// operation under /v1 needs no token exactly when it is under /v1/public/.
func TestPublicOperationsAreUnderPublicPrefix(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(openapi.Spec)
	if err != nil {
		t.Fatal(err)
	}
	public := 0
	for path, item := range doc.Paths.Map() {
		if !strings.HasPrefix(path, "/v1/") {
			continue
		}
		for method, op := range item.Operations() {
			open := op.Security != nil && len(*op.Security) == 0
			if open != strings.HasPrefix(path, publicPrefix) {
				t.Errorf("%s %s: security: [] is %v but the path says %v", method, path, open, !open)
			}
			if open {
				public++
				if method != "GET" {
					t.Errorf("%s %s: public operations only read", method, path)
				}
			}
		}
	}
	if public == 0 {
		t.Fatal("no public operations in the contract")
	}
}

// Public answers need no token, are cacheable for a minute and revalidated
// by ETag; errors are not cached; the per-address limit still applies.
func TestPublicAnswers(t *testing.T) {
	t.Parallel()
	rdb := testenv.NewRedis(t).Client()
	f := setup(t, func(o *Options) {
		o.Limiter = ratelimit.New(rdb)
		o.Limits = Limits{PerIP: 4, PerUser: 1}
	})
	r := f.do(t, "GET", "/v1/public/publicity", "", nil)
	if r.status != 200 || r.header.Get("Cache-Control") != "public, max-age=60" || r.header.Get("ETag") == "" {
		t.Fatalf("publicity: %d %v %s", r.status, r.header, r.body)
	}
	if !strings.Contains(string(r.body), `"items":[]`) {
		t.Fatalf("empty notice: %s", r.body)
	}
	again := f.do(t, "GET", "/v1/public/publicity", "", nil, "If-None-Match", r.header.Get("ETag"))
	if again.status != 304 {
		t.Fatalf("revalidation: %d", again.status)
	}
	bad := f.do(t, "GET", "/v1/public/stats/delivery?from=2026-05-01&to=2026-04-01", "", nil, "Accept-Language", "en")
	if p := bad.problem(t); bad.status != 422 || p.field("to") != "range" || bad.header.Get("Cache-Control") != "" {
		t.Fatalf("reversed range: %d %+v %v", bad.status, p, bad.header)
	}
	// A token is not needed, and a bad one is not looked at.
	if r := f.do(t, "GET", "/v1/public/publicity", "forged", nil); r.status != 200 {
		t.Fatalf("with a forged token: %d %s", r.status, r.body)
	}
	r = f.do(t, "GET", "/v1/public/publicity", "", nil)
	if p := r.problem(t); r.status != 429 || p.Code != "rate_limited" {
		t.Fatalf("fifth request from one address: %d %s", r.status, r.body)
	}
}
