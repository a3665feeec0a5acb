package catalog

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/policy"
)

// Version is one version of a package as the office reads it: what it
// says, its YAML and where it comes from.
type Version struct {
	Package policy.Package
	// BuiltIn is version 1 of a package, shipped with Anju (its YAML is the
	// embedded default); the others were published by an admin.
	BuiltIn     bool
	PublishedAt time.Time // zero for a built-in version
	Source      []byte    // only from Version, not from Versions
}

// readers are who may read every version with its clauses: the admins who
// publish them and the reviewers who cite them.
var readers = append([]talent.Role{talent.RoleAdmin}, talent.ReviewRoles...)

// Versions lists every version of every package, in force or not, by
// package and version (admins and reviewers).
func (c *Catalog) Versions(ctx context.Context, actor talent.User) ([]Version, error) {
	if err := actor.Require(readers...); err != nil {
		return nil, err
	}
	published, err := c.store.PolicyVersions(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Version, 0, len(c.defaults)+len(published))
	for _, p := range c.defaults {
		out = append(out, Version{Package: p, BuiltIn: true})
	}
	for _, v := range published {
		p, err := c.Package(ctx, v.Package, v.Version)
		if err != nil {
			return nil, err
		}
		out = append(out, Version{Package: p, PublishedAt: v.PublishedAt})
	}
	slices.SortFunc(out, func(a, b Version) int {
		return cmp.Or(cmp.Compare(a.Package.ID, b.Package.ID), cmp.Compare(a.Package.Version, b.Package.Version))
	})
	return out, nil
}

// Version returns one version with its YAML (admins and reviewers).
func (c *Catalog) Version(ctx context.Context, actor talent.User, id policy.ID, version int) (Version, error) {
	if err := actor.Require(readers...); err != nil {
		return Version{}, err
	}
	for _, p := range c.defaults {
		if p.ID == id && p.Version == version {
			src, err := policy.DefaultSource(id)
			if err != nil {
				return Version{}, err
			}
			return Version{Package: p, BuiltIn: true, Source: src}, nil
		}
	}
	src, err := c.store.PolicySource(ctx, id, version)
	if err != nil {
		return Version{}, err
	}
	p, err := c.Package(ctx, id, version)
	if err != nil {
		return Version{}, err
	}
	return Version{Package: p, PublishedAt: src.PublishedAt, Source: src.Source}, nil
}
