// Package lastseen records when users last made a signed-in request
// without writing on the request path: Seen only notes the time in
// memory, at most once per user per interval, and Run writes what was
// noted in one batch every few seconds.
package lastseen

import (
	"context"
	"log/slog"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
)

// Store writes a batch of last-seen times (user id → time); a time older
// than the stored one is ignored.
type Store interface {
	TouchLastSeen(ctx context.Context, seen map[string]time.Time) error
}

// Defaults.
const (
	DefaultInterval = 5 * time.Minute
	// flushEvery is how often noted times are written.
	flushEvery = 10 * time.Second
	// remembered bounds the users whose last write this process remembers;
	// one pushed out is at worst written again early.
	remembered = 100_000
	// maxPending bounds the batch: past it, new users wait for the next one.
	maxPending = 50_000
)

// Recorder implements account.Presence.
type Recorder struct {
	store    Store
	interval time.Duration
	logger   *slog.Logger

	mu      sync.Mutex
	pending map[string]time.Time
	noted   *lru.Cache[string, time.Time]
}

// New returns a Recorder that writes each user's time at most every
// interval (DefaultInterval when zero).
func New(store Store, interval time.Duration, logger *slog.Logger) *Recorder {
	if interval <= 0 {
		interval = DefaultInterval
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	noted, _ := lru.New[string, time.Time](remembered) // only fails for a size <= 0
	return &Recorder{store: store, interval: interval, logger: logger, pending: map[string]time.Time{}, noted: noted}
}

// Seen notes that userID made a request at at.
func (r *Recorder) Seen(userID string, at time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if last, ok := r.noted.Get(userID); ok && at.Sub(last) < r.interval {
		return
	}
	if len(r.pending) >= maxPending {
		return
	}
	r.noted.Add(userID, at)
	r.pending[userID] = at
}

// Flush writes what was noted. A failed batch is dropped (and logged):
// last-seen times are a convenience, and the users' next requests note
// them again once their interval has passed.
func (r *Recorder) Flush(ctx context.Context) {
	r.mu.Lock()
	batch := r.pending
	r.pending = map[string]time.Time{}
	r.mu.Unlock()
	if len(batch) == 0 {
		return
	}
	if err := r.store.TouchLastSeen(ctx, batch); err != nil {
		r.logger.WarnContext(ctx, "last seen: batch not written", "users", len(batch), "err", err)
	}
}

// Run flushes every few seconds until ctx ends, then once more.
func (r *Recorder) Run(ctx context.Context) error {
	t := time.NewTicker(flushEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			r.Flush(fctx)
			cancel()
			return nil
		case <-t.C:
			r.Flush(ctx)
		}
	}
}
