package api

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/anju-city/anju/internal/talent"
	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"
)

// Every kind has its one status, and an error Anju did not make is a bare
// 500 whose text never reaches the client.
func TestProblemMapping(t *testing.T) {
	t.Parallel()
	want := map[talent.Kind]int{
		talent.KindMalformed: 400, talent.KindInvalid: 422, talent.KindUnauthenticated: 401, talent.KindForbidden: 403,
		talent.KindNotFound: 404, talent.KindConflict: 409, talent.KindIneligible: 422, talent.KindRateLimited: 429, talent.KindTooLarge: 413,
		talent.KindUnavailable: 503, talent.KindInternal: 500,
	}
	for kind, status := range want {
		if statusByKind[kind] != status {
			t.Errorf("%s maps to %d, want %d", kind, statusByKind[kind], status)
		}
		if titles[kind].zh == "" || titles[kind].en == "" {
			t.Errorf("%s has no title", kind)
		}
	}
	if len(statusByKind) != len(want) {
		t.Errorf("statusByKind has %d kinds, the test knows %d", len(statusByKind), len(want))
	}

	errs := map[string]error{
		"conflict": talent.Errorf(talent.KindConflict, talent.CodeDuplicate, "secret detail %d", 42),
		"fields": talent.Invalid(talent.FieldError{Field: "nationalId", Code: talent.CodeNationalIDChecksum},
			talent.FieldError{Field: "name", Code: talent.CodeNameLength}),
		"foreign": errors.New("pq: password authentication failed for user anju"),
		"fiber":   fiber.ErrRequestEntityTooLarge,
	}
	f := fiber.New(fiber.Config{ErrorHandler: errorHandler(slog.New(slog.NewJSONHandler(io.Discard, nil)))})
	f.Use(observe(slog.New(slog.NewJSONHandler(io.Discard, nil)), newHTTPMetrics(prometheus.NewRegistry())))
	f.Get("/:case", func(c *fiber.Ctx) error { return errs[c.Params("case")] })
	call := func(path, lang string) (result, problemBody) {
		req := httptest.NewRequest("GET", path, nil)
		if lang != "" {
			req.Header.Set("Accept-Language", lang)
		}
		res, err := f.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		r := result{status: res.StatusCode, header: res.Header, body: body}
		return r, r.problem(t)
	}

	r, p := call("/conflict", "")
	if r.status != 409 || p.Code != "duplicate" || p.Title != "与当前状态冲突" || p.Detail != "记录已存在。" ||
		p.Type != "https://anju.dev/problems/duplicate" || p.Instance != "/conflict" || r.header.Get("Content-Language") != "zh-CN" {
		t.Errorf("conflict in zh-CN: %d %+v", r.status, p)
	}
	if p.RequestID == "" || p.RequestID != r.header.Get("X-Request-Id") || containsSecret(r.body) {
		t.Errorf("request id %q / header %q; body %s", p.RequestID, r.header.Get("X-Request-Id"), r.body)
	}
	r, p = call("/fields", "en-GB,en;q=0.9")
	if r.status != 422 || p.Code != "validation_failed" || p.field("nationalId") != "national_id_checksum" ||
		p.Errors[0].Message != "The check digit of the national ID number is wrong." || r.header.Get("Content-Language") != "en" {
		t.Errorf("fields in en: %d %+v", r.status, p)
	}
	r, p = call("/foreign", "")
	if r.status != http.StatusInternalServerError || p.Code != "internal" || containsSecret(r.body) {
		t.Errorf("a foreign error: %d %s", r.status, r.body)
	}
	r, p = call("/fiber", "en")
	if r.status != 413 || p.Code != "body_too_large" {
		t.Errorf("fiber's own error: %d %+v", r.status, p)
	}
	if _, p := call("/conflict", ""); p.RequestID == "" {
		t.Error("no request id")
	} else if _, q := call("/conflict", ""); q.RequestID == p.RequestID {
		t.Errorf("two requests share the id %s", p.RequestID)
	}
}

// containsSecret reports whether a response leaks an error's own text.
func containsSecret(b []byte) bool {
	return contains(b, "secret detail") || contains(b, "password")
}

func contains(b []byte, s string) bool { return strings.Contains(string(b), s) }

// A panic in a handler is a 500 problem, not a dropped connection.
func TestRecovererAnswersAPanic(t *testing.T) {
	t.Parallel()
	logger := slog.New(slog.NewJSONHandler(io.Discard, nil))
	f := fiber.New(fiber.Config{ErrorHandler: errorHandler(logger)})
	f.Use(recoverer(logger), observe(logger, newHTTPMetrics(prometheus.NewRegistry())))
	f.Get("/explode", func(*fiber.Ctx) error { panic("kaboom") })
	res, err := f.Test(httptest.NewRequest("GET", "/explode", nil), -1)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	r := result{status: res.StatusCode, header: res.Header, body: body}
	if p := r.problem(t); r.status != 500 || p.Code != "internal" || contains(body, "kaboom") {
		t.Fatalf("panic: %d %s", r.status, body)
	}
}
