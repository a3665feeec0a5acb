package main

import (
	"strings"
	"testing"
)

// TestPolicyVersions: reviewers and admins read every version of every
// package, built in or published, and one version with its YAML and the
// clause each part cites; a version that does not exist is a localized
// 404; graduates, HR and housing staff may not read the office's list.
// (The catalogue belongs to the city, not to a person: there is no other
// user's version to refuse.)
func TestPolicyVersions(t *testing.T) {
	t.Parallel()
	in, admin := withAdmin(t)
	reviewer := in.staff(t, admin, "reviewer", "")
	housing := in.staff(t, admin, "housing", "")
	var emp struct{ ID string }
	in.call(t, "POST", "/v1/admin/employers", admin, map[string]any{"name": "慈溪智造", "creditCode": creditCodeA}, "Idempotency-Key", newKey()).json(t, &emp)
	hr := in.staff(t, admin, "hr", emp.ID)
	graduate := in.signUp(t)

	var list struct {
		Items []struct {
			ID      string `json:"id"`
			Version int    `json:"version"`
			BuiltIn bool   `json:"builtIn"`
		} `json:"items"`
	}
	for _, token := range []string{reviewer, admin} {
		in.get(t, token, "/v1/admin/policies/versions", &list)
	}
	builtIn := map[string]bool{}
	for _, v := range list.Items {
		if v.Version == 1 && v.BuiltIn {
			builtIn[v.ID] = true
		}
	}
	for _, id := range []string{"relocation", "rent", "living"} {
		if !builtIn[id] {
			t.Fatalf("built-in %s v1 missing from %+v", id, list.Items)
		}
	}

	var detail struct {
		Source  string `json:"source"`
		Clauses []struct {
			Part, Name, Clause string
		} `json:"clauses"`
	}
	in.get(t, reviewer, "/v1/admin/policies/relocation/versions/1", &detail)
	if !strings.Contains(detail.Source, "id: relocation") || len(detail.Clauses) == 0 {
		t.Fatalf("relocation v1: %+v", detail)
	}
	for _, c := range detail.Clauses {
		if c.Part == "" || c.Name == "" {
			t.Fatalf("a clause without its part or name: %+v", c)
		}
	}

	missing := in.call(t, "GET", "/v1/admin/policies/relocation/versions/99", reviewer, nil)
	if p := missing.problem(t); missing.Status != 404 || p.Code != "policy_missing" || missing.Header.Get("Content-Language") != "zh-CN" {
		t.Fatalf("a version that does not exist: %d %s", missing.Status, missing.Body)
	}
	missingEn := in.call(t, "GET", "/v1/admin/policies/relocation/versions/99", reviewer, nil, "Accept-Language", "en")
	if p := missingEn.problem(t); missingEn.Header.Get("Content-Language") != "en" || p.Title == missing.problem(t).Title {
		t.Fatalf("in English: %s", missingEn.Body)
	}

	for name, token := range map[string]string{"graduate": graduate, "hr": hr, "housing": housing} {
		for _, path := range []string{"/v1/admin/policies/versions", "/v1/admin/policies/relocation/versions/1"} {
			if r := in.call(t, "GET", path, token, nil); r.Status != 403 {
				t.Fatalf("%s reading %s: %d %s", name, path, r.Status, r.Body)
			}
		}
	}
}
