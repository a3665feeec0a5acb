// Package usercache keeps signed-in users (their id, locale and roles, and
// their own profile as stored, personal data still sealed) in the API
// process between requests, so that a request reads no row to learn who
// is calling and GET /v1/me reads none at all. A change to a user's roles or locale invalidates
// the entry here at once and, through Redis pub/sub, on every other
// replica within milliseconds; while the invalidation channel is not
// subscribed (Redis down, reconnecting) nothing is cached, so a role
// removed in Anju never outlives the change. Entries also expire after a
// short TTL, as a bound for anything else.
package usercache

import (
	"context"
	"github.com/anju-city/anju/internal/aftercommit"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"github.com/anju-city/anju/internal/talent"
)

// channel carries the ids of invalidated users.
const channel = "anju:users:invalidate"

// Defaults.
const (
	DefaultTTL  = 30 * time.Second
	DefaultSize = 100_000
)

type entry struct {
	user    talent.User
	expires time.Time
}

type profileEntry struct {
	rec     talent.ProfileRecord
	expires time.Time
}

// Cache implements account.UserCache.
type Cache struct {
	rdb    redis.UniversalClient
	ttl    time.Duration
	logger *slog.Logger
	now    func() time.Time
	local  *lru.Cache[string, entry]
	// profiles are the users' stored profiles, by user id.
	profiles *lru.Cache[string, profileEntry]
	// uids finds a cached user's Firebase uid (the key of local) by user
	// id (what invalidations name).
	mu   sync.Mutex
	uids map[string]string
	// gen changes on every invalidation: a load that started before one
	// does not keep its (possibly older) answer.
	gen atomic.Uint64
	// live is true while the invalidation channel is subscribed.
	live    atomic.Bool
	lookups *prometheus.CounterVec
}

// Options tune the cache.
type Options struct {
	TTL        time.Duration
	Size       int
	Now        func() time.Time
	Registerer prometheus.Registerer
	Logger     *slog.Logger
}

// New builds a cache that invalidates through rdb. It caches nothing until
// Run has subscribed.
func New(rdb redis.UniversalClient, o Options) *Cache {
	if o.TTL <= 0 {
		o.TTL = DefaultTTL
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
	c := &Cache{rdb: rdb, ttl: o.TTL, logger: o.Logger, now: o.Now, uids: map[string]string{}}
	// Sizes > 0 cannot fail. The eviction callback runs inside the LRU's
	// lock; it takes only c.mu, which is never held while calling the LRU.
	c.local, _ = lru.NewWithEvict(o.Size, func(uid string, e entry) {
		c.mu.Lock()
		if c.uids[e.user.ID] == uid {
			delete(c.uids, e.user.ID)
		}
		c.mu.Unlock()
	})
	c.profiles, _ = lru.New[string, profileEntry](o.Size)
	c.lookups = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "anju_user_cache_lookups_total",
		Help: "Signed-in user lookups by result: hit, miss, or bypass (invalidation channel down, nothing cached).",
	}, []string{"result"})
	if o.Registerer != nil {
		o.Registerer.MustRegister(c.lookups)
	}
	return c
}

// Load implements account.UserCache.
func (c *Cache) Load(ctx context.Context, firebaseUID string, load func(context.Context) (talent.User, error)) (talent.User, error) {
	if !c.live.Load() || aftercommit.Pending(ctx) {
		// Inside a transaction the answer may not be committed yet.
		c.lookups.WithLabelValues("bypass").Inc()
		return load(ctx)
	}
	if e, ok := c.local.Get(firebaseUID); ok && c.now().Before(e.expires) {
		c.lookups.WithLabelValues("hit").Inc()
		return e.user, nil
	}
	c.lookups.WithLabelValues("miss").Inc()
	gen := c.gen.Load()
	u, err := load(ctx)
	if err != nil {
		return u, err
	}
	if c.gen.Load() == gen && c.live.Load() {
		c.mu.Lock()
		c.uids[u.ID] = firebaseUID
		c.mu.Unlock()
		c.local.Add(firebaseUID, entry{user: u, expires: c.now().Add(c.ttl)})
		if c.gen.Load() != gen {
			// Invalidated between the check and the add.
			c.local.Remove(firebaseUID)
		}
	}
	return u, nil
}

// Profile implements account.UserCache. A user without a profile is not
// cached (load's error is returned as it is).
func (c *Cache) Profile(ctx context.Context, userID string, load func(context.Context) (talent.ProfileRecord, error)) (talent.ProfileRecord, error) {
	if !c.live.Load() || aftercommit.Pending(ctx) {
		return load(ctx)
	}
	if e, ok := c.profiles.Get(userID); ok && c.now().Before(e.expires) {
		return e.rec, nil
	}
	gen := c.gen.Load()
	rec, err := load(ctx)
	if err != nil {
		return rec, err
	}
	if c.gen.Load() == gen && c.live.Load() {
		c.profiles.Add(userID, profileEntry{rec: rec, expires: c.now().Add(c.ttl)})
		if c.gen.Load() != gen {
			c.profiles.Remove(userID)
		}
	}
	return rec, nil
}

// Invalidate implements account.UserCache: the user is dropped here at
// once and on the other replicas when they receive the message. A failed
// publish is logged; the other replicas then see the change when the
// entry expires, or at once if their subscription dropped too.
//
// Inside a request transaction the user is dropped now and again once it
// has committed, and only then published: a read between the change and
// its commit would otherwise cache what is about to be replaced.
func (c *Cache) Invalidate(ctx context.Context, userID string) {
	c.drop(userID)
	aftercommit.Do(ctx, func() {
		c.drop(userID)
		if err := c.rdb.Publish(context.WithoutCancel(ctx), channel, userID).Err(); err != nil {
			c.logger.WarnContext(ctx, "user cache: invalidation not published; other replicas see the change within the TTL", "err", err)
		}
	})
}

func (c *Cache) drop(userID string) {
	c.gen.Add(1)
	c.mu.Lock()
	uid, ok := c.uids[userID]
	c.mu.Unlock()
	if ok {
		c.local.Remove(uid)
	}
	c.profiles.Remove(userID)
}

// Run subscribes to invalidations until ctx ends. Whenever the
// subscription is lost the cache is emptied and bypassed; it fills again
// once resubscribed, since messages sent in between are lost.
func (c *Cache) Run(ctx context.Context) error {
	ps := c.rdb.Subscribe(ctx, channel)
	// Receive does not return when ctx is cancelled while it waits for a
	// message; closing the subscription makes it.
	stop := context.AfterFunc(ctx, func() { _ = ps.Close() })
	defer stop()
	defer func() { _ = ps.Close() }()
	for {
		msg, err := ps.Receive(ctx)
		if ctx.Err() != nil {
			c.stop()
			return nil
		}
		switch m := msg.(type) {
		case *redis.Subscription:
			if m.Kind == "subscribe" {
				c.gen.Add(1)
				c.local.Purge()
				c.profiles.Purge()
				c.live.Store(true)
			}
		case *redis.Message:
			c.drop(m.Payload)
		}
		if err != nil {
			if c.live.Load() {
				c.logger.WarnContext(ctx, "user cache: invalidation channel lost; bypassing the cache until resubscribed", "err", err)
			}
			c.stop()
			// go-redis reconnects on the next Receive; do not spin on a
			// Redis that refuses connections.
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(time.Second):
			}
		}
	}
}

// Live reports whether the invalidation channel is subscribed, and so
// whether users are cached at all.
func (c *Cache) Live() bool { return c.live.Load() }

func (c *Cache) stop() {
	c.live.Store(false)
	c.gen.Add(1)
	c.local.Purge()
	c.profiles.Purge()
}
