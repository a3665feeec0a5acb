package api

import (
	"bytes"
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
)

// A connection that sends no whole request before the read timeout is
// closed with nothing written to it (a client would take an answer there as
// the reply to its next request) and nothing logged; one that does is
// answered.
func TestIdleConnectionClosedWithoutAnAnswer(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	f := fiber.New(fiber.Config{ErrorHandler: errorHandler(slog.New(slog.NewJSONHandler(&logs, nil))),
		ReadTimeout: 200 * time.Millisecond, DisableStartupMessage: true})
	f.Get("/", func(c *fiber.Ctx) error { return c.SendString("ok") })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = f.Listener(ln) }()
	t.Cleanup(func() { _ = f.Shutdown() })

	read := func(send string) string {
		t.Helper()
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if send != "" {
			if _, err := io.WriteString(c, send); err != nil {
				t.Fatal(err)
			}
		}
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		got, err := io.ReadAll(c)
		if err != nil {
			t.Fatalf("reading what the server wrote: %v", err)
		}
		return string(got)
	}
	if got := read(""); got != "" {
		t.Fatalf("a connection with no request was answered: %q", got)
	}
	if logs.Len() != 0 {
		t.Fatalf("an unused connection was logged: %s", logs.String())
	}
	// The request line and a header, then nothing: a request that stalled.
	if got := read("GET / HTTP/1.1\r\nHost: anju\r\n"); got != "" {
		t.Fatalf("a stalled request was answered: %q", got)
	}
	if logs.Len() != 0 {
		t.Fatalf("a stalled request was logged: %s", logs.String())
	}
	if got := read("GET / HTTP/1.1\r\nHost: anju\r\nConnection: close\r\n\r\n"); !strings.HasPrefix(got, "HTTP/1.1 200") || !strings.HasSuffix(got, "ok") {
		t.Fatalf("a whole request got %q", got)
	}
}
