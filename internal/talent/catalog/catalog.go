// Package catalog is the policy catalogue: the embedded default packages
// and the versions admins published, which one is in force on a date, and
// publishing the next version. Each stored version is parsed once and kept
// by id@version; only the short list of what exists is read per call, so a
// version published on another replica is seen at once.
package catalog

import (
	"context"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/policy"
)

// Published names one published version of a package.
type Published struct {
	Package     policy.ID
	Version     int
	PublishedAt time.Time
}

// Source is a published version with its YAML, as stored.
type Source struct {
	Published
	Source []byte
}

// Store keeps published versions. Errors: KindNotFound
// (CodePolicyMissing), KindConflict (policy.CodePolicyVersionExists),
// KindUnavailable.
type Store interface {
	// PolicyVersions lists every published version, without sources.
	PolicyVersions(ctx context.Context) ([]Published, error)
	// PolicySource returns one version with its source.
	PolicySource(ctx context.Context, id policy.ID, version int) (Source, error)
	// PublishPolicy stores a new version.
	PublishPolicy(ctx context.Context, src Source, effectiveFrom, effectiveTo time.Time, by string) error
}

// key names a version in the cache.
type key struct {
	id      policy.ID
	version int
}

// Catalog is the policy catalogue.
type Catalog struct {
	store    Store
	clock    talent.Clock
	defaults []policy.Package

	mu     sync.Mutex
	parsed map[key]policy.Package
}

// New returns a catalogue over the defaults (version 1 of each package,
// from policy.DefaultPackages) and the versions in store.
func New(store Store, clock talent.Clock, defaults []policy.Package) *Catalog {
	c := &Catalog{store: store, clock: clock, defaults: defaults, parsed: map[key]policy.Package{}}
	for _, p := range defaults {
		c.parsed[key{p.ID, p.Version}] = p
	}
	return c
}

// Packages returns every known package version: the defaults and those
// admins published.
func (c *Catalog) Packages(ctx context.Context) ([]policy.Package, error) {
	versions, err := c.store.PolicyVersions(ctx)
	if err != nil {
		return nil, err
	}
	out := append([]policy.Package(nil), c.defaults...)
	for _, v := range versions {
		p, err := c.Package(ctx, v.Package, v.Version)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// Package returns one version, parsing it on first use.
func (c *Catalog) Package(ctx context.Context, id policy.ID, version int) (policy.Package, error) {
	k := key{id, version}
	c.mu.Lock()
	p, ok := c.parsed[k]
	c.mu.Unlock()
	if ok {
		return p, nil
	}
	src, err := c.store.PolicySource(ctx, id, version)
	if talent.ErrorKind(err) == talent.KindNotFound {
		return policy.Package{}, talent.Errorf(talent.KindInternal, CodePolicyMissing, "policy %s v%d is gone", id, version)
	}
	if err != nil {
		return policy.Package{}, err
	}
	if p, err = policy.Parse(src.Source); err != nil {
		// Stored versions were validated when published; a failure here
		// means the rule code changed under them.
		return policy.Package{}, talent.Errorf(talent.KindInternal, CodePolicyUnreadable, "stored policy %s v%d: %v", id, version, err)
	}
	c.mu.Lock()
	c.parsed[k] = p
	c.mu.Unlock()
	return p, nil
}

// Source returns a published version's YAML; the defaults have none stored.
func (c *Catalog) Source(ctx context.Context, id policy.ID, version int) ([]byte, error) {
	src, err := c.store.PolicySource(ctx, id, version)
	return src.Source, err
}

// InForce returns the version of a package in force on the civil date of on.
func (c *Catalog) InForce(ctx context.Context, id policy.ID, on time.Time) (policy.Package, bool, error) {
	all, err := c.Packages(ctx)
	if err != nil {
		return policy.Package{}, false, err
	}
	p, ok := policy.InForce(all, id, on)
	return p, ok, nil
}

// Open returns the allowance packages in force today, one per package:
// what a graduate can claim. The apartment package is decided in rounds.
func (c *Catalog) Open(ctx context.Context) ([]policy.Package, error) {
	all, err := c.Packages(ctx)
	if err != nil {
		return nil, err
	}
	var out []policy.Package
	for _, p := range policy.AllInForce(all, c.clock.Now()) {
		if p.ID != policy.Apartment {
			out = append(out, p)
		}
	}
	return out, nil
}

// Publish validates and stores a new version of a package (admin). A
// published version is never edited: the new one must carry the next
// version number.
func (c *Catalog) Publish(ctx context.Context, actor talent.User, source string) (policy.Package, error) {
	if err := actor.Require(talent.RoleAdmin); err != nil {
		return policy.Package{}, err
	}
	if utf8.RuneCountInString(source) > 256<<10 || strings.TrimSpace(source) == "" {
		return policy.Package{}, talent.Field("source", talent.CodeTextLength)
	}
	p, err := policy.Parse([]byte(source))
	if err != nil {
		return policy.Package{}, err
	}
	all, err := c.Packages(ctx)
	if err != nil {
		return policy.Package{}, err
	}
	if err := policy.CheckPublish(all, p); err != nil {
		return policy.Package{}, err
	}
	src := Source{Published: Published{Package: p.ID, Version: p.Version, PublishedAt: c.clock.Now().UTC()}, Source: []byte(source)}
	if err := c.store.PublishPolicy(ctx, src, p.EffectiveFrom, p.EffectiveTo, actor.ID); err != nil {
		return policy.Package{}, err
	}
	c.mu.Lock()
	c.parsed[key{p.ID, p.Version}] = p
	c.mu.Unlock()
	return p, nil
}
