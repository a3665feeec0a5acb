package allowance

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/policy"
)

// Packages returns every known package version: the embedded defaults and
// those admins published. Published versions are read on each call so that
// every replica sees a new version at once.
func (s *Service) Packages(ctx context.Context) ([]policy.Package, error) {
	srcs, err := s.Store.PolicySources(ctx)
	if err != nil {
		return nil, err
	}
	pkgs := append([]policy.Package(nil), s.Defaults...)
	for _, src := range srcs {
		p, err := policy.Parse(src.Source)
		if err != nil {
			// Stored versions were validated when published; a failure here
			// means the rule code changed under them.
			return nil, talent.Errorf(talent.KindInternal, "policy_unreadable", "stored policy %s v%d: %v", src.Package, src.Version, err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs, nil
}

// OpenPackages returns the versions in force today, one per package.
func (s *Service) OpenPackages(ctx context.Context) ([]policy.Package, error) {
	pkgs, err := s.Packages(ctx)
	if err != nil {
		return nil, err
	}
	var out []policy.Package
	for _, p := range policy.AllInForce(pkgs, s.now()) {
		if p.ID != policy.Apartment {
			out = append(out, p)
		}
	}
	return out, nil
}

// PublishPolicy validates and stores a new version of a package (admin). A
// published version is never edited: the new one must carry the next
// version number.
func (s *Service) PublishPolicy(ctx context.Context, actor talent.User, source string) (policy.Package, error) {
	if !actor.Has(talent.RoleAdmin) {
		return policy.Package{}, talent.Errorf(talent.KindForbidden, "role_required", "requires the admin role")
	}
	if utf8.RuneCountInString(source) > 256<<10 || strings.TrimSpace(source) == "" {
		return policy.Package{}, talent.Invalid(talent.FieldError{Field: "source", Code: "text_length"})
	}
	p, err := policy.Parse([]byte(source))
	if err != nil {
		return policy.Package{}, err
	}
	all, err := s.Packages(ctx)
	if err != nil {
		return policy.Package{}, err
	}
	if err := policy.CheckPublish(all, p); err != nil {
		return policy.Package{}, err
	}
	err = s.Store.PublishPolicy(ctx, PolicySource{Package: p.ID, Version: p.Version, Source: []byte(source), PublishedAt: s.now()}, actor.ID)
	return p, err
}
