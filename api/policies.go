package api

import (
	"context"
	"encoding/json"
	"time"

	"github.com/anju-city/anju/api/gen"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/catalog"
	"github.com/anju-city/anju/internal/talent/policy"
	"github.com/gofiber/fiber/v2"
)

func (h *allowanceHandlers) ListPolicyVersions(c *fiber.Ctx) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) ([]catalog.Version, error) {
		return h.catalog.Versions(ctx, u)
	}, func(list []catalog.Version) gen.PolicyVersionList {
		return gen.PolicyVersionList{Items: each(list, toPolicyVersion)}
	})
}

func (h *allowanceHandlers) GetPolicyVersion(c *fiber.Ctx, pkg gen.PolicyPackageName, version int) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (catalog.Version, error) {
		return h.catalog.Version(ctx, u, policy.ID(pkg), version)
	}, toPolicyVersionDetail)
}

func toPolicyVersion(v catalog.Version) gen.PolicyVersion {
	p := toPolicy(v.Package)
	return gen.PolicyVersion{Id: p.Id, Version: p.Version, Title: p.Title, Summary: p.Summary,
		EffectiveFrom: p.EffectiveFrom, EffectiveTo: p.EffectiveTo, RequiredDocuments: p.RequiredDocuments,
		Benefit: p.Benefit, BuiltIn: v.BuiltIn, PublishedAt: publishedAt(v.PublishedAt)}
}

func toPolicyVersionDetail(v catalog.Version) gen.PolicyVersionDetail {
	p := toPolicyVersion(v)
	return gen.PolicyVersionDetail{Id: p.Id, Version: p.Version, Title: p.Title, Summary: p.Summary,
		EffectiveFrom: p.EffectiveFrom, EffectiveTo: p.EffectiveTo, RequiredDocuments: p.RequiredDocuments,
		Benefit: p.Benefit, BuiltIn: p.BuiltIn, PublishedAt: p.PublishedAt,
		Source: string(v.Source), Clauses: policyClauses(v.Package)}
}

func publishedAt(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return utc(&t)
}

// policyClauses lists what a version says with the clause each part cites,
// in the order of the YAML's sections: parameters, rules, benefit, documents.
func policyClauses(p policy.Package) []gen.PolicyClause {
	out := make([]gen.PolicyClause, 0, len(p.Parameters)+len(p.Rules)+2)
	for _, q := range p.Parameters {
		out = append(out, gen.PolicyClause{Part: gen.PolicyClausePartParameter, Name: q.Name, Clause: q.Clause, Value: jsonText(q.Value)})
	}
	for _, r := range p.Rules {
		kind := string(r.Kind)
		out = append(out, gen.PolicyClause{Part: gen.PolicyClausePartRule, Name: r.ID, Kind: &kind, Clause: r.Clause, Value: jsonText(r.Params)})
	}
	if b := p.Benefit; b.Kind != "" {
		out = append(out, gen.PolicyClause{Part: gen.PolicyClausePartBenefit, Name: string(b.Kind), Clause: b.Clause, Value: jsonText(b.Amounts)})
	}
	if d := p.Documents; d.Clause != "" || len(d.Required) > 0 {
		out = append(out, gen.PolicyClause{Part: gen.PolicyClausePartDocuments, Name: "documents", Clause: d.Clause, Value: jsonText(d.Required)})
	}
	return out
}

// jsonText renders a value decoded from a package's YAML as JSON; nothing
// for an empty one.
func jsonText(v any) *string {
	b, err := json.Marshal(v)
	if err != nil || string(b) == "null" || string(b) == "{}" || string(b) == "[]" {
		return nil
	}
	s := string(b)
	return &s
}
