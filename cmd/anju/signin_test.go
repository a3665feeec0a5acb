package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestRoleChangesReachEveryReplica: signed-in users and their profiles are
// cached in each API process, yet a role granted or revoked or a profile
// saved through one replica applies on the other at once (well before the
// cache's TTL, set long here), and the users row is not written again by
// the requests in between.
func TestRoleChangesReachEveryReplica(t *testing.T) {
	t.Parallel()
	in := services(t)
	adminUID := "admin-" + newKey()
	if err := in.Emu.EnsureUser(context.Background(), adminUID, adminUID+"@test.anju.local", "password-123", ""); err != nil {
		t.Fatal(err)
	}
	in.Env["ANJU_BOOTSTRAP_ADMINS"] = adminUID
	in.Env["ANJU_USER_CACHE_TTL"] = "10m"
	in.start(t, "all")
	other := *in
	other.start(t, "api")
	admin, err := in.Emu.TokenFor(context.Background(), adminUID, adminUID+"@test.anju.local", "password-123")
	if err != nil {
		t.Fatal(err)
	}
	staff := in.signUp(t)
	id := in.userID(t, staff)
	queue := func(api *instance) int { return api.call(t, "GET", "/v1/review/queue", staff, nil).Status }
	// Both replicas have the graduate cached.
	for _, api := range []*instance{in, &other} {
		if s := queue(api); s != http.StatusForbidden && s != http.StatusNotFound {
			t.Fatalf("a graduate reading the review queue on %s: %d", api.URL, s)
		}
	}
	if r := in.call(t, "PUT", "/v1/admin/users/"+id+"/roles/reviewer", admin, map[string]any{}); r.Status != 200 {
		t.Fatalf("grant: %d %s", r.Status, r.Body)
	}
	if s := queue(in); s != http.StatusOK {
		t.Fatalf("the queue on the replica that granted: %d", s)
	}
	eventually(t, 2*time.Second, "the grant on the other replica", func() bool { return queue(&other) == http.StatusOK })

	// xmin is the transaction that last wrote the row: any UPDATE changes it.
	xmin := func() string {
		t.Helper()
		var v string
		if err := in.DB.Pool().QueryRow(context.Background(), `SELECT xmin::text FROM users WHERE id = $1`, id).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	version := xmin()
	for range 5 {
		queue(in)
		queue(&other)
	}
	if v := xmin(); v != version {
		t.Errorf("users row rewritten by reads: xmin %s → %s", version, v)
	}

	// The profile is cached too, and a change through one replica is what
	// the other serves next.
	name := func(api *instance) string {
		var me struct{ Profile struct{ Name string } }
		api.call(t, "GET", "/v1/me", staff, nil).json(t, &me)
		return me.Profile.Name
	}
	for _, n := range []string{"王芳", "王芳芳"} {
		if r := in.call(t, "PUT", "/v1/me", staff, map[string]any{"name": n}); r.Status != 200 {
			t.Fatalf("profile: %d %s", r.Status, r.Body)
		}
		if got := name(in); got != n {
			t.Fatalf("name on the replica that saved it: %q, want %q", got, n)
		}
		eventually(t, 2*time.Second, "the new name on the other replica", func() bool { return name(&other) == n })
	}

	if r := in.call(t, "DELETE", "/v1/admin/users/"+id+"/roles/reviewer", admin, nil); r.Status != 200 {
		t.Fatalf("revoke: %d %s", r.Status, r.Body)
	}
	if s := queue(in); s == http.StatusOK {
		t.Fatal("the revoked role still works on the replica that revoked it")
	}
	eventually(t, 2*time.Second, "the revocation on the other replica", func() bool { return queue(&other) != http.StatusOK })
}

// TestPprofOnTheInternalPort: /debug/pprof/ answers on ANJU_WORKER_ADDR
// when ANJU_PPROF is on (the development default) and is absent otherwise.
func TestPprofOnTheInternalPort(t *testing.T) {
	t.Parallel()
	for _, on := range []bool{true, false} {
		in := services(t)
		addr := freeAddr(t)
		in.Env["ANJU_WORKER_ADDR"] = addr
		if !on {
			in.Env["ANJU_PPROF"] = "false"
		}
		in.start(t, "api")
		if on {
			// The internal port opens beside the API's, not before it.
			eventually(t, 10*time.Second, "the internal port", func() bool {
				return strings.Contains(in.Logs.String(), "anju internal port")
			})
		}
		res, err := http.Get("http://" + addr + "/debug/pprof/")
		if !on {
			if err == nil {
				res.Body.Close()
				t.Errorf("pprof off: the internal port answered %d", res.StatusCode)
			}
			continue
		}
		if err != nil {
			t.Fatalf("pprof on: %v", err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !strings.Contains(string(body), "goroutine") {
			t.Errorf("pprof on: %d %.200s", res.StatusCode, body)
		}
	}
}
