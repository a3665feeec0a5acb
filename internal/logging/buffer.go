package logging

import (
	"bufio"
	"io"
	"sync"
	"time"
)

// Buffered collects log lines in memory and writes them out every
// interval, when 64 KiB are waiting, when a warning or worse is logged (New
// flushes it then) and on Close: one write for many request lines instead
// of one each, which at thousands of requests a second is a visible part
// of a request's cost. At most an interval of info lines is lost if the
// process dies without Close.
type Buffered struct {
	mu   sync.Mutex
	w    *bufio.Writer
	stop chan struct{}
	done chan struct{}
}

// NewBuffered starts the writer; Close stops it.
func NewBuffered(w io.Writer, interval time.Duration) *Buffered {
	b := &Buffered{w: bufio.NewWriterSize(w, 64<<10), stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(b.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				_ = b.Flush()
			case <-b.stop:
				return
			}
		}
	}()
	return b
}

// Write adds one line (slog writes each record in one call).
func (b *Buffered) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.w.Write(p)
}

// Flush writes out what is waiting.
func (b *Buffered) Flush() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.w.Flush()
}

// Close stops the timer and flushes.
func (b *Buffered) Close() error {
	select {
	case <-b.stop:
	default:
		close(b.stop)
		<-b.done
	}
	return b.Flush()
}
