package revocation

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis shares answers between replicas under "anju:revocation:<uid>".
// A value is "validAfterUnixMilli disabled missing checkedUnixMilli"; it
// expires with the grace, after which no replica may serve it anyway.
type Redis struct{ rdb redis.UniversalClient }

// NewRedis returns the shared store on rdb.
func NewRedis(rdb redis.UniversalClient) Redis { return Redis{rdb} }

func key(uid string) string { return "anju:revocation:" + uid }

// Get implements Shared.
func (r Redis) Get(ctx context.Context, uid string) (State, bool, error) {
	v, err := r.rdb.Get(ctx, key(uid)).Result()
	if errors.Is(err, redis.Nil) {
		return State{}, false, nil
	}
	if err != nil {
		return State{}, false, err
	}
	s, err := decode(v)
	if err != nil {
		// A value this version cannot read is as good as none.
		return State{}, false, nil
	}
	return s, true, nil
}

// Put implements Shared.
func (r Redis) Put(ctx context.Context, uid string, s State, ttl time.Duration) error {
	return r.rdb.Set(ctx, key(uid), encode(s), ttl).Err()
}

func encode(s State) string {
	return fmt.Sprintf("%d %t %t %d", s.ValidAfter.UnixMilli(), s.Disabled, s.Missing, s.Checked.UnixMilli())
}

func decode(v string) (State, error) {
	f := strings.Fields(v)
	if len(f) != 4 {
		return State{}, fmt.Errorf("revocation: bad shared value %q", v)
	}
	after, err1 := strconv.ParseInt(f[0], 10, 64)
	disabled, err2 := strconv.ParseBool(f[1])
	missing, err3 := strconv.ParseBool(f[2])
	checked, err4 := strconv.ParseInt(f[3], 10, 64)
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		return State{}, fmt.Errorf("revocation: bad shared value %q: %w", v, err)
	}
	return State{ValidAfter: time.UnixMilli(after), Disabled: disabled, Missing: missing, Checked: time.UnixMilli(checked)}, nil
}
