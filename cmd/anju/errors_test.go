package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

func (r response) problem(t *testing.T) problem {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("content type %q, body %s", ct, r.Body)
	}
	var p problem
	r.json(t, &p)
	if p.Code == "" || p.Title == "" || p.Status != r.Status || p.RequestID == "" || p.RequestID != r.Header.Get("X-Request-Id") {
		t.Fatalf("incomplete problem: %s", r.Body)
	}
	return p
}

func (p problem) field(name string) string {
	for _, f := range p.Errors {
		if f.Field == name {
			return f.Code
		}
	}
	return ""
}

// TestBadInput: every kind of bad request gets a clear, localized
// problem+json, and nothing is written.
func TestBadInput(t *testing.T) {
	t.Parallel()
	in := boot(t)
	token := in.signUp(t)
	other := in.signUp(t)

	t.Run("malformed JSON", func(t *testing.T) {
		r := in.call(t, "PUT", "/v1/me", token, `{"name": "张三",`)
		if p := r.problem(t); r.Status != 400 || p.Code != "body_malformed" || p.Title != "请求格式有误" {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
	})
	t.Run("unknown field", func(t *testing.T) {
		r := in.call(t, "PUT", "/v1/me", token, map[string]any{"name": "张三", "isAdmin": true})
		if p := r.problem(t); r.Status != 400 || p.field("isAdmin") != "unknown_field" {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
	})
	t.Run("wrong types, all reported, in English", func(t *testing.T) {
		r := in.call(t, "PUT", "/v1/me", token, map[string]any{"name": 42, "education": []map[string]any{{"level": "phd", "institution": "x", "fullTime": "yes", "graduationDate": "2026-06-30"}}},
			"Accept-Language", "en-US,en;q=0.9")
		p := r.problem(t)
		if r.Status != 400 || p.Title != "The request is malformed" || p.field("name") != "type_mismatch" ||
			p.field("education[0].level") != "enum" || p.field("education[0].fullTime") != "type_mismatch" {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
		if r.Header.Get("Content-Language") != "en" || p.Errors[0].Message == "" {
			t.Fatalf("not localized: %s", r.Body)
		}
	})
	t.Run("invalid national ID check digit", func(t *testing.T) {
		r := in.call(t, "PUT", "/v1/me", token, map[string]any{"name": "张三", "nationalId": "330282199806150424"})
		p := r.problem(t)
		if r.Status != 422 || p.field("nationalId") != "national_id_checksum" || !strings.Contains(p.Errors[0].Message, "校验位") {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
		if strings.Contains(string(r.Body), "330282199806150424") {
			t.Fatal("the problem echoes the national ID number")
		}
		var me struct{ Profile struct{ Name string } }
		in.call(t, "GET", "/v1/me", token, nil).json(t, &me)
		if me.Profile.Name != "" {
			t.Fatalf("a refused update was written: %+v", me)
		}
	})
	t.Run("one account per person", func(t *testing.T) {
		body := map[string]any{"name": "张三", "nationalId": testNationalID}
		if r := in.call(t, "PUT", "/v1/me", token, body); r.Status != 200 {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
		r := in.call(t, "PUT", "/v1/me", other, body)
		if p := r.problem(t); r.Status != 409 || p.Code != "national_id_taken" {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
	})
	t.Run("missing Idempotency-Key on a creating POST", func(t *testing.T) {
		r := in.call(t, "POST", "/v1/documents", token, map[string]any{"kind": "diploma", "contentType": "application/pdf", "size": 10, "sha256": strings.Repeat("a", 64)})
		if p := r.problem(t); r.Status != 400 || p.field("Idempotency-Key") != "required" {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
	})
	t.Run("missing, forged and expired tokens", func(t *testing.T) {
		claims := in.Emu.Claims("no-such-user")
		forged := in.Emu.UnsignedToken(claims)
		expired := in.Emu.Claims("no-such-user")
		expired["iat"] = time.Now().Add(-3 * time.Hour).Unix()
		expired["exp"] = time.Now().Add(-2 * time.Hour).Unix()
		wrongProject := in.Emu.Claims("no-such-user")
		wrongProject["aud"] = "someone-else"
		for name, tok := range map[string]string{
			"none": "", "garbage": "not-a-jwt", "forged": forged,
			"expired": in.Emu.UnsignedToken(expired), "other project": in.Emu.UnsignedToken(wrongProject),
			"tampered": token[:len(token)-4] + "AAAA" + "." + "x",
		} {
			r := in.call(t, "GET", "/v1/me", tok, nil)
			if p := r.problem(t); r.Status != 401 || p.Code == "" || r.Header.Get("WWW-Authenticate") == "" {
				t.Errorf("%s token: %d %s", name, r.Status, r.Body)
			}
		}
	})
	t.Run("another graduate's document is not found", func(t *testing.T) {
		up := in.createDocument(t, token, "diploma", "application/pdf", []byte(minimalPDF))
		for _, path := range []string{"/v1/documents/" + up.Document.ID, "/v1/documents/" + up.Document.ID + "/complete"} {
			method := "GET"
			if strings.HasSuffix(path, "complete") {
				method = "POST"
			}
			r := in.call(t, method, path, other, nil)
			if p := r.problem(t); r.Status != 404 || p.Code != "document_not_found" {
				t.Fatalf("%s %s: %d %s", method, path, r.Status, r.Body)
			}
		}
		if r := in.call(t, "GET", "/v1/documents/not-a-uuid", token, nil); r.Status != 400 {
			t.Fatalf("bad id: %d %s", r.Status, r.Body)
		}
	})
	t.Run("wrong role", func(t *testing.T) {
		var me struct{ User struct{ ID string } }
		in.call(t, "GET", "/v1/me", other, nil).json(t, &me)
		r := in.call(t, "PUT", "/v1/admin/users/"+me.User.ID+"/roles/reviewer", token, map[string]any{})
		if p := r.problem(t); r.Status != 403 || p.Code != "role_required" {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
	})
	t.Run("unknown route", func(t *testing.T) {
		r := in.call(t, "GET", "/v1/nothing-here", token, nil)
		if p := r.problem(t); r.Status != 404 || p.Code != "route_not_found" {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
	})
}

// TestAdminGrantsRoles: a bootstrap admin grants and revokes staff roles;
// the hr role needs a known employer.
func TestAdminGrantsRoles(t *testing.T) {
	t.Parallel()
	in := services(t)
	adminUID := "admin-" + newKey()
	if err := in.Emu.EnsureUser(context.Background(), adminUID, adminUID+"@test.anju.local", "password-123", ""); err != nil {
		t.Fatal(err)
	}
	in.start(t, "all", withEnv("ANJU_BOOTSTRAP_ADMINS", adminUID))
	adminToken, err := in.Emu.TokenFor(context.Background(), adminUID, adminUID+"@test.anju.local", "password-123")
	if err != nil {
		t.Fatal(err)
	}
	staff := in.signUp(t)
	var me struct{ User struct{ ID string } }
	in.call(t, "GET", "/v1/me", staff, nil).json(t, &me)

	r := in.call(t, "PUT", "/v1/admin/users/"+me.User.ID+"/roles/reviewer", adminToken, map[string]any{})
	if r.Status != 200 || !strings.Contains(string(r.Body), `"reviewer"`) {
		t.Fatalf("grant reviewer: %d %s", r.Status, r.Body)
	}
	// The roles that act for an employer come from its invitation only.
	for _, role := range []string{"hr", "employer_admin"} {
		r = in.call(t, "PUT", "/v1/admin/users/"+me.User.ID+"/roles/"+role, adminToken, map[string]any{"employerId": "0193a4f0-0000-7000-8000-0000000000ff"})
		if p := r.problem(t); r.Status != 422 || p.field("role") != "role_by_invitation" {
			t.Fatalf("granting %s directly: %d %s", role, r.Status, r.Body)
		}
	}
	r = in.call(t, "PUT", "/v1/admin/users/"+me.User.ID+"/roles/finance", adminToken, map[string]any{"employerId": "0193a4f0-0000-7000-8000-0000000000ff"})
	if p := r.problem(t); r.Status != 422 || p.field("employerId") != "employer_not_allowed" {
		t.Fatalf("finance with an employer: %d %s", r.Status, r.Body)
	}
	// The staff member's next request sees the role: roles live in the database.
	var user struct{ Roles []struct{ Role string } }
	in.call(t, "GET", "/v1/me", staff, nil).json(t, &struct{ User any }{&user})
	if len(user.Roles) != 2 {
		t.Fatalf("roles after grant: %+v", user)
	}
	// The talent office certifies a talent tier; the graduate cannot set it.
	in.call(t, "PUT", "/v1/me", staff, map[string]any{"name": "王芳"})
	if r := in.call(t, "PUT", "/v1/me", staff, map[string]any{"name": "王芳", "talentTier": "A"}); r.Status != 400 {
		t.Fatalf("setting one's own tier: %d %s", r.Status, r.Body)
	}
	// One officer of the talent office proposes a tier with its evidence,
	// a second approves it; nobody certifies their own; an admin is not an
	// officer of the talent office.
	graduate := in.signUp(t)
	in.call(t, "PUT", "/v1/me", graduate, map[string]any{"name": "赵强"})
	gradID := in.userID(t, graduate)
	second := in.staff(t, adminToken, "reviewer", "")
	tier := map[string]any{"tier": "B", "evidence": "省级人才认定证书 2026-0042"}
	for name, token := range map[string]string{"an admin": adminToken, "a graduate": in.signUp(t)} {
		if r := in.call(t, "PUT", "/v1/admin/users/"+gradID+"/talent-tier", token, tier); r.Status != 403 {
			t.Fatalf("%s proposing a tier: %d", name, r.Status)
		}
	}
	if r := in.call(t, "PUT", "/v1/admin/users/"+me.User.ID+"/talent-tier", staff, tier); r.Status != 403 {
		t.Fatalf("a reviewer proposing their own tier: %d", r.Status)
	}
	var cert struct{ ID, Status string }
	r = in.call(t, "PUT", "/v1/admin/users/"+gradID+"/talent-tier", staff, tier)
	r.json(t, &cert)
	if r.Status != 202 || cert.Status != "proposed" {
		t.Fatalf("propose tier: %d %s", r.Status, r.Body)
	}
	if p := in.call(t, "POST", "/v1/admin/talent-tiers/"+cert.ID+"/approve", staff, nil).problem(t); p.Code != "second_approver_required" {
		t.Fatalf("the proposer approving: %+v", p)
	}
	if r := in.call(t, "POST", "/v1/admin/talent-tiers/"+cert.ID+"/approve", second, nil); r.Status != 200 {
		t.Fatalf("approve tier: %d %s", r.Status, r.Body)
	}
	if r := in.call(t, "GET", "/v1/me", graduate, nil); !strings.Contains(string(r.Body), `"talentTier":"B"`) {
		t.Fatalf("the graduate's tier: %s", r.Body)
	}
	r = in.call(t, "DELETE", "/v1/admin/users/"+me.User.ID+"/roles/reviewer", adminToken, nil)
	if r.Status != 200 || strings.Contains(string(r.Body), `"reviewer"`) {
		t.Fatalf("revoke: %d %s", r.Status, r.Body)
	}
}

// TestOperations: health, readiness, metrics, the contract and its docs.
func TestOperations(t *testing.T) {
	t.Parallel()
	in := boot(t, withEnv("ANJU_RATE_LIMIT_PER_USER", "5"))
	token := in.signUp(t)
	for path, want := range map[string]string{
		"/healthz":      `"ok"`,
		"/readyz":       `"minio":"ok"`,
		"/openapi.yaml": "openapi: 3.0.3",
		// The reference renders the contract in the browser (TestConsoleDocs).
		"/docs": `id="reference"`,
	} {
		r := in.call(t, "GET", path, "", nil)
		if r.Status != 200 || !strings.Contains(string(r.Body), want) {
			t.Errorf("%s: %d %.200s", path, r.Status, r.Body)
		}
	}
	var limited response
	for range 10 {
		if limited = in.call(t, "GET", "/v1/me", token, nil); limited.Status == http.StatusTooManyRequests {
			break
		}
	}
	if p := limited.problem(t); limited.Status != 429 || p.Code != "rate_limited" || limited.Header.Get("Retry-After") == "" {
		t.Fatalf("rate limit: %d %s", limited.Status, limited.Body)
	}
	metrics := string(in.call(t, "GET", "/metrics", "", nil).Body)
	for _, name := range []string{"anju_http_requests_total", `route="/v1/me"`, "anju_outbox_pending", "anju_outbox_lag_seconds"} {
		if !strings.Contains(metrics, name) {
			t.Errorf("/metrics lacks %s", name)
		}
	}
	if !strings.Contains(metrics, `anju_dependency_up{dependency="redis"} 1`) {
		t.Errorf("/metrics lacks anju_dependency_up for Redis")
	}
	// Redis down degrades, it does not make the pod unready: readiness
	// depends on PostgreSQL alone, the gauge shows the outage, and a
	// signed-in graduate is still served (the rate limit fails open).
	in.Redis.Stop()
	if r := in.call(t, "GET", "/readyz", "", nil); r.Status != 200 || !strings.Contains(string(r.Body), `"redis":"unavailable"`) {
		t.Fatalf("readyz with Redis down: %d %s", r.Status, r.Body)
	}
	if m := string(in.call(t, "GET", "/metrics", "", nil).Body); !strings.Contains(m, `anju_dependency_up{dependency="redis"} 0`) {
		t.Errorf("anju_dependency_up does not show Redis down")
	}
	if r := in.call(t, "GET", "/v1/me", token, nil); r.Status != 200 {
		t.Fatalf("GET /v1/me with Redis down: %d %s", r.Status, r.Body)
	}
}
