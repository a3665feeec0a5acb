// Package ratelimit counts requests in Redis, so that a limit holds across
// all API replicas.
package ratelimit

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"
)

// Limiter is a fixed-window counter per key.
type Limiter struct {
	rdb    redis.UniversalClient
	prefix string
}

// New returns a Limiter storing counters under "anju:rl:".
func New(rdb redis.UniversalClient) *Limiter {
	return &Limiter{rdb: rdb, prefix: "anju:rl:"}
}

// incr increments the window's counter and sets its expiry on first use, in
// one round trip and atomically.
var incr = redis.NewScript(`
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {n, redis.call('PTTL', KEYS[1])}
`)

// Allow counts one request for key and reports whether it is within limit
// per window; when not, retryAfter is how long until the window resets.
func (l *Limiter) Allow(ctx context.Context, key string, limit int, window time.Duration) (ok bool, retryAfter time.Duration, err error) {
	res, err := incr.Run(ctx, l.rdb, []string{l.prefix + key}, window.Milliseconds()).Int64Slice()
	if err != nil {
		return false, 0, err
	}
	if res[0] <= int64(limit) {
		return true, 0, nil
	}
	return false, time.Duration(max(res[1], 1)) * time.Millisecond, nil
}
