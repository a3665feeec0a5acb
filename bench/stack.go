package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// stack is what one harness run drives: the real anju binary (an API and a
// worker process) on its own database, its own redis-server and its own
// bucket, with the shared PostgreSQL, MinIO and Auth emulator. Everything
// listens on 127.0.0.1.
type stack struct {
	cfg     config
	dir     string // scratch: binaries, logs
	dbURL   string
	adminDB string // the maintenance database, to create and drop ours
	dbName  string
	pool    *pgxpool.Pool
	redis   *exec.Cmd
	env     map[string]string
	api     *proc
	worker  *proc
	apiURL  string
	// apiDebug and workerDebug are the internal ports, where pprof answers.
	apiDebug, workerDebug string
}

// proc is a child process the harness started and stops.
type proc struct {
	name string
	cmd  *exec.Cmd
	log  *os.File
}

func (p *proc) stop() {
	if p == nil || p.cmd.Process == nil {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		_ = p.cmd.Process.Kill()
		<-done
	}
	_ = p.log.Close()
}

// rss is the process's resident set size in bytes (0 if it is gone).
func (p *proc) rss() int64 {
	if p == nil || p.cmd.Process == nil {
		return 0
	}
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer func() { _ = ln.Close() }()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// up builds anju, creates the database and starts redis-server, the API
// and the worker.
func (s *stack) up(ctx context.Context) error {
	var err error
	if s.dir, err = os.MkdirTemp("", "anju-bench-"); err != nil {
		return err
	}
	bin := filepath.Join(s.dir, "anju")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/anju")
	build.Dir = s.cfg.root
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("go build ./cmd/anju: %v\n%s", err, out)
	}

	s.dbName = fmt.Sprintf("anju_bench_%d", os.Getpid())
	s.adminDB = s.cfg.databaseURL
	u, err := url.Parse(s.adminDB)
	if err != nil {
		return err
	}
	u.Path = "/" + s.dbName
	s.dbURL = u.String()
	if err := s.admin(ctx, "CREATE DATABASE "+pgx.Identifier{s.dbName}.Sanitize()); err != nil {
		return err
	}

	port, err := freePort()
	if err != nil {
		return err
	}
	s.redis = exec.Command(s.cfg.redisServer, "--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", s.dir)
	s.redis.Stdout, s.redis.Stderr = io.Discard, io.Discard
	if err := s.redis.Start(); err != nil {
		return fmt.Errorf("redis-server: %w", err)
	}
	if err := waitTCP(ctx, fmt.Sprintf("127.0.0.1:%d", port)); err != nil {
		return fmt.Errorf("redis-server: %w", err)
	}

	apiPort, err := freePort()
	if err != nil {
		return err
	}
	apiInternal, err := freePort()
	if err != nil {
		return err
	}
	workerPort, err := freePort()
	if err != nil {
		return err
	}
	// The pool as the chart's production guidance sets it (pgx's own
	// default is four connections on a 2-core machine).
	q := u.Query()
	q.Set("pool_max_conns", strconv.Itoa(s.cfg.poolConns))
	u.RawQuery = q.Encode()
	s.env = map[string]string{
		"ANJU_ENV":                    "development",
		"ANJU_DATABASE_URL":           u.String(),
		"ANJU_REDIS_ADDR":             fmt.Sprintf("127.0.0.1:%d", port),
		"ANJU_MINIO_ENDPOINT":         s.cfg.minioEndpoint,
		"ANJU_MINIO_ACCESS_KEY":       s.cfg.minioAccessKey,
		"ANJU_MINIO_SECRET_KEY":       s.cfg.minioSecretKey,
		"ANJU_MINIO_BUCKET":           "anju-bench",
		"FIREBASE_AUTH_EMULATOR_HOST": s.cfg.emulatorHost,
		"ANJU_FIREBASE_PROJECT_ID":    s.cfg.projectID,
		// The figures are with rate limits off: the harness is one
		// address and measures the server, not the limiter.
		"ANJU_RATE_LIMIT_PER_IP":   "0",
		"ANJU_RATE_LIMIT_PER_USER": "0",
		"ANJU_LOG_LEVEL":           "info",
		"PATH":                     os.Getenv("PATH"),
		"HOME":                     os.Getenv("HOME"),
	}
	// The Go runtime's settings, when the harness is given them, reach
	// the processes it measures (to compare garbage-collector targets).
	for _, k := range []string{"GOGC", "GOMEMLIMIT", "GOMAXPROCS"} {
		if v := os.Getenv(k); v != "" {
			s.env[k] = v
		}
	}
	if s.cfg.workerConc > 0 {
		s.env["ANJU_WORKER_CONCURRENCY"] = strconv.Itoa(s.cfg.workerConc)
	}
	migrate := exec.CommandContext(ctx, bin, "migrate", "up")
	migrate.Env = environ(s.env)
	if out, err := migrate.CombinedOutput(); err != nil {
		return fmt.Errorf("anju migrate up: %v\n%s", err, out)
	}
	s.env["ANJU_MIGRATE_ON_START"] = "false"

	if s.pool, err = pgxpool.New(ctx, s.dbURL); err != nil {
		return err
	}
	apiEnv := with(s.env, "ANJU_HTTP_ADDR", fmt.Sprintf("127.0.0.1:%d", apiPort), "ANJU_WORKER_ADDR", fmt.Sprintf("127.0.0.1:%d", apiInternal))
	if s.api, err = s.start(bin, "api", apiEnv); err != nil {
		return err
	}
	s.apiURL = fmt.Sprintf("http://127.0.0.1:%d", apiPort)
	s.apiDebug = fmt.Sprintf("http://127.0.0.1:%d", apiInternal)
	if err := waitHTTP(ctx, s.apiURL+"/readyz"); err != nil {
		return fmt.Errorf("anju api: %w (log in %s)", err, s.api.log.Name())
	}
	workerEnv := with(s.env, "ANJU_WORKER_ADDR", fmt.Sprintf("127.0.0.1:%d", workerPort))
	s.workerDebug = fmt.Sprintf("http://127.0.0.1:%d", workerPort)
	if s.worker, err = s.start(bin, "worker", workerEnv); err != nil {
		return err
	}
	if err := waitHTTP(ctx, fmt.Sprintf("http://127.0.0.1:%d/healthz", workerPort)); err != nil {
		return fmt.Errorf("anju worker: %w (log in %s)", err, s.worker.log.Name())
	}
	return nil
}

func (s *stack) start(bin, mode string, env map[string]string) (*proc, error) {
	log, err := os.Create(filepath.Join(s.dir, mode+".log"))
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, mode)
	cmd.Env = environ(env)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("anju %s: %w", mode, err)
	}
	return &proc{name: mode, cmd: cmd, log: log}, nil
}

// down stops what up started and drops the database.
func (s *stack) down() {
	s.api.stop()
	s.worker.stop()
	if s.redis != nil && s.redis.Process != nil {
		_ = s.redis.Process.Kill()
		_ = s.redis.Wait()
	}
	if s.pool != nil {
		s.pool.Close()
	}
	if s.dbName != "" && !s.cfg.keep {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = s.admin(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{s.dbName}.Sanitize()+" WITH (FORCE)")
	}
	if s.dir != "" && !s.cfg.keep {
		_ = os.RemoveAll(s.dir)
	}
}

func (s *stack) admin(ctx context.Context, sql string) error {
	conn, err := pgx.Connect(ctx, s.adminDB)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

func environ(env map[string]string) []string {
	out := make([]string, 0, len(env))
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	return out
}

func with(env map[string]string, kv ...string) map[string]string {
	out := make(map[string]string, len(env)+len(kv)/2)
	for k, v := range env {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

func waitTCP(ctx context.Context, addr string) error {
	deadline := time.Now().Add(15 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			return c.Close()
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func waitHTTP(ctx context.Context, u string) error {
	deadline := time.Now().Add(60 * time.Second)
	var last error
	for time.Now().Before(deadline) && ctx.Err() == nil {
		res, err := httpClient.Get(u)
		if err == nil {
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode == 200 {
				return nil
			}
			err = fmt.Errorf("%s: %d", u, res.StatusCode)
		}
		last = err
		time.Sleep(100 * time.Millisecond)
	}
	return errors.Join(errors.New("not ready within 60s"), last)
}

// sampler records the largest RSS of the API and the worker while a
// scenario runs.
type sampler struct {
	mu          sync.Mutex
	api, worker int64
	stop        chan struct{}
	done        chan struct{}
}

func (s *stack) sample() *sampler {
	m := &sampler{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(m.done)
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			a, w := s.api.rss(), s.worker.rss()
			m.mu.Lock()
			m.api, m.worker = max(m.api, a), max(m.worker, w)
			m.mu.Unlock()
			select {
			case <-m.stop:
				return
			case <-t.C:
			}
		}
	}()
	return m
}

// end stops sampling and returns the peaks in MiB.
func (m *sampler) end() (api, worker float64) {
	close(m.stop)
	<-m.done
	m.mu.Lock()
	defer m.mu.Unlock()
	return float64(m.api) / (1 << 20), float64(m.worker) / (1 << 20)
}

// profile saves a CPU profile of a process (its internal port's URL) taken
// while fn runs (pprof is on in development).
func (s *stack) profile(ctx context.Context, debugURL, path string, d time.Duration, fn func()) error {
	errc := make(chan error, 1)
	go func() {
		req, err := http.NewRequestWithContext(ctx, "GET", fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", debugURL, max(int(d.Seconds()), 1)), nil)
		if err != nil {
			errc <- err
			return
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			errc <- err
			return
		}
		defer res.Body.Close()
		f, err := os.Create(path)
		if err != nil {
			errc <- err
			return
		}
		_, err = io.Copy(f, res.Body)
		errc <- errors.Join(err, f.Close())
	}()
	fn()
	return <-errc
}
