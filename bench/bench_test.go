package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/anju-city/anju/internal/testenv"
)

// TestMain lets the test binary be the bare Fiber ceiling's process too,
// as the harness's own binary is under make bench.
func TestMain(m *testing.M) {
	if addr := os.Getenv("ANJU_BENCH_BARE"); addr != "" {
		if err := serveBare(context.Background(), addr, os.Getenv("ANJU_BENCH_BARE_DB")); err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestSmoke runs every step of the harness at a tiny size against the real
// binary and services, so that it keeps working. It asserts what must hold
// at any speed (everything answered as expected, every document accepted,
// every application stored) and no timing at all.
func TestSmoke(t *testing.T) {
	_ = testenv.AuthEmulatorHost(t)
	for _, bin := range []string{"pgbench", testenv.Getenv("ANJU_TEST_REDIS_SERVER", "redis-server")} {
		_, err := exec.LookPath(bin)
		testenv.Require(t, bin, err)
	}
	out := t.TempDir()
	var log bytes.Buffer
	if err := run(context.Background(), []string{"-smoke", "-root", "..", "-out", out}, os.Getenv, &log); err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	raw, err := os.ReadFile(filepath.Join(out, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r report
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	phases := []Phase{r.Ceilings.Bare, r.Ceilings.BareInsert, r.Me.Max, r.Me.At70, r.Documents.Max, r.Mixed.Max, r.Mixed.Total, r.RoundSurge.Applications}
	for _, g := range r.Growth {
		phases = append(phases, g.ReviewQueue, g.ClaimList)
	}
	for _, p := range phases {
		if p.Requests == 0 || p.Errors != 0 {
			t.Errorf("%s: %d requests, %d errors (%s)", p.Name, p.Requests, p.Errors, p.FirstError)
		}
	}
	if len(r.Mixed.Operations) != 6 {
		t.Errorf("mixed operations %d, want the 6 kinds", len(r.Mixed.Operations))
	}
	if r.Ceilings.PgbenchInsertTPS <= 0 {
		t.Error("no pgbench figure")
	}
	if r.RoundSurge.Stored != r.RoundSurge.Applications.Requests {
		t.Errorf("surge: %d sent, %d stored", r.RoundSurge.Applications.Requests, r.RoundSurge.Stored)
	}
	if d := r.DocumentSurge; d.Accepted != d.Documents || d.CompleteErrors != 0 {
		t.Errorf("document surge: %+v", d)
	}
	if r.RoundSurge.APIRSSMiB <= 0 || r.DocumentSurge.WorkerRSSMiB <= 0 {
		t.Errorf("no RSS figures: %+v %+v", r.RoundSurge, r.DocumentSurge)
	}
	if len(r.Growth) != 2 || r.Growth[1].Claims <= r.Growth[0].Claims {
		t.Errorf("growth %+v", r.Growth)
	}
}
