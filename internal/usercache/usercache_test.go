package usercache_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/testenv"
	"github.com/anju-city/anju/internal/usercache"
)

// store stands in for the users table: it counts reads and answers with
// whatever roles are current.
type store struct {
	reads atomic.Int64
	admin atomic.Bool
}

func (s *store) load(context.Context) (talent.User, error) {
	s.reads.Add(1)
	u := talent.User{ID: "user-1", FirebaseUID: "uid-1", Roles: []talent.RoleGrant{{Role: talent.RoleGraduate}}}
	if s.admin.Load() {
		u.Roles = append(u.Roles, talent.RoleGrant{Role: talent.RoleAdmin})
	}
	return u, nil
}

// replica is one API process's cache, subscribed until the test ends.
func replica(t *testing.T, r *testenv.Redis) *usercache.Cache {
	t.Helper()
	c := usercache.New(r.Client(), usercache.Options{TTL: time.Minute})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = c.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	eventually(t, "subscribed", c.Live)
	return c
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not %s within 10s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestCachedUntilInvalidatedOnEveryReplica(t *testing.T) {
	t.Parallel()
	r := testenv.NewRedis(t)
	a, b := replica(t, r), replica(t, r)
	ctx := context.Background()
	st := &store{}
	for range 3 {
		for _, c := range []*usercache.Cache{a, b} {
			if _, err := c.Load(ctx, "uid-1", st.load); err != nil {
				t.Fatal(err)
			}
		}
	}
	if st.reads.Load() != 2 {
		t.Fatalf("reads = %d, want one per replica", st.reads.Load())
	}
	// An admin grants a role through replica a.
	st.admin.Store(true)
	a.Invalidate(ctx, "user-1")
	u, err := a.Load(ctx, "uid-1", st.load)
	if err != nil || !u.Has(talent.RoleAdmin) {
		t.Fatalf("replica a after the grant: %+v %v", u, err)
	}
	eventually(t, "seen on replica b", func() bool {
		u, err := b.Load(ctx, "uid-1", st.load)
		return err == nil && u.Has(talent.RoleAdmin)
	})
}

func TestNothingCachedWithoutTheChannel(t *testing.T) {
	t.Parallel()
	r := testenv.NewRedis(t)
	ctx := context.Background()
	st := &store{}
	// Never subscribed: every load reads.
	idle := usercache.New(r.Client(), usercache.Options{})
	for range 3 {
		if _, err := idle.Load(ctx, "uid-1", st.load); err != nil {
			t.Fatal(err)
		}
	}
	if st.reads.Load() != 3 {
		t.Fatalf("reads = %d without a subscription, want 3", st.reads.Load())
	}
	// Subscribed, then Redis goes away: invalidations could be missed, so
	// the cache steps aside.
	c := replica(t, r)
	if _, err := c.Load(ctx, "uid-1", st.load); err != nil {
		t.Fatal(err)
	}
	r.Stop()
	eventually(t, "bypassed", func() bool { return !c.Live() })
	before := st.reads.Load()
	if _, err := c.Load(ctx, "uid-1", st.load); err != nil {
		t.Fatal(err)
	}
	if st.reads.Load() != before+1 {
		t.Errorf("a load while the channel is down was served from memory")
	}
	// Back: cached again once resubscribed.
	r.Start()
	eventually(t, "resubscribed", c.Live)
}

func TestLoadRacingAnInvalidationIsNotKept(t *testing.T) {
	t.Parallel()
	r := testenv.NewRedis(t)
	c := replica(t, r)
	ctx := context.Background()
	var reads int
	racing := func(context.Context) (talent.User, error) {
		reads++
		if reads == 1 {
			// The role changes while the first read is on its way.
			c.Invalidate(ctx, "user-1")
		}
		return talent.User{ID: "user-1", FirebaseUID: "uid-1"}, nil
	}
	for range 3 {
		if _, err := c.Load(ctx, "uid-1", racing); err != nil {
			t.Fatal(err)
		}
	}
	if reads != 2 {
		t.Errorf("reads = %d, want 2: the answer read across an invalidation must not be kept", reads)
	}
}

func TestEntriesExpire(t *testing.T) {
	t.Parallel()
	r := testenv.NewRedis(t)
	now := time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)
	var clock atomic.Pointer[time.Time]
	clock.Store(&now)
	c := usercache.New(r.Client(), usercache.Options{TTL: 30 * time.Second, Now: func() time.Time { return *clock.Load() }})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = c.Run(ctx) }()
	eventually(t, "subscribed", c.Live)
	st := &store{}
	_, _ = c.Load(ctx, "uid-1", st.load)
	_, _ = c.Load(ctx, "uid-1", st.load)
	later := now.Add(31 * time.Second)
	clock.Store(&later)
	_, _ = c.Load(ctx, "uid-1", st.load)
	if st.reads.Load() != 2 {
		t.Errorf("reads = %d, want 2 (one cached, one after the TTL)", st.reads.Load())
	}
}

func TestProfilesFollowTheUser(t *testing.T) {
	t.Parallel()
	r := testenv.NewRedis(t)
	a, b := replica(t, r), replica(t, r)
	ctx := context.Background()
	var reads atomic.Int64
	var name atomic.Value
	name.Store("李明")
	load := func(context.Context) (talent.ProfileRecord, error) {
		reads.Add(1)
		return talent.ProfileRecord{UserID: "user-1", Name: name.Load().(string)}, nil
	}
	for range 3 {
		if _, err := b.Profile(ctx, "user-1", load); err != nil {
			t.Fatal(err)
		}
	}
	if reads.Load() != 1 {
		t.Fatalf("reads = %d, want 1", reads.Load())
	}
	name.Store("李明明")
	a.Invalidate(ctx, "user-1")
	eventually(t, "the new profile on replica b", func() bool {
		p, err := b.Profile(ctx, "user-1", load)
		return err == nil && p.Name == "李明明"
	})
	// A user without a profile yet is asked every time.
	none := func(context.Context) (talent.ProfileRecord, error) {
		reads.Add(1)
		return talent.ProfileRecord{}, talent.NotFound(talent.CodeProfileNotFound)
	}
	before := reads.Load()
	for range 2 {
		if _, err := b.Profile(ctx, "user-2", none); talent.ErrorKind(err) != talent.KindNotFound {
			t.Fatalf("no profile: %v", err)
		}
	}
	if reads.Load() != before+2 {
		t.Errorf("a missing profile was cached")
	}
}
