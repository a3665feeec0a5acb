package api

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/anju-city/anju/internal/postgres"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/testenv"
	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"
)

// tokens is the identity provider of these tests: a bearer token
// "uid-…" signs in as that Firebase uid, just now by the application's
// clock; anything else is refused as a forged token would be. Real ID
// tokens are verified in internal/firebase and end to end in cmd/anju.
type tokens struct{ clock talent.Clock }

func (v tokens) Verify(_ context.Context, token string) (talent.Identity, error) {
	if !strings.HasPrefix(token, "uid-") {
		return talent.Identity{}, talent.Errorf(talent.KindUnauthenticated, talent.CodeTokenInvalid, "not a test token")
	}
	// Phone sign-ins with a second factor: the sign-in rules themselves
	// are tested in cmd/anju against the Auth emulator.
	return talent.Identity{UID: token, AuthTime: v.clock.Now(), Provider: talent.ProviderPhone, SecondFactor: "phone"}, nil
}

// fixture is the API on the real application over a fresh database.
type fixture struct {
	app *fiber.App
	db  *postgres.DB
}

func setup(t *testing.T, with ...func(*Options)) fixture {
	t.Helper()
	db, a, clock := testenv.App(t, nil, nil)
	o := Options{
		Verifier: tokens{clock}, Idempotency: db.Idempotency(),
		Logger: slog.New(slog.NewJSONHandler(io.Discard, nil)), Registry: prometheus.NewRegistry(),
	}
	for _, w := range with {
		w(&o)
	}
	f, err := New(a, o)
	if err != nil {
		t.Fatal(err)
	}
	return fixture{app: f, db: db}
}

// admin signs a user in and makes them an admin; it returns their token.
func (f fixture) admin(t *testing.T, uid string) string {
	t.Helper()
	ctx := context.Background()
	u, err := f.db.Users().SignIn(ctx, uid, true)
	if err != nil || !u.Has(talent.RoleAdmin) {
		t.Fatalf("admin %s: %+v %v", uid, u, err)
	}
	return uid
}

type result struct {
	status int
	header http.Header
	body   []byte
}

func (r result) problem(t *testing.T) problemBody {
	t.Helper()
	var p problemBody
	if err := json.Unmarshal(r.body, &p); err != nil {
		t.Fatalf("not a problem: %s", r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type %q for a problem", ct)
	}
	return p
}

type problemBody struct {
	Type, Title, Detail, Code, RequestID, Instance string
	Status                                         int
	Errors                                         []struct{ Field, Code, Message string }
}

func (p problemBody) field(name string) string {
	for _, e := range p.Errors {
		if e.Field == name {
			return e.Code
		}
	}
	return ""
}

// do sends one request through Fiber's app.Test: the real middleware stack,
// no network. headers are name, value pairs.
func (f fixture) do(t *testing.T, method, path, token string, body any, headers ...string) result {
	t.Helper()
	req := testenv.Request(t, method, path, token, body, headers...)
	res, err := f.app.Test(req, -1)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return result{status: res.StatusCode, header: res.Header, body: raw}
}
