// Command bench is Anju's load harness (make bench). It runs the real anju
// binary (an API and a worker process) against the real services on this
// machine, signs in well over a thousand Auth emulator accounts, and
// measures, in one run:
//
//   - the ceilings: a bare Fiber handler of the same Fiber version, and
//     pgbench's single-row INSERT on the same PostgreSQL;
//   - signed-in GET /v1/me and POST /v1/documents at their maximum rate,
//     printed as ratios of the ceilings, and GET /v1/me at 70% of its
//     maximum;
//   - the mixed scenario: 70% reads (GET /v1/me, GET /v1/claims/{id},
//     GET /v1/me/notifications), 20% writes (POST /v1/documents, PUT
//     /v1/me), 10% staff queue reads;
//   - the round-opening surge: 10,000 applications to one round in 60 s;
//   - the document surge: 1,000 uploads completed at once, each timed
//     from its complete call to the worker's acceptance;
//   - the API's and the worker's RSS during the surges;
//   - how the review queue and claim lists grow from 10,000 to 1,000,000
//     claims in the database.
//
// Results go to bench/out/results.json and a short text table on stdout.
// Every address is on 127.0.0.1. Figures are for comparing runs on one
// machine; the ratios are what carries over.
//
// -smoke runs every step at a tiny size, so that make test keeps the
// harness working without timing anything.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"
	"time"
)

// config is the harness's flags and the services it uses.
type config struct {
	root           string // the repository, where go build runs
	out            string
	smoke          bool
	keep           bool
	profile        bool
	poolConns      int
	steps          string
	workerConc     int
	accounts       int
	applicants     int
	documents      int
	phase          time.Duration // length of each measured phase
	surgeWindow    time.Duration
	growth         []int
	databaseURL    string // maintenance database of the shared server
	redisServer    string
	minioEndpoint  string
	minioAccessKey string
	minioSecretKey string
	emulatorHost   string
	projectID      string
	pgbench        string
}

// httpClient is for set-up calls; the measured load goes through vegeta.
var httpClient = &http.Client{Timeout: 30 * time.Second}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if addr := os.Getenv("ANJU_BENCH_BARE"); addr != "" {
		// The ceiling's server, in a process of its own like the API.
		if err := serveBare(ctx, addr, os.Getenv("ANJU_BENCH_BARE_DB")); err != nil {
			fmt.Fprintln(os.Stderr, "bench bare:", err)
			os.Exit(1)
		}
		return
	}
	// The load generator shares the machine with what it measures: it
	// collects its garbage four times less often than by default, so that
	// its pauses weigh less on the latencies it records.
	debug.SetGCPercent(400)
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func getenvOr(getenv func(string) string, k, def string) string {
	if v := getenv(k); v != "" {
		return v
	}
	return def
}

// run parses flags, brings the stack up, runs every scenario and writes
// the report.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	var c config
	fs.StringVar(&c.root, "root", ".", "the repository root")
	fs.StringVar(&c.out, "out", "bench/out", "where results.json and results.txt go")
	fs.BoolVar(&c.smoke, "smoke", false, "every step at a tiny size, timing nothing (make test)")
	fs.BoolVar(&c.keep, "keep", false, "keep the database and logs afterwards")
	fs.BoolVar(&c.profile, "profile", false, "save CPU profiles of the API during the maximum-rate phases (out/*.cpu.pprof)")
	fs.StringVar(&c.steps, "steps", "", "comma-separated steps to run after accounts and ceilings (me, documents, mixed, round, upload, growth); empty runs all")
	fs.IntVar(&c.workerConc, "worker-concurrency", 0, "ANJU_WORKER_CONCURRENCY of the worker process (0: Anju's default)")
	fs.IntVar(&c.poolConns, "pool", 10, "the API's and worker's PostgreSQL connections (pool_max_conns)")
	fs.IntVar(&c.accounts, "accounts", 1200, "Auth emulator accounts in the mixed scenario")
	fs.IntVar(&c.applicants, "applicants", 10000, "applications in the round-opening surge")
	fs.IntVar(&c.documents, "documents", 1000, "uploads completed at once in the document surge")
	fs.DurationVar(&c.phase, "phase", 15*time.Second, "length of each measured phase")
	fs.DurationVar(&c.surgeWindow, "surge-window", 60*time.Second, "the window the surge's applications arrive in")
	if err := fs.Parse(args); err != nil {
		return err
	}
	c.growth = []int{10_000, 100_000, 1_000_000}
	if c.smoke {
		c.accounts, c.applicants, c.documents = 12, 30, 8
		c.phase, c.surgeWindow = 500*time.Millisecond, 2*time.Second
		c.growth = []int{1_000, 2_000}
	}
	c.databaseURL = getenvOr(getenv, "ANJU_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:55432/postgres?sslmode=disable")
	c.redisServer = getenvOr(getenv, "ANJU_TEST_REDIS_SERVER", "redis-server")
	c.minioEndpoint = getenvOr(getenv, "ANJU_TEST_MINIO_ENDPOINT", "127.0.0.1:59000")
	c.minioAccessKey = getenvOr(getenv, "ANJU_TEST_MINIO_ACCESS_KEY", "anju-dev")
	c.minioSecretKey = getenvOr(getenv, "ANJU_TEST_MINIO_SECRET_KEY", "anju-dev-secret")
	c.emulatorHost = getenvOr(getenv, "FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:59099")
	c.projectID = "demo-anju"
	c.pgbench = getenvOr(getenv, "ANJU_BENCH_PGBENCH", "pgbench")

	s := &stack{cfg: c}
	defer s.down()
	started := time.Now()
	fmt.Fprintf(stdout, "bench: building anju and starting it on 127.0.0.1 (smoke=%v)\n", c.smoke)
	if err := s.up(ctx); err != nil {
		return err
	}
	r := &report{Started: started.UTC(), Smoke: c.smoke, Machine: machine()}
	b := &bench{s: s, cfg: c, r: r, log: stdout}
	for _, step := range []struct {
		id, name string
		fn       func(context.Context) error
	}{
		{"", "accounts", b.accounts},
		{"", "ceilings", b.ceilings},
		{"me", "signed-in GET /v1/me", b.me},
		{"documents", "POST /v1/documents", b.createDocuments},
		{"mixed", "mixed scenario", b.mixed},
		{"round", "round-opening surge", b.roundSurge},
		{"upload", "document surge", b.documentSurge},
		{"growth", "growth with the claims table", b.growth},
	} {
		if step.id != "" && c.steps != "" && !slices.Contains(strings.Split(c.steps, ","), step.id) {
			continue
		}
		fmt.Fprintf(stdout, "bench: %s\n", step.name)
		if err := step.fn(ctx); err != nil {
			return fmt.Errorf("%s: %w", step.name, err)
		}
	}
	r.Seconds = time.Since(started).Seconds()
	if err := os.MkdirAll(c.out, 0o755); err != nil {
		return err
	}
	if err := r.write(filepath.Join(c.out, "results.json"), filepath.Join(c.out, "results.txt"), stdout); err != nil {
		return err
	}
	return nil
}
