package logging

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestBuffered: info lines wait for the interval, a warning goes out at
// once with what came before it, and Close writes the rest.
func TestBuffered(t *testing.T) {
	var out lockedBuffer
	b := NewBuffered(&out, time.Hour)
	log := New(b, slog.LevelInfo)
	ctx := WithRequestID(context.Background(), "r1")
	log.InfoContext(ctx, "first")
	if out.String() != "" {
		t.Fatalf("an info line was written at once: %s", out.String())
	}
	log.WarnContext(ctx, "second")
	if s := out.String(); !strings.Contains(s, `"msg":"first"`) || !strings.Contains(s, `"msg":"second"`) || !strings.Contains(s, `"request_id":"r1"`) {
		t.Fatalf("after a warning: %s", s)
	}
	log.With("k", "v").InfoContext(ctx, "third")
	if strings.Contains(out.String(), "third") {
		t.Fatal("an info line was written at once")
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"msg":"third"`) {
		t.Fatalf("Close lost a line: %s", out.String())
	}

	// The interval writes on its own.
	var out2 lockedBuffer
	b2 := NewBuffered(&out2, 20*time.Millisecond)
	defer b2.Close()
	New(b2, slog.LevelInfo).Info("tick")
	deadline := time.Now().Add(2 * time.Second)
	for !strings.Contains(out2.String(), "tick") {
		if time.Now().After(deadline) {
			t.Fatal("the line was never written")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
