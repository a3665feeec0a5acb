package api

import "testing"

// TestBareOperations: the operations spared the contract check are GET
// /v1/me among those with nothing to check, and none with a parameter.
func TestBareOperations(t *testing.T) {
	v, err := newValidator()
	if err != nil {
		t.Fatal(err)
	}
	if !v.bare["/v1/me"] {
		t.Fatalf("GET /v1/me is checked: %v", v.bare)
	}
	for p := range v.bare {
		if p == "/v1/me/notifications" || p == "/v1/review/queue" {
			t.Fatalf("%s takes parameters but is not checked", p)
		}
	}
}
