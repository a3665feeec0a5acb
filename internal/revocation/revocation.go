// Package revocation answers "was this user's sign-in revoked?" without
// asking Firebase on every request. Firebase keeps, per user, a
// tokens-valid-after time (moved forward when the user's sessions are
// revoked), a disabled flag and whether the user exists at all. Cache keeps
// that answer for at most MaxAge in the process and in Redis, so that one
// lookup serves every API replica, refreshes it in the background while
// users are active, and keeps serving an older answer for up to Grace when
// Firebase cannot be reached. MaxAge is therefore the revocation delay: a
// session revoked in Firebase stops working within MaxAge.
package revocation

import (
	"context"
	"log/slog"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/anju-city/anju/internal/talent"
)

// State is what Firebase said about one user at Checked.
type State struct {
	// ValidAfter is the user's tokens-valid-after time: a token issued
	// before it is revoked. Firebase keeps it in whole seconds.
	ValidAfter time.Time
	Disabled   bool
	// Missing means the user does not exist (deleted, or never did).
	Missing bool
	// Checked is when Firebase gave this answer.
	Checked time.Time
}

// Check returns nil when a token issued at issuedAt still signs the user
// in, and the KindUnauthenticated error that says why not otherwise. A
// token issued in the same second as the revocation survives it, as in the
// Admin SDK (both sides are whole seconds).
func (s State) Check(issuedAt time.Time) error {
	unauth := func(code talent.Code, msg string) error {
		return talent.Errorf(talent.KindUnauthenticated, code, "%s", msg)
	}
	switch {
	case s.Missing:
		return unauth(talent.CodeUserNotFound, "the token's user does not exist")
	case s.Disabled:
		return unauth(talent.CodeUserDisabled, "user is disabled")
	case issuedAt.Unix()*1000 < s.ValidAfter.UnixMilli():
		return unauth(talent.CodeTokenRevoked, "sign-in token was revoked")
	}
	return nil
}

// Source asks Firebase for users' states, up to MaxBatch users in one call
// (Firebase's user lookup takes at most 100). It returns KindUnavailable
// when Firebase cannot answer; a user that does not exist is a State with
// Missing, not an error. A user left out of the answer is not known to be
// either, and is not refreshed.
type Source interface {
	Lookup(ctx context.Context, uids []string) (map[string]State, error)
}

// Shared is the store the replicas share answers through (Redis). Its
// errors are not fatal: the cache then asks Firebase itself.
type Shared interface {
	Get(ctx context.Context, uid string) (State, bool, error)
	Put(ctx context.Context, uid string, s State, ttl time.Duration) error
}

// Options tune the cache.
type Options struct {
	// MaxAge is the longest an answer is used while Firebase can be reached:
	// the revocation delay. Answers older than half of it are refreshed in
	// the background when the user is seen.
	MaxAge time.Duration
	// Grace is how long an answer keeps serving when Firebase cannot be
	// reached; past it, requests fail with KindUnavailable.
	Grace time.Duration
	// Size bounds the users kept in the process; the least recently seen go first.
	Size int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Registerer receives the metrics; nil registers none.
	Registerer prometheus.Registerer
	Logger     *slog.Logger
}

// Defaults.
const (
	DefaultMaxAge = 60 * time.Second
	DefaultGrace  = time.Hour
	DefaultSize   = 100_000
	// lookupTimeout bounds a background refresh, which has no request to
	// take a deadline from.
	lookupTimeout = 5 * time.Second
	// MaxBatch is the most users one call to Source.Lookup asks about.
	MaxBatch = 100
	// batchWindow is how long a background refresh that would ask about
	// fewer than MaxBatch users waits for more: when a round opens, the
	// answers of thousands of active users age together, and one call to
	// Firebase then serves a hundred of them instead of one.
	batchWindow = 50 * time.Millisecond
	// maxQueued bounds the users waiting for a background refresh; the
	// rest are refreshed when next seen.
	maxQueued = 10 * MaxBatch
)

// For returns uid's state from a Source's answer. A user left out of it is
// KindUnavailable, as when Firebase does not answer at all.
func For(states map[string]State, uid string) (State, error) {
	s, ok := states[uid]
	if !ok {
		return State{}, talent.Errorf(talent.KindUnavailable, talent.CodeIdentityUnavailable, "identity service left the user out of its answer")
	}
	return s, nil
}

// Cache is a bounded, shared cache of users' revocation state. It
// implements the check the Firebase verifier makes after it has verified a
// token's signature and claims locally.
type Cache struct {
	src    Source
	shared Shared
	o      Options
	local  *lru.Cache[string, State]
	m      metrics

	mu       sync.Mutex
	queued   map[string]bool // waiting for, or in, a background refresh
	queue    []string
	draining bool // a goroutine is refreshing the queue
}

type metrics struct {
	answers  *prometheus.CounterVec
	lookups  *prometheus.CounterVec
	shared   prometheus.Counter
	duration prometheus.Histogram
}

// New builds a cache over src, sharing answers through shared (nil: this
// process only).
func New(src Source, shared Shared, o Options) *Cache {
	if o.MaxAge <= 0 {
		o.MaxAge = DefaultMaxAge
	}
	if o.Grace < o.MaxAge {
		o.Grace = max(o.MaxAge, DefaultGrace)
	}
	if o.Size <= 0 {
		o.Size = DefaultSize
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	local, _ := lru.New[string, State](o.Size) // only fails for a size <= 0
	c := &Cache{src: src, shared: shared, o: o, local: local, queued: map[string]bool{}}
	c.m = metrics{
		answers: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "anju_auth_revocation_answers_total",
			Help: "Revocation checks by where the answer came from: local, shared (Redis), firebase, or stale (Firebase unreachable, an answer within the grace served).",
		}, []string{"from"}),
		lookups: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "anju_auth_revocation_lookups_total",
			Help: "Calls to Firebase Auth's user lookup by result (ok, error) and mode (inline: one user a request waits for; background: up to 100 users whose answers are aging).",
		}, []string{"result", "mode"}),
		shared: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "anju_auth_revocation_shared_errors_total",
			Help: "Reads and writes of the shared revocation cache (Redis) that failed.",
		}),
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "anju_auth_revocation_lookup_duration_seconds",
			Help:    "Duration of user lookups against Firebase Auth.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}),
	}
	if o.Registerer != nil {
		o.Registerer.MustRegister(c.m.answers, c.m.lookups, c.m.shared, c.m.duration)
	}
	return c
}

// Check returns nil when a token of uid issued at issuedAt is not revoked,
// the user not disabled and not deleted, as Firebase said at most MaxAge
// ago (or within Grace when Firebase cannot be reached). Otherwise it
// returns State.Check's error, or KindUnavailable (CodeIdentityUnavailable)
// when no answer recent enough can be had.
func (c *Cache) Check(ctx context.Context, uid string, issuedAt time.Time) error {
	now := c.o.Now()
	best, have := c.local.Get(uid)
	if have && now.Sub(best.Checked) < c.o.MaxAge {
		c.m.answers.WithLabelValues("local").Inc()
		c.refreshIfAging(uid, best, now)
		return best.Check(issuedAt)
	}
	if s, ok := c.readShared(ctx, uid); ok && (!have || s.Checked.After(best.Checked)) {
		best, have = s, true
		c.local.Add(uid, s)
		if now.Sub(s.Checked) < c.o.MaxAge {
			c.m.answers.WithLabelValues("shared").Inc()
			c.refreshIfAging(uid, s, now)
			return s.Check(issuedAt)
		}
	}
	states, err := c.lookup(ctx, []string{uid}, "inline")
	var s State
	if err == nil {
		s, err = For(states, uid)
	}
	if err == nil {
		c.m.answers.WithLabelValues("firebase").Inc()
		return s.Check(issuedAt)
	}
	if have && now.Sub(best.Checked) < c.o.Grace {
		c.m.answers.WithLabelValues("stale").Inc()
		c.o.Logger.WarnContext(ctx, "identity service unreachable; serving a cached revocation answer",
			"age_s", int(now.Sub(best.Checked).Seconds()), "err", err)
		return best.Check(issuedAt)
	}
	return err
}

// Forget drops what this process knows of uid, for tests and for a user
// whose sessions Anju itself has just revoked.
func (c *Cache) Forget(uid string) { c.local.Remove(uid) }

// refreshIfAging queues an answer past half its life for a background
// refresh, so that an active user's requests never wait for Firebase.
func (c *Cache) refreshIfAging(uid string, s State, now time.Time) {
	if now.Sub(s.Checked) < c.o.MaxAge/2 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.queued[uid] || len(c.queued) >= maxQueued {
		return
	}
	c.queued[uid] = true
	c.queue = append(c.queue, uid)
	if !c.draining {
		c.draining = true
		go c.drain()
	}
}

// drain refreshes the queued users, MaxBatch at a time, one call to
// Firebase in flight, and ends when the queue is empty.
func (c *Cache) drain() {
	for {
		c.mu.Lock()
		full := len(c.queue) >= MaxBatch
		c.mu.Unlock()
		if !full {
			time.Sleep(batchWindow)
		}
		c.mu.Lock()
		n := min(len(c.queue), MaxBatch)
		if n == 0 {
			c.queue, c.draining = nil, false
			c.mu.Unlock()
			return
		}
		uids := c.queue[:n:n]
		c.queue = c.queue[n:]
		c.mu.Unlock()

		c.refresh(uids)

		c.mu.Lock()
		for _, uid := range uids {
			delete(c.queued, uid)
		}
		c.mu.Unlock()
	}
}

// refresh asks Firebase about uids, except those another replica has
// refreshed already.
func (c *Cache) refresh(uids []string) {
	ctx, cancel := context.WithTimeout(context.Background(), lookupTimeout)
	defer cancel()
	ask := make([]string, 0, len(uids))
	for _, uid := range uids {
		if sh, ok := c.readShared(ctx, uid); ok && c.o.Now().Sub(sh.Checked) < c.o.MaxAge/2 {
			c.local.Add(uid, sh)
			continue
		}
		ask = append(ask, uid)
	}
	if len(ask) > 0 {
		_, _ = c.lookup(ctx, ask, "background")
	}
}

// lookup asks Firebase about uids (at most MaxBatch) and keeps the answers
// here and in the shared store.
func (c *Cache) lookup(ctx context.Context, uids []string, mode string) (map[string]State, error) {
	start, asked := time.Now(), c.o.Now()
	states, err := c.src.Lookup(ctx, uids)
	c.m.duration.Observe(time.Since(start).Seconds())
	if err != nil {
		c.m.lookups.WithLabelValues("error", mode).Inc()
		if talent.ErrorKind(err) != talent.KindUnavailable {
			err = talent.Errorf(talent.KindUnavailable, talent.CodeIdentityUnavailable, "identity service failed: %v", err)
		}
		return nil, err
	}
	c.m.lookups.WithLabelValues("ok", mode).Inc()
	for uid, s := range states {
		// The answer is as old as the question: a revocation landing while
		// it was on its way is not missed by more than MaxAge.
		s.Checked = asked
		states[uid] = s
		c.local.Add(uid, s)
		if c.shared != nil {
			if err := c.shared.Put(ctx, uid, s, c.o.Grace); err != nil {
				c.m.shared.Inc()
			}
		}
	}
	return states, nil
}

func (c *Cache) readShared(ctx context.Context, uid string) (State, bool) {
	if c.shared == nil {
		return State{}, false
	}
	s, ok, err := c.shared.Get(ctx, uid)
	if err != nil {
		c.m.shared.Inc()
		return State{}, false
	}
	return s, ok
}
