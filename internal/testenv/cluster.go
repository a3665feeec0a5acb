package testenv

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// freePort returns a loopback port nothing listens on now.
func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	_ = ln.Close()
	return port
}

// Postgres is a private PostgreSQL cluster for one test (initdb in a
// temporary directory, its own port), so that a test can stop and restart
// the database without touching the one other tests share.
type Postgres struct {
	// URL is the superuser's URL of the postgres database.
	URL  string
	t    testing.TB
	bin  string
	dir  string
	port int
	// asPostgres runs the server as the postgres user when the test runs
	// as root, which PostgreSQL refuses.
	asPostgres *syscall.Credential
}

// NewPostgres creates and starts a cluster with the newest PostgreSQL
// binaries Debian installs (/usr/lib/postgresql/N/bin, or
// ANJU_TEST_PG_BIN); it is stopped and removed when the test ends.
func NewPostgres(t testing.TB) *Postgres {
	t.Helper()
	bin := os.Getenv("ANJU_TEST_PG_BIN")
	if bin == "" {
		dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
		slices.SortFunc(dirs, func(a, b string) int {
			na, _ := strconv.Atoi(filepath.Base(filepath.Dir(a)))
			nb, _ := strconv.Atoi(filepath.Base(filepath.Dir(b)))
			return na - nb
		})
		if len(dirs) > 0 {
			bin = dirs[len(dirs)-1]
		}
	}
	_, err := os.Stat(filepath.Join(bin, "initdb"))
	Require(t, "PostgreSQL server binaries (initdb)", err)
	dir, err := os.MkdirTemp("", "anju-pg-")
	if err != nil {
		t.Fatal(err)
	}
	p := &Postgres{t: t, bin: bin, dir: dir, port: freePort(t)}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		Require(t, "the postgres user (to run PostgreSQL as root)", err)
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		p.asPostgres = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := p.command("initdb", "-D", p.data(), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale").CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	p.URL = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", p.port)
	p.Start()
	t.Cleanup(func() { p.stop("fast") })
	return p
}

func (p *Postgres) data() string { return filepath.Join(p.dir, "data") }

func (p *Postgres) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(p.bin, name), args...)
	cmd.Dir = p.dir
	if p.asPostgres != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: p.asPostgres}
	}
	return cmd
}

// Start starts the server and waits until it accepts connections.
func (p *Postgres) Start() {
	p.t.Helper()
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", p.port, p.dir)
	if out, err := p.command("pg_ctl", "start", "-D", p.data(), "-w", "-t", "60", "-l", filepath.Join(p.dir, "server.log"), "-o", opts).CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(p.dir, "server.log"))
		p.t.Fatalf("pg_ctl start: %v\n%s\n%s", err, out, log)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		conn, err := pgx.Connect(ctx, p.URL)
		cancel()
		if err == nil {
			_ = conn.Close(context.Background())
			return
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("PostgreSQL on port %d did not accept connections: %v", p.port, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Crash stops the server at once, as a crash or a failover would: every
// connection is cut and nothing is shut down cleanly.
func (p *Postgres) Crash() { p.stop("immediate") }

func (p *Postgres) stop(mode string) {
	_ = p.command("pg_ctl", "stop", "-D", p.data(), "-m", mode, "-w").Run()
}

// Database creates an empty database and returns its URL.
func (p *Postgres) Database(name string) string {
	p.t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, p.URL)
	if err != nil {
		p.t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		p.t.Fatal(err)
	}
	return withDatabase(p.URL, name)
}

// MinIOServer is a private MinIO server for one test (the minio binary,
// ANJU_TEST_MINIO_SERVER, default minio on PATH), on its own port and
// directory, so that a test can kill it and start it again.
type MinIOServer struct {
	MinIO
	t    testing.TB
	bin  string
	dir  string
	port int
	cmd  *exec.Cmd
}

// NewMinIOServer starts the server; it is killed when the test ends. The
// bucket is named, not created (Anju creates it). Without
// ANJU_TEST_MINIO_SERVER it uses minio on PATH, or the one `make services`
// builds in the module's .tools/bin.
func NewMinIOServer(t testing.TB) *MinIOServer {
	t.Helper()
	bin := Getenv("ANJU_TEST_MINIO_SERVER", "minio")
	if _, err := exec.LookPath(bin); err != nil && bin == "minio" {
		for dir, _ := os.Getwd(); dir != filepath.Dir(dir); dir = filepath.Dir(dir) {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				bin = filepath.Join(dir, ".tools", "bin", "minio")
				break
			}
		}
	}
	_, err := exec.LookPath(bin)
	Require(t, "the minio server binary", err)
	m := &MinIOServer{t: t, bin: bin, dir: t.TempDir(), port: freePort(t)}
	m.Endpoint = "127.0.0.1:" + strconv.Itoa(m.port)
	m.AccessKey, m.SecretKey, m.Bucket = "anju-fault", "anju-fault-secret", "anju-fault"
	m.Start()
	t.Cleanup(m.Stop)
	return m
}

// Start (re)starts the server on the same port and data.
func (m *MinIOServer) Start() {
	m.t.Helper()
	m.cmd = exec.Command(m.bin, "server", m.dir, "--address", m.Endpoint, "--console-address", "127.0.0.1:"+strconv.Itoa(freePort(m.t)), "--quiet")
	m.cmd.Env = append(os.Environ(), "MINIO_ROOT_USER="+m.AccessKey, "MINIO_ROOT_PASSWORD="+m.SecretKey, "MINIO_BROWSER=off")
	if err := m.cmd.Start(); err != nil {
		m.t.Fatalf("starting minio: %v", err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := http.Get("http://" + m.Endpoint + "/minio/health/ready")
		if err == nil {
			_ = res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			m.t.Fatalf("minio on %s did not become ready: %v", m.Endpoint, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Stop kills the server, as an outage would.
func (m *MinIOServer) Stop() {
	if m.cmd == nil || m.cmd.Process == nil {
		return
	}
	_ = m.cmd.Process.Kill()
	_ = m.cmd.Wait()
	m.cmd = nil
}
