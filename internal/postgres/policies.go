package postgres

import (
	"context"
	"time"

	"github.com/anju-city/anju/internal/talent/catalog"
	"github.com/anju-city/anju/internal/talent/policy"
	"github.com/jackc/pgx/v5"
)

func init() {
	constraintCodes["policy_versions_pkey"] = policy.CodePolicyVersionExists
}

// Policies is catalog.Store: the policy versions admins published.
type Policies struct{ db *DB }

// Policies returns the policies adapter.
func (db *DB) Policies() Policies { return Policies{db} }

// PolicyVersions implements catalog.Store.
func (s Policies) PolicyVersions(ctx context.Context) ([]catalog.Published, error) {
	return collect(ctx, s.db.pool, func(r pgx.Row) (catalog.Published, error) {
		var v catalog.Published
		err := r.Scan(&v.Package, &v.Version, &v.PublishedAt)
		return v, err
	}, `SELECT package, version, published_at FROM policy_versions ORDER BY package, version`)
}

// PolicySource implements catalog.Store.
func (s Policies) PolicySource(ctx context.Context, id policy.ID, version int) (catalog.Source, error) {
	src := catalog.Source{Published: catalog.Published{Package: id, Version: version}}
	var text string
	err := s.db.pool.QueryRow(ctx, `SELECT source, published_at FROM policy_versions WHERE package = $1 AND version = $2`,
		id, version).Scan(&text, &src.PublishedAt)
	src.Source = []byte(text)
	return src, notFound(translate(err), catalog.CodePolicyMissing)
}

// PublishPolicy implements catalog.Store.
func (s Policies) PublishPolicy(ctx context.Context, src catalog.Source, effectiveFrom, effectiveTo time.Time, by string) error {
	var to *time.Time
	if !effectiveTo.IsZero() {
		to = &effectiveTo
	}
	_, err := s.db.pool.Exec(ctx, `INSERT INTO policy_versions (package, version, effective_from, effective_to, source, published_by, published_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, src.Package, src.Version, effectiveFrom, to, string(src.Source), by, src.PublishedAt)
	return translate(err)
}
