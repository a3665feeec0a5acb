package main

import (
	"context"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// TestRedisOutageLosesNothing: with Redis down, completing a document still
// succeeds (the follow-up waits in the outbox) and the document is inspected
// once Redis is back.
func TestRedisOutageLosesNothing(t *testing.T) {
	t.Parallel()
	in := boot(t)
	token := in.signUp(t)
	pdf := []byte(minimalPDF)
	up := in.createDocument(t, token, "diploma", "application/pdf", pdf)
	if code := upload(t, up, "application/pdf", pdf); code != http.StatusNoContent {
		t.Fatalf("upload: %d", code)
	}

	in.Redis.Stop()
	if r := in.call(t, "POST", "/v1/documents/"+up.Document.ID+"/complete", token, nil); r.Status != http.StatusAccepted {
		t.Fatalf("complete with Redis down: %d %s", r.Status, r.Body)
	}
	ctx := context.Background()
	eventually(t, 10*time.Second, "the relay to try and fail", func() bool {
		var attempts int
		err := in.DB.Pool().QueryRow(ctx, `SELECT attempts FROM outbox WHERE published_at IS NULL AND payload->>'documentId' = $1`, up.Document.ID).Scan(&attempts)
		return err == nil && attempts > 0
	})
	if d := in.waitDocument(t, token, up.Document.ID, "inspecting"); d.Status != "inspecting" {
		t.Fatal(d)
	}

	in.Redis.Start()
	d := in.waitDocument(t, token, up.Document.ID, "accepted", "rejected")
	if d.Status != "accepted" {
		t.Fatalf("after Redis returned: %+v", d)
	}
	var published int
	_ = in.DB.Pool().QueryRow(ctx, `SELECT count(*) FROM outbox WHERE published_at IS NOT NULL AND payload->>'documentId' = $1`, up.Document.ID).Scan(&published)
	if published != 1 {
		t.Fatalf("inspect task published %d times", published)
	}
}

// TestHelperProcess is not a test: TestWorkerKilledMidTask runs the test
// binary again with ANJU_HELPER_PROCESS set, to have a worker process it
// can kill with SIGKILL.
func TestHelperProcess(t *testing.T) {
	if os.Getenv("ANJU_HELPER_PROCESS") != "worker" {
		return
	}
	err := run(context.Background(), []string{"worker"}, os.Getenv, os.Stdout)
	if err != nil {
		os.Exit(1)
	}
	os.Exit(0)
}

// TestWorkerKilledMidTask: a worker process killed while inspecting a
// document loses nothing: after its lease expires the task runs again on
// another worker, and its effect (decision, inbox entry, push) happens once.
func TestWorkerKilledMidTask(t *testing.T) {
	t.Parallel()
	in := services(t)
	in.start(t, "api")
	token := in.signUp(t)
	device := "fcm-device-token-" + newKey()
	in.call(t, "PUT", "/v1/me/devices/"+device, token, map[string]any{"platform": "ios"})
	pdf := []byte(minimalPDF)
	up := in.createDocument(t, token, "diploma", "application/pdf", pdf)
	if code := upload(t, up, "application/pdf", pdf); code != http.StatusNoContent {
		t.Fatalf("upload: %d", code)
	}
	// The doomed worker reaches MinIO through a proxy that never answers a
	// request naming this document: its inspection's first request (the
	// copy to inspected/<id>) hangs, before anything is decided, and the
	// worker is stuck mid-task.
	docID := up.Document.ID
	target, _ := url.Parse("http://" + in.MinIO.Endpoint)
	proxy := httputil.NewSingleHostReverseProxy(target)
	var stuck atomic.Bool
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, docID) {
			stuck.Store(true)
			select {
			case <-release:
			case <-r.Context().Done():
			}
			return
		}
		proxy.ServeHTTP(w, r)
	}), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })

	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), "ANJU_HELPER_PROCESS=worker")
	for k, v := range in.Env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Env = append(cmd.Env, "ANJU_MINIO_ENDPOINT="+ln.Addr().String())
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })

	if r := in.call(t, "POST", "/v1/documents/"+up.Document.ID+"/complete", token, nil); r.Status != http.StatusAccepted {
		t.Fatalf("complete: %d %s", r.Status, r.Body)
	}
	eventually(t, 30*time.Second, "the worker to be mid-task", stuck.Load)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()

	// A healthy worker takes over once the dead one's lease has expired
	// (asynq's recoverer: about a minute).
	in.start(t, "worker")
	var d document
	eventually(t, 3*time.Minute, "the task to run again", func() bool {
		d = document{}
		in.call(t, "GET", "/v1/documents/"+up.Document.ID, token, nil).json(t, &d)
		return d.Status == "accepted"
	})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := in.FCM.WaitFor(ctx, 1); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Second) // room for a duplicate to show up
	var notes int
	_ = in.DB.Pool().QueryRow(ctx, `SELECT count(*) FROM notifications`).Scan(&notes)
	if notes != 1 || len(in.FCM.Messages()) != 1 {
		t.Fatalf("effect not once: %d inbox entries, %d pushes", notes, len(in.FCM.Messages()))
	}
}
