package draw

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// layouts are the apartment layouts the generated pools use.
var layouts = []string{"studio", "1br", "2br"}

// poolShape says how to generate a random pool.
type poolShape struct {
	apps, units, props int
	maxScore           int // scores are drawn from 0..maxScore-1; small means many ties
	prefs              int // preferences per application; 0 means 1..MaxPreferences
}

// randomPool returns a valid pool drawn from r. Units have unique IDs in a
// shuffled order, properties are "p-00".."p-NN", and preferences mix exact
// (property, layout) pairs with "any property" and "any layout".
func randomPool(r *rand.Rand, s poolShape) Pool {
	pool := Pool{RoundID: "2026-r1", Units: make([]Unit, s.units), Applications: make([]Application, s.apps)}
	prop := func() string { return fmt.Sprintf("p-%02d", r.IntN(max(s.props, 1))) }
	for i := range pool.Units {
		pool.Units[i] = Unit{ID: fmt.Sprintf("u-%06d", i), PropertyID: prop(), Layout: layouts[r.IntN(len(layouts))]}
	}
	r.Shuffle(len(pool.Units), func(i, j int) { pool.Units[i], pool.Units[j] = pool.Units[j], pool.Units[i] })
	for i := range pool.Applications {
		n := s.prefs
		if n == 0 {
			n = 1 + r.IntN(MaxPreferences)
		}
		prefs := make([]Preference, n)
		for k := range prefs {
			switch x := r.IntN(20); {
			case x < 12:
				prefs[k] = Preference{PropertyID: prop(), Layout: layouts[r.IntN(len(layouts))]}
			case x < 16:
				prefs[k] = Preference{PropertyID: prop()}
			case x < 19:
				prefs[k] = Preference{Layout: layouts[r.IntN(len(layouts))]}
			default:
				prefs[k] = Preference{}
			}
		}
		pool.Applications[i] = Application{
			ID:            fmt.Sprintf("a-%07d", i),
			Applicant:     fmt.Sprintf("李*%04d", i%10000),
			Score:         r.IntN(max(s.maxScore, 1)),
			Preferences:   prefs,
			HouseholdSize: 1 + r.IntN(4),
		}
	}
	r.Shuffle(len(pool.Applications), func(i, j int) {
		pool.Applications[i], pool.Applications[j] = pool.Applications[j], pool.Applications[i]
	})
	return pool
}

// testSeed returns a fixed seed made from n.
func testSeed(n byte) []byte {
	seed := make([]byte, SeedSize)
	for i := range seed {
		seed[i] = n + byte(i)
	}
	return seed
}

// referenceAllocate is the draw written as plainly as possible, for valid
// pools: sort, then for each applicant scan every unit in ID order.
func referenceAllocate(pool Pool, seed []byte) []Ranked {
	apps := slices.Clone(pool.Applications)
	key := make(map[string]string, len(apps))
	for _, a := range apps {
		key[a.ID] = TieKey(seed, a.ID)
	}
	slices.SortStableFunc(apps, func(a, b Application) int {
		switch {
		case a.Score != b.Score:
			return b.Score - a.Score
		case key[a.ID] < key[b.ID]:
			return -1
		case key[a.ID] > key[b.ID]:
			return 1
		}
		return 0
	})
	units := slices.Clone(pool.Units)
	slices.SortFunc(units, func(a, b Unit) int {
		if a.ID < b.ID {
			return -1
		}
		return 1
	})
	taken := map[string]bool{}
	out := make([]Ranked, len(apps))
	for i, a := range apps {
		out[i] = Ranked{Rank: i + 1, ApplicationID: a.ID, Applicant: a.Applicant, Score: a.Score, TieKey: key[a.ID], PreferenceIndex: -1}
	search:
		for k, p := range a.Preferences {
			for _, u := range units {
				if !taken[u.ID] && p.Matches(u) {
					taken[u.ID] = true
					out[i].UnitID, out[i].PreferenceIndex = u.ID, k
					break search
				}
			}
		}
	}
	return out
}

// checkAllocation checks the properties every draw of a valid pool has, and
// returns the first violation found.
func checkAllocation(pool Pool, seed []byte, order []Ranked) error {
	apps := make(map[string]Application, len(pool.Applications))
	for _, a := range pool.Applications {
		apps[a.ID] = a
	}
	units := make(map[string]Unit, len(pool.Units))
	for _, u := range pool.Units {
		units[u.ID] = u
	}
	if len(order) != len(apps) {
		return fmt.Errorf("%d lines for %d applications", len(order), len(apps))
	}

	owner := map[string]int{} // unit ID → index in order
	seen := map[string]bool{}
	for i, r := range order {
		a, ok := apps[r.ApplicationID]
		switch {
		case !ok:
			return fmt.Errorf("line %d: unknown application %q", i, r.ApplicationID)
		case seen[r.ApplicationID]:
			return fmt.Errorf("line %d: application %q listed twice", i, r.ApplicationID)
		case r.Rank != i+1:
			return fmt.Errorf("line %d: rank %d", i, r.Rank)
		case r.Score != a.Score || r.Applicant != a.Applicant:
			return fmt.Errorf("line %d: score or applicant not copied from the application", i)
		case r.TieKey != TieKey(seed, a.ID):
			return fmt.Errorf("line %d: tie key is not HMAC-SHA256(seed, id)", i)
		}
		seen[r.ApplicationID] = true
		if i > 0 {
			prev := order[i-1]
			if prev.Score < r.Score || prev.Score == r.Score && prev.TieKey >= r.TieKey {
				return fmt.Errorf("line %d: out of order after line %d", i, i-1)
			}
		}
		if r.UnitID == "" {
			if r.PreferenceIndex != -1 {
				return fmt.Errorf("line %d: waitlisted with preference index %d", i, r.PreferenceIndex)
			}
			continue
		}
		u, ok := units[r.UnitID]
		if !ok {
			return fmt.Errorf("line %d: unknown unit %q", i, r.UnitID)
		}
		if j, twice := owner[u.ID]; twice {
			return fmt.Errorf("unit %q given twice, at lines %d and %d", u.ID, j, i)
		}
		owner[u.ID] = i
		if r.PreferenceIndex < 0 || r.PreferenceIndex >= len(a.Preferences) || !a.Preferences[r.PreferenceIndex].Matches(u) {
			return fmt.Errorf("line %d: unit %q does not match preference %d of %q", i, u.ID, r.PreferenceIndex, a.ID)
		}
	}

	// No envy towards lower ranks, and nothing wasted: every unit matching a
	// preference better than what an applicant got went to someone above them.
	for i, r := range order {
		a := apps[r.ApplicationID]
		better := a.Preferences
		if r.UnitID != "" {
			better = a.Preferences[:r.PreferenceIndex]
		}
		for k, p := range better {
			for _, u := range pool.Units {
				if !p.Matches(u) {
					continue
				}
				j, held := owner[u.ID]
				switch {
				case !held:
					return fmt.Errorf("line %d: unit %q matches preference %d of %q but was left free", i, u.ID, k, a.ID)
				case j > i:
					return fmt.Errorf("line %d: %q envies unit %q given to lower-ranked line %d", i, a.ID, u.ID, j)
				}
			}
		}
		// Among the units of the winning preference still free at its turn,
		// the applicant got the lowest ID.
		if r.UnitID != "" {
			p := a.Preferences[r.PreferenceIndex]
			for _, u := range pool.Units {
				if p.Matches(u) && u.ID < r.UnitID {
					if j, held := owner[u.ID]; !held || j > i {
						return fmt.Errorf("line %d: got %q though %q, a lower ID, was free", i, r.UnitID, u.ID)
					}
				}
			}
		}
	}
	return nil
}

// mustPublish publishes or fails the test.
func mustPublish(t testing.TB, pool Pool, seed []byte) Record {
	t.Helper()
	rec, err := Publish(pool, seed, publishedAt)
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	return rec
}
