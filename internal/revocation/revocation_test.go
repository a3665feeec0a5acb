package revocation_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/anju-city/anju/internal/revocation"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/testenv"
)

// firebase stands in for Firebase Auth's user lookup: it answers from a
// table, counts the calls and the users asked about, and can be made
// unreachable.
type firebase struct {
	mu       sync.Mutex
	users    map[string]revocation.State
	calls    int
	asked    int
	maxBatch int
	down     bool
	leaveOut string // a user the answers leave out
}

func (f *firebase) Lookup(_ context.Context, uids []string) (map[string]revocation.State, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	f.asked += len(uids)
	f.maxBatch = max(f.maxBatch, len(uids))
	if f.down {
		return nil, errors.New("dial tcp: connection refused")
	}
	out := map[string]revocation.State{}
	for _, uid := range uids {
		if uid == f.leaveOut {
			continue
		}
		s, ok := f.users[uid]
		if !ok {
			s = revocation.State{Missing: true}
		}
		out[uid] = s
	}
	return out, nil
}

func (f *firebase) set(uid string, s revocation.State) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.users[uid] = s
}

func (f *firebase) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

func (f *firebase) setDown(down bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.down = down
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type fixture struct {
	fb    *firebase
	clock *clock
	redis revocation.Redis
	reg   *prometheus.Registry
	cache *revocation.Cache
}

func setup(t *testing.T) *fixture {
	t.Helper()
	r := testenv.NewRedis(t)
	f := &fixture{
		fb:    &firebase{users: map[string]revocation.State{}},
		clock: &clock{t: time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)},
		redis: revocation.NewRedis(r.Client()),
	}
	f.reg, f.cache = f.replica()
	return f
}

// replica is another API process: its own memory and metrics, the same
// Firebase and Redis.
func (f *fixture) replica() (*prometheus.Registry, *revocation.Cache) {
	reg := prometheus.NewRegistry()
	return reg, revocation.New(f.fb, f.redis, revocation.Options{
		MaxAge: time.Minute, Grace: time.Hour, Size: 100, Now: f.clock.now, Registerer: reg,
	})
}

// counter sums a counter's series that have a label with the value label
// ("" for all).
func counter(t *testing.T, reg *prometheus.Registry, name, label string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var total float64
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if label == "" || l.GetValue() == label {
					total += m.GetCounter().GetValue()
					break
				}
			}
			if label == "" && len(m.GetLabel()) == 0 {
				total += m.GetCounter().GetValue()
			}
		}
	}
	return total
}

func answers(t *testing.T, reg *prometheus.Registry, from string) float64 {
	t.Helper()
	return counter(t, reg, "anju_auth_revocation_answers_total", from)
}

func wantCode(t *testing.T, err error, code talent.Code) {
	t.Helper()
	if talent.ErrorCode(err) != code.String() {
		t.Fatalf("error = %v, want %s", err, code)
	}
}

func TestStateCheck(t *testing.T) {
	t.Parallel()
	revokedAt := time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)
	s := revocation.State{ValidAfter: revokedAt}
	tests := []struct {
		name string
		s    revocation.State
		iat  time.Time
		want *talent.Code
	}{
		{"issued after", s, revokedAt.Add(time.Second), nil},
		{"issued in the same second survives", s, revokedAt.Add(999 * time.Millisecond), nil},
		{"issued a second before", s, revokedAt.Add(-time.Second), &talent.CodeTokenRevoked},
		{"disabled", revocation.State{Disabled: true}, revokedAt, &talent.CodeUserDisabled},
		{"deleted", revocation.State{Missing: true}, revokedAt, &talent.CodeUserNotFound},
	}
	for _, tt := range tests {
		err := tt.s.Check(tt.iat)
		if tt.want == nil {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		if talent.ErrorKind(err) != talent.KindUnauthenticated || talent.ErrorCode(err) != tt.want.String() {
			t.Errorf("%s: error = %v, want unauthenticated %s", tt.name, err, tt.want)
		}
	}
}

func TestOneLookupPerMaxAgeAcrossReplicas(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	iat := f.clock.now()
	f.fb.set("u1", revocation.State{})
	for range 5 {
		if err := f.cache.Check(ctx, "u1", iat); err != nil {
			t.Fatal(err)
		}
	}
	if got := f.fb.count(); got != 1 {
		t.Fatalf("lookups = %d, want 1", got)
	}
	// Another replica finds the answer in Redis.
	reg2, other := f.replica()
	if err := other.Check(ctx, "u1", iat); err != nil {
		t.Fatal(err)
	}
	if got := f.fb.count(); got != 1 {
		t.Errorf("lookups after the second replica = %d, want 1", got)
	}
	if answers(t, reg2, "shared") != 1 || answers(t, f.reg, "local") != 4 || answers(t, f.reg, "firebase") != 1 {
		t.Errorf("answers: shared %v, local %v, firebase %v", answers(t, reg2, "shared"), answers(t, f.reg, "local"), answers(t, f.reg, "firebase"))
	}
}

func TestRevocationTakesEffectWithinMaxAge(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	iat := f.clock.now()
	f.fb.set("u1", revocation.State{})
	if err := f.cache.Check(ctx, "u1", iat); err != nil {
		t.Fatal(err)
	}
	// Revoked in Firebase a second after the token was issued.
	f.fb.set("u1", revocation.State{ValidAfter: iat.Add(time.Second)})
	f.clock.advance(20 * time.Second)
	if err := f.cache.Check(ctx, "u1", iat); err != nil {
		t.Fatalf("within the revocation delay the cached answer serves: %v", err)
	}
	f.clock.advance(41 * time.Second)
	wantCode(t, f.cache.Check(ctx, "u1", iat), talent.CodeTokenRevoked)
	// A token from a new sign-in works.
	if err := f.cache.Check(ctx, "u1", iat.Add(2*time.Second)); err != nil {
		t.Errorf("fresh token: %v", err)
	}
}

func TestAgingAnswerIsRefreshedInTheBackground(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	iat := f.clock.now()
	f.fb.set("u1", revocation.State{})
	if err := f.cache.Check(ctx, "u1", iat); err != nil {
		t.Fatal(err)
	}
	f.fb.set("u1", revocation.State{Disabled: true})
	// Past half of MaxAge: answered from memory, refreshed behind it.
	f.clock.advance(31 * time.Second)
	if err := f.cache.Check(ctx, "u1", iat); err != nil {
		t.Fatalf("the aging answer serves while it is refreshed: %v", err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for f.fb.count() < 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if f.fb.count() != 2 {
		t.Fatalf("lookups = %d, want a background refresh", f.fb.count())
	}
	// The refresh lands in memory: the next check sees the new answer
	// without another lookup.
	for time.Now().Before(deadline) && f.cache.Check(ctx, "u1", iat) == nil {
		time.Sleep(10 * time.Millisecond)
	}
	wantCode(t, f.cache.Check(ctx, "u1", iat), talent.CodeUserDisabled)
	if f.fb.count() != 2 {
		t.Errorf("lookups = %d after the refresh, want 2", f.fb.count())
	}
}

func TestAgingAnswersAreRefreshedTogether(t *testing.T) {
	t.Parallel()
	// When a round opens, the answers of many active users age together:
	// they are refreshed a hundred to a call, not one call each.
	f := setup(t)
	ctx := context.Background()
	iat := f.clock.now()
	const users = 250
	uid := func(i int) string { return fmt.Sprintf("surge-%d", i) }
	for i := range users {
		f.fb.set(uid(i), revocation.State{})
		if err := f.cache.Check(ctx, uid(i), iat); err != nil {
			t.Fatal(err)
		}
	}
	calls := f.fb.count()
	for i := range users {
		f.fb.set(uid(i), revocation.State{Disabled: true})
	}
	f.clock.advance(31 * time.Second)
	for i := range users {
		if err := f.cache.Check(ctx, uid(i), iat); err != nil {
			t.Fatalf("the aging answer serves while it is refreshed: %v", err)
		}
	}
	refreshed := func() int {
		n := 0
		for i := range users {
			if talent.ErrorCode(f.cache.Check(ctx, uid(i), iat)) == talent.CodeUserDisabled.String() {
				n++
			}
		}
		return n
	}
	deadline := time.Now().Add(10 * time.Second)
	for refreshed() < users && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := refreshed(); n != users {
		t.Fatalf("%d of %d answers refreshed", n, users)
	}
	f.fb.mu.Lock()
	defer f.fb.mu.Unlock()
	if f.fb.maxBatch > revocation.MaxBatch {
		t.Errorf("a call asked about %d users, more than %d", f.fb.maxBatch, revocation.MaxBatch)
	}
	if background := f.fb.calls - calls; background > 10 {
		t.Errorf("%d calls refreshed %d users, want them asked together", background, users)
	}
	// Redis holds the refreshed answers for the other replicas.
	_, other := f.replica()
	wantCode(t, other.Check(ctx, uid(users-1), iat), talent.CodeUserDisabled)
}

func TestUserLeftOutOfTheAnswer(t *testing.T) {
	t.Parallel()
	// Firebase answering without the user says nothing about them: the
	// request is refused as when Firebase is unreachable, not let in.
	f := setup(t)
	f.fb.leaveOut = "u1"
	err := f.cache.Check(context.Background(), "u1", f.clock.now())
	wantCode(t, err, talent.CodeIdentityUnavailable)
	if talent.ErrorKind(err) != talent.KindUnavailable {
		t.Errorf("kind = %v, want unavailable", talent.ErrorKind(err))
	}
}

func TestFirebaseUnreachable(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	iat := f.clock.now()
	f.fb.set("u1", revocation.State{})
	if err := f.cache.Check(ctx, "u1", iat); err != nil {
		t.Fatal(err)
	}
	f.fb.setDown(true)
	// Past MaxAge, within the grace: the old answer serves and it shows.
	f.clock.advance(10 * time.Minute)
	if err := f.cache.Check(ctx, "u1", iat); err != nil {
		t.Fatalf("within the grace: %v", err)
	}
	if answers(t, f.reg, "stale") != 1 {
		t.Errorf("stale answers = %v, want 1", answers(t, f.reg, "stale"))
	}
	if got := counter(t, f.reg, "anju_auth_revocation_lookups_total", "error"); got < 1 {
		t.Errorf("failed lookups = %v", got)
	}
	// A user never seen cannot be answered.
	err := f.cache.Check(ctx, "u2", iat)
	if talent.ErrorKind(err) != talent.KindUnavailable {
		t.Errorf("unknown user while Firebase is down: %v, want unavailable", err)
	}
	// Past the grace, neither can a known one.
	f.clock.advance(time.Hour)
	if err := f.cache.Check(ctx, "u1", iat); talent.ErrorKind(err) != talent.KindUnavailable {
		t.Errorf("past the grace: %v, want unavailable", err)
	}
	// Back up: answered again.
	f.fb.setDown(false)
	if err := f.cache.Check(ctx, "u1", iat); err != nil {
		t.Errorf("after recovery: %v", err)
	}
}

func TestRedisDownFallsBackToFirebase(t *testing.T) {
	t.Parallel()
	r := testenv.NewRedis(t)
	fb := &firebase{users: map[string]revocation.State{"u1": {}}}
	reg := prometheus.NewRegistry()
	c := revocation.New(fb, revocation.NewRedis(r.Client()), revocation.Options{MaxAge: time.Minute, Registerer: reg})
	r.Stop()
	if err := c.Check(context.Background(), "u1", time.Now()); err != nil {
		t.Fatalf("with Redis down: %v", err)
	}
	if got := counter(t, reg, "anju_auth_revocation_shared_errors_total", ""); got < 1 {
		t.Errorf("shared errors = %v, want the failure counted", got)
	}
}

func TestBoundedSize(t *testing.T) {
	t.Parallel()
	fb := &firebase{users: map[string]revocation.State{}}
	c := revocation.New(fb, nil, revocation.Options{MaxAge: time.Minute, Size: 2})
	ctx, iat := context.Background(), time.Now()
	for _, uid := range []string{"a", "b", "c", "a"} {
		_ = c.Check(ctx, uid, iat)
	}
	// "a" was pushed out by "c", so it was looked up twice.
	if fb.count() != 4 {
		t.Errorf("lookups = %d, want 4 with room for two users", fb.count())
	}
}
