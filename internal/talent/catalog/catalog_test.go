package catalog_test

import (
	"context"
	"strings"
	"testing"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/catalog"
	"github.com/anju-city/anju/internal/talent/policy"
	"github.com/anju-city/anju/internal/testenv"
)

// counting counts the sources a catalogue reads from the real store.
type counting struct {
	catalog.Store
	sources int
}

func (c *counting) PolicySource(ctx context.Context, id policy.ID, version int) (catalog.Source, error) {
	c.sources++
	return c.Store.PolicySource(ctx, id, version)
}

// A version published on one replica is seen by another at once, and each
// replica parses it once.
func TestVersionsAreSeenAtOnceAndParsedOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, a, clock := testenv.App(t, nil, nil)
	admin, err := db.Users().SignIn(ctx, "admin", true)
	if err != nil {
		t.Fatal(err)
	}
	defaults, err := policy.DefaultPackages()
	if err != nil {
		t.Fatal(err)
	}
	v1 := defaultSource(t, policy.Relocation)
	v2 := strings.Replace(strings.Replace(v1, "version: 1", "version: 2", 1), "effectiveFrom: 2026-01-01", "effectiveFrom: 2026-11-01", 1)
	if _, err := a.Catalog.Publish(ctx, admin, v2); err != nil {
		t.Fatalf("publish v2: %v", err)
	}
	other := &counting{Store: db.Policies()}
	replica := catalog.New(other, clock, defaults)
	for range 3 {
		p, ok, err := replica.InForce(ctx, policy.Relocation, clock.T)
		if err != nil || !ok || p.Version != 2 {
			t.Fatalf("in force on the other replica: v%d %v %v", p.Version, ok, err)
		}
	}
	if other.sources != 1 {
		t.Fatalf("the other replica read the source %d times, want once", other.sources)
	}
	if _, err := a.Catalog.Publish(ctx, admin, v2); talent.ErrorCode(err) != "policy_version_exists" {
		t.Fatalf("publishing v2 again: %v", err)
	}
	if _, err := replica.Package(ctx, policy.Relocation, 9); talent.ErrorKind(err) != talent.KindInternal {
		t.Fatalf("a version that does not exist: %v", err)
	}
}

func defaultSource(t *testing.T, id policy.ID) string {
	t.Helper()
	b, err := policy.DefaultSource(id)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
