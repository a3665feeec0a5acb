package main

import (
	"net/http"
	"testing"
)

// TestClaimsAuthorization: each role is denied what is not its own on every
// endpoint of the claims workflow: 403 for a role that may never act, 404 for
// a resource that belongs to someone else.
func TestClaimsAuthorization(t *testing.T) {
	t.Parallel()
	in, admin := withAdmin(t)
	var empA, empB struct{ ID string }
	in.call(t, "POST", "/v1/admin/employers", admin, map[string]any{"name": "甲公司", "creditCode": creditCodeA}, "Idempotency-Key", newKey()).json(t, &empA)
	in.call(t, "POST", "/v1/admin/employers", admin, map[string]any{"name": "乙公司", "creditCode": creditCodeB}, "Idempotency-Key", newKey()).json(t, &empB)
	hrOther := in.staff(t, admin, "hr", empB.ID)
	housing := in.staff(t, admin, "housing", "")
	finance := in.staff(t, admin, "finance", "")
	reviewer := in.staff(t, admin, "reviewer", "")

	owner := in.signUp(t)
	in.call(t, "PUT", "/v1/me", owner, map[string]any{"name": "李明", "nationalId": testNationalID,
		"employer": map[string]any{"name": "甲公司", "creditCode": creditCodeA}})
	var emp struct{ ID string }
	in.call(t, "GET", "/v1/me/employment", owner, nil).json(t, &emp)
	var claim struct{ ID string }
	r := in.call(t, "POST", "/v1/claims", owner, map[string]any{"package": "relocation", "declarations": map[string]any{}}, "Idempotency-Key", newKey())
	if r.Status != http.StatusCreated {
		t.Fatalf("claim: %d %s", r.Status, r.Body)
	}
	r.json(t, &claim)
	graduate := in.signUp(t)

	someID := "0193a4f0-0000-7000-8000-000000000001"
	confirm := map[string]any{"contractStart": "2026-01-01", "contractEnd": "2027-01-01", "socialInsuranceStart": "2026-01-01"}
	type want map[string]int
	endpoints := []struct {
		method, path string
		body         any
		want         want
	}{
		{"POST", "/v1/admin/employers", map[string]any{"name": "x", "creditCode": "91330282MA2AAAAA1C"},
			want{"graduate": 403, "hr": 403, "housing": 403, "finance": 403, "reviewer": 403}},
		{"POST", "/v1/admin/policies", map[string]any{"source": "id: rent"},
			want{"graduate": 403, "hr": 403, "housing": 403, "finance": 403, "reviewer": 403}},
		{"GET", "/v1/hr/employments", nil, want{"graduate": 403, "housing": 403, "finance": 403, "reviewer": 403}},
		{"GET", "/v1/hr/filings", nil, want{"graduate": 403, "housing": 403, "finance": 403, "reviewer": 403}},
		{"GET", "/v1/hr/filings/" + someID, nil, want{"graduate": 403, "hr": 404, "housing": 403, "finance": 403, "reviewer": 403}},
		{"POST", "/v1/admin/employers/registrations/" + someID + "/approve", nil,
			want{"graduate": 403, "hr": 403, "housing": 403, "finance": 403, "reviewer": 403}},
		{"POST", "/v1/admin/employers/registrations/" + someID + "/reject", map[string]any{"reason": "x"},
			want{"graduate": 403, "hr": 403, "housing": 403, "finance": 403, "reviewer": 403}},
		{"GET", "/v1/admin/employers/nominations", nil, want{"graduate": 403, "hr": 403, "housing": 403, "finance": 403, "reviewer": 403}},
		{"GET", "/v1/employers/" + empA.ID + "/invitations", nil, want{"graduate": 404, "hr": 404, "housing": 404, "finance": 404, "reviewer": 404}},
		{"POST", "/v1/employers/" + empA.ID + "/invitations", map[string]any{"role": "hr", "phone": "13900001111"},
			want{"graduate": 404, "hr": 404, "housing": 404, "finance": 404, "reviewer": 404}},
		{"POST", "/v1/hr/employments/" + emp.ID + "/confirm", confirm,
			want{"graduate": 403, "hr": 404, "housing": 403, "finance": 403, "reviewer": 403}},
		{"POST", "/v1/hr/employments/" + emp.ID + "/reject", map[string]any{"reason": "no"},
			want{"graduate": 403, "hr": 404, "housing": 403, "finance": 403, "reviewer": 403}},
		{"POST", "/v1/hr/employments/decisions", map[string]any{"items": []map[string]any{{"id": emp.ID, "decision": "reject", "reason": "no"}}},
			want{"graduate": 403, "housing": 403, "finance": 403, "reviewer": 403}},
		{"GET", "/v1/claims/" + claim.ID, nil, want{"graduate": 404, "hr": 404, "housing": 404}},
		{"POST", "/v1/claims/" + claim.ID + "/documents", map[string]any{"documentIds": []string{someID}},
			want{"graduate": 404, "hr": 404, "housing": 404, "finance": 404, "reviewer": 404}},
		{"POST", "/v1/claims/" + claim.ID + "/submit", nil, want{"graduate": 404, "hr": 404, "housing": 404, "finance": 404, "reviewer": 404}},
		{"POST", "/v1/claims/" + claim.ID + "/withdraw", nil, want{"graduate": 404, "hr": 404, "housing": 404, "finance": 404, "reviewer": 404}},
		{"POST", "/v1/claims/" + claim.ID + "/appeal", map[string]any{"reason": "x"},
			want{"graduate": 404, "hr": 404, "housing": 404, "finance": 404, "reviewer": 404}},
		{"GET", "/v1/review/queue", nil, want{"graduate": 403, "hr": 403, "housing": 403, "finance": 403}},
		{"POST", "/v1/review/claims/" + claim.ID + "/approve", map[string]any{}, want{"graduate": 403, "hr": 403, "housing": 403, "finance": 403}},
		{"POST", "/v1/review/claims/" + claim.ID + "/reject", map[string]any{"code": "other", "reason": "x"},
			want{"graduate": 403, "hr": 403, "housing": 403, "finance": 403}},
		{"GET", "/v1/review/claims/" + claim.ID, nil, want{"graduate": 403, "hr": 403, "housing": 403, "finance": 403}},
		{"POST", "/v1/review/claims/" + claim.ID + "/assign", map[string]any{}, want{"graduate": 403, "hr": 403, "housing": 403, "finance": 403}},
		{"POST", "/v1/review/claims/" + claim.ID + "/return", map[string]any{"items": []map[string]any{{"target": "documents.diploma", "code": "missing"}}},
			want{"graduate": 403, "hr": 403, "housing": 403, "finance": 403}},
		{"GET", "/v1/review/objections", nil, want{"graduate": 403, "hr": 403, "housing": 403, "finance": 403}},
		{"POST", "/v1/review/objections/" + someID + "/resolve", map[string]any{"uphold": false, "resolution": "x"},
			want{"graduate": 403, "hr": 403, "housing": 403, "finance": 403}},
		{"GET", "/v1/housing/objections", nil, want{"graduate": 403, "hr": 403, "finance": 403, "reviewer": 403}},
		{"POST", "/v1/housing/objections/" + someID + "/resolve", map[string]any{"uphold": false, "resolution": "x"},
			want{"graduate": 403, "hr": 403, "finance": 403, "reviewer": 403}},
		{"GET", "/v1/admin/access-log", nil, want{"graduate": 403, "hr": 403, "housing": 403, "finance": 403, "reviewer": 403}},
		{"PUT", "/v1/claims/" + claim.ID, map[string]any{"declarations": map[string]any{}},
			want{"graduate": 404, "hr": 404, "housing": 404, "finance": 404, "reviewer": 404}},
		{"DELETE", "/v1/claims/" + claim.ID + "/documents/" + someID, nil,
			want{"graduate": 404, "hr": 404, "housing": 404, "finance": 404, "reviewer": 404}},
		{"POST", "/v1/finance/batches", nil, want{"graduate": 403, "hr": 403, "housing": 403, "reviewer": 403}},
		{"GET", "/v1/finance/batches/" + someID, nil, want{"graduate": 403, "hr": 403, "housing": 403, "reviewer": 403}},
		{"GET", "/v1/finance/batches/" + someID + "/export", nil, want{"graduate": 403, "hr": 403, "housing": 403, "reviewer": 403}},
		{"POST", "/v1/finance/payments/" + someID + "/paid", nil, want{"graduate": 403, "hr": 403, "housing": 403, "reviewer": 403}},
		{"POST", "/v1/finance/payments/" + someID + "/failed", map[string]any{"reason": "x"},
			want{"graduate": 403, "hr": 403, "housing": 403, "reviewer": 403}},
		{"GET", "/v1/finance/reconciliation", nil, want{"graduate": 403, "hr": 403, "housing": 403, "reviewer": 403}},
		{"GET", "/v1/stats/delivery?from=2026-01-01&to=2027-01-01", nil, want{"graduate": 403, "hr": 403, "housing": 403}},
	}
	actors := map[string]string{"graduate": graduate, "hr": hrOther, "housing": housing, "finance": finance, "reviewer": reviewer}
	for _, e := range endpoints {
		for name, status := range e.want {
			r := in.call(t, e.method, e.path, actors[name], e.body, "Idempotency-Key", newKey())
			if r.Status != status {
				t.Errorf("%s %s as %s: %d, want %d: %s", e.method, e.path, name, r.Status, status, r.Body)
			}
		}
	}
	// HR of another employer sees none of this employer's people, and a
	// bulk answer about them fails item by item.
	var list struct{ Items []any }
	in.call(t, "GET", "/v1/hr/employments", hrOther, nil).json(t, &list)
	if len(list.Items) != 0 {
		t.Fatalf("HR of another employer lists %d declarations", len(list.Items))
	}
	var bulk struct {
		Results []struct {
			OK    bool `json:"ok"`
			Error *problem
		}
	}
	in.call(t, "POST", "/v1/hr/employments/decisions", hrOther, map[string]any{"items": []map[string]any{{"id": emp.ID, "decision": "reject", "reason": "no"}}}).json(t, &bulk)
	if len(bulk.Results) != 1 || bulk.Results[0].OK || bulk.Results[0].Error.Status != 404 {
		t.Fatalf("bulk by HR of another employer: %+v", bulk)
	}
}
