package lastseen_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/anju-city/anju/internal/lastseen"
	"github.com/anju-city/anju/internal/postgres"
	"github.com/anju-city/anju/internal/testenv"
)

// counted is the real users adapter with a count of the batches written.
type counted struct {
	postgres.Users
	mu      sync.Mutex
	batches []map[string]time.Time
}

func (c *counted) TouchLastSeen(ctx context.Context, seen map[string]time.Time) error {
	c.mu.Lock()
	c.batches = append(c.batches, seen)
	c.mu.Unlock()
	return c.Users.TouchLastSeen(ctx, seen)
}

func TestAtMostOneWritePerUserPerInterval(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := postgres.Open(ctx, testenv.Database(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	a, err := db.Users().SignIn(ctx, "uid-a", false)
	if err != nil {
		t.Fatal(err)
	}
	b, err := db.Users().SignIn(ctx, "uid-b", false)
	if err != nil {
		t.Fatal(err)
	}
	store := &counted{Users: db.Users()}
	r := lastseen.New(store, 5*time.Minute, nil)
	t0 := time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)

	// A burst of requests: one entry per user in one batch.
	for i := range 100 {
		r.Seen(a.ID, t0.Add(time.Duration(i)*time.Second))
		r.Seen(b.ID, t0)
	}
	r.Flush(ctx)
	if len(store.batches) != 1 || len(store.batches[0]) != 2 || !store.batches[0][a.ID].Equal(t0) {
		t.Fatalf("batches %v, want one with both users at %v", store.batches, t0)
	}
	// Within the interval nothing more is written, not even an empty batch.
	r.Seen(a.ID, t0.Add(4*time.Minute))
	r.Flush(ctx)
	if len(store.batches) != 1 {
		t.Fatalf("batches %v: a user seen again within the interval was written", store.batches)
	}
	// Past it, the user is written again.
	t1 := t0.Add(6 * time.Minute)
	r.Seen(a.ID, t1)
	r.Flush(ctx)
	if len(store.batches) != 2 || !store.batches[1][a.ID].Equal(t1) {
		t.Fatalf("batches %v, want a second with %v", store.batches, t1)
	}
}

func TestRunFlushesOnStop(t *testing.T) {
	t.Parallel()
	store := &memory{}
	r := lastseen.New(store, time.Minute, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- r.Run(ctx) }()
	r.Seen("user-1", time.Now())
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if store.n != 1 {
		t.Errorf("batches written at stop = %d, want 1", store.n)
	}
}

type memory struct{ n int }

func (m *memory) TouchLastSeen(context.Context, map[string]time.Time) error { m.n++; return nil }
