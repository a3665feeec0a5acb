// Package aftercommit defers work that must not happen before a request's
// transaction commits (telling other replicas that a user changed) and
// must not happen at all when it rolls back. The transaction's owner puts
// Hooks in the context and runs them after its commit; outside such a
// transaction the work runs at once, when the adapter has already
// committed.
package aftercommit

import (
	"context"
	"sync"
)

// Hooks collect the work of one transaction.
type Hooks struct {
	mu  sync.Mutex
	fns []func()
}

type key struct{}

// With returns ctx carrying h.
func With(ctx context.Context, h *Hooks) context.Context { return context.WithValue(ctx, key{}, h) }

// Do runs fn after the commit of the transaction ctx belongs to, or now
// when ctx belongs to none.
func Do(ctx context.Context, fn func()) {
	h, _ := ctx.Value(key{}).(*Hooks)
	if h == nil {
		fn()
		return
	}
	h.mu.Lock()
	h.fns = append(h.fns, fn)
	h.mu.Unlock()
}

// Pending reports whether ctx belongs to a transaction not yet committed:
// what is read in it must not be cached for others.
func Pending(ctx context.Context) bool {
	_, ok := ctx.Value(key{}).(*Hooks)
	return ok
}

// Run runs the collected work in order; the owner calls it once, after
// its commit, and never after a rollback.
func (h *Hooks) Run() {
	h.mu.Lock()
	fns := h.fns
	h.fns = nil
	h.mu.Unlock()
	for _, fn := range fns {
		fn()
	}
}
