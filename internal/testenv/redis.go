package testenv

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis is a private redis-server process for one test, so tests can run in
// parallel without sharing queues, and a test can stop and restart it.
type Redis struct {
	Addr string
	t    testing.TB
	dir  string
	port int
	cmd  *exec.Cmd
}

// NewRedis starts a redis-server (ANJU_TEST_REDIS_SERVER, default
// "redis-server" on PATH) on a free loopback port; it is stopped when the
// test ends.
func NewRedis(t testing.TB) *Redis {
	t.Helper()
	bin := Getenv("ANJU_TEST_REDIS_SERVER", "redis-server")
	_, err := exec.LookPath(bin)
	Require(t, "redis-server", err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	_ = ln.Close()
	r := &Redis{t: t, dir: t.TempDir(), port: port, Addr: "127.0.0.1:" + strconv.Itoa(port)}
	r.Start()
	t.Cleanup(r.Stop)
	return r
}

// Start (re)starts the server on the same port.
func (r *Redis) Start() {
	r.t.Helper()
	bin := Getenv("ANJU_TEST_REDIS_SERVER", "redis-server")
	r.cmd = exec.Command(bin, "--bind", "127.0.0.1", "--port", strconv.Itoa(r.port), "--save", "", "--appendonly", "no",
		"--dir", r.dir, "--logfile", filepath.Join(r.dir, "redis.log"))
	r.cmd.Stdout, r.cmd.Stderr = os.Stderr, os.Stderr
	if err := r.cmd.Start(); err != nil {
		r.t.Fatalf("starting redis-server: %v", err)
	}
	client := redis.NewClient(&redis.Options{Addr: r.Addr})
	defer client.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := client.Ping(ctx).Err()
		cancel()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("redis-server on %s did not answer: %v", r.Addr, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Stop kills the server, as an outage would.
func (r *Redis) Stop() {
	if r.cmd == nil || r.cmd.Process == nil {
		return
	}
	_ = r.cmd.Process.Kill()
	_ = r.cmd.Wait()
	r.cmd = nil
}

// Client returns a client for the server, closed when the test ends.
func (r *Redis) Client() *redis.Client {
	c := redis.NewClient(&redis.Options{Addr: r.Addr})
	r.t.Cleanup(func() { _ = c.Close() })
	return c
}

// String names the server in failure messages.
func (r *Redis) String() string { return fmt.Sprintf("redis %s", r.Addr) }
