package draw

import "testing"

func TestNextInLine(t *testing.T) {
	pool := Pool{
		RoundID: "2026-r1",
		Units:   []Unit{{ID: "u1", PropertyID: "p1", Layout: "2br"}},
		Applications: []Application{
			{ID: "a", Score: 50, HouseholdSize: 3, Preferences: []Preference{{PropertyID: "p1"}}},
			{ID: "b", Score: 40, HouseholdSize: 1, Preferences: []Preference{{PropertyID: "p2"}}},
			{ID: "c", Score: 30, HouseholdSize: 2, Preferences: []Preference{{PropertyID: "p2"}, {Layout: "2br"}}},
			{ID: "d", Score: 20, HouseholdSize: 1, Preferences: []Preference{{}}},
		},
	}
	rec := mustPublish(t, pool, testSeed(1))
	if rec.Result[0].UnitID != "u1" {
		t.Fatalf("a should hold u1: %+v", rec.Result)
	}
	back := Unit{ID: "u1", PropertyID: "p1", Layout: "2br"}
	tests := []struct {
		name     string
		unit     Unit
		declined map[string]bool
		want     string
	}{
		{"a declines: b wants only p2, c takes a 2br", back, map[string]bool{"a": true}, "c"},
		{"c declined too", back, map[string]bool{"a": true, "c": true}, "d"},
		{"nil map", back, nil, "c"},
		{"a unit at p2 goes to b", Unit{ID: "u9", PropertyID: "p2", Layout: "studio"}, nil, "b"},
		{"nobody left", back, map[string]bool{"a": true, "c": true, "d": true}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := NextInLine(rec, tt.unit, tt.declined)
			if got != tt.want || ok != (tt.want != "") {
				t.Errorf("NextInLine = %q, %v; want %q", got, ok, tt.want)
			}
		})
	}
}
