package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anju-city/anju/internal/firebase"
	"github.com/anju-city/anju/internal/firebase/fcmfake"
	"github.com/anju-city/anju/internal/postgres"
	"github.com/anju-city/anju/internal/testenv"
)

// syncBuffer collects a process's output (its JSON logs) safely.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// instance is one running `anju` (run on :0) with its own database, Redis,
// bucket and fake FCM, driven over HTTP as the app would.
type instance struct {
	URL   string
	Logs  *syncBuffer
	FCM   *fcmfake.Server
	Emu   *firebase.Emulator
	DB    *postgres.DB
	MinIO testenv.MinIO
	Redis *testenv.Redis
	Env   map[string]string
}

type option func(env map[string]string)

func withEnv(k, v string) option { return func(env map[string]string) { env[k] = v } }

// services prepares the real services one instance uses.
func services(t *testing.T) *instance {
	t.Helper()
	in := &instance{
		Redis: testenv.NewRedis(t),
		MinIO: testenv.NewMinIO(t),
		FCM:   fcmfake.New(),
	}
	dbURL := testenv.Database(t)
	host := testenv.AuthEmulatorHost(t)
	in.Emu = &firebase.Emulator{Host: host, ProjectID: testenv.ProjectID}
	t.Cleanup(func() { _ = in.FCM.Close() })
	var err error
	if in.DB, err = postgres.Open(context.Background(), dbURL); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(in.DB.Close)
	in.Env = map[string]string{
		"ANJU_ENV":                    "development",
		"ANJU_HTTP_ADDR":              "127.0.0.1:0",
		"ANJU_WORKER_ADDR":            "127.0.0.1:0",
		"ANJU_DATABASE_URL":           dbURL,
		"ANJU_REDIS_ADDR":             in.Redis.Addr,
		"ANJU_MINIO_ENDPOINT":         in.MinIO.Endpoint,
		"ANJU_MINIO_ACCESS_KEY":       in.MinIO.AccessKey,
		"ANJU_MINIO_SECRET_KEY":       in.MinIO.SecretKey,
		"ANJU_MINIO_BUCKET":           in.MinIO.Bucket,
		"FIREBASE_AUTH_EMULATOR_HOST": host,
		"ANJU_FIREBASE_PROJECT_ID":    testenv.ProjectID,
		"ANJU_FCM_ENDPOINT":           in.FCM.URL,
		"ANJU_TASK_RETRY_BASE":        "100ms",
		"ANJU_SHUTDOWN_TIMEOUT":       "10s",
		"ANJU_LOG_LEVEL":              "debug",
		// Tests poll; TestOperations sets a low limit to see it work.
		"ANJU_RATE_LIMIT_PER_IP":   "100000",
		"ANJU_RATE_LIMIT_PER_USER": "100000",
	}
	return in
}

// start runs `anju mode` until the test ends and waits for it to listen.
func (in *instance) start(t *testing.T, mode string, opts ...option) {
	t.Helper()
	for _, o := range opts {
		o(in.Env)
	}
	env := make(map[string]string, len(in.Env))
	for k, v := range in.Env {
		env[k] = v
	}
	in.Logs = &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	var runErr error
	go func() {
		defer close(done)
		runErr = run(ctx, []string{mode}, func(k string) string { return env[k] }, in.Logs)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
			if runErr != nil && !strings.Contains(runErr.Error(), "context canceled") {
				t.Errorf("anju %s stopped with: %v", mode, runErr)
			}
		case <-time.After(20 * time.Second):
			t.Errorf("anju %s did not stop within 20s of SIGTERM", mode)
		}
	})
	if mode == "worker" {
		return
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		logs := in.Logs.String()
		if _, rest, ok := strings.Cut(logs, "anju api listening on "); ok {
			in.URL, _, _ = strings.Cut(rest, "\n")
			return
		}
		select {
		case <-done:
			t.Fatalf("anju %s exited at start: %v\n%s", mode, runErr, logs)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("anju %s did not start listening:\n%s", mode, logs)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// boot is services + start "all".
func boot(t *testing.T, opts ...option) *instance {
	t.Helper()
	in := services(t)
	in.start(t, "all", opts...)
	return in
}

// randomPhone is a fresh mainland mobile number in E.164.
func randomPhone() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("+86139%08d", binary.BigEndian.Uint32(b[:])%100_000_000)
}

// signUp creates a fresh emulator account, signed in by phone as
// graduates are, and returns its ID token.
func (in *instance) signUp(t *testing.T) string {
	t.Helper()
	_, token, err := in.Emu.SignInWithPhone(context.Background(), randomPhone())
	if err != nil {
		t.Fatalf("emulator sign-up: %v", err)
	}
	return token
}

type response struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r response) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decoding %s: %v", r.Body, err)
	}
}

// get reads path as token and decodes its 200 answer into v; any other
// status fails the test.
func (in *instance) get(t *testing.T, token, path string, v any) {
	t.Helper()
	r := in.call(t, "GET", path, token, nil)
	if r.Status != 200 {
		t.Fatalf("GET %s: %d %s", path, r.Status, r.Body)
	}
	r.json(t, v)
}

// call sends one request. body may be nil, a string (sent raw) or a value
// (sent as JSON). headers are name, value pairs.
func (in *instance) call(t *testing.T, method, path, token string, body any, headers ...string) response {
	t.Helper()
	req := testenv.Request(t, method, in.URL+path, token, body, headers...)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return response{Status: res.StatusCode, Header: res.Header, Body: raw}
}

// eventually polls cond every 50ms until it holds or timeout passes.
func eventually(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// minimalPDF is a real one-page PDF document.
const minimalPDF = "%PDF-1.4\n" +
	"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n" +
	"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
	"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n" +
	"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n" +
	"trailer<</Size 4/Root 1 0 R>>\nstartxref\n165\n%%EOF\n"

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func newKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
